"""A team lead opens the charts, sets a baseline and sees the limits change, downloads CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

from ..conftest import PASSWORD
from .conftest import screenshot

VALUES = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32,
          40, 41, 42, 40, 43, 41, 42, 44, 41, 42, 43, 42]


@pytest.fixture
def crib(team, chosen, catalog, data_lead):
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    period = Period.parse("2015-01")
    for num in VALUES:
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              entries=[Entry(catalog["SS-CRIB"], period.label,
                                             numerator=str(num), denominator="50",
                                             confirm="ok")], today=day)
        reporting.submit(submission=sub, user=data_lead, today=day)
        period = period.next()


def ucl_of_first_point(page) -> str:
    page.get_by_text("The data as a table").first.click()
    row = page.locator("#chart-SS-CRIB table tbody tr").first
    return row.locator("td").nth(4).inner_text()


def test_lead_sees_charts_sets_a_baseline_and_downloads(page, live_server, transactional_db,
                                                        crib, lead):
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")
    page.goto(base + "/networks/safe-sleep/ga/")
    page.get_by_role("link", name="Charts", exact=True).click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/")

    chart = page.locator("#chart-SS-CRIB .vega-chart")
    chart.locator("svg").wait_for()
    # One symbol per point: 24 periods in the point layer (Vega draws them as paths).
    points = chart.locator("g.mark-symbol.role-mark path")
    assert points.count() == 24
    assert "Upward shift" in page.locator("#summary-SS-CRIB").inner_text() or \
        "shift" in page.locator("#summary-SS-CRIB").inner_text().lower()
    screenshot(page, "team-dashboard")

    page.get_by_role("link", name="Infants observed in a safe sleep environment").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/")
    before = ucl_of_first_point(page)
    assert page.locator("#chart-settings form").count() == 2  # the settings, and a note
    settings = page.locator("#settings-form")
    settings.get_by_label("Freeze the centre line").select_option(label="December 2015")
    settings.get_by_label("Reason").fill("Year before the crib programme")
    settings.get_by_role("button", name="Save chart settings").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/#chart-SS-CRIB")
    assert "Saved: baseline." in page.locator(".messages").inner_text()
    after = ucl_of_first_point(page)
    assert before != after  # frozen on the first year: new centre line and limits
    assert "frozen up to Dec 2015" in page.locator("main").inner_text()
    page.locator(".vega-chart svg").wait_for()
    screenshot(page, "chart-with-baseline")

    # A note of the change; the shift in the second year follows it: split a phase there
    # from the suggestion, with a reason.
    page.get_by_text("Add a note to the chart").click()
    page.get_by_label("Date", exact=True).fill("2015-12-01")
    page.get_by_label("Note", exact=True).fill("Crib programme announced")
    page.get_by_role("button", name="Add the note").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/#chart-SS-CRIB")
    page.locator("#suggested-split").get_by_role("link", name="Split the chart there").click()
    page.wait_for_url("**/SS-CRIB/?split=*")
    assert settings.get_by_label("Start a new phase with").input_value()  # filled in
    # The run starts a month early by chance; the programme began in January.
    settings.get_by_label("Start a new phase with").select_option(label="January 2016")
    settings.get_by_label("Reason").fill("Crib programme began")
    settings.get_by_role("button", name="Save chart settings").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/#chart-SS-CRIB")
    assert "Saved: new phase." in page.locator(".messages").inner_text()
    summary = page.locator("#summary-SS-CRIB").inner_text()
    assert "(Crib programme began)" in summary and "worse" not in summary
    page.locator(".rule-detail summary").first.click()  # the rule detail, on demand
    assert "Part 2" in page.locator(".rule-detail").first.inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    page.locator(".vega-chart svg").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "chart-with-phase-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = download_info.value.path()
    lines = open(path, encoding="utf-8").read().splitlines()
    assert lines[0].startswith("period,numerator,denominator,value")
    assert len(lines) == 25
