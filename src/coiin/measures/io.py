"""Bulk import and export of reported values, in one set of columns.

The CLI (``coiin import-data`` / ``coiin export-data``), the upload page and the JSON API
all come through here, so every path applies the same checks:

* a row names its team (jurisdiction postal code + learning-network slug), measure,
  period label, optional stratum, and its numbers (or a text answer in ``value``);
* rows are resolved and checked as a whole: validation (``validation.check_entries``
  against each team's shown history, as ``services.check`` does), the measure's
  frequency, chosen measures, locked submissions, closed periods and, for people,
  ``access.can(user, ENTER_DATA, team)``;
* any error anywhere refuses the whole file and lists every bad row; warnings do not
  block and are reported;
* a row identical to what is stored is a no-op, so re-importing a file (or an export)
  changes nothing and writes no history;
* writes happen in one transaction with bulk queries, and every created or changed
  value gets its simple-history record, as ``services.write_values`` would leave.

Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from coiin import access
from coiin.access import Action
from coiin.network.models import Jurisdiction, LearningNetwork, Team, User
from coiin.network.services import BulkLoadError, RowError

from . import services
from .models import DataValue, Measure, Stratum, Submission, TeamMeasure
from .periods import Frequency, Period, PeriodError
from .validation import Entry, check_entries

COLUMNS = ("jurisdiction", "network", "measure", "period", "numerator", "denominator",
           "value", "stratum", "comment")
NUMBER_COLUMNS = ("numerator", "denominator", "value")
FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 10_000
BATCH = 500  # rows per INSERT/UPDATE: well under SQLite's 999-parameter floor
# DataValue numbers are DECIMAL(14, 4); anything finer or bigger would be changed by the
# database, so it is refused rather than silently rounded.
DECIMAL_PLACES = 4
MAX_ABS = Decimal(10) ** (14 - DECIMAL_PLACES)

_FREQUENCY_WORDS = {
    Frequency.MONTHLY: ("monthly", "a month"),
    Frequency.QUARTERLY: ("quarterly", "a quarter"),
    Frequency.HALF_YEARLY: ("half-yearly", "a half-year"),
    Frequency.YEARLY: ("yearly", "a year"),
}
_TEXT_TYPES = {Measure.Type.CATEGORICAL, Measure.Type.TEXT}

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stage is "checked" or "wrote"."""

Rows = Sequence[tuple[int, Mapping[str, Any]]]


class ImportRefused(BulkLoadError):
    """The import was refused and nothing was written; ``errors`` lists every bad row."""

    def __init__(self, errors: list[RowError], warnings: Sequence[RowError] = ()):
        super().__init__(errors)
        self.warnings = list(warnings)


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    submissions_created: int = 0
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> int:
        return self.created + self.changed + self.deleted

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (f"{self.rows:,} rows: {self.created:,} values {verb} created, "
                f"{self.changed:,} changed, {self.deleted:,} cleared, {self.unchanged:,} "
                f"unchanged; {len(self.warnings):,} warnings.")


# -- reading files ---------------------------------------------------------------------


def file_format(name: str) -> str:
    """``csv`` or ``xlsx`` from a file name; ValueError for anything else."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{name!r} is neither a .csv nor an .xlsx file")
    return suffix


def read_table(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8) or XLSX (first sheet) file, as (row number, cells).

    Raises ImportRefused for an unreadable file or a header without the columns.
    """
    try:
        kind = file_format(name)
    except ValueError as exc:
        raise ImportRefused([RowError(1, "file", str(exc))]) from None
    if kind == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused([RowError(1, "file", "is not UTF-8 text; save the CSV as "
                                                     "UTF-8")]) from None
        return _rows(csv.reader(io.StringIO(text, newline="")))
    return _rows(_xlsx_records(data))


def read_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    return read_table(path.read_bytes(), path.name)


