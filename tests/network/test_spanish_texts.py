"""The network's own texts in Spanish: the cohorts' and learning networks' names, aims and
descriptions where they have a Spanish text, else the English one marked as English; the
reference data carry their Spanish texts, and the public API names them in the asked-for
language."""

from __future__ import annotations

import pytest
from django.utils import translation

from coiin.demo.network import COHORTS, LEARNING_NETWORKS, spanish_cohorts, spanish_networks
from coiin.network.models import Cohort, LearningNetwork

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-PR,es;q=0.9"}
MARK = '<span class="muted small untranslated">'


def test_every_cohort_and_network_has_its_spanish_texts():
    assert set(spanish_cohorts()) == {str(year) for year in COHORTS}
    assert set(spanish_networks()) == {spec.slug for spec in LEARNING_NETWORKS}
    for texts in (*spanish_cohorts().values(), *spanish_networks().values()):
        assert all(texts.values()), texts
    limit = LearningNetwork._meta.get_field("short_name_es").max_length
    assert all(len(t["short_name_es"] or "") <= limit for t in spanish_networks().values())


def test_the_reference_rows_keep_english_and_spanish_apart(networks):
    safe = LearningNetwork.objects.get(slug="safe-sleep")
    assert (safe.name_en, safe.name_es) == ("SIDS/SUID and Safe Sleep", "SMSL/SUID y sueño seguro")
    with translation.override("es"):
        assert safe.short_name == "Sueño seguro"
        assert Cohort.objects.get(year=2014).name == "Cohorte de 2014"
    with translation.override("en"):
        assert safe.short_name == "Safe Sleep"


def test_the_network_page_in_spanish_shows_the_spanish_texts(client, team, other_team):
    html = client.get("/", **SPANISH_BROWSER).content.decode()
    assert '<html lang="es"' in html
    assert "Cohorte de 2012" in html and "2012 cohort" not in html
    assert "Región V: los 6 estados del Medio Oeste que se unieron en 2013." in html
    assert ">SMSL/SUID y sueño seguro</a>" in html and "SIDS/SUID and Safe Sleep" not in html
    assert "Sueño seguro" in html
    assert MARK not in html

    network = client.get("/networks/safe-sleep/", **SPANISH_BROWSER).content.decode()
    assert "<h1>SMSL/SUID y sueño seguro</h1>" in network
    assert "Aumentar la proporción de infantes que se ponen a dormir boca arriba" in network
    jurisdiction = client.get("/jurisdictions/ga/", **SPANISH_BROWSER).content.decode()
    assert ">Cohorte de 2012</span></h1>" in jurisdiction

    english = client.get("/").content.decode()
    assert "2012 cohort" in english and ">SIDS/SUID and Safe Sleep</a>" in english
    assert "Cohorte" not in english and "untranslated" not in english


def test_a_missing_spanish_text_falls_back_to_english_marked(client, team):
    LearningNetwork.objects.filter(slug="safe-sleep").update(name_es=None, aim_es="")
    Cohort.objects.filter(year=2012).update(description_es=None)
    network = client.get("/networks/safe-sleep/", **SPANISH_BROWSER).content.decode()
    assert (f'<h1><span lang="en">SIDS/SUID and Safe Sleep</span> {MARK}(en inglés)</span></h1>'
            in network)
    assert ('<span lang="en">Increase the share of infants placed to sleep on their backs'
            in network)
    # The texts that are translated stay Spanish, unmarked.
    assert "Los equipos difunden la práctica del sueño seguro" in network
    overview = client.get("/", **SPANISH_BROWSER).content.decode()
    assert '<span lang="en">Regions IV and VI: the 13 southern and southwestern' in overview
    assert "Cohorte de 2012" in overview


def test_the_public_site_names_the_networks_in_spanish(client, team):
    html = client.get("/public/", **SPANISH_BROWSER).content.decode()
    assert ">SMSL/SUID y sueño seguro</a></h3>" in html and "Cohorte de 2013" in html
    page = client.get("/public/networks/safe-sleep/", **SPANISH_BROWSER)
    assert "<h1>SMSL/SUID y sueño seguro</h1>" in page.content.decode()


def test_the_public_api_names_them_in_the_asked_language(client, team):
    english = client.get("/api/v1/public/network").json()
    spanish = client.get("/api/v1/public/network", **SPANISH_BROWSER).json()
    assert {n["slug"]: n["short_name"] for n in english["learning_networks"]}["safe-sleep"] == (
        "Safe Sleep")
    assert {n["slug"]: n["short_name"] for n in spanish["learning_networks"]}["safe-sleep"] == (
        "Sueño seguro")
    assert [c["name"] for c in spanish["cohorts"]] == [
        "Cohorte de 2012", "Cohorte de 2013", "Cohorte de 2014"]


def test_backbone_staff_edit_both_languages_in_the_admin(client, backbone, networks):
    client.force_login(backbone)
    page = client.get(f"/admin/network/learningnetwork/{networks['safe-sleep'].pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_es"' in html and 'name="short_name_es"' in html
    assert client.get("/admin/network/learningnetwork/add/").status_code == 200
    assert 'name="description_es"' in client.get(
        f"/admin/network/cohort/{Cohort.objects.get(year=2012).pk}/change/").content.decode()
