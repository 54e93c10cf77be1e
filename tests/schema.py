"""The test databases are made from the models, not by running every migration.

Running the project's hundred-odd migrations cost each test process 20 to 60 seconds of CPU
(SQLite, PostgreSQL), in both passes. Instead the tables are created straight from the
models (as ``migrate --run-syncdb`` does for an app without migrations), then what the
migrations make beyond the models is added (``BEYOND_THE_MODELS``: SQLite's full-text
search table and its triggers) and every migration is recorded as applied, as
``migrate --fake`` would: the database is then what ``migrate`` makes, so the tests that
step the migrations back and forward (tests/test_migrations_move.py, ...) work on it as on
a migrated one. The post_migrate signals (content types, permissions, the community's
spaces) are sent as by ``migrate``. The data migrations only convert rows that exist, so on
a new, empty database they have nothing to do.

tests/test_schema_from_models.py holds that to be true: it makes one database with the
real migrations and one from the models, each in its own process (``python -m
tests.schema migrate|models``, which prints ``describe()`` as JSON), and compares them.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The migrations whose operations make something the models do not describe: run (forward)
# on a database made from the models. A data migration (one converting existing rows) is
# not listed: a new database has no rows to convert.
BEYOND_THE_MODELS = [("community", "0002_search_fts")]

# Where ``migrate`` makes a column unlike its model, per database: the table of Django's own
# auth app linking groups to permissions gets a bigint key from its migration (migrations
# give an app's auto-created tables the project's DEFAULT_AUTO_FIELD) but an integer one
# from the model (the auth app's own default). Alike on SQLite, where both are "integer".
UNLIKE_THE_MODELS = {
    "postgresql": ['ALTER TABLE "auth_group_permissions" ALTER COLUMN "id" TYPE bigint'],
}


class _NoMigrations:
    """MIGRATION_MODULES for "no app has migrations" (every app is synced from its models)."""

    def __contains__(self, item: str) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


@contextlib.contextmanager
def migrations_off() -> Iterator[None]:
    """Within: ``migrate`` creates every table from the models instead of migrating."""
    from django.conf import settings

    real = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = _NoMigrations()
    try:
        yield
    finally:
        settings.MIGRATION_MODULES = real


def complete_models_schema(connection) -> None:
    """On a database whose tables were just made from the models: add what the migrations
    make beyond them, make what they make otherwise as they do, then record every migration
    as applied. Nothing if migrations are already recorded (a kept database)."""
    from django.apps import apps
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if recorder.has_table() and recorder.applied_migrations():
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    with connection.schema_editor() as editor:
        for key in BEYOND_THE_MODELS:
            for operation in loader.disk_migrations[key].operations:
                if isinstance(operation, migrations.RunPython):
                    operation.code(apps, editor)
                elif isinstance(operation, migrations.RunSQL):
                    for sql in ([operation.sql] if isinstance(operation.sql, str)
                                else operation.sql):
                        editor.execute(sql)
                else:
                    raise TypeError(f"{key}: {operation!r} is not RunPython or RunSQL")
        for sql in UNLIKE_THE_MODELS.get(connection.vendor, []):
            editor.execute(sql)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(
        [recorder.Migration(app=app, name=name) for app, name in sorted(loader.graph.nodes)])


# A name Django or the database made up (from the table, the columns and a hash; SQLite's
# positional ones; PostgreSQL's primary keys): it is the old one in a table moved to another
# app by migrations (the rename keeps its indexes' names) and a new one in a table made from
# the models. Such names are left out: what they name is compared whole instead.
_GENERATED = re.compile(r"_[0-9a-f]{8}(_|$)|_pkey$|^__unnamed|^fk_\d+$")


def _unnamed(value: str) -> str:
    """``value`` with each quoted or bare made-up name in it replaced by ``*``."""
    return re.sub(r'"?\b\w+_[0-9a-f]{8}(_\w+)?\b"?|\b\w+_pkey\b', "*", value)


@contextlib.contextmanager
def default_on_a_new_database() -> Iterator[None]:
    """Within: the default connection reaches a new, empty database of the same kind (a file
    for SQLite, a database on the same PostgreSQL server, dropped after), with no migration
    applied; then the test database again, as it was. For a test that steps a few
    migrations back and forward: on a new database only the ones it names and those they
    depend on are applied, where stepping back in the test database would first undo every
    later migration of the whole project. Not inside a transaction."""
    from django.db import connections

    conn = connections["default"]
    assert not conn.in_atomic_block, "the default connection is inside a transaction"
    kept, test_name = conn.connection, conn.settings_dict["NAME"]
    folder = Path(tempfile.mkdtemp())
    if conn.vendor == "sqlite":
        name = str(folder / "new.sqlite3")
    else:
        name = f"{test_name}_new_{uuid.uuid4().hex[:8]}"
        with conn._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.connection = None  # the test database's own (SQLite's in memory lives while it is open)
    conn.settings_dict["NAME"] = name
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["NAME"] = test_name
        conn.connection = kept
        shutil.rmtree(folder, ignore_errors=True)
        if conn.vendor != "sqlite":
            with conn._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(cursor, sql: str) -> list[list[str]]:
    cursor.execute(sql)
    return sorted([_unnamed(str(v)) for v in row] for row in cursor.fetchall())


def describe(connection) -> dict[str, Any]:
    """Everything about a database's schema that a migration could make differently from the
    models: each table's columns (type, size, nullability, default), its constraints and
    indexes, the triggers, views, virtual tables, functions and sequences; and the rows that
    ``migrate`` itself writes (content types, permissions, the community's spaces) with how
    many rows each table holds. The migration history is left out."""
    intro = connection.introspection
    tables: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for info in intro.get_table_list(cursor):
            if info.name == "django_migrations" or info.name.startswith("community_search_fts"):
                continue  # the full-text tables are compared as SQL below
            columns = {c.name: [str(c.type_code), c.internal_size, c.precision, c.scale,
                                c.null_ok, str(c.default), getattr(c, "collation", None)]
                       for c in intro.get_table_description(cursor, info.name)}
            constraints: dict[str, list] = {}
            for name, c in intro.get_constraints(cursor, info.name).items():
                detail = {k: (list(v) if isinstance(v, tuple) else v) for k, v in c.items()}
                key = json.dumps(detail, sort_keys=True) if _GENERATED.search(name) else name
                constraints.setdefault(key, []).append(detail)
            constraints = {k: sorted(v, key=json.dumps) for k, v in constraints.items()}
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(info.name)}")  # noqa: S608
            tables[info.name] = {"type": info.type, "columns": columns,
                                 "constraints": constraints, "rows": cursor.fetchone()[0]}
        if connection.vendor == "sqlite":
            extra = {"objects": _rows(cursor, (
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND (type IN ('index', 'trigger', 'view') OR name LIKE 'community_search_fts%')"
                " AND name != 'django_migrations'"))}
        else:
            extra = {
                "indexes": _rows(cursor, "SELECT indexname, indexdef FROM pg_indexes "
                                         "WHERE schemaname = current_schema()"),
                "constraints": _rows(cursor, (
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                    "condeferrable, condeferred FROM pg_constraint "
                    "WHERE connamespace = current_schema()::regnamespace "
                    "AND conrelid::regclass::text != 'django_migrations'")),
                "triggers": _rows(cursor, "SELECT tgrelid::regclass::text, tgname, "
                                          "pg_get_triggerdef(oid) FROM pg_trigger "
                                          "WHERE NOT tgisinternal"),
                "functions": _rows(cursor, (
                    "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN "
                    "pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()")),
                "views": _rows(cursor, "SELECT viewname, definition FROM pg_views "
                                       "WHERE schemaname = current_schema()"),
                "sequences": _rows(cursor, (  # by the column they number, not by their name
                    "SELECT d.refobjid::regclass::text, a.attname, s.seqtypid::regtype, "
                    "s.seqstart, s.seqincrement, s.seqmax, d.deptype FROM pg_sequence s "
                    "JOIN pg_depend d ON d.objid = s.seqrelid AND d.classid = 'pg_class'::regclass "
                    "AND d.refobjsubid > 0 JOIN pg_attribute a ON a.attrelid = d.refobjid "
                    "AND a.attnum = d.refobjsubid "
                    "WHERE d.refobjid::regclass::text != 'django_migrations'")),
                "extensions": _rows(cursor, "SELECT extname FROM pg_extension"),
            }
        written = {
            "content_types": _rows(cursor, "SELECT app_label, model FROM django_content_type"),
            "permissions": _rows(cursor, (
                "SELECT t.app_label, t.model, p.codename, p.name FROM auth_permission p "
                "JOIN django_content_type t ON t.id = p.content_type_id")),
            "spaces": _rows(cursor, "SELECT kind, name FROM community_space"),
        }
    return {"tables": tables, "extra": extra, "written": written}


def _make(how: str) -> None:
    """This process's database (DATABASE_URL, new and empty) made ``how``: by the real
    migrations (``migrate``) or as the test databases are (``models``)."""
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if how == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
    elif how == "models":
        with migrations_off():  # what the test databases' creation runs (create_test_db)
            call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        complete_models_schema(connection)
    else:
        raise SystemExit(f"usage: python -m tests.schema migrate|models, not {how!r}")
    print(json.dumps(describe(connection)))  # noqa: T201 - read by the test


if __name__ == "__main__":
    _make(sys.argv[1] if len(sys.argv) > 1 else "")
