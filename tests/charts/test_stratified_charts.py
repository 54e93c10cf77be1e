"""A stratified measure's groups each get a control chart on the measure's chart page,
drawn with the same machinery and the team's settings as the total's chart."""

from __future__ import annotations

import datetime as dt

from coiin.charts import services as chart_services
from coiin.charts.building import stratum_charts, team_charts
from coiin.measures import services as reporting
from coiin.measures.models import Stratum
from coiin.measures.periods import Period
from coiin.measures.validation import Entry


def report_imr_by_race(team, catalog, data_lead, quarters=14):
    """Quarterly IMR with Black and White strata (the Black births under 1,000 a quarter:
    a u chart, not Laney's u′); the Black rate drops in the last two quarters."""
    team.joined_on = dt.date(2012, 1, 1)
    team.save()
    black = Stratum.objects.get(kind="race_ethnicity", code="nh-black")
    white = Stratum.objects.get(kind="race_ethnicity", code="nh-white")
    imr = catalog["IMR"]
    period = Period.parse("2013-Q1")
    for i in range(quarters):
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        deaths_b = 20 + i % 3 if i < 12 else 3
        deaths_w = 10 + i % 2
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              today=day, entries=[
            Entry(imr, period.label, numerator=str(deaths_b + deaths_w), denominator="4400",
                  confirm="ok"),
            Entry(imr, period.label, stratum=black, numerator=str(deaths_b),
                  denominator="900", confirm="ok"),
            Entry(imr, period.label, stratum=white, numerator=str(deaths_w),
                  denominator="3500", confirm="ok")])
        reporting.submit(submission=sub, user=data_lead, today=day)
        period = period.next()
    return imr


def test_each_stratum_gets_a_control_chart_with_the_teams_settings(team, chosen, catalog,
                                                                   data_lead, lead):
    imr = report_imr_by_race(team, catalog, data_lead)
    charts = dict((s.code, tc) for s, tc in stratum_charts(team, imr))
    assert set(charts) == {"nh-white", "nh-black"}
    black = charts["nh-black"]
    assert black.chart_type == "u" and black.name == "u chart"
    assert all(p.ucl is not None for p in black.chart.points)  # limits, not a run chart
    # Its own centre line: the Black rate (per 1,000) near 20, the White one near 3.
    assert 17 < black.chart.points[0].cl < 24 and charts["nh-white"].chart.points[0].cl < 4
    assert any(p.sigma_signal for p in black.chart.points[-2:])  # the drop is a signal
    # The team's choices for the measure's chart hold for its strata too.
    chart_services.set_chart_type(team=team, measure=imr, chart_type="i", user=lead,
                                  reason="compare with the XmR chart")
    chart_services.set_rules(team=team, measure=imr, rules="ihi", user=lead)
    total = team_charts(team, [imr])[0]
    for _, tc in stratum_charts(team, imr, total.settings, total.exclusions, total.phases):
        assert tc.chart_type == "i" and tc.settings.rules == "ihi"


def test_the_chart_page_shows_each_strata_chart_by_name(client, lead, team, chosen,
                                                        catalog, data_lead):
    report_imr_by_race(team, catalog, data_lead)
    client.force_login(lead)
    html = client.get("/networks/safe-sleep/ga/charts/IMR/").content.decode()
    assert "Non-Hispanic Black <span class=\"muted small\">· u chart</span>" in html
    assert 'id="spec-stratum-nh-white"' in html
