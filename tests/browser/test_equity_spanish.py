"""The equity pages in Spanish in a real browser: a Spanish browser's reader sees the groups,
the reference group's choices and the chart named in Spanish (screenshots kept)."""

from __future__ import annotations

from ..conftest import PASSWORD
from ..reports.dashboards.test_equity import make_equity_rows
from .conftest import screenshot


def test_the_equity_pages_read_in_spanish(chromium, live_server, transactional_db):
    rows = make_equity_rows()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="es-PR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(rows.backbone.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(base + "/jurisdictions/ga/equity/")
    assert page.locator("html").get_attribute("lang", timeout=5_000).startswith("es")
    page.locator(".vega-chart svg").first.wait_for()
    options = page.locator("#reference option").all_inner_texts()
    assert "Negro no hispano" in options and "Blanco no hispano" in options
    text = page.locator("main").inner_text()
    assert "Negro no hispano" in text and "Non-Hispanic" not in text
    screenshot(page, "equity-georgia-es")

    page.goto(base + "/national/equity/")
    page.locator(".vega-chart svg").first.wait_for()
    assert "Non-Hispanic" not in page.locator("main").inner_text()
    screenshot(page, "equity-national-es")
    context.close()
