"""Rows the demo finds by their natural key, read once instead of one look-up per row.

``update_or_create`` costs a savepoint, a SELECT ... FOR UPDATE and an UPDATE for every row,
even when nothing changed: thousands of round trips for the demo network, most of them on
a second run that changes nothing. The demo loads inside one transaction, so the rows can
be read up front, and each written only when it is missing or differs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Known(Generic[M]):
    """One model's rows by natural key: ``put`` creates a missing row, updates the fields
    that differ from ``defaults`` in one that exists, and leaves an equal one alone (the
    outcome of ``update_or_create``, without its per-row queries)."""

    def __init__(self, rows: models.QuerySet[M], key: Callable[[M], Hashable]):
        self.model = rows.model
        self.rows: dict[Hashable, M] = {key(row): row for row in rows}

    def get(self, key: Hashable) -> M | None:
        return self.rows.get(key)

    def put(self, key: Hashable, lookup: dict[str, Any], defaults: dict[str, Any],
            before_insert: Callable[[M], None] | None = None) -> M:
        row = self.rows.get(key)
        if row is None:
            row = self.model(**lookup, **defaults)
            if before_insert is not None:
                before_insert(row)
            row.save(force_insert=True)
            self.rows[key] = row
            return row
        changed = [name for name, value in defaults.items() if _value(row, name) != _db(value)]
        if changed:
            for name in changed:
                setattr(row, name, defaults[name])
            row.save(update_fields=changed)
        return row


def _value(row: models.Model, name: str) -> Any:
    """A field's stored value; a foreign key's id, so comparing it reads no related row."""
    field = row._meta.get_field(name)
    return getattr(row, field.attname)


def _db(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value
