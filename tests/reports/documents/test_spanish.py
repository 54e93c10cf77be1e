"""Reports in the reader's language: a workbook's sheet names and headings, the measures'
names and the method sentences, made in the requester's language (else the person's own,
else the default) whether made at once, in the background or on a schedule."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from coiin.charts.summaries import survey as pooling
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.reports import equity, membership
from coiin.reports.documents import snapshots
from coiin.reports.documents import team as documents
from coiin.reports.documents.national import national_context, national_inputs
from coiin.reports.documents.network import network_context, network_inputs
from coiin.reports.models import ReportSnapshot
from coiin.stats import survey as stats_survey
from tests.conftest import shared_rows

from .test_team import make_crib

_spanish_rows, spanish_rows = shared_rows("spanish_rows", make_crib)
pytestmark = pytest.mark.xdist_group("team-reports")
PERIOD = Period.parse("2016-04")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def team(spanish_rows):
    return spanish_rows.team


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_a_team_workbook_made_in_spanish_has_spanish_headings_and_names(team):
    with translation.override("es"):
        context = documents.team_context(documents.team_inputs(team, PERIOD))
        book = _book(documents.render(context, "xlsx"))
    assert book.sheetnames == ["Resumen", "SS-CRIB", "Provisionales"]
    summary = book["Resumen"]
    # The team's name in Spanish too: its learning network's short name is translated.
    assert summary["A1"].value == "Georgia · Sueño seguro: informe de 2016-04"
    assert [c.value for c in summary[3]][:3] == ["Medida", "Código", "Último período"]
    crib = Measure.objects.get(code="SS-CRIB")
    names = {row[1].value: row[0].value for row in summary.iter_rows(min_row=4)}
    assert crib.name_es and names["SS-CRIB"] == crib.name_es  # the name in Spanish
    assert [c.value for c in book["SS-CRIB"][1]][:4] == [
        "Período",
        "Numerador",
        "Denominador",
        "Valor",
    ]
    assert book["Provisionales"]["A1"].value == (
        "Valores que eran provisionales cuando se hizo el informe"
    )


def test_the_network_and_national_workbooks_in_spanish(team):
    with translation.override("es"):
        network = _book(
            documents.render(network_context(network_inputs(team.learning_network, PERIOD)), "xlsx")
        )
        national = _book(documents.render(national_context(national_inputs(PERIOD)), "xlsx"))
    assert network.sheetnames[:5] == [
        "Participación",
        "Completitud",
        "Agrupado",
        "Embudo",
        "Lo que funciona",
    ]
    assert [c.value for c in network["Completitud"][1]][:3] == [
        "Jurisdicción",
        "Se unió",
        "Miembros",
    ]
    assert network["Lo que funciona"]["C1"].value == "Mejora sostenida"
    assert national.sheetnames[:2] == ["Estrategias", "Resultados"]
    assert national["Estrategias"]["A1"].value == (
        "CoIIN de Mortalidad Infantil: informe nacional de 2016-04"
    )


def test_a_report_asked_for_on_a_spanish_page_is_made_in_spanish(
    client, lead, team, django_capture_on_commit_callbacks
):
    lead.language = "es"
    lead.save(update_fields=["language"])
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            "/networks/safe-sleep/ga/reports/", {"period": "2016-04", "format": "xlsx"}
        )
    assert made.status_code == 302
    snapshot = ReportSnapshot.objects.get()
    assert "Resumen" in _book(snapshots.stored_file(snapshot)).sheetnames


def test_a_report_made_without_a_request_is_in_its_owner_s_language_else_english(lead, team):
    _snapshot, english = snapshots.make_report(
        "team", period=PERIOD, fmt="xlsx", team=team, user=lead
    )
    assert "Summary" in _book(english).sheetnames
    lead.language = "es"
    _snapshot, spanish = snapshots.make_report(
        "team", period=PERIOD, fmt="xlsx", team=team, user=lead
    )
    assert "Resumen" in _book(spanish).sheetnames
    _snapshot, asked = snapshots.make_report(
        "team", period=PERIOD, fmt="xlsx", team=team, user=lead, language="en"
    )
    assert "Summary" in _book(asked).sheetnames
    assert snapshots.report_language() == "en-us"


def test_the_method_sentences_in_spanish_and_english():
    with translation.override("en"):
        assert str(equity.METHOD) == (
            "95 % confidence intervals: log-scale Wald for the ratio, Wald for the difference."
        )
        assert str(pooling.METHOD) == stats_survey.METHOD  # the pure module's, word for word
        assert str(pooling.NOTE).startswith("Survey estimates pooled births-weighted")
    with translation.override("es"):
        assert str(equity.METHOD) == (
            "Intervalos de confianza de 95 %: Wald en escala "
            "logarítmica para la razón, Wald para la diferencia."
        )
        assert str(pooling.METHOD).startswith(
            "media de los estimados de las jurisdicciones ponderada por nacimientos"
        )
        assert str(pooling.NOTE).startswith(
            "Estimados de encuesta agrupados y ponderados por nacimientos"
        )


def test_the_pooling_membership_sentence_in_spanish():
    found = [membership.Change(dt.date(2013, 1, 1), "2013-01", 13, 19)]
    with translation.override("es"):
        text = membership.sentence(found, 13)
        marker = membership.markers(found)[0]
    assert text.startswith(
        "Las jurisdicciones sumadas cambian con el tiempo, así que la serie "
        "no es una sola población: comienza con 13 y luego 2013-01: de 13 "
        "a 19."
    )
    assert marker.text == "13 → 19 jurisdicciones"
    assert membership.sentence(found, 13).startswith("The jurisdictions summed change")


def test_the_team_workbook_s_summary_column_and_the_funnel_s_words_in_spanish(team):
    from coiin.reports.dashboards.network import Funnel, where_text

    with translation.override("es"):
        context = documents.team_context(documents.team_inputs(team, PERIOD))
        summary = _book(documents.render(context, "xlsx"))["Resumen"]
    said = {row[1]: row[6] for row in summary.iter_rows(min_row=4, values_only=True)}
    assert said["IMR"] == "Aún no se han reportado datos."
    assert said["SS-CRIB"].startswith("11 puntos seguidos por debajo de la línea central")
    with translation.override("en"):
        context = documents.team_context(documents.team_inputs(team, PERIOD))
        summary = _book(documents.render(context, "xlsx"))["Summary"]
    assert {row[1]: row[6] for row in summary.iter_rows(min_row=4, values_only=True)}[
        "IMR"] == "No data reported yet."

    funnel = Funnel(PERIOD, 5.0, [{"team": "Georgia", "where": "above 99.8%"},
                                  {"team": "Ohio", "where": "inside"}], {})
    with translation.override("es"):
        assert [r["where"] for r in funnel.teams_in_words] == ["por encima del 99.8%",
                                                               "dentro de los límites"]
        assert where_text("below 95%") == "por debajo del 95%"
    with translation.override("en"):
        assert [r["where"] for r in funnel.teams_in_words] == ["above 99.8%", "inside"]
    assert funnel.teams[0]["where"] == "above 99.8%"  # the kept funnel keeps its codes


def test_the_funnel_plot_s_words_follow_the_reader_s_language():
    from coiin.charts.vega import funnel_spec

    teams = [{"team": "Georgia", "code": "GA", "value": 9.0, "n": 900.0, "where": "above 95%"},
             {"team": "Ohio", "code": "OH", "value": 5.0, "n": 1200.0, "where": "inside"}]
    curve = [{"n": n, "lower_95": 2.0, "upper_95": 8.0, "lower_99.8": 1.0,
              "upper_99.8": 9.5} for n in (500.0, 1500.0)]
    words = {"Against the limits": "Frente a los límites", "above 95%": "por encima del 95%",
             "inside": "dentro de los límites"}
    spec = funnel_spec([dict(t) for t in teams], curve, target=5.5, unit="", title="t",
                       words=words)
    points = next(layer for layer in spec["layer"] if layer.get("transform")
                  and layer["mark"]["type"] == "point")
    assert points["encoding"]["color"]["field"] == "where"  # one colour per kind, any language
    assert "'dentro de los límites'" in points["transform"][0]["calculate"]
    assert "'por encima del 95%'" in points["encoding"]["shape"]["legend"]["labelExpr"]
    assert points["encoding"]["tooltip"][-1] == {"field": "where_shown",
                                                 "title": "Frente a los límites"}
    english = funnel_spec([dict(t) for t in teams], curve, target=5.5, unit="", title="t")
    shown = next(layer for layer in english["layer"] if layer.get("transform")
                 and layer["mark"]["type"] == "point")
    assert shown["encoding"]["tooltip"][-1]["title"] == "Against the limits"
    assert "labelExpr" not in shown["encoding"]["shape"]["legend"]
