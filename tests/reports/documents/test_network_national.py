"""Learning-network and national reports: contents on a small hand-checked network, the PDF
and XLSX read back, snapshots made again from their inputs, the command line, the pages."""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coiin.demo.network import load_reference
from coiin.improvement import services as improvement
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.measures.models import Submission
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import TeamMembership
from coiin.reports.documents import snapshots
from coiin.reports.documents import team as documents
from coiin.reports.documents.models import ReportSnapshot
from coiin.reports.documents.national import national_context, national_inputs
from coiin.reports.documents.network import figures, network_context, network_inputs
from tests.conftest import fixtures_from, make_user, shared_rows

from ..pdftools import fonts, open_pdf, save_png, text

JUNE = Period.parse("2015-06")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def put(team, measure, label, num, den, user, *, final=True, late_days=None):
    """Report one value and submit it; submitted on the third day after the period ends,
    or ``late_days`` after its due date."""
    period = Period.parse(label)
    sub = reporting.submission_for(team, period)
    day = period.end + dt.timedelta(days=3)
    reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                          entries=[Entry(measure, label, numerator=str(num),
                                         denominator=str(den), confirm="ok")], today=day)
    reporting.submit(submission=sub, user=user, is_final=final, today=day)
    if late_days is not None:
        day = reporting.due_date(period) + dt.timedelta(days=late_days)
    # submit() stamps the real clock; the report judges timeliness by this date.
    Submission.objects.filter(pk=sub.pk).update(
        submitted_at=dt.datetime(day.year, day.month, day.day, 16, tzinfo=dt.UTC))


def join(jurisdictions, networks, code, joined_on):
    return network_services.join_network(jurisdiction=jurisdictions[code],
                                         learning_network=networks["safe-sleep"],
                                         joined_on=joined_on)


def make_small() -> SimpleNamespace:
    """Safe Sleep with three teams, values up to June 2015 (hand-checked in the tests).

    Georgia (from January): crib audits Jan-Jun but April, March late; IMR Q1 and Q2
    (Q2 provisional). Texas (from March): crib audits Mar-Jun, June provisional; IMR Q2
    only. Mississippi (from June): a crib audit in June, no IMR.

    Made once for the module's tests, which follow one another on one worker (what a test
    writes is rolled back after it); the fixtures it is made of (reference, catalog, team,
    data_lead) are these rows, the other personas are made per test.
    """
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    team = network_services.join_network(jurisdiction=jurisdictions["GA"],
                                         learning_network=networks["safe-sleep"])
    data_lead = make_user("dara.data@example.org")
    network_services.add_member(team=team, user=data_lead, role=TeamMembership.Role.DATA_LEAD)
    idea = improvement.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits in birthing hospitals",
        description="Audit sleep environments monthly.", evidence="AAP 2016.")
    crib, imr = catalog["SS-CRIB"], catalog["IMR"]
    team.joined_on = dt.date(2015, 1, 1)
    team.save()
    tx = join(jurisdictions, networks, "TX", dt.date(2015, 3, 1))
    ms = join(jurisdictions, networks, "MS", dt.date(2015, 6, 1))
    reporting.choose_measures(team=team, measures=[crib, imr])
    reporting.choose_measures(team=tx, measures=[crib, imr])
    reporting.choose_measures(team=ms, measures=[crib])
    network_services.add_member(team=tx, user=data_lead, role="data_lead")
    for label, num in [("2015-01", 30), ("2015-02", 32), ("2015-05", 31), ("2015-06", 30)]:
        put(team, crib, label, num, 50, data_lead)
    put(team, crib, "2015-03", 29, 50, data_lead, late_days=5)
    put(team, imr, "2015-Q1", 3, 1000, data_lead)
    put(team, imr, "2015-Q2", 2, 1100, data_lead, final=False)
    for label, num in [("2015-03", 20), ("2015-04", 25), ("2015-05", 22)]:
        put(tx, crib, label, num, 50, data_lead)
    put(tx, crib, "2015-06", 24, 50, data_lead, final=False)
    put(tx, imr, "2015-Q2", 5, 900, data_lead)
    put(ms, crib, "2015-06", 18, 50, data_lead)
    # A value after the report's period: never in it.
    put(team, crib, "2015-07", 45, 50, data_lead)
    for t, month, score, rater in [(team, 5, "3.0", "team"), (team, 6, "3.5", "team"),
                                   (team, 6, "3.0", "coach"), (team, 7, "4.0", "team"),
                                   (tx, 6, "2.0", "team")]:
        improvement.record_score(team=t, month=dt.date(2015, month, 1), score=score,
                                 rater=rater)
    improvement.set_status(team=team, change_idea=idea, status="testing",
                           on=dt.date(2015, 3, 1))
    improvement.set_status(team=tx, change_idea=idea, status="testing",
                           on=dt.date(2015, 8, 1))  # after June: not in the report
    improvement.plan_cycle(team=team, change_idea=idea, user=data_lead,
                           measures=[crib], title="Night audits", objective="o",
                           questions="q", predictions="p", plan_who="w", plan_what="w",
                           plan_where="w", starts=dt.date(2015, 3, 1))
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog, team=team,
                           data_lead=data_lead, small={"GA": team, "TX": tx, "MS": ms})


