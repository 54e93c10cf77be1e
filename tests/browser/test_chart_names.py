"""What a screen reader is told of a drawn chart, in Spanish and in English: Vega names the
chart after its title, and the page's plain-language sentence must still reach the reader,
as the chart's accessible description (Chromium's own accessibility tree, read over CDP).
Each chart is read once: its name, then its sentence as its description (not a second time
as text), then its table on demand. Each of a network's small multiples is named by its
jurisdiction and the measure, not by the title they share. The small multiples' x axes name
each year once."""

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


def _said(page, selector):
    """What a screen reader finds, in order, inside each element ``selector`` finds:
    (role, name, description) of every node of Chromium's accessibility tree not ignored
    (text as StaticText nodes), from the full tree over CDP."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    backends = [cdp.send("DOM.describeNode", {"nodeId": node})["node"]["backendNodeId"]
                for node in cdp.send("DOM.querySelectorAll",
                                     {"nodeId": root, "selector": selector})["nodeIds"]]
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    by_backend = {n.get("backendDOMNodeId"): n for n in nodes}

    def walk(node):
        if not node.get("ignored") and node["role"]["value"] != "InlineTextBox":
            yield (node["role"]["value"], (node.get("name") or {}).get("value", ""),
                   (node.get("description") or {}).get("value", ""))
        for child in node.get("childIds", []):
            if child in by_id:
                yield from walk(by_id[child])

    return [list(walk(by_backend[b])) for b in backends]


def _read_once(said, sentence):
    """``sentence`` reaches the reader once in ``said`` (one scope of ``_said``): as the
    description of the one chart, never as text or a name; the table follows the chart."""
    described = [i for i, (_, _, d) in enumerate(said) if sentence in d]
    assert len(described) == 1, (sentence, said)
    role, name, _ = said[described[0]]
    assert role in ("graphics-document", "img", "image") and name, said[described[0]]
    assert not [n for _, n, _ in said if sentence in n], (sentence, said)
    # The table's disclosure ("The data as a table", "Los datos como tabla").
    tables = [i for i, (r, n, _) in enumerate(said) if r == "DisclosureTriangle"
              and ("table" in n.lower() or "tabla" in n.lower())]
    assert tables and tables[0] > described[0], said


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
        _read_once(_said(page, "#chart-SS-CRIB")[0], summary)
        page.goto(base + "/networks/safe-sleep/charts/?measure=SS-CRIB")
        page.wait_for_function(
            "document.querySelectorAll('.card.mini .vega-chart.is-drawn').length === 3")
        minis = _ax(page, ".card.mini .vega-chart")
        pooled = page.locator(".chart-card .summary").first.inner_text().strip()
        _read_once(_said(page, ".chart-card:has([data-spec=spec-pooled])")[0], pooled)
        sentences = [page.locator(f"#{i}").text_content().strip() for i in page.locator(
            ".card.mini .vega-chart").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-describedby'))")]
        for said, sentence in zip(_said(page, ".card.mini"), sentences, strict=True):
            _read_once(said, sentence)
        measure = page.locator("#measure option:checked").inner_text().strip()
        years = page.locator(".card.mini .vega-chart").evaluate_all(
            "els => els.map(el => Array.from(el.querySelectorAll("
            "'.role-axis-label text')).map(t => t.textContent.trim()))")
        return title, summary, card, minis, years, measure
    finally:
        context.close()


def _check(title, summary, card, minis, years, measure):
    (name, description), = card
    assert name == (title if isinstance(title, str) else title["text"])
    assert summary and summary == description
    assert len(minis) == 3
    # Each small multiple named by what it shows (a screen reader moving among them hears
    # which is which), described by its own sentence.
    assert [n for n, _ in minis] == [f"{j}: {measure}" for j in ("Alabama", "Georgia", "Texas")]
    assert all(d and d not in n for n, d in minis)
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
    assert spanish[5] != english[5] and spanish[5] in spanish[3][0][0]
    # The same charts, told in each reader's language.
    assert spanish[2] != english[2]
    minis_es = " ".join(d for _, d in spanish[3])
    minis_en = " ".join(d for _, d in english[3])
    assert "Solo variación aleatoria" in minis_es or "desplazamiento" in minis_es.lower()
    assert "random variation" not in minis_es.lower() and "shift" not in minis_es
    assert "random variation" in minis_en.lower() or "shift" in minis_en


def test_compared_teams_are_named_apart_and_each_sentence_read_once(chromium, live_server,
                                                                   reported,  # noqa: F811
                                                                   backbone):
    teams = "&".join(f"team={t.pk}" for t in reported.values())
    for locale in ("es-PR", "en-US"):
        context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            _sign_in(page, live_server.url, backbone)
            page.goto(f"{live_server.url}/compare/?measure=SS-CRIB&{teams}")
            page.wait_for_function(
                "document.querySelectorAll('.card.mini .vega-chart.is-drawn').length === 3")
            names = [n for n, _ in _ax(page, ".card.mini .vega-chart")]
            measure = page.locator("#measure option:checked").inner_text()
            measure = measure.rsplit(" (", 1)[0].strip()
            assert len(set(names)) == 3 and all(n.endswith(": " + measure) for n in names)
            sentences = page.locator(".card.mini p.small").all_inner_texts()
            for said, sentence in zip(_said(page, ".card.mini"), sentences, strict=True):
                described = [d for _, _, d in said if sentence.strip() in d]
                assert len(described) == 1, said
                assert not [n for _, n, _ in said if sentence.strip() in n], said
        finally:
            context.close()
