"""Bulk import: every row checked, all or nothing, idempotent, in CSV and XLSX."""

from __future__ import annotations

import io as stdio
from decimal import Decimal

import pytest
from openpyxl import Workbook

from coiin.measures import io, services
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

HEADER = ",".join(io.COLUMNS)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def run(data: bytes, name: str = "data.csv", **kw) -> io.ImportResult:
    return io.import_rows(io.read_table(data, name), **kw)


def refused(data: bytes, name: str = "data.csv", **kw) -> list[str]:
    with pytest.raises(io.ImportRefused) as exc:
        run(data, name, **kw)
    return [str(e) for e in exc.value.errors]


def stored() -> list[tuple]:
    return sorted(
        (v.submission.team.jurisdiction.postal_code, v.measure.code, v.submission.period.label,
         v.stratum.code if v.stratum else "", v.numerator, v.denominator, v.value, v.comment)
        for v in DataValue.objects.select_related("submission__team__jurisdiction", "measure",
                                                  "stratum"))


GOOD = [
    "GA,safe-sleep,SS-CRIB,2015-03,40,50,,,audit of 50 cribs",
    "GA,safe-sleep,SS-EDU,2015-03,45,50,,,",
    "GA,safe-sleep,IMR,2015-Q1,12,1500,,,",
    "GA,safe-sleep,IMR,2015-Q1,7,600,,nh-black,",
    "GA,safe-sleep,IMR,2015-Q1,5,900,,nh-white,",
]


def test_a_csv_file_is_imported_into_draft_team_periods(chosen, team):
    result = run(csv_bytes(*GOOD))
    assert (result.rows, result.created, result.changed, result.unchanged) == (5, 5, 0, 0)
    assert result.submissions_created == 2
    assert stored() == [
        ("GA", "IMR", "2015-Q1", "", Decimal(12), Decimal(1500), None, ""),
        ("GA", "IMR", "2015-Q1", "nh-black", Decimal(7), Decimal(600), None, ""),
        ("GA", "IMR", "2015-Q1", "nh-white", Decimal(5), Decimal(900), None, ""),
        ("GA", "SS-CRIB", "2015-03", "", Decimal(40), Decimal(50), None, "audit of 50 cribs"),
        ("GA", "SS-EDU", "2015-03", "", Decimal(45), Decimal(50), None, ""),
    ]
    assert set(Submission.objects.values_list("status", "version")) == {("draft", 1)}


def test_an_xlsx_file_is_imported_like_the_csv(chosen, team):
    book = Workbook()
    sheet = book.active
    sheet.append(list(io.COLUMNS))
    sheet.append(["GA", "safe-sleep", "SS-CRIB", "2015-03", 40, 50.5, None, None, "ok"])
    sheet.append(["GA", "safe-sleep", "IMR", "2015-Q1", 12, 1500, None, None, None])
    sheet.append([None] * 9)  # spreadsheets keep empty rows
    data = stdio.BytesIO()
    book.save(data)
    result = run(data.getvalue(), "data.xlsx")
    assert result.created == 2
    assert stored() == [
        ("GA", "IMR", "2015-Q1", "", Decimal(12), Decimal(1500), None, ""),
        ("GA", "SS-CRIB", "2015-03", "", Decimal(40), Decimal("50.5"), None, "ok"),
    ]


