"""Site-level reporting on the pages: entry per site with the team's roll-up, site staff
limited to their site, the reviewer's view, the history, and the team's sites page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.measures import services
from coiin.measures.models import DataValue, SiteValue, TeamMeasure
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry
from coiin.network.models import ReportingUnit, TeamMembership

from ..sitedata import make_sites


@pytest.fixture
def period(settings):
    """Last month: open for entry today."""
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


@pytest.fixture
def sites(team, chosen, catalog):
    return make_sites(team, catalog)


@pytest.fixture
def url(team, period, chosen, sites):
    return f"/networks/safe-sleep/ga/data/{period.label}/"


def site_field(unit, code, name):
    return f"site-{unit.pk}-m-{code}-{name}"


def test_the_data_lead_enters_each_site_and_sees_the_team_roll_up(client, data_lead, url,
                                                                   sites, team, period):
    client.force_login(data_lead)
    html = client.get(url).content.decode()
    assert site_field(sites[0], "SS-CRIB", "num") in html
    assert site_field(sites[1], "SS-CRIB", "den") in html
    assert 'name="m-SS-CRIB-num"' not in html  # the team's figure is not typed
    assert 'name="m-SS-EDU-num"' in html  # other measures are, on the same form
    response = client.post(url, {
        "version": "0", "action": "save",
        site_field(sites[0], "SS-CRIB", "num"): "9", site_field(sites[0], "SS-CRIB", "den"): "10",
        site_field(sites[1], "SS-CRIB", "num"): "30",
        site_field(sites[1], "SS-CRIB", "den"): "90",
        "m-SS-EDU-num": "4", "m-SS-EDU-den": "5"})
    assert response.status_code == 302
    total = DataValue.objects.get(measure__code="SS-CRIB")
    assert (total.numerator, total.denominator) == (39, 100)
    assert DataValue.objects.filter(measure__code="SS-EDU").exists()
    html = client.get(url).content.decode()
    assert "sum of the 2 of 2 sites that reported" in html
    assert "every site reported" in html


def test_a_missing_site_is_shown_as_missing(client, data_lead, url, sites):
    client.force_login(data_lead)
    client.post(url, {"version": "0", "action": "save",
                      site_field(sites[0], "SS-CRIB", "num"): "9",
                      site_field(sites[0], "SS-CRIB", "den"): "10"})
    html = client.get(url).content.decode()
    assert "1 of 2 reported; the others are missing" in html
    assert "not reported" in html


def test_site_errors_are_shown_on_the_site_row_and_nothing_is_saved(client, data_lead, url,
                                                                    sites):
    client.force_login(data_lead)
    response = client.post(url, {"version": "0", "action": "save",
                                 site_field(sites[0], "SS-CRIB", "num"): "11",
                                 site_field(sites[0], "SS-CRIB", "den"): "10"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "SS-CRIB" in html and "[Grady Memorial]" in html
    assert "11 is more than the denominator 10" in html
    assert not SiteValue.objects.exists()


def test_site_staff_see_and_enter_only_their_site(client, member, url, sites, team, catalog,
                                                  data_lead, period):
    TeamMembership.objects.filter(user=member).update(unit=sites[0])
    sub = services.submission_for(team, period)
    services.save_site_values(submission=sub, user=data_lead, expected_version=0, entries=[
        services.SiteEntry(sites[1], Entry(catalog["SS-CRIB"], period.label, numerator="31",
                                           denominator="90"))])
    client.force_login(member)
    html = client.get(url).content.decode()
    assert site_field(sites[0], "SS-CRIB", "num") in html
    assert "Piedmont Atlanta" not in html  # no other site's row, name or value
    assert html.count('class="site-row') == 1
    assert "1 of 2 reported" in html  # the team's roll-up: they see that others reported
    assert site_field(sites[1], "SS-CRIB", "num") not in html
    assert 'name="m-SS-EDU-num"' not in html  # the team's own figures: read only
    response = client.post(url, {
        "version": "1", "action": "save",
        site_field(sites[0], "SS-CRIB", "num"): "9", site_field(sites[0], "SS-CRIB", "den"): "10",
        site_field(sites[1], "SS-CRIB", "num"): "1", site_field(sites[1], "SS-CRIB", "den"): "90",
        "m-SS-EDU-num": "4", "m-SS-EDU-den": "5"})
    assert response.status_code == 302
    assert SiteValue.objects.get(unit=sites[1]).numerator == 31  # not theirs: untouched
    assert SiteValue.objects.get(unit=sites[0]).numerator == 9
    assert not DataValue.objects.filter(measure__code="SS-EDU").exists()
    total = DataValue.objects.get(measure__code="SS-CRIB")
    assert (total.numerator, total.denominator) == (40, 100)


def test_the_reviewer_sees_every_site_and_the_history_names_them(
        client, data_lead, faculty, url, sites, team, period):
    client.force_login(data_lead)
    client.post(url, {"version": "0", "action": "submit",
                      site_field(sites[0], "SS-CRIB", "num"): "9",
                      site_field(sites[0], "SS-CRIB", "den"): "10",
                      site_field(sites[1], "SS-CRIB", "num"): "30",
                      site_field(sites[1], "SS-CRIB", "den"): "90"})
    client.force_login(faculty)
    html = client.get(url).content.decode()
    assert "Submitted" in html and "Mark reviewed" in html
    assert "Grady Memorial" in html and "Piedmont Atlanta" in html
    assert site_field(sites[0], "SS-CRIB", "num") not in html  # read only
    html = client.get(url + "history/").content.decode()
    assert "SS-CRIB · Piedmont Atlanta" in html and "SS-CRIB · Grady Memorial" in html


def test_the_team_lead_manages_sites_and_what_is_reported_by_site(client, lead, team, chosen,
                                                                  catalog, member):
    client.force_login(lead)
    page = "/networks/safe-sleep/ga/data/sites/"
    assert client.get(page).status_code == 200
    client.post(page, {"action": "add", "name": "Grady  Memorial", "kind": "hospital"})
    unit = ReportingUnit.objects.get(team=team)
    assert unit.name == "Grady Memorial"
    client.post(page, {"action": "rename", "unit": unit.pk, "name": "Grady Health"})
    unit.refresh_from_db()
    assert unit.name == "Grady Health"
    client.post(page, {"action": "by_site", "measures": [catalog["SS-CRIB"].pk]})
    assert TeamMeasure.objects.get(team=team, measure__code="SS-CRIB").by_site
    membership = TeamMembership.objects.get(user=member)
    client.post(page, {"action": "staff", "membership": membership.pk, "unit": unit.pk})
    membership.refresh_from_db()
    assert membership.unit == unit
    html = client.get(page).content.decode()
    assert "Grady Health" in html and "Max Member" in html
    response = client.post(page, {"action": "add", "name": "grady health", "kind": "hospital"},
                           follow=True)
    assert "already has a site called grady health" in response.content.decode()


def test_only_leads_and_backbone_manage_sites(as_persona, team, chosen):
    page = "/networks/safe-sleep/ga/data/sites/"
    expected = {"member": 403, "faculty": 403, "outsider": 404, "data_lead": 200,
                "lead": 200, "backbone": 200}
    got = {}
    for name in expected:
        got[name] = as_persona(name).get(page).status_code
        as_persona(name).logout()
    assert got == expected
