"""What works and the team report read a by-site measure's rolled-up team figures: the
team's DataValues are real, summed from its sites."""

from __future__ import annotations

import datetime as dt

from coiin.improvement import services
from coiin.improvement.whatworks import Verdict, what_works
from coiin.measures import services as reporting
from coiin.measures.models import SiteValue
from coiin.measures.periods import Period
from coiin.network.models import ReportingUnit
from coiin.reports.documents import team as documents

from .test_whatworks import ADOPTED, BASELINE, HOLDS


def test_a_by_site_measure_runs_through_what_works_and_the_team_report(
        team, chosen, catalog, data_lead, networks, idea):
    """Georgia's two hospitals each audit 25 infants a month; together they report the
    sustained shift of the hand-checked example (30 of 50, then 42 of 50)."""
    crib = catalog["SS-CRIB"]
    units = [ReportingUnit.objects.create(team=team, name=n, kind="hospital")
             for n in ("Grady Memorial", "Piedmont Atlanta")]
    reporting.set_by_site(team=team, measures=[crib])
    period = Period.parse("2015-01")
    subs = []
    values = []
    for num in BASELINE + HOLDS:
        sub = reporting.submission_for(team, period)
        subs.append(sub)
        first = num // 2 + 3  # uneven: the mean of the sites' rates is not the team's rate
        values += [SiteValue(submission=sub, unit=units[0], measure=crib, numerator=first,
                             denominator=25),
                   SiteValue(submission=sub, unit=units[1], measure=crib,
                             numerator=num - first, denominator=25)]
        period = period.next()
    reporting.add_site_values(values=values, reason="test")
    for sub in subs:
        reporting.submit(submission=sub, user=data_lead,
                         today=sub.period.end + dt.timedelta(days=3))
    services.set_status(team=team, change_idea=idea, status="testing", on=ADOPTED,
                        user=data_lead)
    diagram = services.diagram_for(networks["safe-sleep"])
    primary = services.add_node(diagram=diagram, kind="primary", text="Safe hospitals",
                                measure=crib)
    secondary = services.add_node(diagram=diagram, kind="secondary", text="Audit",
                                  parent=primary)
    services.add_node(diagram=diagram, kind="change", text="", parent=secondary,
                      change_idea=idea)

    (result,) = what_works([networks["safe-sleep"]])
    assert [a.verdict for a in result.adoptions] == [Verdict.SUSTAINED]

    inputs = documents.team_inputs(team, Period.parse("2016-12"))
    crib_rows = [v for v in inputs["values"] if v[0] == "SS-CRIB"]
    assert len(crib_rows) == 24
    assert [(r[2], r[3]) for r in crib_rows[:2]] == [(str(BASELINE[0]), "50"),
                                                     (str(BASELINE[1]), "50")]
