"""MIGRATION TEST: the test databases, made from the models (tests/schema.py), are what the
real migrations make.

Two new databases of the pass's kind (SQLite, or PostgreSQL under DATABASE_URL's server)
are made at once, each in its own process: one by ``migrate`` with every migration, one as
each test process makes its test database (the tables from the models, completed by
``complete_models_schema``). Then every table's columns (type, size, nullability,
default), constraints and indexes, the full-text search table and its triggers (SQLite),
the triggers, functions, views, sequences and extensions (PostgreSQL), and the rows
``migrate`` itself writes (content types, permissions, the community's network-wide space)
must be the same. This is the one test in a run that pays for all the migrations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.database_url

PASS_URL = os.environ.get("DATABASE_URL", "")
ROOT = Path(__file__).parent.parent


def _admin(parts):
    import psycopg

    return psycopg.connect(dbname="postgres", user=parts.username or None,
                           password=parts.password or None, host=parts.hostname or None,
                           port=parts.port or None, autocommit=True)


@pytest.fixture
def urls(tmp_path):
    """{"migrate": URL, "models": URL} of two new, empty databases of this pass's kind."""
    if not PASS_URL.startswith("postgres"):
        yield {how: f"sqlite:///{tmp_path / how}.sqlite3" for how in ("migrate", "models")}
        return
    parts = urlsplit(PASS_URL)
    names = {how: f"coiin_schema_{how}_{uuid.uuid4().hex[:10]}" for how in ("migrate", "models")}
    with _admin(parts) as conn:
        for name in names.values():
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {how: f"{parts.scheme}://{parts.netloc}/{name}" for how, name in names.items()}
    finally:
        with _admin(parts) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _started(how: str, url: str, folder: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, MEDIA_ROOT=str(folder / "media"), COIIN_DEV="1",
               DJANGO_SETTINGS_MODULE="coiin.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-m", "tests.schema", how], cwd=ROOT,  # noqa: S603
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _differences(migrated: dict, modelled: dict) -> list[str]:
    found = []
    for table in sorted(set(migrated["tables"]) | set(modelled["tables"])):
        a, b = migrated["tables"].get(table), modelled["tables"].get(table)
        if a is None or b is None:
            found.append(f"{table}: only {'from the models' if a is None else 'migrated'}")
            continue
        for part in ("type", "rows"):
            if a[part] != b[part]:
                found.append(f"{table} {part}: migrated {a[part]}, from the models {b[part]}")
        for part in ("columns", "constraints"):
            for name in sorted(set(a[part]) | set(b[part])):
                if a[part].get(name) != b[part].get(name):
                    found.append(f"{table} {part} {name}: migrated {a[part].get(name)}, "
                                 f"from the models {b[part].get(name)}")
    for group in ("extra", "written"):
        for kind in sorted(set(migrated[group]) | set(modelled[group])):
            a, b = migrated[group].get(kind, []), modelled[group].get(kind, [])
            found += [f"{kind} only migrated: {row}" for row in a if row not in b]
            found += [f"{kind} only from the models: {row}" for row in b if row not in a]
    return found


def test_the_models_make_the_schema_the_migrations_make(urls, tmp_path):
    running = {how: _started(how, url, tmp_path) for how, url in urls.items()}
    made = {}
    for how, process in running.items():
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, f"{how}: {err}"
        made[how] = json.loads(out.strip().splitlines()[-1])
    migrated, modelled = made["migrate"], made["models"]
    assert len(migrated["tables"]) > 100
    assert migrated["written"]["content_types"] and migrated["written"]["spaces"]
    if PASS_URL.startswith("postgres"):
        assert migrated["extra"]["indexes"] and migrated["extra"]["constraints"]
    else:  # the full-text search table and its three triggers
        objects = [row[1] for row in migrated["extra"]["objects"]]
        assert "community_search_fts" in objects
        assert {"community_search_ai", "community_search_ad", "community_search_au"} <= set(
            objects)
    assert _differences(migrated, modelled) == []
