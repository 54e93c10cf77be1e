"""Many values at once, set-based: imports (files, the CLI and the JSON API, which parse
and resolve their rows in ``coiin.measures.io``) and generated data (the demo).

``import_values`` checks its rows as a whole and stores them all or nothing, in one
transaction with bulk queries:

* validation (``validation.check_entries`` against each team's shown history, as
  ``check`` does for one team-period), the team-period's status, closed periods (unless
  the caller may load them) and the team's chosen measures;
* a row identical to what is stored is a no-op, so storing the same rows again changes
  nothing and writes no history;
* every created, changed or cleared value gets the simple-history record a page save
  leaves; the team-periods written to get a new version, so an edit opened before the
  import meets a conflict.

``add_values`` stores new values into new team-periods (generated data), with the same
history records.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connections, models, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from coiin.network.models import Team, User
from coiin.network.services import BulkLoadError, RowError

from ..changes import values_changed
from ..models import DataValue, Measure, Stratum, Submission, TeamMeasure
from ..periods import Period
from ..validation import Entry, check_entries
from .reporting import closes_on, is_closed

BATCH = 500  # rows per INSERT/UPDATE: well under SQLite's 999-parameter floor
REASON_CHARS = 100  # the history's change-reason column

Progress = Callable[[str, int, int], None]
"""``progress("wrote", done, total)``, called as values are stored."""

SubmissionKey = tuple[int, str, dt.date]  # (team id, frequency, period start)


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


@dataclass
class ValueRow:
    """One value to store: a team's measure in a period, in total or for one stratum.

    ``entry`` holds what was given (numbers, text, comment); ``number`` is the row that
    errors and warnings name.
    """

    number: int
    team: Team
    measure: Measure
    period: Period
    stratum: Stratum | None
    entry: Entry

    @property
    def submission_key(self) -> SubmissionKey:
        return (self.team.pk, self.period.frequency.value, self.period.start)

    @property
    def value_key(self) -> tuple[SubmissionKey, int, int | None]:
        return (self.submission_key, self.measure.pk,
                self.stratum.pk if self.stratum is not None else None)


@dataclass
class _Plan:
    result: ImportResult
    new_submissions: set[SubmissionKey]
    submissions: dict[SubmissionKey, Submission]
    create: list[ValueRow]
    change: list[tuple[ValueRow, DataValue]]
    delete: list[tuple[ValueRow, DataValue]]


def import_values(*, rows: Sequence[ValueRow], user: User | None, reason: str = "import",
                  check_closed: bool = True, today: dt.date | None = None,
                  dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Check rows of values as a whole and store them, all or nothing.

    Precondition: each (team, measure, period, stratum) appears once in ``rows``. With
    ``check_closed`` (people other than backbone staff) a period past its closing day is
    refused. Raises ImportRefused listing every bad row, in row order; nothing is written
    then, nor on a dry run. ``user`` is recorded as the author in the history.
    """
    errors: list[RowError] = []
    with transaction.atomic():
        plan = _plan(rows, errors, check_closed=check_closed, today=today)
        plan.result.rows = len(rows)
        if errors:
            errors.sort(key=lambda e: e.row)
            raise ImportRefused(errors, plan.result.warnings)
        if dry_run:
            plan.result.dry_run = True
            return plan.result
        try:
            _write(plan, user=user, reason=reason[:REASON_CHARS], progress=progress)
            written = plan.create + [r for r, _ in plan.change] + [r for r, _ in plan.delete]
            values_changed({(r.submission_key[0], r.measure.pk) for r in written})
        except IntegrityError:
            raise ImportRefused([RowError(1, "file", "someone else stored some of these values "
                                                     "while the file was imported; nothing "
                                                     "was stored, try again")]) from None
    return plan.result


def add_values(*, values: Sequence[DataValue], reason: str,
               entered_at: Mapping[int, dt.datetime] | None = None) -> int:
    """Store new values into their (saved) team-periods, with their "+" history records.

    For generated data, which is not checked here: each value is new, with its submission,
    measure, stratum, numbers and ``updated_by`` (the history's author) set.
    ``entered_at`` gives, per submission id, the history date (default: now). All or
    nothing: a value already stored raises IntegrityError and nothing is kept.
    """
    for v in values:
        if v.pk is not None or v.submission_id is None or v.measure_id is None:
            raise ValueError(f"{v!r}: only new values of saved team-periods can be added")
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(values), BATCH * 10):
            chunk = list(values[start:start + BATCH * 10])
            for v in chunk:
                v.updated_at = now
            _insert_with_history(chunk, reason=reason[:REASON_CHARS], now=now,
                                 dates=entered_at or {})
        team_of = dict(Submission.objects.filter(
            pk__in={v.submission_id for v in values}).values_list("pk", "team_id"))
        values_changed({(team_of[v.submission_id], v.measure_id) for v in values})
    return len(values)


