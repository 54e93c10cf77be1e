"""Rows of values and their history written at database speed: ``COPY`` on PostgreSQL,
DB-API ``executemany`` on SQLite, no model instances.

The rows are those the ORM leaves (``DataValue`` and simple-history's
``HistoricalDataValue``: ``+`` on create, ``~`` on change, ``-`` on clearing, with the
date, author and reason), so pages, exports and the audit trail cannot tell the paths
apart. Ids are reserved before the values are written (a sequence block on PostgreSQL;
on SQLite the transaction already holds the write lock), so the history rows need no
read-back. Everything runs inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db import connections

from ..models import DataValue, SiteValue, Submission

STAMP = ("warnings_confirmed", "updated_by_id", "updated_at")
NUMBERS = ("numerator", "denominator", "value", "standard_error", "ci_lower", "ci_upper",
           "sample_size")
# A stored value, in this order everywhere in the fast path: id, keys, what may change,
# STAMP (the model's own column order).
VALUE_COLUMNS = tuple(f.attname for f in DataValue._meta.concrete_fields)
SITE_COLUMNS = tuple(f.attname for f in SiteValue._meta.concrete_fields)
# Where a stored value's fields are (``VALUE_COLUMNS``, ``SITE_COLUMNS``).
_FIRST, _TEXT, _MEASUREMENTS, _COMMENT, CONFIRMED = (VALUE_COLUMNS.index(c) for c in (
    "numerator", "text", "measurements", "comment", "warnings_confirmed"))
_SITE_FIRST, _SITE_MEASUREMENTS, _SITE_COMMENT, SITE_CONFIRMED = (
    SITE_COLUMNS.index(c) for c in ("numerator", "measurements", "comment",
                                    "warnings_confirmed"))
ValueTuple = tuple[Any, ...]
"""A value without id and STAMP: DataValue (submission, measure, stratum, numerator,
denominator, value, standard_error, ci_lower, ci_upper, sample_size, text, measurements (a
list, stored as JSON), comment);
SiteValue (submission, unit, measure, stratum, numerator, denominator, value, measurements,
comment)."""


def same(current: ValueTuple, numbers: tuple[Any, ...], text: str, comment: str,
         site: bool, measurements: list[float] | None = None) -> bool:
    """Whether a stored value (DataValue, or SiteValue for a site; as ``VALUE_COLUMNS`` or
    ``SITE_COLUMNS``) holds these numbers (``validation.NUMBER_FIELDS``), text and
    comment. A site's value has no survey numbers."""
    if site:
        if any(n is not None for n in numbers[3:]):
            return False
        numbers = numbers[:3]
    first = _SITE_FIRST if site else _FIRST
    for stored, wanted in zip(current[first:first + len(numbers)], numbers, strict=True):
        if (stored is None) != (wanted is None) or (stored is not None and stored != wanted):
            return False
    if site:
        return not text and current[_SITE_COMMENT] == comment \
            and list(current[_SITE_MEASUREMENTS] or []) == list(measurements or [])
    return current[_TEXT] == text and current[_COMMENT] == comment \
        and list(current[_MEASUREMENTS] or []) == list(measurements or [])


def _json(row: ValueTuple) -> ValueTuple:
    """A row with its lists (a sampled value's measurements) as the JSON the column holds."""
    return tuple(json.dumps(c) if isinstance(c, list) else c for c in row)


