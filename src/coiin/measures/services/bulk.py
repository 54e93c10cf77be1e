"""Many values at once: what an import reports (``ImportResult``, ``ImportRefused``), the
rows it is given, and generated data.

Imports themselves (files, the CLI, the JSON API, the upload page) are checked and
stored by ``stream.import_stream``.

``add_values`` stores new values into new team-periods (generated data), with the same
history records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, transaction
from django.utils import timezone

from coiin.network.models import Team
from coiin.network.services import BulkLoadError, RowError

from ..changes import values_changed
from ..models import DataValue, Measure, Stratum, Submission
from ..periods import Period
from ..validation import Entry

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
    # The team-periods whose values the import wrote (none for a dry run).
    submission_ids: list[int] = field(default_factory=list)

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


# -- writing ---------------------------------------------------------------------------


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
    if isinstance(f, models.JSONField):  # a sampled value's measurements
        return f.get_db_prep_value(value, connection)
    return value
