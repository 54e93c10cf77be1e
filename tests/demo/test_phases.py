"""The demo's charts use phases where their story has a shift after a recorded change, and
no baseline point reads as a deterioration."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coiin.charts.building import team_charts
from coiin.charts.models import ChartPhase
from coiin.demo.measures import load_demo_data
from coiin.demo.network import DemoLoader, choose_networks, load_reference
from coiin.demo.phases import load_demo_phases
from coiin.measures.models import Measure
from coiin.network.models import Team

from ..conftest import shared_rows


def quiet(_: str) -> None:
    pass


def load_georgia() -> None:
    """Georgia's demo teams (the demo logins' Safe Sleep team improves), with their data:
    loaded once for the module's tests, which follow one another on one worker (what a test
    writes is rolled back after it). Passwords are hashed fast (tests/conftest.py)."""
    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    spread = choose_networks(sorted(jurisdictions))
    loader.jurisdiction_teams(jurisdictions["GA"], [networks[s] for s in spread["GA"]])
    loader.demo_logins(jurisdictions, networks, national)
    load_demo_data(log=quiet)


_georgia_rows, georgia_rows = shared_rows("georgia_rows", load_georgia)
pytestmark = pytest.mark.xdist_group("demo-phases")


@pytest.fixture
def georgia(georgia_rows) -> list[Team]:
    return list(Team.objects.select_related("jurisdiction", "learning_network"))


def test_the_crib_audit_chart_has_its_phase_and_no_baseline_point_reads_as_worse(georgia):
    assert load_demo_phases(log=quiet) >= 1
    assert load_demo_phases(log=quiet) == 0  # a second run adds nothing
    team = next(t for t in georgia if t.learning_network.slug == "safe-sleep")
    measures = list(Measure.objects.filter(code__in=["SS-CRIB", "SS-EDU"]).order_by("code"))
    crib, edu = team_charts(team, measures)
    assert crib.measure.code == "SS-CRIB"
    assert [p.reason for p in crib.phases] and all(
        "adopted" in p.reason and "(synthetic demo)" in p.reason for p in crib.phases)
    assert crib.chart is not None and max(p.part for p in crib.chart.points) == 2
    first = crib.summary.split("From ")[0]
    assert first.startswith("Before ") and "worse" not in first
    assert "worse" not in crib.summary and "deterioration" not in crib.summary
    # The education measure's data do not move in its story: one phase, its baseline frozen
    # at the month before the adoption with that as the reason, and no deterioration.
    assert not edu.phases
    assert not ChartPhase.objects.filter(team=team, measure__code="SS-EDU").exists()
    assert edu.settings is not None and edu.settings.baseline_end is not None
    assert edu.settings.reason.startswith("Baseline: the months before Hospital safe sleep")
    assert "(synthetic demo)" in edu.settings.reason
    assert edu.chart is not None and any(p.cl is not None for p in edu.chart.points)
    assert "worse" not in edu.summary and "deterioration" not in edu.summary


def test_the_education_chart_page_shows_its_frozen_baseline_and_reason(georgia, client):
    load_demo_phases(log=quiet)
    team = next(t for t in georgia if t.learning_network.slug == "safe-sleep")
    edu = Measure.objects.get(code="SS-EDU")
    client.force_login(team.memberships.first().user)
    page = client.get(reverse("chart", args=["safe-sleep", "ga", edu.code])).content.decode()
    assert "frozen up to Jul 2013" in page
    assert "Baseline: the months before Hospital safe sleep policy" in page
    assert "Baseline frozen up to July 2013: later points are judged against" in page  # marker
    assert "deterioration" not in page
