"""A team's charts show its PDSA cycles: a marker at each cycle's start, and each point
links to the cycles that ran in its period (the improvement app registers both)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from coiin.charts.building import team_charts
from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry


def _report_crib_audits(team, measure, data_lead, months=("2015-05", "2015-06", "2015-07")):
    for label in months:
        period = Period.parse(label)
        sub = reporting.submission_for(team, period)
        today = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              entries=[Entry(measure, period.label, numerator="30",
                                             denominator="50")], today=today)
        reporting.submit(submission=sub, user=data_lead, today=today)


def _marker_values(spec):
    return next(layer["data"]["values"] for layer in spec["layer"]
                if "data" in layer and layer["data"]["values"]
                and "kind" in layer["data"]["values"][0])


def test_a_cycle_is_a_marker_on_the_charts_of_its_measures(team, chosen, catalog, data_lead,
                                                           cycle):
    crib = catalog["SS-CRIB"]
    _report_crib_audits(team, crib, data_lead)
    tc = team_charts(team, [crib])[0]
    cycles = reverse("improvement:cycles", args=["safe-sleep", "ga"])
    assert _marker_values(tc.spec) == [{
        "on": "2015-06-01", "text": "PDSA 1: Crib audit by night staff", "kind": "pdsa",
        "url": f"{cycles}1/", "n": "1", "top": -6}]  # its number, told under the chart
    assert [(m.number, m.text) for m in tc.markers] == [(1, "PDSA 1: Crib audit by night staff")]


def test_each_point_links_to_the_cycles_of_its_period(team, chosen, catalog, data_lead):
    crib = catalog["SS-CRIB"]
    _report_crib_audits(team, crib, data_lead)
    tc = team_charts(team, [crib])[0]
    cycles = reverse("improvement:cycles", args=["safe-sleep", "ga"])
    assert [row["link"] for row in tc.spec["data"]["values"]] == [
        f"{cycles}?measure=SS-CRIB&from=2015-05-01&to=2015-05-31",
        f"{cycles}?measure=SS-CRIB&from=2015-06-01&to=2015-06-30",
        f"{cycles}?measure=SS-CRIB&from=2015-07-01&to=2015-07-31"]


def test_a_cycle_s_marker_carries_the_language_its_title_was_written_in(team, idea, catalog,
                                                                       lead):
    from django.utils import translation

    from coiin.improvement import services
    from coiin.improvement.services import cycle_markers

    from .conftest import PLAN

    crib = catalog["SS-CRIB"]
    english = services.plan_cycle(team=team, change_idea=idea, user=lead, measures=[crib],
                                  **PLAN)
    with translation.override("es"):
        spanish = services.plan_cycle(team=team, change_idea=idea, user=lead, measures=[crib],
                                      **{**PLAN, "title": "Auditoría de cunas de noche"})
    markers = cycle_markers(team, [crib.pk])[crib.pk]
    assert [(m.text, m.language) for m in markers] == [
        (f"PDSA {english.number}: {english.title}", "en"),
        (f"PDSA {spanish.number}: Auditoría de cunas de noche", "es")]
