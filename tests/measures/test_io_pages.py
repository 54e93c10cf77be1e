"""The import and export pages: upload a file, see every problem or a summary; download
what you may see."""

from __future__ import annotations

import csv
import io as stdio

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coiin.measures import io, services
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period

from .test_io_import import csv_bytes


@pytest.fixture
def month() -> str:
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).label


def upload(client, data: bytes, name="data.csv", url="/data/import/", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def test_a_team_member_imports_a_file_and_sees_a_summary(as_persona, chosen, member, month):
    client = as_persona("member")
    response = upload(client, csv_bytes(f"GA,safe-sleep,SS-CRIB,{month},40,50,,,",
                                        f"GA,safe-sleep,SS-EDU,{month},5,50,,,"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported data.csv" in page
    assert response.context["result"].created == 2
    assert "outside the expected range" in page  # SS-EDU 10 % is a warning, not an error
    assert DataValue.objects.count() == 2
    assert DataValue.history.filter(history_user=member).count() == 2


def test_every_bad_row_is_shown_and_nothing_is_stored(as_persona, chosen, member, month):
    client = as_persona("member")
    response = upload(client, csv_bytes(f"GA,safe-sleep,SS-CRIB,{month},40,50,,,",
                                        f"GA,safe-sleep,SS-EDU,{month},60,50,,,"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported: 1 problem in data.csv" in page
    assert "<th scope=\"row\">3</th><td><code>numerator</code></td>" \
           "<td>60 is more than the denominator " \
           "50</td>" in page
    assert not DataValue.objects.exists()


def test_a_dry_run_stores_nothing(as_persona, chosen, member, month):
    response = upload(as_persona("member"), csv_bytes(f"GA,safe-sleep,SS-CRIB,{month},40,50,,,"),
                      dry_run="on")
    assert "no problems, nothing stored yet" in response.content.decode()
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_team_upload_refuses_rows_of_other_teams(as_persona, chosen, team, backbone, month,
                                                   other_team):
    client = as_persona("backbone")
    response = upload(client, csv_bytes(f"OH,smoking-cessation,SC-SCREEN,{month},4,5,,,"),
                      url=f"/data/import/?team={team.pk}")
    assert response.status_code == 422
    assert "this upload is for Georgia · Safe Sleep; the row is for Ohio · Smoking " \
           "Cessation" in response.content.decode()


def test_files_of_other_types_are_refused_by_the_form(as_persona, member):
    response = upload(as_persona("member"), b"x", name="data.txt")
    assert response.status_code == 400
    assert "neither a .csv nor an .xlsx" in response.content.decode()


def test_the_import_page_refuses_other_methods(as_persona, member):
    assert as_persona("member").put("/data/import/").status_code == 405


def test_anonymous_people_are_sent_to_sign_in(client, team):
    response = client.get("/data/import/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(f"/data/export/?team={team.pk}&format=csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "status"), [
    ("outsider", 404), ("stranger", 404), ("funder", 403), ("faculty", 403),
    ("member", 200), ("backbone", 200)])
def test_who_may_import_for_a_team(as_persona, team, persona, status):
    assert as_persona(persona).get(f"/data/import/?team={team.pk}").status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("stranger", 404), ("funder", 403), ("outsider", 200), ("lead", 200)])
def test_who_may_open_the_import_page(as_persona, team, persona, status):
    response = as_persona(persona).get("/data/import/")
    assert response.status_code == status
    if status == 200:
        assert "jurisdiction,network,measure,period" in response.content.decode()


@pytest.fixture
def reported(chosen, team, data_lead, month):
    """Georgia's current month submitted, and last month still a draft."""
    rows = io.read_table(csv_bytes(f"GA,safe-sleep,SS-CRIB,{month},40,50,,,",
                                   "GA,safe-sleep,SS-EDU,2015-03,45,50,,,"), "x.csv")
    io.import_rows(rows)
    services.submit(submission=Submission.objects.get(period_start=Period.parse(month).start),
                    user=data_lead)


def periods_in(response) -> set[str]:
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    return {r["period"] for r in csv.DictReader(stdio.StringIO(text))}


def test_a_team_member_exports_the_teams_data_with_drafts(as_persona, reported, team, member,
                                                          month):
    response = as_persona("member").get(f"/data/export/?team={team.pk}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "coiin-data-GA-safe-sleep-" in response["Content-Disposition"]
    assert periods_in(response) == {month, "2015-03"}


def test_faculty_export_the_network_without_drafts(as_persona, reported, faculty, month):
    response = as_persona("faculty").get("/data/export/?network=safe-sleep&format=csv")
    assert periods_in(response) == {month}


def test_an_xlsx_export_reads_back_as_the_same_rows(as_persona, reported, backbone):
    client = as_persona("backbone")
    xlsx = client.get("/data/export/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from_csv = [r for _, r in io.read_table(client.get("/data/export/?format=csv").content,
                                            "a.csv")]
    assert [r for _, r in io.read_table(xlsx.content, "a.xlsx")] == from_csv
    assert len(from_csv) == 2


@pytest.mark.parametrize(("persona", "status"), [
    ("outsider", 404), ("stranger", 404), ("faculty", 200), ("funder", 200)])
def test_who_may_export_a_team(as_persona, reported, team, persona, status):
    response = as_persona(persona).get(f"/data/export/?team={team.pk}&format=csv")
    assert response.status_code == status
    if status == 200:
        assert "2015-03" not in periods_in(response)  # a draft


def test_the_export_page_lists_downloads_and_refuses_other_methods(as_persona, member, team):
    client = as_persona("member")
    page = client.get("/data/export/").content.decode()
    assert f"?team={team.pk}&amp;format=xlsx" in page and "?network=safe-sleep" in page
    assert client.post("/data/export/").status_code == 405
    assert client.get("/data/export/?format=pdf").status_code == 400
    assert as_persona("stranger").get("/data/export/").status_code == 404


def test_the_export_page_writes_formulas_as_text(as_persona, chosen, team, data_lead, month):
    rows = io.read_table(csv_bytes(f"GA,safe-sleep,SS-CRIB,{month},40,50,,,\"=1+1\""), "x.csv")
    io.import_rows(rows)
    response = as_persona("data_lead").get(f"/data/export/?team={team.pk}&format=csv")
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    assert [r["comment"] for r in csv.DictReader(stdio.StringIO(text))] == ["'=1+1"]
