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
from collections.abc import Sequence
from typing import Any

from django.db import connections

from ..models import DataValue, Submission

VALUE_TABLE = DataValue._meta.db_table
HISTORY_TABLE = DataValue.history.model._meta.db_table
# A stored value, in this order everywhere in the fast path.
VALUE_COLUMNS = ("id", "submission_id", "measure_id", "stratum_id", "numerator",
                 "denominator", "value", "text", "comment", "warnings_confirmed",
                 "updated_by_id", "updated_at")
HISTORY_COLUMNS = (*VALUE_COLUMNS, "history_date", "history_change_reason", "history_type",
                   "history_user_id")
CHANGED_COLUMNS = ("numerator", "denominator", "value", "text", "comment")
ValueTuple = tuple[Any, ...]
"""(submission id, measure id, stratum id, numerator, denominator, value, text, comment)"""


class ValueWriter:
    """Writes new, changed and cleared values with their history, all by one author at
    one moment for one reason, on the default database."""

    def __init__(self, *, user_id: int | None, reason: str, now: dt.datetime,
                 using: str | None = None) -> None:
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
            cur.execute(f"SELECT nextval(pg_get_serial_sequence('{VALUE_TABLE}', 'id')) "  # noqa: S608 - a model's table
                        "FROM generate_series(1, %s)", (n,))
            return [r[0] for r in cur.fetchall()]
        if self._next_id is None:
            # A write first, so that this transaction holds SQLite's write lock and no one
            # else can take these ids before it commits.
            cur.execute(f"UPDATE {VALUE_TABLE} SET id = id WHERE id < 0")  # noqa: S608
            cur.execute(f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "  # noqa: S608
                        f"'{VALUE_TABLE}'), 0), COALESCE((SELECT MAX(id) FROM {VALUE_TABLE}), 0))")
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
        self._put(VALUE_TABLE, VALUE_COLUMNS, values)
        self._history(values, "+", self.reason)

    def update(self, rows: Sequence[tuple[int, str, ValueTuple]]) -> None:
        """Changed values (``~``): (id, warnings confirmed as stored, the new value)."""
        if not rows:
            return
        user, now = self.user_id, self.now
        values = [(pk, *r, confirmed, user, now) for pk, confirmed, r in rows]
        cur = self._cursor()
        if self.postgres:
            if not self._changes_table:
                cur.execute("CREATE TEMP TABLE IF NOT EXISTS coiin_import_changes (id bigint, "
                            "numerator numeric, denominator numeric, value numeric, "
                            "text text, comment text)")
                self._changes_table = True
            cur.execute("TRUNCATE coiin_import_changes")
            with cur.copy("COPY coiin_import_changes FROM STDIN") as copy:
                for v in values:
                    copy.write_row((v[0], *v[4:9]))
            cur.execute(
                f"UPDATE {VALUE_TABLE} AS d SET numerator = c.numerator, "  # noqa: S608
                "denominator = c.denominator, value = c.value, text = c.text, "
                "comment = c.comment, updated_by_id = %s, updated_at = %s "
                "FROM coiin_import_changes AS c WHERE d.id = c.id", (user, now))
        else:
            sets = ", ".join(f"{c} = ?" for c in CHANGED_COLUMNS)
            cur.executemany(
                f"UPDATE {VALUE_TABLE} SET {sets}, updated_by_id = ?, updated_at = ? "  # noqa: S608
                "WHERE id = ?", [(*v[4:9], user, now, v[0]) for v in values])
        self._history(values, "~", self.reason)

    def delete(self, stored: Sequence[ValueTuple]) -> None:
        """Cleared values (``-``), given as stored (all of VALUE_COLUMNS)."""
        if not stored:
            return
        cur = self._cursor()
        if self.postgres:
            cur.execute(f"DELETE FROM {VALUE_TABLE} WHERE id = ANY(%s)",  # noqa: S608
                        ([r[0] for r in stored],))
        else:
            cur.executemany(f"DELETE FROM {VALUE_TABLE} WHERE id = ?",  # noqa: S608
                            [(r[0],) for r in stored])
            stored = [(*r[:11], self.connection.ops.adapt_datetimefield_value(r[11]))
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
                "updated_at")
        rows = [(*k, Submission.Status.DRAFT.value, False, 1, "", self.now) for k in keys]
        cur = self._cursor()
        if self.postgres:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES "  # noqa: S608
                            "(%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING", rows)
        else:
            cur.executemany(f"INSERT OR IGNORE INTO {table} ({cols}) "  # noqa: S608
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        self._put(HISTORY_TABLE, HISTORY_COLUMNS, [(*v, *extra) for v in values])

    def _put(self, table: str, columns: Sequence[str], rows: Sequence[ValueTuple]) -> None:
        cur = self._cursor()
        names = ", ".join(columns)
        if self.postgres:
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