def _xlsx_records(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportRefused([RowError(1, "file", "is not an Excel .xlsx workbook")]) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(min_row=1, values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(v: object) -> str:
    """A cell as text, numbers without float artefacts, dates as month labels."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Decimal):
        return _number_text(v)
    if isinstance(v, dt.datetime | dt.date):
        # Spreadsheets turn "2015-03" into the date 1 March 2015.
        return f"{v.year}-{v.month:02d}"
    return str(v).strip()


def _rows(records: Iterable[list[str]]) -> list[tuple[int, dict[str, str]]]:
    it = iter(records)
    header_cells = next(it, None)
    if header_cells is None:
        raise ImportRefused([RowError(1, "file", "is empty")])
    header = [h.strip().lower() for h in header_cells]
    while header and not header[-1]:
        header.pop()
    errors = [RowError(1, c, "column is missing from the header")
              for c in COLUMNS if c not in header]
    errors += [RowError(1, h or f"column {i + 1}",
                        f"is not a column; use {', '.join(COLUMNS)}")
               for i, h in enumerate(header) if h not in COLUMNS]
    if errors:
        raise ImportRefused(errors)
    out = []
    for number, record in enumerate(it, start=2):
        cells = [c.strip() if isinstance(c, str) else _cell(c) for c in record]
        if not any(cells):
            continue  # spreadsheets keep empty rows at the end
        if any(cells[len(header):]):
            errors.append(RowError(number, "file", "has more cells than the header"))
            continue
        out.append((number, dict(zip(header, cells + [""] * (len(header) - len(cells)),
                                     strict=False))))
    if errors:
        raise ImportRefused(errors)
    return out


# -- importing -------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    team: Team
    measure: Measure
    period: Period
    stratum: Stratum | None
    entry: Entry

    @property
    def submission_key(self) -> tuple[int, str, dt.date]:
        return (self.team.pk, self.period.frequency.value, self.period.start)

    @property
    def value_key(self) -> tuple[tuple[int, str, dt.date], int, int | None]:
        return (self.submission_key, self.measure.pk,
                self.stratum.pk if self.stratum is not None else None)


class _Lookups:
    """Every reference table an import needs, read once."""

    def __init__(self) -> None:
        self.jurisdictions = {j.postal_code.upper(): j for j in Jurisdiction.objects.all()}
        self.networks = {n.slug.lower(): n for n in LearningNetwork.objects.all()}
        self.teams = {
            (t.jurisdiction_id, t.learning_network_id): t
            for t in Team.objects.select_related("jurisdiction", "learning_network")
        }
        self.measures = {m.code: m for m in Measure.objects.all()}
        self.measures_upper = {m.code.upper(): m for m in self.measures.values()}
        self.strata = {(s.kind, s.code.lower()): s for s in Stratum.objects.all()}
        self.chosen = set(TeamMeasure.objects.filter(active=True)
                          .values_list("team_id", "measure_id"))
        self.periods: dict[str, Period] = {}

    def measure(self, code: str) -> Measure | None:
        return self.measures.get(code) or self.measures_upper.get(code.upper())

    def period(self, label: str) -> Period:
        if label not in self.periods:
            self.periods[label] = Period.parse(label)
        return self.periods[label]

    def strata_codes(self, kind: str) -> str:
        return ", ".join(s.code for (k, _), s in self.strata.items() if k == kind)


def import_rows(rows: Rows, *, user: User | None = None, check_access: bool = False,
                only_team: Team | None = None, dry_run: bool = False,
                reason: str = "import", today: dt.date | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Check and store rows of values, all or nothing.

    ``rows`` are (row number, cells by column). With ``check_access`` the user must be
    allowed to enter data for every row's team and (unless backbone staff) periods must
    be open; without it (the operator's CLI) neither is checked. ``only_team`` refuses
    rows of any other team. Raises ImportRefused listing every bad row; nothing is
    written then, nor on a dry run. ``user`` is recorded as the author in the history.
    """
    lookups = _Lookups()
    errors: list[RowError] = []
    resolved: list[_Row] = []
    seen: dict[tuple, int] = {}
    may_enter: dict[int, bool] = {}
    total = len(rows)
    for done, (number, raw) in enumerate(rows, start=1):
        row = _resolve(number, raw, lookups, errors)
        if row is not None:
            if check_access:
                if row.team.pk not in may_enter:
                    may_enter[row.team.pk] = access.can(user or _anonymous(),
                                                        Action.ENTER_DATA, row.team)
                if not may_enter[row.team.pk]:
                    errors.append(RowError(number, "jurisdiction",
                                           f"you may not enter data for {row.team}"))
                    row = None
            if row is not None and only_team is not None and row.team.pk != only_team.pk:
                errors.append(RowError(number, "jurisdiction",
                                       f"this upload is for {only_team}; the row is for "
                                       f"{row.team}"))
                row = None
        if row is not None:
            first = seen.setdefault(row.value_key, number)
            if first != number:
                errors.append(RowError(number, "measure",
                                       f"repeats row {first} (same team, measure, period and "
                                       "stratum)"))
            else:
                resolved.append(row)
        if progress and (done % PROGRESS_EVERY == 0 or done == total) and total >= PROGRESS_EVERY:
            progress("checked", done, total)

    backbone = user is not None and access.is_backbone(user)
    with transaction.atomic():
        plan = _plan(resolved, lookups, errors, check_closed=check_access and not backbone,
                     today=today)
        errors.sort(key=lambda e: (e.row, COLUMNS.index(e.field) if e.field in COLUMNS
                                   else len(COLUMNS)))
        plan.result.rows = total
        if errors:
            raise ImportRefused(errors, plan.result.warnings)
        if dry_run:
            plan.result.dry_run = True
            return plan.result
        try:
            _write(plan, user=user, reason=reason[:100], progress=progress)
        except IntegrityError:
            raise ImportRefused([RowError(1, "file", "someone else stored some of these values "
                                                     "while the file was imported; nothing "
                                                     "was stored, try again")]) from None
    return plan.result


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _resolve(number: int, raw: Mapping[str, Any], lk: _Lookups,
             errors: list[RowError]) -> _Row | None:
    cells = {c: _cell(raw.get(c)) for c in COLUMNS}
    bad = len(errors)

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    jurisdiction = lk.jurisdictions.get(cells["jurisdiction"].upper())
    if not cells["jurisdiction"]:
        error("jurisdiction", "is missing; give the postal code, e.g. GA")
    elif jurisdiction is None:
        error("jurisdiction", f"no jurisdiction with the postal code {cells['jurisdiction']!r}")
    network = lk.networks.get(cells["network"].lower())
    if not cells["network"]:
        error("network", "is missing; give the learning network's code, e.g. safe-sleep")
    elif network is None:
        error("network", f"no learning network {cells['network']!r}; use one of: "
                         f"{', '.join(lk.networks)}")
    team = None
    if jurisdiction is not None and network is not None:
        team = lk.teams.get((jurisdiction.pk, network.pk))
        if team is None:
            error("network", f"{jurisdiction.name} has no team in the {network.name} learning "
                             "network")
    measure = lk.measure(cells["measure"])
    if not cells["measure"]:
        error("measure", "is missing")
    elif measure is None:
        error("measure", f"no measure with the code {cells['measure']!r}")
    period = None
    if not cells["period"]:
        error("period", "is missing; use 2015-03, 2015-Q1, 2015-H1 or 2015")
    else:
        try:
            period = lk.period(cells["period"])
        except PeriodError as exc:
            error("period", str(exc))
    if period is not None and measure is not None and period.frequency is not measure.freq:
        error("period", f"{measure.code} is reported {_FREQUENCY_WORDS[measure.freq][0]}; "
                        f"{cells['period']!r} is {_FREQUENCY_WORDS[period.frequency][1]}")
    stratum = None
    if cells["stratum"] and measure is not None:
        if not measure.stratification:
            error("stratum", f"{measure.code} is not reported by stratum; leave it blank")
        else:
            stratum = lk.strata.get((measure.stratification, cells["stratum"].lower()))
            if stratum is None:
                kind = Stratum.Kind(measure.stratification).label.lower()
                error("stratum", f"no {kind} stratum {cells['stratum']!r}; use one of: "
                                 f"{lk.strata_codes(measure.stratification)}")
    if measure is not None:
        if measure.type in _TEXT_TYPES:
            for column in ("numerator", "denominator"):
                if cells[column]:
                    error(column, f"{measure.code} has a text answer, in the value column")
        else:
            for column in NUMBER_COLUMNS:
                problem = _storable(cells[column])
                if problem:
                    error(column, problem)
    if len(errors) > bad or team is None or measure is None or period is None:
        return None
    text_answer = measure.type in _TEXT_TYPES
    entry = Entry(measure, period.label, stratum=stratum,
                  numerator=None if text_answer else cells["numerator"],
                  denominator=None if text_answer else cells["denominator"],
                  value=None if text_answer else cells["value"],
                  text=cells["value"] if text_answer else "",
                  comment=cells["comment"], row=number)
    return _Row(number, team, measure, period, stratum, entry)


def _storable(text: str) -> str:
    """Why a number cannot be stored exactly, or ""; unparsable text is validation's."""
    try:
        number = Decimal(text.replace(",", "")) if text else None
    except ArithmeticError:
        return ""
    if number is None or not number.is_finite():
        return ""
    if number.normalize().as_tuple().exponent < -DECIMAL_PLACES:  # type: ignore[operator]
        return f"{text} has more than {DECIMAL_PLACES} decimal places; round it"
    if abs(number) >= MAX_ABS:
        return f"{text} is too large to store"
    return ""


@dataclass
class _Plan:
    result: ImportResult
    new_submissions: set[tuple[int, str, dt.date]]
    submissions: dict[tuple[int, str, dt.date], Submission]
    create: list[_Row]
    change: list[tuple[_Row, DataValue]]
    delete: list[tuple[_Row, DataValue]]


def _history(rows: Sequence[_Row], lk: _Lookups
             ) -> dict[tuple[int, str], dict[tuple[str, str], tuple[list[dt.date], list[float]]]]:
    """Shown results per (team, frequency) and (measure code, stratum code), oldest first:
    ``services.results_before`` for every team-period of the import in one query."""
    team_ids = {r.team.pk for r in rows}
    measure_ids = {r.measure.pk for r in rows}
    out: dict[tuple[int, str], dict[tuple[str, str], tuple[list[dt.date], list[float]]]] = (
        defaultdict(dict))
    if not rows:
        return out
    by_id = {m.pk: m for m in lk.measures.values()}
    values = (
        DataValue.objects.filter(submission__team_id__in=team_ids, measure_id__in=measure_ids,
                                 submission__status__in=Submission.SHOWN_STATUSES)
        .order_by("submission__period_start")
        .values_list("submission__team_id", "submission__frequency",
                     "submission__period_start", "measure_id", "stratum__code", "numerator",
                     "denominator", "value")
    )
    for team_id, frequency, start, measure_id, stratum, num, den, value in values:
        measure = by_id[measure_id]
        result = measure.scaled(num, den) if measure.is_ratio else value
        if result is None:
            continue
        dates, results = out[(team_id, frequency)].setdefault((measure.code, stratum or ""),
                                                              ([], []))
        dates.append(start)
        results.append(float(result))
    return out


def _plan(rows: list[_Row], lk: _Lookups, errors: list[RowError], *, check_closed: bool,
          today: dt.date | None) -> _Plan:
    """Validate the resolved rows by team-period and sort them into creates, changes,
    deletions and no-ops; errors are appended."""
    result = ImportResult()
    groups: dict[tuple[int, str, dt.date], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.submission_key].append(row)
    history = _history(rows, lk)
    bad_rows = {e.row for e in errors}
    for key, group in groups.items():
        team_history = history.get((key[0], key[1]), {})
        before = {}
        for code_key, (dates, results) in team_history.items():
            cut = bisect_left(dates, key[2])
            if cut:
                before[code_key] = results[:cut]
        for issue in check_entries([r.entry for r in group], before):
            row_error = RowError(issue.row or 1, issue.field, issue.message)
            if issue.level == "error":
                errors.append(row_error)
                bad_rows.add(row_error.row)
            else:
                result.warnings.append(row_error)
    result.warnings.sort(key=lambda w: w.row)

    submissions, stored = _stored(rows)
    plan = _Plan(result, set(), submissions, [], [], [])
    unsaved: dict[tuple[int, str, dt.date], Submission] = {}
    for row in rows:
        current = stored.get(row.value_key)
        entry = row.entry
        if row.number not in bad_rows:
            if entry.is_blank and current is None:
                result.unchanged += 1
                continue
            if current is not None and not entry.is_blank and _same(current, entry):
                result.unchanged += 1
                continue
        submission = submissions.get(row.submission_key)
        if submission is None:
            submission = unsaved.setdefault(row.submission_key, Submission(
                team=row.team, frequency=row.period.frequency.value,
                period_start=row.period.start))
        failed = False
        if submission.status != Submission.Status.DRAFT:
            errors.append(RowError(row.number, "period",
                                   f"{submission} is {submission.get_status_display().lower()}"
                                   "; reopen it before changing its values"))
            failed = True
        elif check_closed and services.is_closed(submission, today):
            errors.append(RowError(
                row.number, "period",
                f"{submission} closed on {services.closes_on(submission):%B %-d, %Y}; ask the "
                "backbone staff for an exception to enter data after that"))
            failed = True
        if (row.team.pk, row.measure.pk) not in lk.chosen:
            errors.append(RowError(row.number, "measure",
                                   f"{row.team} has not chosen {row.measure.code}; choose it "
                                   "among the team's measures first"))
            failed = True
        if failed or row.number in bad_rows:
            continue
        if submission.pk is None:
            plan.new_submissions.add(row.submission_key)
        if entry.is_blank:
            plan.delete.append((row, current))  # type: ignore[arg-type]
        elif current is None:
            plan.create.append(row)
        else:
            plan.change.append((row, current))
    result.created, result.changed = len(plan.create), len(plan.change)
    result.deleted, result.submissions_created = len(plan.delete), len(plan.new_submissions)
    return plan


def _stored(rows: Sequence[_Row], *, with_values: bool = True
            ) -> tuple[dict[tuple[int, str, dt.date], Submission], dict[tuple, DataValue]]:
    """The import's existing team-periods (locked for update) and their values."""
    if not rows:
        return {}, {}
    team_ids = {r.team.pk for r in rows}
    starts = [r.period.start for r in rows]
    window = {"team_id__in": team_ids, "period_start__gte": min(starts),
              "period_start__lte": max(starts)}
    submissions = {
        (s.team_id, s.frequency, s.period_start): s
        for s in Submission.objects.select_for_update().filter(**window)
        .select_related("team__jurisdiction", "team__learning_network")
    }
    by_id = {s.pk: key for key, s in submissions.items()}
    values: dict[tuple, DataValue] = {}
    if not with_values:
        return submissions, values
    for v in DataValue.objects.filter(submission_id__in=Submission.objects.filter(**window)
                                      .values("pk")):
        values[(by_id[v.submission_id], v.measure_id, v.stratum_id)] = v
    return submissions, values


def _fields(entry: Entry) -> dict[str, Any]:
    return {
        "numerator": entry.parsed.get("numerator"),
        "denominator": entry.parsed.get("denominator"),
        "value": entry.parsed.get("value"),
        "text": entry.text.strip(),
        "comment": entry.comment.strip(),
    }


def _same(current: DataValue, entry: Entry) -> bool:
    for name, wanted in _fields(entry).items():
        stored = getattr(current, name)
        if isinstance(wanted, str):
            if stored != wanted:
                return False
        elif (stored is None) != (wanted is None) or (stored is not None and stored != wanted):
            return False
    return True


def _write(plan: _Plan, *, user: User | None, reason: str,
           progress: Progress | None) -> None:
    """Store a checked plan (inside the caller's transaction)."""
    if plan.new_submissions:
        # Born at version 1: a new draft whose values are saved, as a page save leaves it.
        Submission.objects.bulk_create(
            [Submission(team_id=k[0], frequency=k[1], period_start=k[2], version=1)
             for k in sorted(plan.new_submissions)],
            batch_size=BATCH, ignore_conflicts=True)
        rows = plan.create + [r for r, _ in plan.change] + [r for r, _ in plan.delete]
        plan.submissions, _ = _stored(rows, with_values=False)
    now = timezone.now()
    total = plan.result.written
    done = 0
    touched: set[int] = set()
    for start in range(0, len(plan.create), BATCH * 10):
        chunk = plan.create[start:start + BATCH * 10]
        objs = []
        for row in chunk:
            submission = plan.submissions[row.submission_key]
            if row.submission_key not in plan.new_submissions:
                touched.add(submission.pk)
            objs.append(DataValue(submission_id=submission.pk, measure_id=row.measure.pk,
                                  stratum_id=row.stratum.pk if row.stratum else None,
                                  updated_by=user, updated_at=now, **_fields(row.entry)))
        _insert_with_history(objs, user=user, reason=reason, now=now)
        done += len(chunk)
        if progress and total >= PROGRESS_EVERY:
            progress("wrote", done, total)
    if plan.change:
        changed = []
        for row, current in plan.change:
            for name, v in _fields(row.entry).items():
                setattr(current, name, v)
            current.updated_by = user
            current.updated_at = now
            touched.add(current.submission_id)
            changed.append(current)
        bulk_update_with_history(
            changed, DataValue, ["numerator", "denominator", "value", "text", "comment",
                                 "updated_by", "updated_at"],
            batch_size=BATCH, default_user=user, default_change_reason=reason, default_date=now)
    for _row, current in plan.delete:
        current._change_reason = reason or "cleared"
        if user is not None:
            current._history_user = user
        touched.add(current.submission_id)
        current.delete()
    # As a save from the page does: anyone editing these team-periods now gets a conflict.
    ids = sorted(touched)
    for start in range(0, len(ids), BATCH):
        Submission.objects.filter(pk__in=ids[start:start + BATCH]).update(
            version=F("version") + 1, updated_at=now)
    if progress and total >= PROGRESS_EVERY:
        progress("wrote", total, total)


def _insert_with_history(objs: list[DataValue], *, user: User | None, reason: str,
                         now: dt.datetime) -> None:
    """INSERT new values and their "+" history records: the rows
    ``simple_history.utils.bulk_create_with_history`` leaves, with DB-API executemany.

    The ORM's per-value SQL preparation is most of a large import's time (see
    bench/import_data.py); these rows are plain. Ids are read back by the values' unique
    key, which is safe: the caller's transaction holds the team-periods.
    """
    if not objs:
        return
    connection = connections[DataValue.objects.db]
    fields = [f for f in DataValue._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(DataValue, fields, connection),
                           [[_db(f, getattr(o, f.attname), connection) for f in fields]
                            for o in objs])
        by_key = {(o.submission_id, o.measure_id, o.stratum_id): o for o in objs}
        ids = sorted({o.submission_id for o in objs})
        for start in range(0, len(ids), BATCH):
            for pk, *key in DataValue.objects.filter(
                    submission_id__in=ids[start:start + BATCH]).values_list(
                    "pk", "submission_id", "measure_id", "stratum_id"):
                obj = by_key.get(tuple(key))
                if obj is not None:
                    obj.pk = pk
        history = DataValue.history.model
        special = {"history_date": now, "history_change_reason": reason, "history_type": "+",
                   "history_user_id": user.pk if user is not None else None}
        hfields = [f for f in history._meta.concrete_fields if not f.primary_key]
        cursor.executemany(_insert_sql(history, hfields, connection), [
            [_db(f, special[f.attname] if f.attname in special else getattr(o, f.attname),
                 connection) for f in hfields]
            for o in objs])


def _insert_sql(model: type[models.Model], fields: list, connection: Any) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the models


def _db(f: Any, value: Any, connection: Any) -> Any:
    if value is None:
        return None
    if isinstance(f, models.DecimalField):
        return connection.ops.adapt_decimalfield_value(value, f.max_digits, f.decimal_places)
    if isinstance(f, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value(value)
    return value


# -- exporting -------------------------------------------------------------------------


def export_rows(submissions: QuerySet[Submission], *, values: QuerySet[DataValue] | None = None,
                with_status: bool = False) -> Iterator[dict[str, str]]:
    """The values of these team-periods in the import's columns, in a stable order.

    ``values`` narrows further (e.g. to a measure); ``with_status`` adds each value's
    submission status under "status".
    """
    values = (
        (DataValue.objects.all() if values is None else values)
        .filter(submission__in=submissions.values("pk"))
        .order_by("submission__team__jurisdiction__postal_code",
                  "submission__team__learning_network__slug", "measure__code",
                  "submission__period_start",
                  # The total first, then its strata, on SQLite and PostgreSQL alike.
                  F("stratum__kind").asc(nulls_first=True),
                  F("stratum__position").asc(nulls_first=True))
        .values_list("submission__team__jurisdiction__postal_code",
                     "submission__team__learning_network__slug", "measure__code",
                     "measure__type", "submission__frequency", "submission__period_start",
                     "numerator", "denominator", "value", "text", "stratum__code", "comment",
                     "submission__status")
    )
    labels: dict[tuple[str, dt.date], str] = {}
    for (postal, network, code, mtype, frequency, start, num, den, value, text, stratum,
         comment, status) in values.iterator(chunk_size=2000):
        label = labels.get((frequency, start))
        if label is None:
            label = labels[(frequency, start)] = Period(start, Frequency(frequency)).label
        row = {
            "jurisdiction": postal, "network": network, "measure": code, "period": label,
            "numerator": _number_text(num), "denominator": _number_text(den),
            "value": text if mtype in _TEXT_TYPES else _number_text(value),
            "stratum": stratum or "", "comment": comment,
        }
        if with_status:
            row["status"] = status
        yield row


def _number_text(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d.normalize():f}"


def write_csv(rows: Iterable[Mapping[str, str]], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(rows: Iterable[Mapping[str, str]], stream: IO[bytes]) -> int:
    """An Excel workbook with one sheet: numbers as numbers, text always as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        cells = []
        for column in COLUMNS:
            text = row.get(column, "")
            if column in NUMBER_COLUMNS and text and _is_number(text):
                number = Decimal(text)
                # At most 14 significant digits: a double holds them exactly enough that
                # repr() gives the same decimal back on import.
                cells.append(int(number) if number == number.to_integral() else float(number))
            elif text:
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            else:
                cells.append(None)
        sheet.append(cells)
        count += 1
    book.save(stream)
    return count


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except ArithmeticError:
        return False


def write_file(rows: Iterable[Mapping[str, str]], path: Path) -> int:
    """Write rows to ``path`` as CSV or XLSX, following its extension."""
    if file_format(path.name) == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            return write_csv(rows, f)
    with path.open("wb") as f:
        return write_xlsx(rows, f)


def submissions_in(*, network: str | None = None, jurisdiction: str | None = None,
                   team: Team | None = None) -> QuerySet[Submission]:
    """All team-periods, narrowed to a learning network, a jurisdiction or a team."""
    qs = Submission.objects.all()
    if network:
        qs = qs.filter(team__learning_network__slug=network.lower())
    if jurisdiction:
        qs = qs.filter(team__jurisdiction__postal_code=jurisdiction.upper())
    if team is not None:
        qs = qs.filter(team=team)
    return qs