def test_every_kind_of_bad_row_is_listed_with_its_row_and_column(chosen, team, other_team,
                                                                 catalog):
    lines = [
        "ZZ,safe-sleep,SS-CRIB,2015-03,40,50,,,",        # 2 unknown jurisdiction
        "GA,sleep-safe,SS-CRIB,2015-03,40,50,,,",        # 3 unknown network
        "GA,safe-sleep,NOPE,2015-03,40,50,,,",           # 4 unknown measure
        "GA,safe-sleep,IMR,2015-Q1,7,600,,martian,",     # 5 unknown stratum
        "GA,safe-sleep,SS-CRIB,March 2015,40,50,,,",     # 6 bad period
        "GA,safe-sleep,IMR,2015-03,12,1500,,,",          # 7 wrong frequency
        "GA,safe-sleep,SS-EDU,2015-03,60,50,,,",         # 8 numerator > denominator
        "OH,smoking-cessation,SC-QUITLINE,2015-03,,,-3,,",  # 9 negative count
        "GA,safe-sleep,SS-TRAIN,2015-Q1,5,10,,,",        # 10 not chosen by the team
        "GA,smoking-cessation,SS-CRIB,2015-03,1,2,,,",   # 11 no such team
        "GA,safe-sleep,SS-CRIB,2015-04,1.23456,2,,,",    # 12 too fine to store
        "GA,safe-sleep,SS-CRIB,2015-05,1,2,,,",          # 13 locked (below)
    ]
    services.choose_measures(team=other_team, measures=[catalog["SC-QUITLINE"]])
    may = services.submission_for(team, Period.parse("2015-05"))
    services.write_values(submission=may, user=None, entries=[
        Entry(catalog["SS-CRIB"], "2015-05", numerator=Decimal(3), denominator=Decimal(4),
              parsed={"numerator": Decimal(3), "denominator": Decimal(4)})])
    Submission.objects.filter(pk=may.pk).update(status=Submission.Status.LOCKED)
    assert refused(csv_bytes(*lines)) == [
        "row 2, jurisdiction: no jurisdiction with the postal code 'ZZ'",
        "row 3, network: no learning network 'sleep-safe'; use one of: safe-sleep, "
        "smoking-cessation, preconception, social-determinants, preterm-birth, "
        "risk-appropriate-care",
        "row 4, measure: no measure with the code 'NOPE'",
        "row 5, stratum: no race/ethnicity stratum 'martian'; use one of: nh-white, "
        "nh-black, hispanic, nh-asian-pi, nh-aian, other",
        "row 6, period: 'March 2015' is not a period: use 2015-03 (month), 2015-Q1 "
        "(quarter), 2015-H1 (half-year) or 2015 (year)",
        "row 7, period: IMR is reported quarterly; '2015-03' is a month",
        "row 8, numerator: 60 is more than the denominator 50",
        "row 9, value: -3 is not a whole number of 0 or more",
        "row 10, measure: Georgia · Safe Sleep has not chosen SS-TRAIN; choose it among the "
        "team's measures first",
        "row 11, network: Georgia has no team in the Smoking Cessation learning network",
        "row 12, numerator: 1.23456 has more than 4 decimal places; round it",
        "row 13, period: Georgia · Safe Sleep, 2015-05 is locked; reopen it before changing "
        "its values",
    ]
    assert DataValue.objects.count() == 1


def test_a_file_whose_last_row_is_bad_writes_nothing(chosen, team):
    errors = refused(csv_bytes(*GOOD, "GA,safe-sleep,SS-CRIB,2015-04,51,50,,,"))
    assert errors == ["row 7, numerator: 51 is more than the denominator 50"]
    assert not DataValue.objects.exists()
    assert not Submission.objects.exists()
    assert not DataValue.history.exists()


def test_reimporting_the_same_file_changes_nothing(chosen, team):
    data = csv_bytes(*GOOD)
    run(data)
    before = (stored(), DataValue.history.count(),
              list(Submission.objects.values_list("pk", "version")))
    again = run(data)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 5)
    assert before == (stored(), DataValue.history.count(),
                      list(Submission.objects.values_list("pk", "version")))


def test_a_changed_row_updates_the_value_and_is_in_the_history(chosen, team, data_lead):
    run(csv_bytes(*GOOD))
    result = run(csv_bytes("GA,safe-sleep,SS-CRIB,2015-03,41,50,,,audit of 50 cribs"),
                 user=data_lead)
    assert (result.changed, result.unchanged) == (1, 0)
    crib = DataValue.objects.get(measure__code="SS-CRIB")
    assert crib.numerator == 41 and crib.updated_by == data_lead
    assert [(h.numerator, h.history_type, h.history_user) for h in crib.history.all()] == [
        (Decimal(41), "~", data_lead), (Decimal(40), "+", None)]


