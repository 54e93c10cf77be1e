"""The network's effect estimates from the database: on a network whose truth is known,
stored and recomputed only when their inputs change, with primary measures chosen by
faculty and back-dated adoptions counted as recorded until confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coiin.demo.network import load_reference
from coiin.improvement import effects, evidence, services
from coiin.improvement.models import Adoption, AdoptionStatus, ChangeIdea, IdeaEffect
from coiin.measures.catalog import load_catalog
from coiin.network.models import LearningNetwork, Team
from coiin.stats.whatworks import Verdict
from tests.conftest import shared_rows

from .effects_data import EFFECT, build

# Every test reads the same known network: it is built once for the module's tests, which
# follow one another on one worker (what a test writes is rolled back after it).
pytestmark = pytest.mark.xdist_group("idea-effects")


def make_known() -> dict[str, object]:
    jurisdictions, networks = load_reference()
    return build(jurisdictions, networks, load_catalog())


_known_rows, known_rows = shared_rows("known_rows", make_known)


@pytest.fixture
def known(known_rows) -> dict[str, object]:
    """The known network's rows, read afresh for each test: a test may change its own
    instances (a refreshed idea, a chosen primary measure) without the next one seeing it."""
    teams = Team.objects.in_bulk([t.pk for t in known_rows["teams"]])
    ideas = ChangeIdea.objects.in_bulk([known_rows["works"].pk, known_rows["nothing"].pk])
    return {"network": LearningNetwork.objects.get(pk=known_rows["network"].pk),
            "teams": [teams[t.pk] for t in known_rows["teams"]],
            "works": ideas[known_rows["works"].pk],
            "nothing": ideas[known_rows["nothing"].pk], "measure": known_rows["measure"]}


def by_title(rows):
    return {r.idea.title: r for r in rows}


def test_the_idea_that_works_is_an_improvement_and_the_other_is_not(known):
    rows = by_title(effects.evidence_for([known["network"]]))
    works, nothing = rows["Crib audits"].primary, rows["Sleep sacks"].primary
    assert works.verdict is Verdict.IMPROVEMENT
    assert works.estimate.ci_low < EFFECT < works.estimate.ci_high
    assert works.estimate.adopters == 12 and works.estimate.comparison >= 12
    # Half the teams that adopted Sleep sacks had adopted Crib audits first, so their
    # measure jumped before they adopted it: never credited, and the co-adoption is named.
    assert nothing.verdict in (Verdict.NO_EVIDENCE, Verdict.PRETREND)
    assert nothing.estimate.ci_low < 0 < nothing.estimate.ci_high
    assert works.estimate.sustained is True
    # Ranked by evidence: the idea that works first.
    assert [r.idea.title for r in effects.evidence_for([known["network"]])][0] == "Crib audits"
    assert works.sentence.startswith("Teams that adopted Crib audits improved their ")
    assert "percentage points more than teams that had not yet adopted it (95 % CI" \
        in works.sentence
    assert "12 adopting" in works.sentence


def test_estimates_are_stored_and_recomputed_only_when_their_inputs_change(
        known, django_assert_max_num_queries):
    effects.evidence_for([known["network"]])
    stored = dict(IdeaEffect.objects.values_list("change_idea__title", "computed_at"))
    assert set(stored) == {"Crib audits", "Sleep sacks"}
    with django_assert_max_num_queries(20):
        effects.evidence_for([known["network"]])
    assert dict(IdeaEffect.objects.values_list("change_idea__title", "computed_at")) == stored
    # A new adoption record changes the network's adoptions: both are estimated again.
    team = known["teams"][1]
    services.set_status(team=team, change_idea=known["works"], status="testing",
                        on=timezone.localdate())
    effects.evidence_for([known["network"]])
    again = dict(IdeaEffect.objects.values_list("change_idea__title", "computed_at"))
    assert all(again[k] > stored[k] for k in stored)


def test_a_back_dated_adoption_counts_from_the_day_it_was_recorded_until_confirmed(
        known, faculty):
    team = known["teams"][1]  # never adopted Crib audits
    long_ago = dt.date(2015, 3, 2)
    adoption = services.set_status(team=team, change_idea=known["works"], status="testing",
                                   on=long_ago)
    assert adoption.adopted_on == long_ago
    assert adoption.counts_from == timezone.localdate()
    rows = by_title(effects.evidence_for([known["network"]]))
    before = rows["Crib audits"].primary.estimate
    # Recorded today, it adopts after the data end: it still counts as a comparison team.
    assert before.adopters == 12
    assert len(rows["Crib audits"].awaiting) == 1
    assert any("back-dated" in c for c in rows["Crib audits"].primary.cautions)

    (event,) = AdoptionStatus.objects.filter(adoption=adoption)
    adoption = evidence.confirm_adoption_date(event=event, user=faculty)
    assert adoption.counts_from == long_ago
    event.refresh_from_db()
    assert event.confirmed_by == faculty and event.confirmed_at is not None
    after = by_title(effects.evidence_for([known["network"]]))["Crib audits"]
    assert after.primary.estimate.adopters == 13 and not after.awaiting
    with pytest.raises(ValidationError, match="already confirmed"):
        evidence.confirm_adoption_date(event=event, user=faculty)


def test_an_idea_with_several_driver_measures_waits_for_faculty_to_choose(
        known, catalog, faculty):
    diagram = services.diagram_for(known["network"])
    other = services.add_node(diagram=diagram, kind="primary", text="Families",
                              measure=catalog["SS-EDU"])
    side = services.add_node(diagram=diagram, kind="secondary", text="Teach", parent=other)
    services.add_node(diagram=diagram, kind="change", text="", parent=side,
                      change_idea=known["works"])
    row = by_title(effects.evidence_for([known["network"]]))["Crib audits"]
    assert row.primary is None and row.needs_choice
    assert row.secondary == []  # no result is shown before the primary measure is chosen
    assert [m.code for m in row.candidates] == ["SS-CRIB", "SS-EDU"]

    with pytest.raises(ValidationError, match="no preferred direction"):
        none = catalog["SS-EDU"]
        none.direction = "none"
        evidence.set_primary_measure(idea=known["works"], measure=none, user=faculty)
    evidence.set_primary_measure(idea=known["works"], measure=catalog["SS-CRIB"],
                                 user=faculty)
    row = by_title(effects.evidence_for([known["network"]]))["Crib audits"]
    assert row.primary.measure.code == "SS-CRIB" and row.primary.verdict is Verdict.IMPROVEMENT
    assert [e.measure.code for e in row.secondary] == ["SS-EDU"]


def test_ideas_adopted_together_carry_a_caution(known):
    for adoption in Adoption.objects.filter(change_idea=known["works"])[:3]:
        day = adoption.counts_from + dt.timedelta(days=31)
        a = Adoption.objects.filter(team=adoption.team, change_idea=known["nothing"]).first()
        if a is None:
            a = Adoption.objects.create(team=adoption.team, change_idea=known["nothing"],
                                        status="testing", adopted_on=day, counts_from=day)
            AdoptionStatus.objects.create(adoption=a, status="testing", on=day,
                                          recorded_at=timezone.now())
        else:
            Adoption.objects.filter(pk=a.pk).update(counts_from=day)
    row = by_title(effects.evidence_for([known["network"]]))["Crib audits"]
    assert row.primary.co_adopted[0][0] == "Sleep sacks" and row.primary.co_adopted[0][1] >= 3
    assert any("Sleep sacks" in c for c in row.primary.cautions)


def test_the_pages_show_the_estimate_and_faculty_set_the_primary_measure(
        known, as_persona, catalog):
    network = known["network"]
    client = as_persona("faculty")
    page = client.get(reverse("improvement:network_what_works", args=[network.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Teams that adopted Crib audits improved their" in text
    assert "On each team&#x27;s own chart" in text or "On each team's own chart" in text
    idea = known["works"]
    page = client.get(idea.get_absolute_url())
    assert page.status_code == 200 and 'id="spec-effect"' in page.content.decode()
    response = client.post(reverse("improvement:idea_primary", args=[network.slug, idea.pk]),
                           {"measure": catalog["SS-CRIB"].pk})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.primary_measure == catalog["SS-CRIB"] and idea.primary_chosen_at
    everyone = client.get(reverse("improvement:what_works"))
    assert everyone.status_code == 200 and "Crib audits" in everyone.content.decode()


def test_members_cannot_set_primary_measures_or_confirm_dates(known, as_persona, catalog):
    network, idea = known["network"], known["works"]
    client = as_persona("member")
    response = client.post(reverse("improvement:idea_primary", args=[network.slug, idea.pk]),
                           {"measure": catalog["SS-CRIB"].pk})
    assert response.status_code == 403
    event = AdoptionStatus.objects.filter(adoption__change_idea=idea).first()
    response = client.post(reverse("improvement:idea_confirm",
                                   args=[network.slug, idea.pk, event.pk]))
    assert response.status_code == 403


def test_an_estimate_stored_with_english_words_only_is_estimated_again(known):
    """A row stored before the reasons had codes is estimated again when read, so it reads
    in the reader's language; the estimate itself is the same."""
    effects.evidence_for([known["network"]])
    row = IdeaEffect.objects.get(change_idea=known["works"])
    old = dict(row.result)
    reasons = old.pop("reasons")
    old["reason"] = "Adopting teams changed by +0.08 against comparison teams."
    IdeaEffect.objects.filter(pk=row.pk).update(result=old)
    first = by_title(effects.evidence_for([known["network"]]))["Crib audits"].primary
    row.refresh_from_db()
    assert row.result["reasons"] == reasons and "reason" not in row.result
    assert first.verdict is Verdict.IMPROVEMENT
