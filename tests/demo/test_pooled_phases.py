"""The demo's national pooled IMR starts a new phase where the jurisdictions pooled change
for good (the 2013 and 2014 cohorts joining), with that as the reason, so the 2012 cohort's
points are never read as a deterioration against a line drawn mostly from the later set."""

from __future__ import annotations

import pytest

from coiin.charts.models import ChartSummary
from coiin.charts.summaries.services import rebuild
from coiin.demo.measures import load_demo_data
from coiin.demo.network import DemoLoader, choose_networks, load_reference
from coiin.measures.models import Measure
from coiin.reports.dashboards.national import national_outcomes

from ..conftest import shared_rows

# A state of each cohort: Georgia (2012), Ohio (2013), California (2014).
STATES = ("GA", "OH", "CA")


def quiet(_: str) -> None:
    pass


def load_cohorts() -> None:
    """A demo state of each cohort with its data and summaries: loaded once for the module's
    tests, which follow one another on one worker (what a test writes is rolled back after
    it). Passwords are hashed fast (tests/conftest.py)."""
    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    spread = choose_networks(sorted(jurisdictions))
    for code in STATES:
        loader.jurisdiction_teams(jurisdictions[code], [networks[s] for s in spread[code]])
    loader.demo_logins(jurisdictions, networks, national)
    load_demo_data(log=quiet)
    rebuild()


_cohorts_rows, cohorts = shared_rows("cohorts", load_cohorts)
pytestmark = pytest.mark.xdist_group("demo-pooled-phases")


WORDS = ("deterioration", "deteriorat", "worse")


def test_the_national_imr_chart_has_a_phase_per_cohort_and_no_deterioration(cohorts):
    imr = Measure.objects.get(code="IMR")
    (outcome,) = national_outcomes([imr])
    tc = outcome.chart
    assert [(c.before, c.after) for c in outcome.changes][:2] == [(1, 2), (2, 3)]
    assert [p.reason for p in tc.phases] == [
        "2 jurisdictions pooled, up from 1 as a cohort joined",
        "3 jurisdictions pooled, up from 2 as a cohort joined",
    ]
    assert tc.chart is not None and max(p.part for p in tc.chart.points) == 3
    for text in (tc.summary, tc.detail, outcome.note):
        assert not any(w in text.lower() for w in WORDS), text
    assert "From 2014-Q3 (3 jurisdictions pooled, up from 2 as a cohort joined)" in tc.summary
    # No earlier phase's point is judged against the later set's line: each part's points
    # sit within their own limits or are told as that part's own.
    stored = ChartSummary.objects.get(scope=ChartSummary.Scope.NATIONAL, measure=imr)
    assert {p[6] for p in stored.points} == {1, 2, 3}
    assert stored.signal_direction != "deteriorating"
    assert not any(w in stored.summary.lower() for w in WORDS)
    markers = [m.text for m in tc.markers]
    assert "New phase: 3 jurisdictions pooled, up from 2 as a cohort joined" in markers
    assert not any("→" in m for m in markers[:2])  # the phase's marker, not a second one


def test_the_national_page_shows_the_phases_and_their_reasons(cohorts, as_persona):
    response = as_persona("funder").get("/national/")
    page = response.content.decode()
    assert "The chart starts a new phase where the set pooled changes for good" in page
    assert "2014-Q3: 3 jurisdictions pooled, up from 2 as a cohort joined" in page
    outcome = next(o for o in response.context["outcomes"] if o.chart.measure.code == "IMR")
    assert not any(w in outcome.chart.summary.lower() for w in WORDS)
    spec = response.context["specs"]["national-IMR"]
    texts = [
        v.get("text") for layer in spec["layer"] if "data" in layer for v in layer["data"]["values"]
    ]
    assert "New phase: 2 jurisdictions pooled, up from 1 as a cohort joined" in texts
