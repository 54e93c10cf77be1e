"""Export in the import's columns: only what the reader may see, and an exact round trip."""

from __future__ import annotations

import csv
import io as stdio
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from coiin import access
from coiin.measures import io, services
from coiin.measures.models import DataValue, Submission

from .test_io_import import GOOD, csv_bytes, run, stored

AWKWARD = [
    "GA,safe-sleep,SS-CRIB,2015-04,0.1,0.3,,,\"commas, quotes \"\"and\"\" =formulas\"",
    "GA,safe-sleep,SS-EDU,2015-04,33.3333,100,,,ünïcode",
    "GA,safe-sleep,SUID,2015,1234567.8912,9999999.9999,,,",
]


@pytest.fixture
def data(chosen, team, data_lead):
    run(csv_bytes(*GOOD, *AWKWARD))
    march = Submission.objects.get(period_start="2015-03-01")
    services.submit(submission=march, user=data_lead, today=march.period_start)
    return stored()


def export(user=None, fmt="csv") -> bytes:
    submissions = Submission.objects.all() if user is None else \
        access.visible_submissions(user)
    out = stdio.BytesIO() if fmt == "xlsx" else stdio.StringIO()
    if fmt == "xlsx":
        io.write_xlsx(io.export_rows(submissions), out)
        return out.getvalue()
    io.write_csv(io.export_rows(submissions), out)
    return out.getvalue().encode()


def wipe() -> None:
    DataValue.objects.all().delete()
    Submission.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_network_reproduces_the_data(data, fmt):
    exported = export(fmt=fmt)
    wipe()
    assert stored() == []
    result = run(exported, f"data.{fmt}")
    assert result.created == len(data)
    assert stored() == data


def test_the_export_has_the_import_columns_and_exact_numbers(data):
    rows = list(csv.DictReader(stdio.StringIO(export().decode())))
    assert tuple(rows[0]) == (*io.COLUMNS, *io.SURVEY_COLUMNS, "measurements")
    crib = next(r for r in rows if r["measure"] == "SS-CRIB" and r["period"] == "2015-04")
    assert (crib["numerator"], crib["denominator"], crib["value"]) == ("0.1", "0.3", "")
    imr = [r for r in rows if r["measure"] == "IMR"]
    assert [(r["period"], r["stratum"], r["numerator"]) for r in imr] == [
        ("2015-Q1", "", "12"), ("2015-Q1", "nh-white", "5"), ("2015-Q1", "nh-black", "7")]


def test_reimporting_an_export_changes_nothing(data):
    history = DataValue.history.count()
    result = run(export())
    assert result.written == 0 and result.unchanged == len(data)
    assert DataValue.history.count() == history


def test_drafts_are_exported_only_to_the_team_and_backbone(data, member, faculty, outsider,
                                                           backbone):
    def periods(user):
        return {r["period"] for r in csv.DictReader(stdio.StringIO(export(user).decode()))}

    assert periods(member) == periods(backbone) == {"2015-03", "2015-04", "2015-Q1", "2015"}
    assert periods(faculty) == {"2015-03"}  # submitted; the rest are drafts
    assert periods(outsider) == set()


def test_the_cli_exports_and_imports_files(data, tmp_path, capsys):
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"ga.{fmt}"
        call_command("export_data", str(path), "--network", "safe-sleep",
                     "--jurisdiction", "ga")
        assert f"Wrote {len(data)} values" in capsys.readouterr().out
        wipe()
        call_command("import_data", str(path))
        assert f"{len(data)} values were created" in capsys.readouterr().out
        assert stored() == data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_cli_exports_sites_values_and_imports_them_back(chosen, team, data_lead, tmp_path,
                                                           capsys, fmt):
    from coiin.measures.models import SiteValue, TeamMeasure
    from coiin.network.models import ReportingUnit

    from .test_import_sites import run as run_sites

    TeamMeasure.objects.filter(team=team, measure__code="SS-CRIB").update(by_site=True)
    for name in ("Grady Memorial", "Emory Midtown"):
        ReportingUnit.objects.create(team=team, name=name, kind="hospital")
    run_sites("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,Grady Memorial",
              "GA,safe-sleep,SS-CRIB,2015-03,12,30,,,\"audit, late\",Emory Midtown",
              "GA,safe-sleep,SS-CRIB,2015-04,41,50,,,,Grady Memorial",
              "GA,safe-sleep,SS-EDU,2015-03,45,50,,,,", user=data_lead)

    def sites():
        return sorted(SiteValue.objects.values_list(
            "submission__period_start", "unit__name", "measure__code", "numerator",
            "denominator", "comment"))

    before_sites, before = sites(), stored()
    assert len(before_sites) == 3 and len(before) == 3  # SS-EDU and two rolled-up months
    path = tmp_path / f"ga.{fmt}"
    call_command("export_data", str(path))
    # The teams' own values and the sites' (a by-site team figure is rolled up again).
    assert "Wrote 4 values" in capsys.readouterr().out
    if fmt == "csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert tuple(rows[0]) == (*io.COLUMNS, *io.SURVEY_COLUMNS, "measurements", "site")
        assert [(r["measure"], r["period"], r["site"]) for r in rows] == [
            ("SS-EDU", "2015-03", ""), ("SS-CRIB", "2015-03", "Emory Midtown"),
            ("SS-CRIB", "2015-03", "Grady Memorial"), ("SS-CRIB", "2015-04", "Grady Memorial")]
    SiteValue.objects.all().delete()
    wipe()
    call_command("import_data", str(path))
    assert "4 values were created" in capsys.readouterr().out
    assert sites() == before_sites
    assert stored() == before
    # And once more changes nothing.
    call_command("import_data", str(path))
    assert "0 values were created, 0 changed, 0 cleared, 4 unchanged" in \
        capsys.readouterr().out