class ValueWriter:
    """Writes new, changed and cleared values (``DataValue``, or ``SiteValue`` for a
    site's) with their history, all by one author at one moment for one reason."""

    def __init__(self, *, user_id: int | None, reason: str, now: dt.datetime,
                 using: str | None = None,
                 model: type[DataValue] | type[SiteValue] = DataValue) -> None:
        self.table = model._meta.db_table
        self.history_table = model.history.model._meta.db_table  # type: ignore[attr-defined]
        self.columns = tuple(f.attname for f in model._meta.concrete_fields)
        assert self.columns[0] == "id" and self.columns[-3:] == STAMP, self.columns
        first = self.columns.index("numerator")
        self.changed = self.columns[first:-3]  # numbers, (text,) comment
        self.span = slice(first, len(self.columns) - 3)
        self.history_columns = (*self.columns, "history_date", "history_change_reason",
                                "history_type", "history_user_id")
        self.connection = connections[using or DataValue.objects.db]
        self.connection.ensure_connection()
        self.postgres = self.connection.vendor == "postgresql"
        self.user_id = user_id
        self.reason = reason
        self.now = now if self.postgres else self.connection.ops.adapt_datetimefield_value(now)
        self._next_id: int | None = None
        self._changes_table = False

    def _cursor(self) -> Any:
        return self.connection.connection.cursor()

    # -- ids ---------------------------------------------------------------------------

    def _ids(self, n: int) -> Sequence[int]:
        cur = self._cursor()
        if self.postgres:
            cur.execute(f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) "  # noqa: S608 - a model's table
                        "FROM generate_series(1, %s)", (n,))
            return [r[0] for r in cur.fetchall()]
        if self._next_id is None:
            # A write first, so that this transaction holds SQLite's write lock and no one
            # else can take these ids before it commits.
            cur.execute(f"UPDATE {self.table} SET id = id WHERE id < 0")  # noqa: S608
            cur.execute(f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "  # noqa: S608
                        f"'{self.table}'), 0), COALESCE((SELECT MAX(id) FROM {self.table}), 0))")
            self._next_id = cur.fetchone()[0] + 1
        first = self._next_id
        self._next_id = first + n
        return range(first, first + n)

    # -- the three writes ----------------------------------------------------------------

    def insert(self, rows: Sequence[ValueTuple]) -> None:
        """New values (``+``)."""
        if not rows:
            return
        user, now = self.user_id, self.now
        values = [(pk, *r, "", user, now) for pk, r in zip(self._ids(len(rows)), rows,
                                                             strict=True)]
        self._put(self.table, self.columns, values)
        self._history(values, "+", self.reason)

    def update(self, rows: Sequence[tuple[int, str, ValueTuple]]) -> None:
        """Changed values (``~``): (id, warnings confirmed as stored, the new value)."""
        if not rows:
            return
        user, now = self.user_id, self.now
        values = [(pk, *r, confirmed, user, now) for pk, confirmed, r in rows]
        cur = self._cursor()
        span, changed = self.span, self.changed
        if self.postgres:
            temp = f"coiin_changes_{self.table}"
            if not self._changes_table:
                kinds = {c: "numeric" for c in NUMBERS} | {"measurements": "jsonb"}
                types = ", ".join(f"{c} {kinds.get(c, 'text')}" for c in changed)
                cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (id bigint, {types})")
                self._changes_table = True
            cur.execute(f"TRUNCATE {temp}")
            with cur.copy(f"COPY {temp} FROM STDIN") as copy:
                for v in values:
                    copy.write_row(_json((v[0], *v[span])))
            sets = ", ".join(f"{c} = c.{c}" for c in changed)
            cur.execute(
                f"UPDATE {self.table} AS d SET {sets}, updated_by_id = %s, "  # noqa: S608
                f"updated_at = %s FROM {temp} AS c WHERE d.id = c.id", (user, now))
        else:
            sets = ", ".join(f"{c} = ?" for c in changed)
            cur.executemany(
                f"UPDATE {self.table} SET {sets}, updated_by_id = ?, updated_at = ? "  # noqa: S608
                "WHERE id = ?", [_json((*v[span], user, now, v[0])) for v in values])
        self._history(values, "~", self.reason)

    def delete(self, stored: Sequence[ValueTuple]) -> None:
        """Cleared values (``-``), given as stored (all of ``columns``)."""
        if not stored:
            return
        cur = self._cursor()
        if self.postgres:
            cur.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)",  # noqa: S608
                        ([r[0] for r in stored],))
        else:
            cur.executemany(f"DELETE FROM {self.table} WHERE id = ?",  # noqa: S608
                            [(r[0],) for r in stored])
            stored = [(*r[:-1], self.connection.ops.adapt_datetimefield_value(r[-1]))
                      for r in stored]
        self._history(stored, "-", self.reason or "cleared")

    def submissions(self, keys: set[tuple[int, str, dt.date]]
                    ) -> dict[tuple[int, str, dt.date], int]:
        """New draft team-periods (team id, frequency, period start) at version 1, as
        a page save leaves them (one stored meanwhile by someone else is kept); their
        ids."""
        if not keys:
            return {}
        table = Submission._meta.db_table
        cols = ("team_id, frequency, period_start, status, is_final, version, assessment, "
                "assessment_language, updated_at")
        rows = [(*k, Submission.Status.DRAFT.value, False, 1, "", "en", self.now)
                for k in keys]
        cur = self._cursor()
        if self.postgres:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES "  # noqa: S608
                            "(%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING", rows)
        else:
            cur.executemany(f"INSERT OR IGNORE INTO {table} ({cols}) "  # noqa: S608
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(*r[:2], r[2].isoformat(), *r[3:]) for r in rows])
        starts = [k[2] for k in keys]
        return {(t, f, s): pk for pk, t, f, s in Submission.objects.filter(
            team_id__in={k[0] for k in keys}, period_start__gte=min(starts),
            period_start__lte=max(starts)).values_list("pk", "team_id", "frequency",
                                                       "period_start")
            if (t, f, s) in keys}

    # -- plumbing ------------------------------------------------------------------------

    def _history(self, values: Sequence[ValueTuple], kind: str, reason: str) -> None:
        extra = (self.now, reason, kind, self.user_id)
        self._put(self.history_table, self.history_columns, [(*v, *extra) for v in values])

    def _put(self, table: str, columns: Sequence[str], rows: Sequence[ValueTuple]) -> None:
        cur = self._cursor()
        names = ", ".join(columns)
        if self.postgres:
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(_json(r))
        else:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                            [_json(r) for r in rows])
