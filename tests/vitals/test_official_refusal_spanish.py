"""A typed value the jurisdiction's official figures already hold is refused in the reader's
language, saying where the figures come from in that language too: the entry page's error
(``save_values`` refuses, the page words the issue) and the import's row error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from coiin.measures import services as reporting
from coiin.measures.messages import localize
from coiin.measures.services import ValueIn
from coiin.measures.validation import Entry
from coiin.vitals import services

from .test_office_entry import Q2, ga_teams, office  # noqa: F401 - fixtures


@pytest.fixture
def held(ga_teams, office, jurisdictions):  # noqa: F811
    services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                           quarter=2, status="provisional",
                           cells={"births": "32100", "infant_deaths": "225"})
    return ga_teams[0]


def refused(team, catalog, data_lead) -> reporting.DataErrors:
    submission = reporting.submission_for(team, Q2)
    with pytest.raises(reporting.DataErrors) as caught:
        reporting.save_values(submission=submission, user=data_lead,
                              expected_version=submission.version, today=dt.date(2025, 7, 10),
                              entries=[Entry(catalog["IMR"], Q2.label, None, numerator="6",
                                             denominator="1000")])
    return caught.value


def test_the_entry_error_reads_in_spanish_with_its_source(held, catalog, data_lead):
    with translation.override("es"):
        [issue] = localize(refused(held, catalog, data_lead).issues)
    assert issue.code == "official"
    assert issue.message.startswith(
        "proviene de las cifras oficiales de la jurisdicción (de la oficina de estadísticas "
        "vitales de Georgia, provisional, cargado el ")
    assert issue.message.endswith("); los equipos no la ingresan")
    assert "official" not in issue.message and "loaded" not in issue.message


def test_in_english_it_reads_as_before(held, catalog, data_lead):
    with translation.override("en"):
        [issue] = localize(refused(held, catalog, data_lead).issues)
    assert issue.message.startswith("comes from the jurisdiction's official figures (from "
                                    "the Georgia vital records office, provisional, loaded ")
    assert issue.message.endswith("); it is not typed by teams")


def test_a_spanish_reader_reads_the_english_issue_in_spanish(held, catalog, data_lead):
    """The issue made in English (a worker, a test) is worded again when read."""
    with translation.override("en"):
        [issue] = refused(held, catalog, data_lead).issues
    with translation.override("es"):
        [spanish] = localize([issue])
    assert spanish.message.startswith("proviene de las cifras oficiales de la jurisdicción")


def test_the_import_row_error_reads_in_spanish(held, catalog, data_lead):
    rows = [ValueIn(7, held, catalog["IMR"], Q2, None, "5", "1000", None)]
    with translation.override("es"):
        with pytest.raises(reporting.ImportRefused) as caught:
            reporting.import_stream(iter(rows), user=data_lead, check_closed=False)
        errors = [str(e) for e in caught.value.errors]
    # the column keeps the file's name
    assert errors == ["fila 7, measure: IMR 2025-Q2 proviene de las cifras oficiales de "
                      "Georgia; los equipos no la ingresan"]
