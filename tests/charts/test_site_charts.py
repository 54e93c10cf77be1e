"""A measure reported by site: the team's chart is the roll-up, the sites' charts sit beside
it on one scale, and the CSV has the sites' rows."""

from __future__ import annotations

import csv
import io

import pytest

from coiin.charts.building import site_charts, site_series, team_charts
from coiin.network.models import TeamMembership

from ..sitedata import GRADY, PIEDMONT, make_sites, submitted_year


@pytest.fixture
def sites(team, chosen, catalog, data_lead):
    units = make_sites(team, catalog)
    submitted_year(team, units, catalog, data_lead)
    return units


def test_the_team_series_is_the_sum_of_the_sites(team, catalog, sites):
    tc = team_charts(team, [catalog["SS-CRIB"]])[0]
    first = tc.observations[0]
    assert (first.numerator, first.denominator) == (GRADY[0][0] + PIEDMONT[0][0],
                                                    GRADY[0][1] + PIEDMONT[0][1])
    assert tc.chart_type == "p"  # twelve points of a percentage
    series = site_series(team, catalog["SS-CRIB"])
    assert [(o.numerator, o.denominator) for o in series[sites[0].pk]] == [
        (float(n), float(d)) for n, d in GRADY]
    charts = site_charts(team, catalog["SS-CRIB"])
    assert [u.name for u, _ in charts] == ["Grady Memorial", "Piedmont Atlanta"]
    assert all(c.chart_type == "p" for _, c in charts)


def test_the_chart_page_shows_the_site_charts_on_one_scale(client, data_lead, sites):
    client.force_login(data_lead)
    response = client.get("/networks/safe-sleep/ga/charts/SS-CRIB/")
    html = response.content.decode()
    assert 'id="site-charts"' in html
    assert f'data-spec="spec-site-{sites[0].pk}"' in html
    assert f'data-spec="spec-site-{sites[1].pk}"' in html
    assert html.count('class="mini site-chart"') == 2
    specs = response.context["specs"]
    domains = [specs[f"site-{u.pk}"]["layer"][0]["encoding"]["y"]["scale"]["domain"]
               for u in sites]
    assert domains[0] == domains[1]  # both small multiples share one y scale
    assert domains[0][0] < 33 and domains[0][1] > 99  # Piedmont's 33 %, Grady's 100 %


def test_site_staff_see_their_own_site_chart_only(client, member, sites):
    TeamMembership.objects.filter(user=member).update(unit=sites[1])
    client.force_login(member)
    html = client.get("/networks/safe-sleep/ga/charts/SS-CRIB/").content.decode()
    assert "Piedmont Atlanta" in html and "Grady Memorial" not in html
    rows = list(csv.reader(io.StringIO(client.get(
        "/networks/safe-sleep/ga/charts/SS-CRIB.csv").content.decode())))
    assert {r[-1] for r in rows[1:]} == {"", "Piedmont Atlanta"}


def test_the_csv_has_the_team_rows_then_each_sites(client, data_lead, sites):
    client.force_login(data_lead)
    rows = list(csv.reader(io.StringIO(client.get(
        "/networks/safe-sleep/ga/charts/SS-CRIB.csv").content.decode())))
    assert rows[0][-1] == "site"
    team_rows = [r for r in rows[1:] if r[-1] == ""]
    grady = [r for r in rows[1:] if r[-1] == "Grady Memorial"]
    assert len(team_rows) == len(grady) == 12
    assert team_rows[0][:3] == ["2015-01", "39", "100"]
    assert grady[0][:3] == ["2015-01", "9", "10"]
