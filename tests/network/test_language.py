"""English and Spanish: the browser's Accept-Language for anyone, a person's own choice once
signed in, a switcher on every page, and a complete Spanish catalogue."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

import coiin

CATALOGUE = Path(coiin.__file__).resolve().parent / "locale" / "es" / "LC_MESSAGES"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_language_their_browser_asks_for(client):
    spanish = client.get("/public/", HTTP_ACCEPT_LANGUAGE="es-PR,es;q=0.9,en;q=0.5")
    assert html_lang(spanish) == "es"
    text = spanish.content.decode()
    for words in ("Saltar al contenido", "Sitio público", "Iniciar sesión",
                  "El CoIIN de Mortalidad Infantil en público", "Jurisdicciones"):
        assert words in text
    assert "Skip to content" not in text

    sign_in = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(sign_in) == "es"
    assert "Contraseña" in sign_in.content.decode()

    english = client.get("/public/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_lang(english).startswith("en")
    assert "Skip to content" in english.content.decode()


@pytest.mark.django_db
def test_a_person_who_chose_spanish_gets_it_whatever_the_browser_says(client, data_lead):
    data_lead.language = "es"
    data_lead.save()
    client.force_login(data_lead)
    page = client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert html_lang(page) == "es"
    assert "<h1>Mi trabajo</h1>" in page.content.decode()
    assert "Cerrar sesión" in page.content.decode()


@pytest.mark.django_db
def test_the_switcher_keeps_the_choice_on_the_account_and_in_the_cookie(client, data_lead):
    answer = client.post("/language/", {"language": "es", "next": "/public/"})
    assert answer.status_code == 302 and answer["Location"] == "/public/"
    assert html_lang(client.get("/public/")) == "es"  # the cookie, for anyone

    client.force_login(data_lead)
    client.post("/language/", {"language": "en", "next": "https://elsewhere.example/"})
    data_lead.refresh_from_db()
    assert data_lead.language == "en"
    client.cookies.pop("django_language")
    assert html_lang(client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="es")) == "en"

    refused = client.post("/language/", {"language": "xx", "next": "/public/"})
    assert refused.status_code == 302
    data_lead.refresh_from_db()
    assert data_lead.language == "en"
    assert client.get("/language/").status_code == 405


def _po_entries(text: str) -> list[tuple[str, str, str | None, list[str]]]:
    """(flags, msgid, msgid_plural, msgstrs) of each entry of a .po file; the msgid of an
    entry with a context is "context\x04msgid", as gettext looks it up."""
    def joined(block: str) -> str:
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).replace('\\"', '"').replace(
            "\\n", "\n").replace("\\\\", "\\")

    entries = []
    for chunk in text.strip().split("\n\n"):
        if all(line.startswith("#~") for line in chunk.splitlines()):
            continue  # obsolete
        flags = " ".join(line for line in chunk.splitlines() if line.startswith("#,"))
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', chunk, re.M)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', chunk, re.M)
        assert msgid and msgstrs, f"entry not understood:\n{chunk}"
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', chunk, re.M)
        key = (joined(context.group(1)) + "\x04" if context else "") + joined(msgid.group(1))
        entries.append((flags, key, plural and joined(plural.group(1)),
                        [joined(m) for m in msgstrs]))
    return entries


def test_the_spanish_catalogue_is_complete_and_compiled():
    entries = _po_entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))[1:]
    assert len(entries) >= 90
    fuzzy = [msgid for flags, msgid, _, _ in entries if "fuzzy" in flags]
    missing = [msgid for _, msgid, _, msgstrs in entries if not all(msgstrs)]
    assert not fuzzy and not missing, f"fuzzy: {fuzzy}; untranslated: {missing}"
    # The committed .mo is the .po compiled: no gettext needed to run.
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [msgid for _, msgid, plural, msgstrs in entries
             if (compiled.gettext(msgid) if plural is None
                 else compiled.ngettext(msgid, plural, 1)) != msgstrs[0]]
    assert not stale, f"django.mo is older than django.po for: {stale}"
    for _, msgid, plural, msgstrs in entries:  # the same placeholders in both languages
        for msgstr in msgstrs:
            assert sorted(set(re.findall(r"%\(\w+\)s", msgid + (plural or "")))) == sorted(
                set(re.findall(r"%\(\w+\)s", msgstr))), msgid


def test_spanish_keeps_the_decimal_point_and_iso_dates_in_figures():
    import datetime as dt
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ v|floatformat:"-2" }} {{ big }} {{ d|date:"Y-m-d" }} '
                        '{{ d|date:"F" }}')
    context = Context({"v": Decimal("46.5"), "big": 1234.5, "d": dt.date(2026, 3, 1)})
    with translation.override("es"):
        assert template.render(context) == "46.50 1234.5 2026-03-01 marzo"
    with translation.override("en"):
        assert template.render(context) == "46.50 1234.5 2026-03-01 March"


@pytest.mark.django_db
def test_the_core_journey_pages_are_in_spanish(client, team, chosen, data_lead, settings):
    from django.utils import timezone

    from coiin.measures.periods import Frequency, Period

    settings.REPORTING_GRACE_DAYS = 60
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    client.force_login(data_lead)
    entry = client.get(f"/networks/safe-sleep/ga/data/{month.label}/", HTTP_ACCEPT_LANGUAGE="es")
    assert entry.status_code == 200 and html_lang(entry) == "es"
    text = entry.content.decode()
    for words in ("Guardar y enviar", "Denominador", "Comentario", "Mi trabajo"):
        assert words in text
    chart = client.get("/networks/safe-sleep/ga/charts/SS-CRIB/", HTTP_ACCEPT_LANGUAGE="es")
    assert chart.status_code == 200 and html_lang(chart) == "es"
    assert "Cómo se dibuja este gráfico" in chart.content.decode()
