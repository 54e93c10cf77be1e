"""Team reports as HTML, PDF and XLSX, kept as snapshots that can be made again."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from coiin.measures import services as reporting
from coiin.measures.models import Submission
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.reports.documents import snapshots
from coiin.reports.documents import team as documents
from coiin.reports.models import ReportSnapshot
from tests.conftest import fixtures_from, georgia_safe_sleep, report_months, shared_rows

from ..pdftools import fonts, open_pdf, save_png, text

VALUES = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32, 40, 41, 42, 40]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_crib() -> SimpleNamespace:
    """Georgia's Safe Sleep team reports 16 months of crib audits from January 2015, the last
    provisional and reviewed by its faculty coach.

    Made once for the module's tests, which follow one another on one worker (what a test
    writes is rolled back after it); the fixtures it is made of (reference, catalog, team,
    chosen, data_lead, faculty) are these rows, the other personas are made per test."""
    rows = georgia_safe_sleep("data_lead", "faculty")
    rows.team.joined_on = dt.date(2014, 1, 1)
    rows.team.save()
    report_months(rows.team, rows.catalog["SS-CRIB"], rows.data_lead, VALUES, denominator=50,
                  final_but_last=True)
    last = Submission.objects.get(period_start=dt.date(2016, 4, 1))
    reporting.review(submission=last, user=rows.faculty,
                     assessment="Keep the night audits going.")
    return rows


_crib_rows, crib_rows = shared_rows("crib_rows", make_crib)
pytestmark = pytest.mark.xdist_group("team-reports")


globals().update(fixtures_from("crib_rows",
                               "reference", "catalog", "team", "chosen", "data_lead", "faculty"))


@pytest.fixture
def crib(catalog):
    return catalog["SS-CRIB"]


def test_inputs_hold_what_the_report_shows(team, crib):
    inputs = documents.team_inputs(team, Period.parse("2016-04"))
    crib_rows = [v for v in inputs["values"] if v[0] == "SS-CRIB"]
    assert len(crib_rows) == 16
    assert crib_rows[0] == ["SS-CRIB", "2015-01-01", "30", "50", None, True, "submitted"]
    assert inputs["assessment"]["text"] == "Keep the night audits going."
    assert inputs["period"] == "2016-04"


def test_a_period_limit_leaves_later_data_out(team, crib):
    inputs = documents.team_inputs(team, Period.parse("2015-06"))
    assert len([v for v in inputs["values"] if v[0] == "SS-CRIB"]) == 6


def test_the_report_lists_provisional_values(team, crib):
    context = documents.team_context(documents.team_inputs(team, Period.parse("2016-04")))
    assert context["provisional"] == ["SS-CRIB 2016-04"]
    html = documents.render_html(context)
    assert "SS-CRIB 2016-04" in html and "Keep the night audits going." in html
    assert "<svg" in html  # the chart, drawn on the server


def test_a_spanish_report_names_each_chart_kind_in_spanish(team, crib):
    from django.utils import translation

    with translation.override("es"):
        context = documents.team_context(documents.team_inputs(team, Period.parse("2016-04")))
        html = documents.render_html(context)
    assert "SS-CRIB · Gráfico p" in html
    assert " chart ·" not in html


def test_pdf_has_pages_and_the_chart(team, crib):
    context = documents.team_context(documents.team_inputs(team, Period.parse("2016-04")))
    from weasyprint import HTML

    pdf = documents.render(context, "pdf")
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    pages = HTML(string=documents.render_html(context)).render().pages
    assert len(pages) >= 3  # contents, a page per measure with data, the rest


def test_team_pdf_uses_the_shipped_font_and_numbers_its_pages(team, crib):
    context = documents.team_context(documents.team_inputs(team, Period.parse("2016-04")))
    pdf = open_pdf(documents.render(context, "pdf"))
    first = text(pdf, 0)
    assert f"page 1 of {len(pdf)}" in first and "Contents" in first
    assert fonts(pdf[0]) == {"CoIIN-Sans", "CoIIN-Sans-Bold"}
    save_png(pdf, 0, "team-report-page-1.png")


def test_xlsx_has_a_sheet_per_measure_with_real_numbers(team, crib):
    context = documents.team_context(documents.team_inputs(team, Period.parse("2016-04")))
    book = load_workbook(io.BytesIO(documents.render(context, "xlsx")))
    assert "Summary" in book.sheetnames and "SS-CRIB" in book.sheetnames
    sheet = book["SS-CRIB"]
    assert [c.value for c in sheet[1]][:4] == ["Period", "Numerator", "Denominator", "Value"]
    assert sheet["B2"].value == 30 and isinstance(sheet["D2"].value, int | float)
    assert sheet["D2"].value == pytest.approx(60.0)
    assert book["Provisional"]["A2"].value == "SS-CRIB 2016-04"


def test_a_snapshot_keeps_its_figures_when_the_data_change_later(team, crib, backbone,
                                                                 catalog):
    snapshot, data = snapshots.make_team_report(team=team, period=Period.parse("2016-04"),
                                                fmt="xlsx", user=backbone)
    before = documents.figures(snapshots.remake(snapshot))
    # Later, January 2015 is reopened and corrected.
    jan = Submission.objects.get(period_start=dt.date(2015, 1, 1))
    jan = reporting.reopen(submission=jan, user=backbone, reason="corrected audit")
    reporting.grant_exception(submission=jan, user=backbone,
                              until=dt.date.today() + dt.timedelta(days=3), reason="fix")  # noqa: DTZ011
    jan.refresh_from_db()
    reporting.save_values(submission=jan, user=backbone, expected_version=jan.version,
                          entries=[Entry(catalog["SS-CRIB"], "2015-01", numerator="45",
                                         denominator="50", confirm="ok")])
    reporting.submit(submission=jan, user=backbone)
    fresh = documents.figures(documents.team_context(
        documents.team_inputs(team, Period.parse("2016-04"))))
    assert fresh != before  # today's report differs ...
    assert documents.figures(snapshots.remake(snapshot)) == before  # ... the snapshot does not
    assert snapshots.stored_file(snapshot) == data
    assert snapshot.sha256 == documents.sha256(data)


def test_snapshots_never_change(team, crib):
    snapshot, _ = snapshots.make_team_report(team=team, period=Period.parse("2016-04"),
                                             fmt="html")
    snapshot.period = "2099-01"
    with pytest.raises(ValueError, match="never changes"):
        snapshot.save()


def test_a_tampered_file_is_detected(team, crib, settings):
    snapshot, _ = snapshots.make_team_report(team=team, period=Period.parse("2016-04"),
                                             fmt="html")
    (settings.MEDIA_ROOT / snapshot.file).write_bytes(b"changed")
    with pytest.raises(ValueError, match="does not match its SHA-256"):
        snapshots.stored_file(snapshot)


def test_report_command(team, crib, tmp_path, capsys):
    out = tmp_path / "team.pdf"
    call_command("report", "team", "--team", str(team.pk), "--period", "2016-04",
                 "--format", "pdf", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "snapshot" in capsys.readouterr().out
    assert ReportSnapshot.objects.get().format == "pdf"


def test_report_command_names_bad_arguments(team, crib, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--period: '2016-13' is not a period"):
        call_command("report", "team", "--team", str(team.pk), "--period", "2016-13",
                     "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--team: no team with id 999999"):
        call_command("report", "team", "--team", "999999", "--period", "2016-04",
                     "-o", str(tmp_path / "x.pdf"))


def test_reports_page_makes_and_lists_snapshots(client, lead, team, crib,
                                                django_capture_on_commit_callbacks):
    client.force_login(lead)
    page = client.get("/networks/safe-sleep/ga/reports/")
    assert page.status_code == 200 and page.context["default_period"] == "2016-04"
    # The report is made in the background (at once here) and its progress page links it.
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/networks/safe-sleep/ga/reports/",
                           {"period": "2016-04", "format": "xlsx"})
    assert made.status_code == 302 and made["Location"].startswith("/reports/jobs/")
    response = client.get(made["Location"])
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.created_by == lead and snapshot.format == "xlsx"
    assert f"/reports/snapshots/{snapshot.pk}/" in response.content.decode()
    again = client.get(f"/reports/snapshots/{snapshot.pk}/")
    assert again["Content-Disposition"].endswith('.xlsx"')
    assert again.content == snapshots.stored_file(snapshot)
    bad = client.post("/networks/safe-sleep/ga/reports/", {"period": "soon", "format": "pdf"})
    assert bad.status_code == 400 and "is not a period" in bad.content.decode()


@pytest.mark.parametrize(("name", "status"), [("outsider", 404), ("stranger", 404),
                                              ("funder", 200), ("faculty", 200)])
def test_who_sees_team_reports(as_persona, name, status, team, crib):
    assert as_persona(name).get("/networks/safe-sleep/ga/reports/").status_code == status


def test_the_report_draws_the_chart_type_the_team_chose_g_and_t_included(team, crib,
                                                                           catalog,
                                                                           data_lead):
    from coiin.charts import services as chart_services
    from coiin.measures.services import events as event_services

    chart_services.set_chart_type(team=team, measure=crib, chart_type="i", user=data_lead,
                                  reason="a coach's preference")
    srid = catalog["SS-SRID"]
    reporting.choose_measures(team=team, measures=[crib, srid])
    day = dt.date(2015, 1, 5)
    for gap in [30, 45, 28, 60, 41, 37]:
        day += dt.timedelta(days=gap)
        event_services.record_event(team=team, measure=srid, on=day, user=data_lead)
    inputs = documents.team_inputs(team, Period.parse("2016-04"))
    assert inputs["settings"]["SS-CRIB"]["chart_type"] == "i"
    assert len(inputs["events"]) == 6
    sections = {s["measure"].code: s for s in documents.team_context(inputs)["sections"]}
    assert sections["SS-CRIB"]["chart"].chart_type == "i"
    srid_chart = sections["SS-SRID"]["chart"]
    assert srid_chart.chart_type == "t"  # no births recorded: days between deaths
    assert [p.y for p in srid_chart.chart.points[1:]] == [45, 28, 60, 41, 37]
    html = documents.render_html(documents.team_context(inputs))
    assert "XmR (individuals) chart" in html and "t chart (days between events)" in html


def test_an_html_report_asked_for_in_spanish_is_made_in_spanish(
        client, lead, team, crib, django_capture_on_commit_callbacks):
    from django.utils import translation

    client.force_login(lead)
    with django_capture_on_commit_callbacks() as queued:
        made = client.post("/networks/safe-sleep/ga/reports/",
                           {"period": "2016-04", "format": "html"}, HTTP_ACCEPT_LANGUAGE="es")
    assert made.status_code == 302
    with translation.override("en"):  # a worker runs it later, whatever its own language
        for run in queued:
            run()
    snapshot = ReportSnapshot.objects.get()
    html = client.get(f"/reports/snapshots/{snapshot.pk}/").content.decode()
    assert '<html lang="es">' in html
    for spanish in ("CoIIN de Mortalidad Infantil · informe del equipo", "Contenido",
                    "Cambios adoptados y ciclos PDSA", "Evaluación del asesor",
                    "Valores provisionales", "página"):
        assert spanish in html, spanish
    assert "Provisional values" not in html and "Contents" not in html
