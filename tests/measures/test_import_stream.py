"""The streamed import: the rows the ORM path leaves (values, history, team-periods),
all or nothing across chunks, and a generator read a chunk at a time. Runs on SQLite and,
with DATABASE_URL, on PostgreSQL (COPY)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coiin.measures import io, services
from coiin.measures.models import DataValue, Submission, SubmissionEvent
from coiin.measures.periods import Period
from coiin.measures.services import ValueIn
from coiin.measures.validation import Entry

HEADER = ",".join(io.COLUMNS)
HISTORY_FIELDS = ("numerator", "denominator", "value", "text", "comment",
                  "warnings_confirmed", "updated_by_id", "measure_id", "stratum_id",
                  "history_type", "history_user_id", "history_change_reason")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def months(n: int, start: int = 2000) -> list[str]:
    return [f"{start + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def crib_rows(team, catalog, labels, first_row=2, num="40"):
    return [ValueIn(first_row + i, team, catalog["SS-CRIB"], Period.parse(label), None, num,
                    "50", None, "", "") for i, label in enumerate(labels)]


def history(measure_code: str, period: str) -> list[tuple]:
    start = Period.parse(period).start
    return [tuple(getattr(h, f) for f in HISTORY_FIELDS)
            for h in DataValue.history.filter(measure__code=measure_code,
                                              submission__period_start=start)
            .order_by("history_id")]


def test_values_and_history_are_those_a_page_save_leaves(chosen, team, catalog, data_lead):
    """The same create, change and clear, once from the page and once imported: the
    history rows are alike field for field, and dated when the value was written."""
    march = services.submission_for(team, Period.parse("2015-03"))
    for num in ("40", "41", ""):
        march.refresh_from_db()
        services.write_values(submission=march, user=data_lead, reason="import", entries=[
            Entry(catalog["SS-CRIB"], "2015-03", numerator=num or None,
                  denominator="50" if num else None,
                  parsed={"numerator": Decimal(num), "denominator": Decimal(50)} if num
                  else {})])
    for num in ("40", "41", ""):
        io.import_rows(io.read_table(csv_bytes(
            f"GA,safe-sleep,SS-CRIB,2015-04,{num},{'50' if num else ''},,,"), "a.csv"),
            user=data_lead)
    assert history("SS-CRIB", "2015-04") == history("SS-CRIB", "2015-03")
    assert [h[-3] for h in history("SS-CRIB", "2015-04")] == ["+", "~", "-"]
    for h in DataValue.history.filter(submission__period_start=dt.date(2015, 4, 1)):
        assert h.history_date == h.updated_at or h.history_type == "-"


def test_imported_values_read_back_exactly(chosen, team, data_lead):
    io.import_rows(io.read_table(csv_bytes(
        "GA,safe-sleep,SS-CRIB,2015-03,40.25,50,,,by hand",
        "GA,safe-sleep,IMR,2015-Q1,12,1500,,,",
        "GA,safe-sleep,IMR,2015-Q1,7,600,,nh-black,",
        "GA,safe-sleep,IMR,2015-Q1,5,900,,nh-white,"), "a.csv"), user=data_lead)
    crib = DataValue.objects.get(measure__code="SS-CRIB")
    assert (crib.numerator, crib.denominator, crib.value, crib.text, crib.comment) == (
        Decimal("40.25"), Decimal(50), None, "", "by hand")
    assert crib.updated_by == data_lead
    assert DataValue.objects.filter(stratum__code="nh-black").get().numerator == 7
    h = crib.history.get()
    assert (h.history_type, h.history_user, h.numerator, h.history_change_reason) == (
        "+", data_lead, Decimal("40.25"), "import")


def test_team_periods_are_created_and_versioned_as_before_without_events(chosen, team):
    io.import_rows(io.read_table(csv_bytes("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,"), "a.csv"))
    march = Submission.objects.get()
    assert (march.status, march.version, march.is_final) == ("draft", 1, False)
    io.import_rows(io.read_table(csv_bytes("GA,safe-sleep,SS-EDU,2015-03,40,50,,,",
                                           "GA,safe-sleep,SS-CRIB,2015-04,40,50,,,"),
                                 "a.csv"))
    assert sorted(Submission.objects.values_list("period_start", "version")) == [
        (dt.date(2015, 3, 1), 2), (dt.date(2015, 4, 1), 1)]
    assert not SubmissionEvent.objects.exists()


def test_a_bad_row_deep_in_a_long_stream_writes_nothing_and_every_bad_row_is_listed(
        chosen, team, catalog):
    rows = crib_rows(team, catalog, months(130))
    rows[3] = rows[3]._replace(numerator="60")  # in the first chunk, written before ...
    rows[-1] = rows[-1]._replace(numerator="x")  # ... the last chunk is read
    with pytest.raises(services.ImportRefused) as exc:
        services.import_stream(iter(rows), user=None, check_closed=False, chunk=25)
    assert [str(e) for e in exc.value.errors] == [
        "row 5, numerator: 60 is more than the denominator 50",
        "row 131, numerator: 'x' is not a number"]
    assert not DataValue.objects.exists() and not Submission.objects.exists()
    assert not DataValue.history.exists()


def test_a_good_chunk_after_an_error_is_checked_but_not_written(chosen, team, catalog):
    rows = crib_rows(team, catalog, months(60))
    rows[0] = rows[0]._replace(numerator="-1")
    with pytest.raises(services.ImportRefused) as exc:
        services.import_stream(rows, user=None, check_closed=False, chunk=10)
    assert [e.row for e in exc.value.errors] == [2]
    assert not DataValue.objects.exists()


def test_a_generator_is_read_a_chunk_at_a_time(chosen, team, catalog):
    given = 0
    seen_at_write: list[tuple[int, int]] = []

    def rows():
        nonlocal given
        for row in crib_rows(team, catalog, months(100)):
            given += 1
            yield row

    def progress(stage, done, total):
        seen_at_write.append((given, DataValue.objects.count()))

    result = services.import_stream(rows(), user=None, check_closed=False, chunk=20,
                                    progress=progress)
    assert result.created == 100
    assert seen_at_write[0] == (20, 20)  # the first chunk is stored before more is read
    assert seen_at_write[-1] == (100, 100)


def test_a_file_is_streamed_from_disk(chosen, team, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(csv_bytes(*(f"GA,safe-sleep,SS-CRIB,{m},40,50,,," for m in months(30))))
    result = io.import_file(path, path.name)
    assert (result.rows, result.created) == (30, 30)
    assert DataValue.history.count() == 30


def test_a_row_repeated_in_a_later_chunk_is_an_error(chosen, team, catalog):
    rows = crib_rows(team, catalog, months(40))
    rows.append(rows[1]._replace(number=42))
    with pytest.raises(services.ImportRefused) as exc:
        services.import_stream(rows, user=None, check_closed=False, chunk=10)
    assert [str(e) for e in exc.value.errors] == [
        "row 42, measure: repeats row 3 (same team, measure, period and stratum)"]
    assert not DataValue.objects.exists()


def test_strata_are_added_up_across_chunks(chosen, team, catalog):
    q1 = Period.parse("2015-Q1")
    imr = catalog["IMR"]
    strata = {s.code: s for s in imr.values.model._meta.get_field("stratum")
              .related_model.objects.filter(kind=imr.stratification)}
    rows = [ValueIn(2, team, imr, q1, None, "12", "1500", None),
            *crib_rows(team, catalog, months(12, 2015), first_row=3),
            ValueIn(15, team, imr, q1, strata["nh-black"], "7", "600", None),
            ValueIn(16, team, imr, q1, strata["nh-white"], "4", "900", None)]
    with pytest.raises(services.ImportRefused) as exc:
        services.import_stream(rows, user=None, check_closed=False, chunk=5)
    assert [str(e) for e in exc.value.errors] == [
        "row 2, numerator: the strata add up to 11, not the total 12"]


def test_reimporting_across_chunks_changes_nothing(chosen, team, catalog):
    services.import_stream(crib_rows(team, catalog, months(30)), user=None,
                           check_closed=False, chunk=7)
    before = DataValue.history.count(), list(Submission.objects.values_list("pk", "version"))
    again = services.import_stream(crib_rows(team, catalog, months(30)), user=None,
                                   check_closed=False, chunk=7)
    changed = services.import_stream(crib_rows(team, catalog, months(30), num="41"),
                                     user=None, check_closed=False, chunk=7)
    assert (again.unchanged, again.written) == (30, 0)
    assert before[0] == 30 and changed.changed == 30
    assert DataValue.history.filter(history_type="~").count() == 30
    assert {v for _, v in Submission.objects.values_list("pk", "version")} == {2}


def test_generated_data_may_skip_warnings_and_the_repeat_check(chosen, team, catalog):
    rows = crib_rows(team, catalog, months(30), num="5")  # 10 %: below the expected range
    kept = services.import_stream(rows, user=None, check_closed=False, dry_run=True)
    quiet = services.import_stream(rows, user=None, check_closed=False, warn=False,
                                   check_repeats=False)
    assert len(kept.warnings) == 30 and kept.written == 30 and kept.warnings[0].row == 2
    assert quiet.warnings == [] and quiet.created == 30
    assert DataValue.history.count() == 30
