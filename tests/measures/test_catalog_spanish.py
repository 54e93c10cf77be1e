"""The measure catalog in Spanish: names and definitions from the catalog's Spanish data
file, English where a text has no Spanish yet (marked as English on the page), and a loader
that writes English to the untranslated column whatever language is active."""

from __future__ import annotations

import csv

import pytest
from django.db import connection
from django.utils import timezone, translation

from coiin.measures.catalog import CATALOG, SPANISH, load_catalog, spanish_texts
from coiin.measures.models import Measure
from coiin.measures.periods import Frequency, Period

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-PR,es;q=0.9"}


def test_every_catalog_measure_has_a_spanish_name():
    with SPANISH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), "a code twice in the Spanish file"
    assert set(codes) == {spec.code for spec in CATALOG}
    texts = spanish_texts()
    assert all(texts[spec.code]["name_es"] for spec in CATALOG)
    # A definition in Spanish wherever the English one has a text.
    for spec in CATALOG:
        assert bool(texts[spec.code]["numerator_definition_es"]) == bool(spec.num), spec.code
        assert bool(texts[spec.code]["denominator_definition_es"]) == bool(spec.den), spec.code


def test_the_catalog_and_a_measure_page_in_spanish(client, catalog):
    html = client.get("/measures/", **SPANISH_BROWSER).content.decode()
    assert "Tasa de mortalidad infantil" in html and "Nacimiento prematuro" in html
    assert ">Infant mortality rate<" not in html
    assert 'class="muted small untranslated"' not in html  # every name has its Spanish

    page = client.get("/measures/IMR/", **SPANISH_BROWSER).content.decode()
    assert "<h1>Tasa de mortalidad infantil</h1>" in page
    assert "Muertes de infantes menores de 1 año de residentes" in page
    assert "Nacimientos vivos de residentes" in page

    english = client.get("/measures/IMR/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "<h1>Infant mortality rate</h1>" in english
    assert "Tasa de mortalidad" not in english and "untranslated" not in english


def test_a_text_without_spanish_shows_in_english_marked_as_english(client, catalog):
    Measure.objects.filter(code="PTB").update(name_es=None, denominator_definition_es="")
    with translation.override("es"):
        note = translation.gettext("(in English)")  # "(en inglés)" once the catalogue has it

    page = client.get("/measures/PTB/", **SPANISH_BROWSER).content.decode()
    assert ('<h1><span lang="en">Preterm birth</span> '
            f'<span class="muted small untranslated">{note}</span></h1>') in page
    assert '<span lang="en">Live births with known gestational age</span>' in page
    # The numerator has its Spanish: not marked.
    assert "Nacimientos vivos antes de las 37 semanas completas" in page

    listing = client.get("/measures/", **SPANISH_BROWSER).content.decode()
    assert '<span lang="en">Preterm birth</span>' in listing
    assert listing.count('class="muted small untranslated"') == 1

    # In English nothing is a fallback.
    english = client.get("/measures/PTB/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Preterm birth</h1>" in english and "untranslated" not in english


def test_the_loader_is_idempotent_and_writes_english_whatever_the_language(catalog):
    versions = Measure.history.count()
    with translation.override("es"):
        load_catalog()
        load_catalog()
    assert Measure.history.count() == versions, "no change, no new version"

    imr = Measure.objects.get(code="IMR")
    assert (imr.name_en, imr.name_es) == ("Infant mortality rate", "Tasa de mortalidad infantil")
    with translation.override("en"):
        assert Measure.objects.get(code="IMR").name == "Infant mortality rate"
    # The untranslated column keeps English (what raw SQL, exports and old readers see).
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM measures_measure WHERE code = %s", ["IMR"])
        assert cursor.fetchone()[0] == "Infant mortality rate"


def test_the_loader_restores_a_spanish_text_and_records_a_version(catalog):
    Measure.objects.filter(code="NMR").update(name_es="Otra cosa")
    versions = Measure.history.filter(code="NMR").count()
    load_catalog()
    nmr = Measure.objects.get(code="NMR")
    assert nmr.name_es == "Tasa de mortalidad neonatal"
    latest = Measure.history.filter(code="NMR").latest("history_date")
    assert Measure.history.filter(code="NMR").count() == versions + 1
    assert (latest.name_en, latest.name_es) == ("Neonatal mortality rate",
                                                "Tasa de mortalidad neonatal")


def test_the_entry_page_marks_a_measure_name_still_in_english(client, data_lead, chosen,
                                                              settings):
    settings.REPORTING_GRACE_DAYS = 60
    period = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    Measure.objects.filter(code="SS-CRIB").update(name_es=None)
    client.force_login(data_lead)
    html = client.get(f"/networks/safe-sleep/ga/data/{period.label}/",
                      **SPANISH_BROWSER).content.decode()
    assert ('class="measure-name"><span lang="en">Infants observed in a safe sleep environment '
            '(crib audit)</span> <span class="muted small untranslated">') in html
    assert ('class="measure-name">Cuidadores que recibieron educación sobre sueño seguro antes '
            'del alta</a>') in html


def test_a_measure_s_unit_reads_in_spanish_with_english_as_the_fallback(client, catalog):
    assert spanish_texts()["IMR"]["unit_es"] == "por 1,000 nacidos vivos"
    assert all(spanish_texts()[spec.code]["unit_es"] for spec in CATALOG if spec.unit)
    imr = Measure.objects.get(code="IMR")
    with translation.override("es"):
        assert imr.unit == "por 1,000 nacidos vivos"
    with translation.override("en"):
        assert imr.unit == "per 1,000 live births"
    listing = client.get("/measures/", **SPANISH_BROWSER).content.decode()
    assert "por 1,000 nacidos vivos" in listing and "per 1,000 live births" not in listing
    english = client.get("/measures/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "per 1,000 live births" in english and "nacidos vivos" not in english

    Measure.objects.filter(code="IMR").update(unit_es=None)  # no Spanish: English
    with translation.override("es"):
        assert Measure.objects.get(code="IMR").unit == "per 1,000 live births"


def test_every_data_source_target_source_and_stratum_has_its_spanish(catalog):
    from coiin.measures.catalog import STRATA, spanish_strata
    from coiin.measures.models import Stratum

    texts = spanish_texts()
    for spec in CATALOG:
        assert texts[spec.code]["data_source_es"], spec.code
        assert texts[spec.code]["source_es"], spec.code  # where the definition comes from
        assert bool(texts[spec.code]["target_source_es"]) == bool(spec.target_source), spec.code
    labels = spanish_strata()
    assert set(labels) == {(kind, code) for kind, rows in STRATA.items() for code, _ in rows}
    assert all(labels.values())
    black = Stratum.objects.get(kind="race_ethnicity", code="nh-black")
    assert (black.label_en, black.label_es) == ("Non-Hispanic Black", "Negro no hispano")
    with translation.override("es"):
        assert str(Stratum.objects.get(pk=black.pk)) == "Negro no hispano"
        # A survey measure is known by its English source whatever the language.
        assert Measure.objects.get(code="SS-BACK").is_survey
    # The untranslated column keeps English.
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM measures_stratum WHERE id = %s", [black.pk])
        assert cursor.fetchone()[0] == "Non-Hispanic Black"


def test_a_measure_page_s_data_source_and_target_source_in_spanish(client, catalog):
    page = client.get("/measures/IMR/", **SPANISH_BROWSER).content.decode()
    assert ("Registros vitales (certificados de nacimiento, archivo vinculado de nacimientos "
            "y muertes infantiles)") in page
    assert "(Healthy People 2020, objetivo MICH-1.3)" in page
    assert "Vital records" not in page and "untranslated" not in page

    english = client.get("/measures/IMR/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vital records (birth certificates, linked birth/infant death file)" in english
    assert "(Healthy People 2020 MICH-1.3)" in english and "Registros vitales" not in english

    listing = client.get("/measures/", **SPANISH_BROWSER).content.decode()
    assert "(Meta hospitalaria de The Leapfrog Group (≤5 %))" in listing


def test_a_data_source_without_spanish_shows_in_english_marked_as_english(client, catalog):
    Measure.objects.filter(code="IMR").update(data_source_es=None, target_source_es="")
    with translation.override("es"):
        note = translation.gettext("(in English)")
    page = client.get("/measures/IMR/", **SPANISH_BROWSER).content.decode()
    assert ('<dd><span lang="en">Vital records (birth certificates, linked birth/infant death '
            f'file)</span> <span class="muted small untranslated">{note}</span></dd>') in page
    assert '(<span lang="en">Healthy People 2020 MICH-1.3</span>' in page