_small_rows, small_rows = shared_rows("small_rows", make_small)
pytestmark = pytest.mark.xdist_group("network-national-reports")


globals().update(fixtures_from("small_rows", "reference", "catalog", "team", "data_lead"))


@pytest.fixture
def small(small_rows):
    return dict(small_rows.small)


@pytest.fixture
def safe_sleep(networks):
    return networks["safe-sleep"]


# -- the learning-network report ---------------------------------------------------------


def test_network_report_participation_and_completeness(small, safe_sleep):
    context = network_context(network_inputs(safe_sleep, JUNE))
    assert context["participation"] == {"teams": 3, "jurisdictions": 3, "members": 2}
    rows = {r["postal"]: r["completeness"] for r in context["team_rows"]}
    # Georgia: 6 months + 2 quarters due; April missing; March late.
    assert (rows["GA"].due, rows["GA"].submitted, rows["GA"].on_time) == (8, 7, 6)
    # Texas: March-June + Q1 (it joined in Q1) and Q2; Q1 missing.
    assert (rows["TX"].due, rows["TX"].submitted, rows["TX"].on_time) == (6, 5, 5)
    assert (rows["MS"].due, rows["MS"].submitted, rows["MS"].on_time) == (1, 1, 1)
    total = context["completeness"]
    assert (total.due, total.submitted, total.on_time) == (15, 13, 12)
    assert total.share_submitted == pytest.approx(13 / 15)


def test_network_report_pools_funnels_scores_and_what_works(small, safe_sleep):
    context = network_context(network_inputs(safe_sleep, JUNE))
    numbers = figures(context)
    crib = {label: y for label, y, _cl in numbers["pooled"]["SS-CRIB"]}
    assert crib == pytest.approx({"2015-01": 60.0, "2015-02": 64.0, "2015-03": 49.0,
                                  "2015-04": 50.0, "2015-05": 53.0, "2015-06": 48.0})
    imr = {label: y for label, y, _cl in numbers["pooled"]["IMR"]}
    assert imr == pytest.approx({"2015-Q1": 3.0, "2015-Q2": 3.5})
    section = next(s for s in context["sections"] if s["measure"].code == "SS-CRIB")
    assert section["contributors"] == {"2015-01": 1, "2015-02": 1, "2015-03": 2,
                                       "2015-04": 1, "2015-05": 2, "2015-06": 3}
    period, teams = numbers["funnels"]["SS-CRIB"]
    assert period == "2015-06"
    assert [(t["code"], t["value"]) for t in teams] == [("GA", 60.0), ("MS", 36.0),
                                                        ("TX", 48.0)]
    assert section["funnel"].target == pytest.approx(48.0)
    assert "<svg" in section["pooled_svg"] and "<svg" in section["funnel_svg"]
    scores = {r["postal"]: (r["team_score"], r["coach_score"]) for r in context["team_rows"]}
    assert scores == {"GA": (("2015-06", 3.5), ("2015-06", 3.0)),
                      "TX": (("2015-06", 2.0), None), "MS": (None, None)}
    (works,) = context["works"]
    assert works["idea"] == "Crib audits in birthing hospitals" and works["teams"] == 1
    assert dict(works["counts"])["Not enough data"] == 1
    assert context["provisional"] == ["Georgia IMR 2015-Q2", "Texas SS-CRIB 2015-06"]


def test_network_html_lists_everything(small, safe_sleep):
    html = documents.render(network_context(network_inputs(safe_sleep, JUNE)), "html").decode()
    assert "Georgia IMR 2015-Q2; Texas SS-CRIB 2015-06" in html
    assert 'href="#completeness"' in html and "target-counter" in html
    assert "@font-face" in html and "DejaVuSans.ttf" in html


