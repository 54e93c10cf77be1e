"""The vitals loader's problems in the operator's language: a file's bad rows read in Spanish
for a Spanish operator (the command's ``--language``, else the ``--user``'s own), still naming
the line and the column; the office's entry page names its problems and the groups in the
reader's language; English is unchanged."""

from __future__ import annotations

import csv

from django.utils import translation

from coiin.measures.catalog import SPANISH_STRATA
from coiin.vitals import services
from coiin.vitals.models import MOTHER_RACE_NAMES, MOTHER_RACES, VitalFigure

from .test_loading import RAW_HEADER, refused
from .test_office_entry import GOOD, URL, ga_teams, office  # noqa: F401 - fixtures
from .test_reproduction import refused as command_refused

BAD = ("2019,TX,5.4,,/tx.htm",  # a rate with no deaths
       "2019,ZZ,5.0,300,/zz.htm",  # no such state
       "20l9,OH,six,9x2,/oh.htm",  # a bad year, rate and count
       "2019,FL,6.0,1300")  # a field short


def test_a_spanish_operator_reads_each_problem_in_spanish_with_its_line_and_column(
        reference, write):
    path = write("malo.csv", RAW_HEADER, *BAD)
    with translation.override("es"):
        problems = refused(path)
    assert problems == [
        "malo.csv: línea 2, columna DEATHS: una tasa sin muertes",
        "malo.csv: línea 3, columna STATE: no hay ninguna jurisdicción con el código, el "
        "nombre o el código FIPS 'ZZ'",
        "malo.csv: línea 4, columna YEAR: '20l9' no es un año",
        "malo.csv: línea 4, columna DEATHS: '9x2' no es un número entero",
        "malo.csv: línea 4, columna RATE: 'six' no es un número",
        "malo.csv: línea 5: 4 campos donde el encabezado tiene 5",
    ]
    with translation.override("en"):
        assert refused(path)[0] == "malo.csv: line 2, column DEATHS: a rate with no deaths"
    wrong = write("cols.csv", "YEAR,STATE,RATE,DEATH,URL", "2019,GA,7.2,918,/ga.htm")
    with translation.override("es"):
        assert refused(wrong, source="cdc-sos") == [
            "cols.csv: línea 1: columnas equivocadas para cdc-sos: se esperaban "
            "YEAR,STATE,RATE,DEATHS,URL; faltan DEATHS; sobran DEATH"]
    assert not VitalFigure.objects.exists()


def test_the_command_lists_the_problems_in_the_language_asked_for_or_the_user_s(
        reference, write, backbone):
    path = write("malo.csv", RAW_HEADER, *BAD[:2])
    message = command_refused("import", str(path), "--source", "cdc-sos", "--language", "es")
    assert message.startswith("No se cargó nada; corrija estos 2 problemas")
    assert "malo.csv: línea 2, columna DEATHS: una tasa sin muertes" in message
    backbone.language = "es"
    backbone.save(update_fields=["language"])
    by_profile = command_refused("import", str(path), "--user", backbone.email)
    assert "línea 3, columna STATE: no hay ninguna jurisdicción" in by_profile
    english = command_refused("import", str(path))
    assert "Nothing was loaded; fix these 2 problems" in english
    assert "malo.csv: line 2, column DEATHS: a rate with no deaths" in english


def test_the_office_entry_page_in_spanish(client, ga_teams, office):  # noqa: F811
    client.force_login(office)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Negro no hispano" in page and "Non-Hispanic Black" not in page
    response = client.post(URL, {**GOOD, "births-nh-black": "100", "quarter": "7"},
                           HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.context["problems"] == {
        "quarter": "escoja un trimestre (1-4) o el año completo",
        "infant_deaths-nh-black": "120 muertes infantiles son más que los 100 nacimientos"}
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Non-Hispanic Black" in english and "Negro no hispano" not in english


def test_the_groups_have_the_same_spanish_names_as_the_catalog_s_strata():
    with SPANISH_STRATA.open(encoding="utf-8", newline="") as handle:
        catalog = {row["code"]: row["label"] for row in csv.DictReader(handle)
                   if row["kind"] == "race_ethnicity"}
    with translation.override("es"):
        assert {code: str(name) for code, name in MOTHER_RACE_NAMES.items()} == catalog
    with translation.override("en"):
        assert {code: str(name) for code, name in MOTHER_RACE_NAMES.items()} == dict(
            MOTHER_RACES)


def test_a_conflict_with_a_stored_figure_reads_in_spanish(reference, write):
    from .conftest import CDC_CLEAN

    services.load_file(data=CDC_CLEAN.read_bytes(), file_name=CDC_CLEAN.name)
    lines = CDC_CLEAN.read_text().splitlines()
    changed = [line.replace(",403,", ",404,") if line.startswith("2020,AL,") else line
               for line in lines]
    with translation.override("es"):
        problems = refused(write("revisado.csv", *changed))
    assert len(problems) == 1
    assert problems[0].startswith("revisado.csv: línea ")
    assert ": AL 2020 infant_deaths: el archivo dice 404, tasa 6.99 (final); " in problems[0]
    assert "(cargado el " in problems[0] and ") dice 403, tasa 6.99 (final)" in problems[0]
