"""Fixtures for the improvement method: a change package idea, a cycle, a comment."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.improvement import services
from coiin.improvement.models import ChangeIdea, PDSACycle

PLAN = {
    "title": "Crib audit by night staff",
    "objective": "Find out whether night staff can run the monthly crib audit.",
    "questions": "Can night staff audit 20 cribs in one shift?",
    "predictions": "Yes, in under an hour; about 60 % of cribs will be safe.",
    "plan_who": "Two night-shift nurses on the newborn unit",
    "plan_what": "Audit 20 cribs with the Cribs for Kids form",
    "plan_where": "Newborn unit, one hospital",
    "starts": dt.date(2015, 6, 1),
    "ends": dt.date(2015, 6, 30),
}


@pytest.fixture
def idea(networks) -> ChangeIdea:
    """A Safe Sleep change idea."""
    return services.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits in birthing hospitals",
        description="Audit infant sleep environments on the newborn unit every month.",
        evidence="AAP 2016 safe sleep recommendations; Cribs for Kids hospital certification.")


@pytest.fixture
def other_idea(networks) -> ChangeIdea:
    """A Smoking Cessation idea (another network's change package)."""
    return services.save_change_idea(
        network=networks["smoking-cessation"], title="Quitline fax referral",
        description="Fax-refer pregnant smokers to the state quitline.",
        evidence="US PHS guideline 2008.")


@pytest.fixture
def cycle(team, idea, catalog, lead) -> PDSACycle:
    return services.plan_cycle(team=team, change_idea=idea, user=lead,
                               measures=[catalog["SS-CRIB"]], **PLAN)
