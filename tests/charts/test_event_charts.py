"""Sleep-related infant deaths as an event log: g and t charts of a team's events, the
network's pooled log (t chart), stored summaries (a partial rebuild finds teams with
events and no values), and the event log page (one event, a CSV all or nothing)."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from coiin.charts import services as chart_services
from coiin.charts.building import team_charts
from coiin.charts.models import ChartSummary
from coiin.charts.summaries.services import rebuild
from coiin.measures import services as reporting
from coiin.measures.models import RareEvent
from coiin.measures.services import events as event_services
from coiin.network import services as network_services

Scope = ChartSummary.Scope
START = dt.date(2015, 1, 10)
GAPS = [40, 35, 52, 41, 30, 44, 38, 61, 47, 36, 55, 43, 90, 120]  # days apart
BIRTHS = [None, 410, 360, 540, 420, 300, 450, 390, 630, 480, 370, 560, 440, 930]
LOG = "/networks/safe-sleep/ga/data/events/SS-SRID/"


def _log(team, measure, user, gaps=GAPS, births=BIRTHS, start=START):
    day = start
    for gap, b in zip(gaps, births, strict=True):
        day += dt.timedelta(days=gap)
        event_services.record_event(team=team, measure=measure, on=day, user=user,
                                    births_since_previous=b, today=dt.date(2026, 1, 1))


@pytest.fixture
def srid(team, catalog, data_lead):
    measure = catalog["SS-SRID"]
    assert measure.records_events
    reporting.choose_measures(team=team, measures=[measure])
    _log(team, measure, data_lead)
    return measure


def test_a_team_gets_a_g_chart_of_births_between_deaths(team, srid, data_lead):
    (tc,) = team_charts(team, [srid])
    assert tc.chart_type == "g" and tc.name == "g chart (births between events)"
    assert len(tc.chart.points) == len(GAPS) and tc.chart.points[0].y is None
    # The g chart's centre line is the median of the births between events.
    assert tc.chart.points[1].cl == pytest.approx(statistics.median(BIRTHS[1:]))
    stored = ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=srid)
    assert stored.chart_type == "g" and stored.n_points == len(GAPS)
    chart_services.set_chart_type(team=team, measure=srid, chart_type="t", user=data_lead,
                                  reason="births not always known")
    (tc,) = team_charts(team, [srid])
    assert tc.chart_type == "t"
    days = [(b - a).days for a, b in zip(tc.table, tc.table[1:], strict=False)
            for a, b in [(a["period"].start, b["period"].start)]]
    assert [p.y for p in tc.chart.points[1:]] == days == GAPS[1:]
    assert ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=srid
                                    ).chart_type == "t"
    with pytest.raises(ValueError, match="p chart does not suit"):
        chart_services.set_chart_type(team=team, measure=srid, chart_type="p",
                                      user=data_lead, reason="x")


def test_rarer_deaths_read_as_improving(team, srid, data_lead):
    """Longer gaps are better for a measure whose events should be fewer."""
    from coiin.charts.building import signal_direction

    more = [150, 160, 170, 155, 165, 175, 180, 170, 160]
    _log(team, srid, data_lead, more, [1500] * len(more),
         start=START + dt.timedelta(days=sum(GAPS)))  # after the earlier deaths
    (tc,) = team_charts(team, [srid])
    assert signal_direction(tc) == "improving"


def test_the_network_pools_its_teams_events_as_a_t_chart(team, srid, jurisdictions,
                                                         networks, backbone):
    texas = network_services.join_network(jurisdiction=jurisdictions["TX"],
                                          learning_network=networks["safe-sleep"])
    reporting.choose_measures(team=texas, measures=[srid])
    _log(texas, srid, backbone, GAPS[:6], [None] * 6)
    pool = ChartSummary.objects.get(scope=Scope.NETWORK, measure=srid,
                                    learning_network=networks["safe-sleep"])
    assert pool.chart_type == "t", pool.problem
    assert pool.n_points == len(GAPS) + 6
    dates = [p[0] for p in pool.points]
    assert dates == sorted(dates)
    # A partial rebuild finds teams that have events but no values.
    ChartSummary.objects.all().delete()
    rebuild([networks["safe-sleep"]])
    assert set(ChartSummary.objects.filter(scope=Scope.TEAM, measure=srid)
               .values_list("team_id", flat=True)) == {team.pk, texas.pk}
    page = (ChartSummary.objects.get(scope=Scope.NETWORK, measure=srid).points)
    assert len(page) == len(GAPS) + 6


def test_the_network_page_draws_the_pooled_event_log(as_persona, team, srid, faculty):
    client = as_persona("faculty")
    page = client.get("/networks/safe-sleep/charts/?measure=SS-SRID")
    html = page.content.decode()
    assert page.status_code == 200 and "t chart (days between events)" in html
    settings = client.get("/networks/safe-sleep/charts/SS-SRID/settings/").content.decode()
    assert 'value="t"' in settings and 'value="g"' not in settings


def test_the_event_log_page_logs_and_imports_all_or_nothing(as_persona, team, srid):
    client = as_persona("data_lead")
    assert "Event logs" in client.get("/networks/safe-sleep/ga/data/").content.decode()
    response = client.post(LOG, {"form": "event", "event-on": "2016-09-01",
                                 "event-births_since_previous": "120", "event-note": "x"})
    assert response.status_code == 302
    assert RareEvent.objects.filter(team=team, on=dt.date(2016, 9, 1)).exists()
    before = RareEvent.objects.count()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = ("date,births_since_previous,note\n2016-10-01,80,ok\n2016-13-01,5,\n"
           "2016-11-02,-3,\n2099-01-01,,future\n")
    response = client.post(LOG, {"form": "import", "import-file": SimpleUploadedFile(
        "events.csv", bad.encode(), content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 400 and RareEvent.objects.count() == before
    assert "Row 3, date: &#x27;2016-13-01&#x27; is not a date" in page
    assert "Row 4, births_since_previous:" in page and "Row 5, date: 2099-01-01 is in the" \
        " future" in page
    good = "date,births_since_previous,note\n2016-10-01,80,ok\n2016-11-02,,\n"
    response = client.post(LOG, {"form": "import", "import-file": SimpleUploadedFile(
        "events.csv", good.encode(), content_type="text/csv")})
    assert response.status_code == 302 and RareEvent.objects.count() == before + 2
    chart = client.get("/networks/safe-sleep/ga/charts/SS-SRID/").content.decode()
    assert "t chart (days between events)" in chart  # births unknown for one gap now


def test_only_the_team_enters_events(as_persona, team, srid, faculty):
    assert as_persona("faculty").get(LOG).status_code == 200
    response = as_persona("faculty").post(LOG, {"form": "event", "event-on": "2016-09-01"})
    assert response.status_code == 403
    assert as_persona("outsider").get(LOG).status_code == 404


def test_an_event_s_day_is_named_in_the_reader_s_language():
    import datetime as dt

    from django.utils import translation

    from coiin.charts.events import EventDay
    from coiin.measures.periods import Frequency

    day = EventDay(dt.date(2016, 1, 3), Frequency.MONTHLY)
    with translation.override("en"):
        assert day.display == "3 Jan 2016"
    with translation.override("es"):
        assert day.display == "3 Ene 2016"