def test_network_pdf_reads_back_with_contents_and_page_numbers(small, safe_sleep):
    pdf_bytes = documents.render(network_context(network_inputs(safe_sleep, JUNE)), "pdf")
    pdf = open_pdf(pdf_bytes)
    pages = len(pdf)
    assert pages >= 4  # contents, a chapter per measure with data, scores and what works
    first = text(pdf, 0)
    assert "SIDS/SUID and Safe Sleep" in first and "Contents" in first
    assert f"page 1 of {pages}" in first
    # The contents give each section's page number (WeasyPrint's target-counter).
    assert re.search(r"Participation\.+\s*1\b", first)
    scores_page = next(i for i in range(pages) if "IHI assessment scale" in text(pdf, i))
    assert re.search(rf"Progress scores\.+\s*{scores_page + 1}\b", first)
    everything = text(pdf)
    assert "Texas SS-CRIB 2015-06" in everything and "What works" in everything
    assert fonts(pdf[0]) == {"CoIIN-Sans", "CoIIN-Sans-Bold"}  # shipped, not the system's
    assert save_png(pdf, 0, "network-report-page-1.png").stat().st_size > 10_000


def test_network_xlsx_holds_real_numbers(small, safe_sleep):
    book = load_workbook(io.BytesIO(documents.render(
        network_context(network_inputs(safe_sleep, JUNE)), "xlsx")))
    assert book.sheetnames == ["Participation", "Completeness", "Pooled", "Funnel",
                               "What works", "Provisional"]
    completeness = book["Completeness"]
    ga = next(r for r in completeness.iter_rows(min_row=2) if r[0].value == "Georgia")
    assert [c.value for c in ga[3:6]] == [8, 7, 6]
    assert ga[6].value == pytest.approx(7 / 8) and ga[6].number_format == "0.0%"
    pooled = book["Pooled"]
    june = next(r for r in pooled.iter_rows(min_row=2)
                if r[0].value == "SS-CRIB" and r[1].value == "2015-06")
    assert june[4].value == pytest.approx(48.0) and isinstance(june[4].value, int | float)
    assert june[4].number_format == "#,##0.00" and june[8].value == 3
    assert [c.value for c in book["Provisional"]["A"]][1:] == ["Georgia IMR 2015-Q2",
                                                              "Texas SS-CRIB 2015-06"]


def test_network_snapshot_keeps_its_figures(small, safe_sleep, catalog, backbone):
    snapshot, data = snapshots.make_report("network", period=JUNE, fmt="html",
                                           network=safe_sleep, user=backbone)
    assert snapshot.kind == "network" and snapshot.network == safe_sleep
    made = figures(network_context(snapshot.inputs))
    assert figures(snapshots.remake(snapshot)) == made
    # Later Georgia's April is reported: the report made today changes, the snapshot not.
    put(small["GA"], catalog["SS-CRIB"], "2015-04", 40, 50, backbone)
    fresh = figures(network_context(network_inputs(safe_sleep, JUNE)))
    assert fresh["completeness"]["GA"] == (8, 8, 7)
    assert fresh != made
    assert figures(snapshots.remake(snapshot)) == made
    assert snapshots.stored_file(snapshot) == data


# -- the national report -----------------------------------------------------------------


def test_national_report_per_strategy(small):
    context = national_context(national_inputs(JUNE))
    strategy = {s["network"].slug: s for s in context["strategies"]}
    assert len(strategy) == 6
    ss = strategy["safe-sleep"]
    assert (ss["teams"], ss["jurisdictions"]) == (3, 3)
    # Live births: IMR denominators of the last 12 months; Mississippi reported none.
    assert (ss["births"], ss["births_known"]) == (3000.0, 2)
    c = ss["completeness"]
    assert (c.due, c.submitted, c.on_time) == (15, 13, 12)
    (imr,) = ss["outcomes"]
    assert imr["measure"].code == "IMR"
    assert imr["latest"] == pytest.approx(3.5) and imr["latest_period"] == "2015-Q2"
    assert imr["baseline"] == pytest.approx(3.25)  # the run chart's median
    assert imr["better"] is False  # the rate rose; lower is better
    assert ss["ideas_tested"] == 1 and ss["sustained"] == []
    assert strategy["smoking-cessation"]["teams"] == 0
    assert strategy["smoking-cessation"]["births"] is None
    assert context["totals"]["births"] == 3000.0
    assert context["provisional"] == ["Georgia (safe-sleep) IMR 2015-Q2"]
    (national_imr,) = context["national"]
    assert national_imr["latest"] == pytest.approx(3.5)


