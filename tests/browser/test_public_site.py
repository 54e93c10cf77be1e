"""Anyone opens the public site, reads a published measure and downloads its CSV."""

from __future__ import annotations

import csv

import pytest

from coiin.demo.network import load_reference
from coiin.reports.public import publication

from ..reports.public.test_data import SECRETS, build_release
from .conftest import screenshot
from .test_chart_names import _said


@pytest.fixture
def published(transactional_db, backbone):
    from coiin.measures.catalog import load_catalog

    jurisdictions, networks = load_reference()[:2]
    catalog = load_catalog()
    build_release(jurisdictions, networks, catalog, backbone)
    for level in ("jurisdiction", "network", "national"):
        publication.publish(measure=catalog["IMR"], level=level, user=backbone)


def test_anonymous_reads_a_measure_and_downloads_what_it_shows(page, live_server, published):
    base = live_server.url
    page.goto(base + "/public/")
    assert page.locator("ol.tilegrid li.tile").count() == 59
    page.get_by_role("link", name="Infant mortality rate").click()
    page.wait_for_url(base + "/public/measures/IMR/")
    row = page.locator("#jurisdiction-IMR tr", has=page.locator("th", has_text="Florida"))
    assert "suppressed*" in row.locator("td").first.inner_text()
    page.locator("#jurisdiction-IMR .vega-chart.is-drawn svg").wait_for()
    screenshot(page, "public-measure")
    # The chart's sentence is read once, as its description, not again as text.
    sentence = page.locator("#jurisdiction-IMR .summary").inner_text().strip()
    said = _said(page, "#jurisdiction-IMR")[0]
    assert len([d for _, _, d in said if sentence in d]) == 1, said
    assert sentence and not [n for _, n, _ in said if sentence in n], said

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download exactly these figures (CSV)").click()
    text = open(download_info.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(text.splitlines()))
    fl = next(r for r in rows if r["unit"] == "FL" and r["year"] == "2015")
    assert fl["numerator"] == "" and fl["numerator_flag"] == "suppressed"
    assert not any(secret in text for secret in SECRETS)
