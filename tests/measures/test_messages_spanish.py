"""The checks' messages in the reader's language: ``validation`` stays free of Django and
gives each issue a code and its params; the entry page and the import's list of errors show
them in Spanish to a person who reads Spanish, in English to everyone else."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from coiin.measures import messages, validation
from coiin.measures.models import DataValue
from coiin.measures.periods import Frequency, Period

from .test_io_import import csv_bytes
from .test_io_pages import upload

RATIO = SimpleNamespace(
    code="X",
    type="ratio",
    multiplier=Decimal(100),
    is_proportion=True,
    stratification="",
    expected_min=None,
    expected_max=None,
    unit="%",
)


def test_every_message_has_the_same_english_template_marked_for_translation():
    assert set(messages.TEMPLATES) == set(validation.MESSAGES)
    with translation.override("en"):
        for code, english in validation.MESSAGES.items():
            assert str(messages.TEMPLATES[code]) == english, code


def test_every_message_has_its_spanish_with_the_same_fields():
    fields = {
        "raw",
        "code",
        "count",
        "most",
        "position",
        "item",
        "number",
        "denominator",
        "text",
        "allowed",
        "unit",
        "low",
        "high",
        "mean",
        "upper",
        "got",
        "want",
        "source",
    }
    params = {name: f"<{name}>" for name in fields}
    with translation.override("es"):
        for code, english in validation.MESSAGES.items():
            spanish = str(messages.TEMPLATES[code])
            assert spanish != english, f"{code} has no Spanish"
            assert spanish.format(**params).count("<") == english.format(**params).count("<")


def test_an_issue_keeps_its_english_message_its_code_and_its_params():
    _parsed, issues = validation.check_value(RATIO, "2015-03", None, "60", "50", None, "", None, ())
    [issue] = issues
    assert (issue.code, issue.message) == (
        "numerator_above_denominator",
        "60 is more than the denominator 50",
    )
    assert dict(issue.params) == {"number": "60", "denominator": "50"}
    with translation.override("es"):
        assert messages.localized(issue) == "60 es mayor que el denominador 50"
    with translation.override("en"):
        assert messages.localized(issue) == issue.message


def test_measurements_and_numbers_that_cannot_be_read_are_translated_too():
    sampled = SimpleNamespace(code="S", type="sampled")
    _parsed, issues = validation.check_sampled(
        sampled, "2015-03", None, None, None, None, "21; x; 35", None
    )
    _parsed, more = validation.check_value(RATIO, "2015-03", None, "abc", "50", None, "", None, ())
    with translation.override("es"):
        texts = [messages.localized(i) for i in issues + more]
    assert texts == [
        "la medición 2 ('x') no es un número; separe las mediciones con punto y "
        "coma, comas o espacios",
        "'abc' no es un número",
    ]


@pytest.fixture
def period(settings):
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


def test_the_entry_page_shows_the_error_in_spanish_to_a_spanish_reader(
    client, data_lead, team, chosen, period
):
    data_lead.language = "es"
    data_lead.save(update_fields=["language"])
    client.force_login(data_lead)
    response = client.post(
        f"/networks/safe-sleep/ga/data/{period.label}/",
        {"version": "0", "action": "save", "m-SS-CRIB-num": "60", "m-SS-CRIB-den": "50"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "60 es mayor que el denominador 50" in html
    assert "is more than the denominator" not in html
    assert not DataValue.objects.exists()


def test_the_import_lists_its_errors_in_spanish_for_a_spanish_browser(as_persona, chosen, member):
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY)
    client = as_persona("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es-PR,es;q=0.9"
    response = upload(
        client,
        csv_bytes(
            f"GA,safe-sleep,SS-CRIB,{month.label},40,50,,,",
            f"GA,safe-sleep,SS-EDU,{month.label},60,50,,,",
            f"GA,safe-sleep,SS-CRIB,{month.previous().label},abc,50,,,",
            f"GA,safe-sleep,NOPE,{month.label},1,2,,,",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    # The column keeps the file's own (English) heading; the message is in Spanish.
    assert (
        '<th scope="row">3</th><td><code>numerator</code></td>'
        '<td>60 es mayor que el denominador 50</td>' in page
    )
    assert "&#x27;abc&#x27; no es un número" in page
    assert "no hay ninguna medida con el código &#x27;NOPE&#x27;" in page  # the file's rows
    assert not DataValue.objects.exists()


def test_the_import_s_own_row_messages_read_in_spanish(chosen, team):
    """A repeated row and a measure the team has not chosen, as the streamed import says
    them to a Spanish reader (the uploader's language, also in a worker)."""
    from .test_io_import import GOOD, refused

    rows = csv_bytes(GOOD[0], GOOD[0], "GA,safe-sleep,SS-TRAIN,2015-Q1,1,2,,,")
    with translation.override("es"):
        errors = refused(rows)
    assert "fila 3, measure: repite la fila 2 (mismo equipo, medida, período y estrato)" \
        in errors
    assert any("no ha elegido SS-TRAIN; elíjala primero entre las medidas del equipo" in e
               for e in errors), errors
    with translation.override("en"):
        assert "row 3, measure: repeats row 2 (same team, measure, period and stratum)" \
            in refused(rows)


def test_the_import_s_period_and_stratum_messages_read_in_spanish(chosen, team):
    """A period label that is not one, a period of the wrong frequency and a stratum the
    measure does not have, as the import says them to a Spanish reader; the column stays the
    file's own heading."""
    from .test_io_import import refused

    rows = csv_bytes(
        "GA,safe-sleep,SS-CRIB,March 2015,1,2,,,",
        "GA,safe-sleep,IMR,2015-03,1,2,,,",
        "GA,safe-sleep,IMR,2015-Q1,1,2,,martian,",
    )
    with translation.override("es"):
        errors = refused(rows)
    assert errors == [
        "fila 2, period: 'March 2015' no es un período: use 2015-03 (mes), 2015-Q1 "
        "(trimestre), 2015-H1 (semestre) o 2015 (año)",
        "fila 3, period: IMR se informa trimestralmente; '2015-03' es un mes",
        "fila 4, stratum: no hay estrato 'martian' de raza/etnicidad; use uno de: nh-white, "
        "nh-black, hispanic, nh-asian-pi, nh-aian, other",
    ]
    with translation.override("en"):
        assert refused(rows)[1] == "row 3, period: IMR is reported quarterly; '2015-03' is a month"
    with translation.override("es"), pytest.raises(ValueError, match="no empieza un período "
                                                   "trimestral"):
        Period(Period.parse("2015-02").start, Frequency.QUARTERLY)


def test_the_import_s_file_messages_read_in_spanish(chosen, team):
    """A header without its columns and a file that is not UTF-8, as the import says them
    to a Spanish reader; the columns keep the file's own headings."""
    from .test_io_import import refused

    header = b"jurisdiction,measure,notes\nGA,SS-CRIB,x\n"
    with translation.override("es"):
        errors = refused(header)
        latin = refused("jurisdiction,network\nGA,señal\n".encode("latin-1"))
    assert "fila 1, network: falta la columna en el encabezado" in errors
    assert any(e.startswith("fila 1, notes: no es una columna; use jurisdiction, network")
               for e in errors), errors
    assert latin == ["fila 1, file: no es texto UTF-8; guarde el CSV como UTF-8"]
    with translation.override("en"):
        assert "row 1, network: column is missing from the header" in refused(header)