def test_national_pdf_and_xlsx(small):
    context = national_context(national_inputs(JUNE))
    pdf_bytes = documents.render(context, "pdf")
    pdf = open_pdf(pdf_bytes)
    everything = text(pdf)
    assert "national report to the funder" in everything
    assert f"page {len(pdf)} of {len(pdf)}" in everything
    assert "Georgia (safe-sleep) IMR 2015-Q2" in everything
    assert fonts(pdf[0]) == {"CoIIN-Sans", "CoIIN-Sans-Bold"}
    save_png(pdf, 0, "national-report-page-1.png")
    book = load_workbook(io.BytesIO(documents.render(context, "xlsx")))
    assert book.sheetnames == ["Strategies", "Outcomes", "Sustained improvement",
                               "Provisional"]
    row = next(r for r in book["Strategies"].iter_rows(min_row=3)
               if r[0].value == "SIDS/SUID and Safe Sleep")
    assert [c.value for c in row[1:8]] == [3, 3, 3000, 2, 15, 13, 12]
    assert row[3].number_format == "#,##0"
    outcome = next(r for r in book["Outcomes"].iter_rows(min_row=2)
                   if r[0].value == "SIDS/SUID and Safe Sleep")
    assert outcome[4].value == pytest.approx(3.25) and outcome[6].value == pytest.approx(3.5)


def test_national_snapshot_keeps_its_figures(small, catalog, backbone):
    from coiin.reports.documents.national import figures as national_figures

    snapshot, _ = snapshots.make_report("national", period=JUNE, fmt="xlsx", user=backbone)
    made = national_figures(snapshots.remake(snapshot))
    put(small["TX"], catalog["IMR"], "2015-Q1", 4, 950, backbone)  # Texas's missing Q1
    fresh = national_figures(national_context(national_inputs(JUNE)))
    assert fresh["strategies"]["safe-sleep"]["births"] == 3950.0
    assert fresh != made
    assert national_figures(snapshots.remake(snapshot)) == made


def test_national_inputs_queries_do_not_grow_with_teams(small, jurisdictions, networks,
                                                        catalog, data_lead):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            national_inputs(JUNE)
        return len(queries)

    count()  # once-a-process lookups (content types and the like) out of the way
    before = count()
    for code in ("AL", "FL", "LA"):
        t = join(jurisdictions, networks, code, dt.date(2015, 1, 1))
        reporting.choose_measures(team=t, measures=[catalog["SS-CRIB"], catalog["IMR"]])
        put(t, catalog["SS-CRIB"], "2015-02", 20, 50, data_lead)
        put(t, catalog["IMR"], "2015-Q1", 2, 800, data_lead)
    assert count() == before


# -- make_report and the command line ----------------------------------------------------


def test_make_report_names_what_is_missing(small):
    with pytest.raises(ValueError, match="needs a learning network"):
        snapshots.make_report("network", period=JUNE, fmt="pdf")
    with pytest.raises(ValueError, match="not 'county'"):
        snapshots.make_report("county", period=JUNE, fmt="pdf")
    with pytest.raises(ValueError, match="format is one of html, pdf, xlsx, not 'doc'"):
        snapshots.make_report("national", period=JUNE, fmt="doc")


def test_command_makes_network_and_national_reports(small, tmp_path, capsys):
    out = tmp_path / "ss.xlsx"
    call_command("report", "network", "--network", "safe-sleep", "--period", "2015-06",
                 "--format", "xlsx", "-o", str(out))
    assert load_workbook(out)["Completeness"]["D1"].value == "Periods due"
    nat = tmp_path / "national.pdf"
    call_command("report", "national", "--period", "2015-06", "--format", "pdf",
                 "-o", str(nat))
    assert nat.read_bytes().startswith(b"%PDF")
    assert "snapshot" in capsys.readouterr().out
    assert sorted(ReportSnapshot.objects.values_list("kind", "format")) == [
        ("national", "pdf"), ("network", "xlsx")]