# -- checking and planning -------------------------------------------------------------


def _history(rows: Sequence[ValueRow]
             ) -> dict[tuple[int, str], dict[tuple[str, str], tuple[list[dt.date], list[float]]]]:
    """Shown results per (team, frequency) and (measure code, stratum code), oldest first:
    ``results_before`` for every team-period of the rows in one query."""
    team_ids = {r.team.pk for r in rows}
    by_id = {r.measure.pk: r.measure for r in rows}
    out: dict[tuple[int, str], dict[tuple[str, str], tuple[list[dt.date], list[float]]]] = (
        defaultdict(dict))
    if not rows:
        return out
    values = (
        DataValue.objects.filter(submission__team_id__in=team_ids, measure_id__in=set(by_id),
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


def _plan(rows: Sequence[ValueRow], errors: list[RowError], *, check_closed: bool,
          today: dt.date | None) -> _Plan:
    """Validate the rows by team-period and sort them into creates, changes, deletions
    and no-ops; errors are appended."""
    result = ImportResult()
    groups: dict[SubmissionKey, list[ValueRow]] = defaultdict(list)
    for row in rows:
        groups[row.submission_key].append(row)
    history = _history(rows)
    bad_rows: set[int] = set()
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

    chosen = set(TeamMeasure.objects.filter(active=True, team_id__in={r.team.pk for r in rows})
                 .values_list("team_id", "measure_id"))
    submissions, stored = _stored(rows)
    plan = _Plan(result, set(), submissions, [], [], [])
    unsaved: dict[SubmissionKey, Submission] = {}
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
        elif check_closed and is_closed(submission, today):
            errors.append(RowError(
                row.number, "period",
                f"{submission} closed on {closes_on(submission):%B %-d, %Y}; ask the "
                "backbone staff for an exception to enter data after that"))
            failed = True
        if (row.team.pk, row.measure.pk) not in chosen:
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


def _stored(rows: Sequence[ValueRow], *, with_values: bool = True
            ) -> tuple[dict[SubmissionKey, Submission], dict[tuple, DataValue]]:
    """The rows' existing team-periods (locked for update) and their values."""
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


# -- writing ---------------------------------------------------------------------------


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
        _insert_with_history(objs, reason=reason, now=now)
        done += len(chunk)
        if progress:
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
        # simple_history reads these off the instance; they are not fields
        current._change_reason = reason or "cleared"  # type: ignore[attr-defined]
        if user is not None:
            current._history_user = user  # type: ignore[attr-defined]
        touched.add(current.submission_id)
        current.delete()
    # As a save from the page does: anyone editing these team-periods now gets a conflict.
    ids = sorted(touched)
    for start in range(0, len(ids), BATCH):
        Submission.objects.filter(pk__in=ids[start:start + BATCH]).update(
            version=F("version") + 1, updated_at=now)
    if progress:
        progress("wrote", total, total)


def _insert_with_history(objs: list[DataValue], *, reason: str, now: dt.datetime,
                         dates: Mapping[int, dt.datetime] | None = None) -> None:
    """INSERT new values and their "+" history records: the rows
    ``simple_history.utils.bulk_create_with_history`` leaves, with DB-API executemany.

    The author is each value's ``updated_by``; the history date is ``dates`` of its
    submission, else ``now``. The ORM's per-value SQL preparation is most of a large
    import's time (see bench/import_data.py); these rows are plain. Ids are read back by
    the values' unique key, which is safe: the caller's transaction holds the team-periods.
    """
    if not objs:
        return
    dates = dates or {}
    connection = connections[DataValue.objects.db]
    fields = [f for f in DataValue._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(DataValue, fields, connection),
                           [[_db(f, getattr(o, f.attname), connection) for f in fields]
                            for o in objs])
        by_key: dict[tuple[int | None, ...], DataValue] = {
            (o.submission_id, o.measure_id, o.stratum_id): o for o in objs}
        ids = sorted({o.submission_id for o in objs})
        for start in range(0, len(ids), BATCH):
            for pk, *key in DataValue.objects.filter(
                    submission_id__in=ids[start:start + BATCH]).values_list(
                    "pk", "submission_id", "measure_id", "stratum_id"):
                obj = by_key.get(tuple(key))
                if obj is not None:
                    obj.pk = pk
        history = DataValue.history.model
        hfields = [f for f in history._meta.concrete_fields if not f.primary_key]

        records = []
        for o in objs:
            special = {"history_date": dates.get(o.submission_id, now),
                       "history_change_reason": reason, "history_type": "+",
                       "history_user_id": o.updated_by_id}
            records.append([_db(f, special[f.attname] if f.attname in special
                                else getattr(o, f.attname), connection) for f in hfields])
        cursor.executemany(_insert_sql(history, hfields, connection), records)


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