def test_a_blank_row_clears_a_stored_value(chosen, team):
    run(csv_bytes(*GOOD))
    result = run(csv_bytes("GA,safe-sleep,SS-EDU,2015-03,,,,,"))
    assert result.deleted == 1
    assert not DataValue.objects.filter(measure__code="SS-EDU").exists()
    assert DataValue.history.filter(history_type="-").count() == 1


def test_identical_rows_of_a_locked_period_are_accepted_as_no_ops(chosen, team):
    run(csv_bytes(*GOOD))
    Submission.objects.update(status=Submission.Status.LOCKED)
    assert run(csv_bytes(*GOOD)).unchanged == 5


def test_a_dry_run_reports_and_writes_nothing(chosen, team):
    result = run(csv_bytes(*GOOD), dry_run=True)
    assert result.dry_run and result.created == 5
    assert "5 values would be created" in result.summary()
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_warnings_do_not_block_and_are_reported(chosen, team):
    result = run(csv_bytes("GA,safe-sleep,SS-CRIB,2015-03,5,50,,,"))
    assert result.created == 1
    assert [str(w) for w in result.warnings] == [
        "row 2, value: 10 % is outside the expected range 20 to 100"]


def test_jump_warnings_use_the_teams_shown_history_as_the_pages_do(chosen, team, catalog):
    for month, num in enumerate([40, 41, 40, 42, 41], start=1):
        label = f"2015-{month:02d}"
        run(csv_bytes(f"GA,safe-sleep,SS-CRIB,{label},{num},50,,,"))
    Submission.objects.update(status=Submission.Status.SUBMITTED)
    result = run(csv_bytes("GA,safe-sleep,SS-CRIB,2015-06,20,50,,,"), dry_run=True)
    june = Submission(team=team, frequency="monthly", period_start=Period.parse("2015-06").start)
    by_service = services.check(june, [Entry(catalog["SS-CRIB"], "2015-06", numerator="20",
                                             denominator="50", row=2)])
    assert [w.message for w in result.warnings] == [i.message for i in by_service]
    assert "sudden jump" in result.warnings[0].message


def test_a_repeated_row_is_an_error(chosen, team):
    assert refused(csv_bytes(GOOD[0], GOOD[0])) == [
        "row 3, measure: repeats row 2 (same team, measure, period and stratum)"]


def test_a_header_without_the_columns_is_refused(db):
    with pytest.raises(io.ImportRefused) as exc:
        io.read_table(b"jurisdiction,measure,notes\nGA,IMR,x\n", "data.csv")
    assert [str(e) for e in exc.value.errors][:2] == [
        "row 1, network: column is missing from the header",
        "row 1, period: column is missing from the header"]
    assert "row 1, notes: is not a column" in str(exc.value)


def test_other_file_types_are_refused(db):
    with pytest.raises(io.ImportRefused, match="neither a .csv nor an .xlsx"):
        io.read_table(b"x", "data.txt")
    with pytest.raises(io.ImportRefused, match="not an Excel"):
        io.read_table(b"not a zip", "data.xlsx")


def test_people_may_only_import_into_their_own_open_periods(chosen, team, member, outsider,
                                                            backbone):
    data = csv_bytes("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,")
    assert refused(data, user=outsider, check_access=True) == [
        "row 2, jurisdiction: you may not enter data for Georgia · Safe Sleep"]
    assert refused(data, user=member, check_access=True) == [
        "row 2, period: Georgia · Safe Sleep, 2015-03 closed on May 14, 2015; ask the "
        "backbone staff for an exception to enter data after that"]
    assert run(data, user=backbone, check_access=True).created == 1
