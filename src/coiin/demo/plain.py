"""Inserting the demo's generated rows (team-periods and their workflow events) in bulk.

The ORM's ``bulk_create`` assembles its SQL value by value: for the tens of thousands of
team-periods and events of the demo that was more of the loader's time than drawing them.
Here each row's values are prepared by its fields, as the ORM prepares them (defaults,
``auto_now``, time zones), and sent with the driver's ``executemany``. Values themselves are
not written here: they go through ``coiin.measures.services``, with their history.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT new rows of one model, in order (so their ids rise in that order); their ids
    are not read back."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[f.get_db_prep_save(f.pre_save(o, True), connection)
                                  for f in fields] for o in objs])
