"""The API's language: English unless the caller names another in Accept-Language, whatever
the signed-in person chose for the pages; a measure's name falls back to English silently
(a JSON field carries no "untranslated" note); row errors keep their English column codes
and read in the asked-for language."""

from __future__ import annotations

import pytest

from coiin.measures.models import Measure

from .test_data import bearer, post, row

pytestmark = pytest.mark.django_db


def _names(client, user, **headers) -> dict[str, str]:
    response = client.get("/api/v1/measures", **bearer(user), **headers)
    assert response.status_code == 200
    return {m["code"]: m["name"] for m in response.json()}


def test_measure_names_in_spanish_when_asked_and_english_by_default(client, chosen, member):
    assert _names(client, member)["IMR"] == "Infant mortality rate"
    spanish = _names(client, member, HTTP_ACCEPT_LANGUAGE="es-PR,es;q=0.9,en;q=0.5")
    assert spanish["IMR"] == "Tasa de mortalidad infantil"
    assert _names(client, member, HTTP_ACCEPT_LANGUAGE="fr")["IMR"] == "Infant mortality rate"


def test_a_name_without_spanish_falls_back_to_english_silently(client, chosen, member):
    Measure.objects.filter(code="IMR").update(name_es=None)
    spanish = _names(client, member, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish["IMR"] == "Infant mortality rate"


def test_the_profile_language_and_the_cookie_do_not_change_the_api(client, chosen, member):
    member.language = "es"
    member.save(update_fields=["language"])
    client.force_login(member)
    client.cookies["django_language"] = "es"
    names = {m["code"]: m["name"] for m in client.get("/api/v1/measures").json()}
    assert names["IMR"] == "Infant mortality rate"
    # ... while the pages follow the person's choice.
    assert 'lang="es"' in client.get("/measures/").content.decode()


def test_row_errors_keep_their_column_codes_and_read_in_the_asked_language(
    client, chosen, data_lead, this_month
):
    bad = [row(this_month, "SS-EDU", 60, 50)]
    english = post(client, data_lead, bad).json()["errors"]
    assert english == [
        {"row": 1, "column": "numerator", "message": "60 is more than the denominator 50"}
    ]
    spanish = client.post(
        "/api/v1/values",
        {"rows": bad},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **bearer(data_lead),
    ).json()["errors"]
    assert spanish == [
        {"row": 1, "column": "numerator", "message": "60 es mayor que el denominador 50"}
    ]
