"""A data lead enters two hospitals' crib audits for a month, submits, sees the team's
rolled-up total, then the team chart with each hospital's chart beside it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coiin.measures import services
from coiin.measures.models import DataValue, SiteValue
from coiin.measures.periods import Frequency, Period

from ..sitedata import GRADY, PIEDMONT, make_sites
from .conftest import screenshot
from .test_data_entry_journey import sign_in


@pytest.fixture
def month(settings):
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


@pytest.fixture
def hospitals(team, chosen, catalog, data_lead, month):
    """Two hospitals with eleven submitted months of audits before ``month``."""
    team.joined_on = month.start.replace(year=month.start.year - 2)
    team.save()
    units = make_sites(team, catalog)
    periods = [month]
    for _ in range(11):
        periods.insert(0, periods[0].previous())
    subs = [services.submission_for(team, p) for p in periods[:-1]]
    services.add_site_values(values=[
        SiteValue(submission=s, unit=u, measure=catalog["SS-CRIB"], numerator=n,
                  denominator=d, updated_by=data_lead)
        for s, g, p in zip(subs, GRADY, PIEDMONT, strict=False)
        for u, (n, d) in zip(units, (g, p), strict=True)], reason="earlier months")
    for s in subs:
        services.submit(submission=s, user=data_lead, today=s.period.end + dt.timedelta(days=3))
    return units


def test_data_lead_enters_two_sites_and_sees_the_total_and_the_site_charts(
        page, live_server, transactional_db, team, data_lead, hospitals, month):
    base = live_server.url
    sign_in(page, base, data_lead)
    page.goto(base + f"/networks/safe-sleep/ga/data/{month.label}/")
    block = page.locator("#sites-SS-CRIB")
    assert "1 of 2" not in block.inner_text()
    page.get_by_label("SS-CRIB Grady Memorial numerator").fill("9")
    page.get_by_label("SS-CRIB Grady Memorial denominator").fill("10")
    grady = block.locator("tr", has=page.get_by_label("SS-CRIB Grady Memorial numerator"))
    assert grady.locator("output.result").inner_text() == "90"  # shown as typed
    page.get_by_label("SS-CRIB Piedmont Atlanta numerator").fill("30")
    page.get_by_label("SS-CRIB Piedmont Atlanta denominator").fill("90")
    page.get_by_label("SS-EDU numerator").fill("31")
    page.get_by_label("SS-EDU denominator").fill("35")
    page.get_by_role("button", name="Save and submit").click()
    assert "submitted for review" in page.locator(".messages").inner_text()

    total = page.locator("#sites-SS-CRIB tr.site-total")
    assert total.locator(".total-num").inner_text() == "39"
    assert total.locator(".total-den").inner_text() == "100"
    assert total.locator(".total-result").inner_text() == "39"  # 39/100, not (90+33.3)/2
    assert "2 of 2 sites" in total.inner_text()
    assert not page.get_by_label("SS-CRIB Grady Memorial numerator").count()  # submitted
    screenshot(page, "site-entry-submitted")
    stored = DataValue.objects.get(submission__period_start=month.start,
                                   measure__code="SS-CRIB")
    assert (stored.numerator, stored.denominator) == (39, 100)

    page.goto(base + "/networks/safe-sleep/ga/charts/SS-CRIB/")
    page.locator("#chart-SS-CRIB .vega-chart svg").first.wait_for()
    sites = page.locator("#site-charts .site-chart")
    assert sites.count() == 2
    for name in ("Grady Memorial", "Piedmont Atlanta"):
        page.locator(f'#site-charts .site-chart[data-site="{name}"] .vega-chart svg').wait_for()
    assert "Piedmont Atlanta" in page.locator("#site-table").inner_text()
    screenshot(page, "site-charts")
