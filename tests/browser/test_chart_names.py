"""What a screen reader is told of a drawn chart, in Spanish and in English: Vega names the
chart after its title, and the page's plain-language sentence must still reach the reader,
as the chart's accessible description (Chromium's own accessibility tree, read over CDP).
The small multiples' x axes name each year once."""

from __future__ import annotations

import json
import re

from .test_spanish_charts import _sign_in, reported  # noqa: F401  (the fixture)


def _ax(page, selector):
    """Chromium's accessible name and description of each element ``selector`` finds."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = []
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})[
            "nodeIds"]:
        ax = cdp.send("Accessibility.getPartialAXTree",
                      {"nodeId": node, "fetchRelatives": False})["nodes"][0]
        found.append(((ax.get("name") or {}).get("value", ""),
                      (ax.get("description") or {}).get("value", "")))
    cdp.detach()
    return found


def _read(chromium, base, user, locale):
    context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, base, user)
        page.goto(base + "/networks/safe-sleep/ga/charts/")
        page.wait_for_selector("#chart-SS-CRIB .vega-chart.is-drawn svg")
        spec = json.loads(page.locator("#spec-SS-CRIB").text_content())
        title = spec.get("title") or spec["description"]
        summary = page.locator("#summary-SS-CRIB").inner_text().strip()
        card = _ax(page, "#chart-SS-CRIB .vega-chart")
        page.goto(base + "/networks/safe-sleep/charts/?measure=SS-CRIB")
        page.wait_for_function(
            "document.querySelectorAll('.card.mini .vega-chart.is-drawn').length === 3")
        minis = _ax(page, ".card.mini .vega-chart")
        years = page.locator(".card.mini .vega-chart").evaluate_all(
            "els => els.map(el => Array.from(el.querySelectorAll("
            "'.role-axis-label text')).map(t => t.textContent.trim()))")
        return title, summary, card, minis, years
    finally:
        context.close()


def _check(title, summary, card, minis, years):
    (name, description), = card
    assert name == (title if isinstance(title, str) else title["text"])
    assert summary and summary in description and description != name
    assert len(minis) == 3
    for jurisdiction in ("Georgia", "Alabama", "Texas"):
        assert sum(d.startswith(jurisdiction + ": ") for _, d in minis) == 1, jurisdiction
    assert all(n and d and n != d for n, d in minis)
    for labels in years:
        shown = [t for t in labels if re.fullmatch(r"(19|20)\d\d", t)]
        assert shown and len(shown) == len(set(shown)), labels
        assert shown == sorted(shown)


def test_a_chart_is_named_by_its_title_and_described_by_its_sentence(chromium, live_server,
                                                                      reported,  # noqa: F811
                                                                      backbone):
    spanish = _read(chromium, live_server.url, backbone, "es-PR")
    english = _read(chromium, live_server.url, backbone, "en-US")
    _check(*spanish)
    _check(*english)
    # The same charts, told in each reader's language.
    assert spanish[2] != english[2]
    minis_es = " ".join(d for _, d in spanish[3])
    minis_en = " ".join(d for _, d in english[3])
    assert "Solo variación aleatoria" in minis_es or "desplazamiento" in minis_es.lower()
    assert "random variation" not in minis_es.lower() and "shift" not in minis_es
    assert "random variation" in minis_en.lower() or "shift" in minis_en