@pytest.mark.parametrize(("args", "message"), [
    (["network", "--network", "safe-slep"], "--network: no learning network 'safe-slep'; "
                                            "the codes are: safe-sleep, "),
    (["network"], "a network report needs --network CODE"),
    (["team"], "a team report needs --team ID"),
    (["team", "--network", "safe-sleep"], "--network is for network reports"),
    (["national", "--team", "1"], "--team is for team reports, not national reports"),
    (["national", "--network", "safe-sleep"], "the national report covers every network"),
])
def test_command_names_bad_arguments(reference, tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("report", *args, "--period", "2015-06", "-o", str(tmp_path / "x.pdf"))
    assert not ReportSnapshot.objects.exists()


def test_command_refuses_a_missing_folder(reference, tmp_path):
    with pytest.raises(CommandError, match="-o: the folder .* does not exist"):
        call_command("report", "national", "--period", "2015-06",
                     "-o", str(tmp_path / "nowhere" / "x.pdf"))


# -- the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status"), [
    ("anonymous", 302), ("stranger", 404), ("outsider", 403), ("member", 403),
    ("lead", 403), ("faculty", 200), ("backbone", 200), ("funder", 200)])
def test_who_sees_network_reports(as_persona, name, status, small):
    assert as_persona(name).get("/networks/safe-sleep/reports/").status_code == status


@pytest.mark.parametrize(("name", "status"), [
    ("anonymous", 302), ("stranger", 404), ("member", 403), ("faculty", 200),
    ("backbone", 200), ("funder", 200)])
def test_who_sees_national_reports(as_persona, name, status, small):
    assert as_persona(name).get("/national/reports/").status_code == status


def test_network_reports_page_makes_and_lists_snapshots(client, faculty, small,
                                                        django_capture_on_commit_callbacks):
    client.force_login(faculty)
    page = client.get("/networks/safe-sleep/reports/")
    assert page.context["default_period"] == "2015-07"
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/networks/safe-sleep/reports/", {"period": "2015-06",
                                                              "format": "pdf"})
    assert made.status_code == 302 and made["Location"].startswith("/reports/jobs/")
    snapshot = ReportSnapshot.objects.get()
    assert (snapshot.kind, snapshot.created_by) == ("network", faculty)
    listed = client.get("/networks/safe-sleep/reports/").content.decode()
    assert f"/reports/snapshots/{snapshot.pk}/" in listed
    response = client.get(f"/reports/snapshots/{snapshot.pk}/")
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="safe-sleep-2015-06-{str(snapshot.pk)[:8]}.pdf"')
    bad = client.post("/networks/safe-sleep/reports/", {"period": "June", "format": "pdf"})
    assert bad.status_code == 400 and "is not a period" in bad.content.decode()
    wrong = client.post("/networks/safe-sleep/reports/", {"period": "2015-06",
                                                           "format": "docx"})
    assert wrong.status_code == 400 and "Choose PDF, Excel or HTML." in wrong.content.decode()
    assert ReportSnapshot.objects.count() == 1
    assert client.put("/networks/safe-sleep/reports/").status_code == 405


def test_national_reports_page_makes_a_report(client, funder, small,
                                              django_capture_on_commit_callbacks):
    client.force_login(funder)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/national/reports/", {"period": "2015-06", "format": "xlsx"})
    made = client.get(made["Location"])
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.kind == "national" and "Ready" in made.content.decode()
    response = client.get(f"/reports/snapshots/{snapshot.pk}/")
    assert response["Content-Disposition"] == (
        f'attachment; filename="national-2015-06-{str(snapshot.pk)[:8]}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert "Strategies" in book.sheetnames


@pytest.mark.parametrize(("name", "network_status", "national_status"), [
    ("stranger", 404, 404), ("member", 403, 403), ("funder", 200, 200),
    ("faculty", 200, 200)])
def test_who_downloads_network_and_national_snapshots(as_persona, small, safe_sleep, name,
                                                      network_status, national_status):
    network_snapshot, _ = snapshots.make_report("network", period=JUNE, fmt="html",
                                                network=safe_sleep)
    national_snapshot, _ = snapshots.make_report("national", period=JUNE, fmt="html")
    client = as_persona(name)
    assert client.get(f"/reports/snapshots/{network_snapshot.pk}/").status_code == \
        network_status
    assert client.get(f"/reports/snapshots/{national_snapshot.pk}/").status_code == \
        national_status


def test_dashboards_link_to_the_report_pages(as_persona, small):
    client = as_persona("backbone")
    assert "/networks/safe-sleep/reports/" in client.get(
        "/networks/safe-sleep/charts/").content.decode()
    assert "/national/reports/" in client.get("/national/").content.decode()
