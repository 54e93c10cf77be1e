"""The demo's synthetic sleep-related infant deaths: labelled synthetic, rarer after the
team's first year, charted by the gaps between them; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from coiin.charts.building import team_charts
from coiin.charts.models import ChartSummary
from coiin.demo.rare_events import load_demo_rare_events
from coiin.measures.models import RareEvent
from coiin.measures.services import team_measures


def test_safe_sleep_teams_get_a_synthetic_event_log(team, catalog):
    team.joined_on = dt.date(2014, 1, 1)  # as the demo's teams
    team.save()
    added = load_demo_rare_events(log=lambda _: None)
    assert added >= 12 and load_demo_rare_events(log=lambda _: None) == 0
    events = RareEvent.objects.filter(team=team)
    assert events.count() == added
    assert all(e.note.endswith("(synthetic demo)") for e in events)
    assert {h.history_change_reason for h in RareEvent.history.all()} == {
        "synthetic demo data"}
    srid = catalog["SS-SRID"]
    assert srid in team_measures(team)
    (tc,) = team_charts(team, [srid])
    assert tc.chart_type in ("g", "t") and len(tc.chart.points) == added
    assert ChartSummary.objects.filter(team=team, measure=srid).exists()
