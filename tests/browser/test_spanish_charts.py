"""A network's small multiples in a Spanish and an English reader's browser: the sentences
stored with each team's chart, and what a screen reader hears of each point, in the
reader's language, from the same stored summaries."""

from __future__ import annotations

import pytest

from coiin.network import services as network_services

from ..conftest import PASSWORD, report_months
from .conftest import screenshot
from .test_accessibility import AXE, FAILING_IMPACTS, WCAG_TAGS

PATTERNS = {"GA": [14, 15, 13, 16, 14, 15, 13, 14, 16, 15, 14, 13, 15, 14],
            "AL": [20, 22, 19, 21, 20, 23, 20, 19, 21, 22, 20, 21, 19, 20],
            "TX": [10, 11, 12, 10, 11, 30, 31, 32, 30, 31, 33, 30, 31, 32]}


@pytest.fixture
def reported(transactional_db, team, chosen, data_lead, jurisdictions, networks, catalog):
    from coiin.measures import services as reporting

    measure = catalog["SS-CRIB"]
    teams = {"GA": team}
    for code in ("AL", "TX"):
        teams[code] = network_services.join_network(
            jurisdiction=jurisdictions[code], learning_network=networks["safe-sleep"])
        reporting.choose_measures(team=teams[code], measures=[measure])
    for code, numerators in PATTERNS.items():
        report_months(teams[code], measure, data_lead, numerators, denominator=40)
    return teams


def _sign_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()


def _read(chromium, base, user, locale):
    context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale=locale,
                                   bypass_csp=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, base, user)
        page.goto(base + "/networks/safe-sleep/charts/?measure=SS-CRIB")
        page.wait_for_selector(".card.mini .vega-chart.is-drawn svg")
        page.wait_for_function(
            "document.querySelectorAll('.card.mini .vega-chart.is-drawn').length === 3")
        said = page.locator(".multiples-note strong, .card.mini p.small").all_inner_texts()
        roles = page.locator(".multiples [aria-roledescription]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-roledescription'))")
        heard = page.locator(".card.mini svg [aria-label]").evaluate_all(
            "els => els.map(e => [e.getAttribute('aria-roledescription'),"
            " e.getAttribute('aria-label')])")
        screenshot(page, f"network-multiples-{locale}")
        # What the page (charts drawn, their words changed) gives axe: no serious violation.
        violations = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: "tag",
            values: tags}, resultTypes: ["violations"]}).then(r => r.violations.map(
            v => [v.id, v.impact, v.nodes.map(n => n.html.slice(0, 120))]))""", WCAG_TAGS)
        assert [v for v in violations if v[1] in FAILING_IMPACTS] == [], locale
        return said, heard, roles
    finally:
        context.close()


def test_the_small_multiples_speak_the_reader_s_language(chromium, live_server, reported,
                                                         backbone):
    spanish, heard_es, roles_es = _read(chromium, live_server.url, backbone, "es-PR")
    english, heard_en, roles_en = _read(chromium, live_server.url, backbone, "en-US")
    assert len(spanish) == len(english) >= 2
    assert any("desplazamiento" in t.lower() for t in spanish)
    assert any("Solo variación aleatoria" in t for t in spanish)
    assert not any("points" in t or "random variation" in t.lower() for t in spanish)
    assert any("shift" in t for t in english) and any("random variation" in t for t in english)
    points_es = [label for role, label in heard_es if role == "punto"]
    assert len(points_es) == 3 * 14
    assert all(label.startswith("Período: ") and "Señal: " in label for label in points_es)
    # Each point's signal in the words of the shared legend (else it is not drawn at all).
    assert sum("Señal: Causa común" in label for label in points_es) >= 14
    assert not any("Period" in (label or "") or role == "point" for role, label in heard_es)
    # Vega's own English words for the chart and its parts: translated or left out.
    assert set(roles_es) == {"visualización", "punto"}
    assert "visualization" in roles_en and "punto" not in roles_en
