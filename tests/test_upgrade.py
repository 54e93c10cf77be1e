"""An instance of the previous release migrates forward, keeps its rows and serves; the
migrations since then go back to exactly the previous release's database.

The database (tests/data/releases/, see its README) was made by release 0.9.0's own code.
The test runs the command line in separate processes on a SQLite copy of it, whatever the
pass's database: so the PostgreSQL pass, which runs only the tests that can depend on its
database (--database-tests-only, tests/conftest.py), leaves it to the SQLite pass.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# One forward migration of the release for both tests (the module's fixture), on one worker.
pytestmark = pytest.mark.xdist_group("upgrade")

RELEASE = Path(__file__).parent / "data" / "releases" / "coiin-0.9.0.sqlite3.gz"
KEPT = ["network_jurisdiction", "network_team", "network_user", "network_teammembership",
        "measures_measure", "measures_datavalue", "measures_submission",
        "measures_historicaldatavalue", "community_post", "community_resource",
        "account_emailaddress"]


def coiin(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=f"sqlite:///{db}", MEDIA_ROOT=str(db.parent / "media"),
               COIIN_DEV="1", DJANGO_SETTINGS_MODULE="coiin.settings")
    done = subprocess.run([sys.executable, "-m", "coiin.cli", *args], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                for t in KEPT}


def leaves(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return dict(rows)  # the last applied per app


def schema(db: Path) -> dict[str, object]:
    """What the database's structure is, in terms that do not depend on the order its
    tables were (re)made in: each table's columns (type, null, default, key), its indexes by
    what they cover, its foreign keys, and every trigger and view."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out: dict[str, object] = {}
        for t in tables:
            columns = sorted(tuple(r[1:]) for r in conn.execute(f'PRAGMA table_info("{t}")'))
            indexes = sorted(
                (bool(unique), partial, tuple(c[2] for c in conn.execute(
                    f'PRAGMA index_info("{name}")')))
                for _seq, name, unique, _origin, partial in conn.execute(
                    f'PRAGMA index_list("{t}")'))
            keys = sorted(tuple(r[2:5]) + tuple(r[5:7])
                          for r in conn.execute(f'PRAGMA foreign_key_list("{t}")'))
            out[t] = (columns, indexes, keys)
        out["<triggers and views>"] = sorted(conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('trigger', 'view')"))
    return out


# What ``migrate`` adds after migrating (post_migrate: a content type and permissions for
# each new model) and migrating back leaves, as Django does: the same rows the migration
# forward finds already there and keeps.
ADDED_AFTER_MIGRATING = {"django_content_type", "auth_permission"}


def rows(db: Path) -> dict[str, list[str]]:
    """Every row of every table but those ``migrate`` adds after migrating, in a stable
    order."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if r[0] not in ADDED_AFTER_MIGRATING]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))  # noqa: S608
                for t in tables}


def _unpacked(folder: Path) -> Path:
    db = folder / "coiin.sqlite3"
    with gzip.open(RELEASE) as src, db.open("wb") as out:
        shutil.copyfileobj(src, out)
    return db


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, Path]:
    """(0.9.0's database as it was, the same migrated forward by ``coiin migrate``): the
    forward migration, the slow part, is made once for the module; each test works on its
    own copy."""
    old = _unpacked(tmp_path_factory.mktemp("release"))
    migrated = old.with_name("migrated.sqlite3")
    shutil.copyfile(old, migrated)
    coiin(migrated, "migrate", "-v", "0")
    return old, migrated


@pytest.fixture
def old(release, tmp_path) -> Path:
    db = tmp_path / "coiin.sqlite3"
    shutil.copyfile(release[0], db)
    return db


@pytest.fixture
def migrated(release, tmp_path) -> Path:
    db = tmp_path / "migrated.sqlite3"
    shutil.copyfile(release[1], db)
    return db


def test_the_previous_release_migrates_forward_keeps_every_row_and_serves(old, migrated):
    before = counts(old)
    assert before["network_team"] == 145 and before["measures_datavalue"] == 32
    coiin(migrated, "migrate", "--check")  # migrated by the module's fixture; nothing left
    assert counts(migrated) == before
    page = coiin(migrated, "shell", "-c", (
        "from django.test import Client; from coiin.network.models import User; "
        "c = Client(); c.force_login(User.objects.get(email='datalead@example.org')); "
        "print([c.get(u).status_code for u in ('/', '/networks/safe-sleep/ga/data/', "
        "'/networks/safe-sleep/ga/charts/', '/public/')])"))
    assert page.stdout.strip().splitlines()[-1] == "[200, 200, 200, 200]"


def test_the_migrations_since_the_previous_release_go_back_to_it_exactly(old, migrated):
    before, was = counts(old), leaves(old)
    assert counts(migrated) == before  # migrated forward by the module's fixture
    now = leaves(migrated)
    # Back to 0.9.0's migrations, the apps of the newest first (an app's later migrations can
    # depend on another's), as one plan of Django's migration executor for every app's target
    # at once (what ``migrate APP TARGET`` runs for one): the project's migration states are
    # worked out once, not once per app.
    steps = [(app, was.get(app)) for app in reversed([a for a in now if now[a] != was.get(a)])]
    coiin(migrated, "shell", "-c", (
        "from django.db import connection\n"
        "from django.db.migrations.executor import MigrationExecutor\n"
        f"MigrationExecutor(connection).migrate({steps!r})"))
    assert {a: n for a, n in leaves(migrated).items()} == was
    assert counts(migrated) == before
    # Back where 0.9.0 was: the same tables, columns, indexes, keys and triggers as 0.9.0's
    # own database. Forward from here is then the migration the module's fixture ran from
    # 0.9.0's database and the first test checked; it is not run a second time.
    assert schema(migrated) == schema(old)
    back, was_rows = rows(migrated), rows(old)
    assert back.keys() == was_rows.keys()
    assert not [t for t in back if back[t] != was_rows[t]], "tables whose rows differ"
