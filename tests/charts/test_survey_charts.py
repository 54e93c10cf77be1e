"""A survey measure's chart: its weighted estimates as a run chart, each with its 95 %
confidence interval drawn as an error bar, and read in the table."""

from __future__ import annotations

from coiin.charts.building import team_charts
from coiin.charts.formatting import table_rows
from coiin.measures import io, services
from coiin.measures.models import Submission

HEADER = ",".join((*io.COLUMNS, *io.SURVEY_COLUMNS))


def test_survey_estimates_are_drawn_with_their_intervals(team, chosen, catalog, data_lead):
    rows = ["GA,safe-sleep,SS-BACK,2015,,,78,,,2,,,900",  # interval from the SE
            "GA,safe-sleep,SS-BACK,2016,,,80.5,,,,77.1,83.6,",  # the interval given
            "GA,safe-sleep,SS-BACK,2017,,,82,,,1.5,,,",
            "GA,safe-sleep,SS-BACK,2018,,,99,,,1,,,"]  # 99 ± 1.96 stops at 100 %
    io.import_rows(io.read_table(("\n".join([HEADER, *rows]) + "\n").encode(), "s.csv"))
    drafts = list(Submission.objects.order_by("period_start"))
    for sub in drafts[:3]:
        services.submit(submission=sub, user=data_lead, today=sub.period.end)
    [tc] = team_charts(team, [catalog["SS-BACK"]])
    assert tc.chart_type == "run" and "95 % confidence interval" in tc.note
    assert [(o.low, o.high) for o in tc.observations] == [
        (74.08, 81.92), (77.1, 83.6), (79.06, 84.94)]  # the draft 2018 is not drawn
    points = tc.spec["data"]["values"]
    assert [(p["y"], p["low"], p["high"]) for p in points] == [
        (78.0, 74.08, 81.92), (80.5, 77.1, 83.6), (82.0, 79.06, 84.94)]
    bars = [layer for layer in tc.spec["layer"]
            if layer.get("mark", {}).get("type") == "rule"
            and layer.get("encoding", {}).get("y2")]
    assert bars and bars[0]["encoding"]["y"]["field"] == "low"
    assert bars[0]["encoding"]["y2"]["field"] == "high"
    assert all(p["lcl"] is None and p["ucl"] is None for p in points)  # no control limits
    assert [r["interval"] for r in table_rows(tc.table)] == [
        "74.08 – 81.92", "77.10 – 83.60", "79.06 – 84.94"]
    services.submit(submission=drafts[3], user=data_lead, today=drafts[3].period.end)
    [tc] = team_charts(team, [catalog["SS-BACK"]])
    assert (tc.observations[-1].low, tc.observations[-1].high) == (97.04, 100.0)


def test_a_chart_page_of_a_survey_measure_shows_the_intervals(client, team, chosen, catalog,
                                                              data_lead):
    rows = [f"GA,safe-sleep,SS-BACK,{year},,,{78 + i},,,2,,," for i, year in
            enumerate(range(2015, 2019))]
    io.import_rows(io.read_table(("\n".join([HEADER, *rows]) + "\n").encode(), "s.csv"))
    for sub in Submission.objects.all():
        services.submit(submission=sub, user=data_lead, today=sub.period.end)
    client.force_login(data_lead)
    page = client.get("/networks/safe-sleep/ga/charts/SS-BACK/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "95 % CI" in html and "74.08 – 81.92" in html


def test_the_chart_table_download_has_the_intervals(client, team, chosen, catalog, data_lead):
    rows = ["GA,safe-sleep,SS-BACK,2015,,,78,,,2,,,"]
    io.import_rows(io.read_table(("\n".join([HEADER, *rows]) + "\n").encode(), "s.csv"))
    sub = Submission.objects.get()
    services.submit(submission=sub, user=data_lead, today=sub.period.end)
    client.force_login(data_lead)
    lines = client.get("/networks/safe-sleep/ga/charts/SS-BACK.csv").content.decode().split()
    assert lines[0].endswith(",site,ci_lower,ci_upper")
    assert lines[1].startswith("2015,,,78,") and lines[1].endswith(",74.08,81.92")
