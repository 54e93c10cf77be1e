"""A small Safe Sleep network whose truth is known, for the network's effect estimates.

24 teams report crib audits (SS-CRIB, 50 infants a month) for 60 months, 2014–2018, on
a shared secular trend (+0.2 points a month). Half adopt "Crib audits" at staggered
times, and their share of safe cribs rises 15 points from the period of adoption; a
third adopt "Sleep sacks" at random, which does nothing. Both ideas hang from a
secondary driver measured by SS-CRIB in the network's driver diagram.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from coiin.improvement import services
from coiin.improvement.models import Adoption, AdoptionStatus, ChangeIdea
from coiin.measures import services as reporting
from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Period, periods_between
from coiin.network import services as network_services
from coiin.network.models import Team

STATES = ["AL", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "NE", "HI", "ID", "IL", "IN",
          "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO"]
MONTHS = periods_between(Period.parse("2014-01"), Period.parse("2018-12"))
EFFECT = 0.15


def _idea(network, title: str) -> ChangeIdea:
    return services.save_change_idea(network=network, title=title, description=title,
                                     evidence="Synthetic test evidence.")


def _adopt(team: Team, idea: ChangeIdea, day: dt.date) -> None:
    """Adopted on ``day`` and recorded on that day (as a team keeping its log does)."""
    adoption = Adoption.objects.create(team=team, change_idea=idea, status="testing",
                                       adopted_on=day, counts_from=day)
    AdoptionStatus.objects.create(adoption=adoption, status="testing", on=day,
                                  recorded_at=dt.datetime(day.year, day.month, day.day, 12,
                                                          tzinfo=dt.UTC))


def build(jurisdictions, networks, catalog, *, seed: int = 7) -> dict[str, object]:
    network = networks["safe-sleep"]
    crib: Measure = catalog["SS-CRIB"]
    rng = np.random.default_rng(seed)
    teams = [network_services.join_network(jurisdiction=jurisdictions[s],
                                           learning_network=network,
                                           joined_on=dt.date(2014, 1, 1)) for s in STATES]
    works, nothing = _idea(network, "Crib audits"), _idea(network, "Sleep sacks")
    diagram = services.diagram_for(network)
    primary = services.add_node(diagram=diagram, kind="primary", text="Safe hospitals",
                                measure=crib)
    secondary = services.add_node(diagram=diagram, kind="secondary", text="Audits",
                                  parent=primary, measure=crib)
    for idea in (works, nothing):
        services.add_node(diagram=diagram, kind="change", text="", parent=secondary,
                          change_idea=idea)
    adopt_at: dict[int, int] = {}
    for i, team in enumerate(teams):
        reporting.choose_measures(team=team, measures=[crib])
        if i % 2 == 0:
            adopt_at[team.pk] = 18 + (i * 3) % 24  # months 18 … 41
            _adopt(team, works, MONTHS[adopt_at[team.pk]].start + dt.timedelta(days=3))
        if i % 3 == 1:
            _adopt(team, nothing, MONTHS[int(rng.integers(14, 44))].start
                   + dt.timedelta(days=5))
    subs = Submission.objects.bulk_create([
        Submission(team=t, frequency=p.frequency.value, period_start=p.start,
                   status=Submission.Status.SUBMITTED) for t in teams for p in MONTHS])
    values = []
    for s in subs:
        t = MONTHS.index(Period(s.period_start, MONTHS[0].frequency))
        level = 0.45 + 0.002 * t + (EFFECT if t >= adopt_at.get(s.team_id, 10**6) else 0)
        values.append(DataValue(submission=s, measure=crib,
                                numerator=int(rng.binomial(50, min(level, 0.98))),
                                denominator=50))
    reporting.add_values(values=values, reason="synthetic test data")
    return {"network": network, "teams": teams, "works": works, "nothing": nothing,
            "measure": crib}
