"""With a browser that asks for Spanish, the data lead's core journey is in Spanish."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period

from ..conftest import PASSWORD


@pytest.fixture
def spanish_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="es-PR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def in_spanish(page, *words: str) -> None:
    assert page.locator("html").get_attribute("lang") == "es", page.url
    text = page.locator("main").inner_text().lower()  # headings may be set in capitals
    for w in words:
        assert w.lower() in text, (page.url, w)


def test_a_spanish_speaking_data_lead_walks_the_core_journey_in_spanish(
        spanish_page, live_server, transactional_db, team, chosen, data_lead, settings):
    page, base = spanish_page, live_server.url
    settings.REPORTING_GRACE_DAYS = 60
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team.joined_on = month.start.replace(year=month.start.year - 1)
    team.save()

    page.goto(base + "/public/")
    in_spanish(page, "El CoIIN de Mortalidad Infantil en público", "Jurisdicciones")
    page.goto(base + "/accounts/login/")
    in_spanish(page, "Contraseña")
    page.locator("#id_login").fill(data_lead.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/my-work/")
    in_spanish(page, "Mi trabajo", "Datos por reportar")

    page.goto(base + "/networks/safe-sleep/ga/data/")
    in_spanish(page, "Medidas mensuales", "Período", "Gráficos")
    page.goto(base + f"/networks/safe-sleep/ga/data/{month.label}/")
    in_spanish(page, "Denominador", "Comentario", "Historial")
    page.get_by_label("SS-CRIB numerador").fill("36")
    page.get_by_label("SS-CRIB denominador").fill("40")
    page.get_by_label("SS-EDU numerador").fill("31")
    page.get_by_label("SS-EDU denominador").fill("35")
    page.get_by_role("button", name="Guardar y enviar").click()
    page.wait_for_load_state()
    assert Submission.objects.get().status == "submitted"
    in_spanish(page, "Revisión")

    page.goto(base + "/networks/safe-sleep/ga/charts/")
    in_spanish(page, "Solo datos enviados")
    page.goto(base + "/networks/safe-sleep/ga/charts/SS-CRIB/")
    in_spanish(page, "Cómo se dibuja este gráfico", "Reglas")