def test_the_cli_export_narrows_to_a_network(data, tmp_path, capsys):
    path = tmp_path / "none.csv"
    call_command("export_data", str(path), "--network", "preterm-birth")
    assert path.read_text().strip() == ",".join(
        (*io.COLUMNS, *io.SURVEY_COLUMNS, "measurements", "site"))


def test_the_cli_refuses_unknown_networks_and_file_types(db, tmp_path):
    with pytest.raises(CommandError, match="No learning network 'nope'"):
        call_command("export_data", str(tmp_path / "x.csv"), "--network", "nope")
    with pytest.raises(CommandError, match="neither a .csv nor an .xlsx"):
        call_command("export_data", str(tmp_path / "x.json"))


def test_the_cli_import_names_every_bad_row_and_writes_nothing(chosen, team, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(*GOOD, "GA,safe-sleep,SS-CRIB,2015-04,51,50,,,",
                               "GA,safe-sleep,IMR,2015-03,1,2,,,"))
    with pytest.raises(CommandError) as exc:
        call_command("import_data", str(path))
    assert str(exc.value).splitlines() == [
        "Nothing was imported; fix these 2 problems and try again:",
        "  bad.csv: row 7, numerator: 51 is more than the denominator 50",
        "  bad.csv: row 8, period: IMR is reported quarterly; '2015-03' is a month",
    ]
    assert not DataValue.objects.exists()


def test_the_cli_dry_run_writes_nothing_and_records_the_user(chosen, team, tmp_path, capsys,
                                                             data_lead):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(*GOOD))
    call_command("import_data", str(path), "--dry-run")
    assert "Dry run, nothing written. 5 rows: 5 values would be created" in \
        capsys.readouterr().out
    assert not DataValue.objects.exists()
    call_command("import_data", str(path), "--user", data_lead.email)
    assert {h.history_user for h in DataValue.history.all()} == {data_lead}
    assert {h.history_change_reason for h in DataValue.history.all()} == {
        "imported from good.csv"}


def test_the_cli_shows_progress_on_large_files(chosen, team, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(io, "PROGRESS_EVERY", 2)
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(*GOOD))
    call_command("import_data", str(path))
    err = capsys.readouterr().err
    assert "checked 2 of 5 rows" in err and "checked 5 of 5 rows" in err
    assert "wrote 5 of 5 values" in err


def test_numbers_round_trip_exactly_through_xlsx(data):
    wipe()
    run(csv_bytes("GA,safe-sleep,SUID,2016,1234567.8912,9999999.9999,,,"))
    exported = export(fmt="xlsx")
    wipe()
    assert run(exported, "data.xlsx").created == 1
    back = DataValue.objects.get()
    assert (back.numerator, back.denominator) == (Decimal("1234567.8912"),
                                                  Decimal("9999999.9999"))


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1 called back", "-see notes",
            "@SUM(A1:A9)", "'=typed with an apostrophe"]


def test_csv_exports_neutralise_formulas_and_round_trip(chosen, team, data_lead, tmp_path,
                                                        capsys):
    quoted = ['"' + c.replace('"', '""') + '"' for c in FORMULAS]
    lines = [f"GA,safe-sleep,SS-CRIB,2015-{m:02d},40,50,,,{c}"
             for m, c in enumerate(quoted, start=1)]
    run(csv_bytes(*lines))
    before = stored()
    # An apostrophe before a formula is a spreadsheet's text marker: the import takes it off.
    assert sorted(v[-1] for v in before) == sorted(c.removeprefix("'") for c in FORMULAS)
    text = export().decode()
    comments = [r["comment"] for r in csv.DictReader(stdio.StringIO(text))]
    assert all(c.startswith("'") for c in comments), comments
    path = tmp_path / "ga.csv"
    call_command("export_data", str(path))
    cli = path.read_text(encoding="utf-8")
    assert [r["comment"] for r in csv.DictReader(stdio.StringIO(cli))] == comments
    result = run(path.read_bytes())
    assert result.written == 0 and result.unchanged == len(before)
    wipe()
    run(path.read_bytes())
    assert stored() == before
