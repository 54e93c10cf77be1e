"""An instance of the previous release migrates forward, keeps its rows and serves; the
migrations since then go back and forward again.

The database (tests/data/releases/, see its README) was made by release 0.9.0's own code.
The test runs the command line in separate processes on a SQLite copy of it, in both passes.
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


@pytest.fixture
def old(tmp_path) -> Path:
    db = tmp_path / "coiin.sqlite3"
    with gzip.open(RELEASE) as src, db.open("wb") as out:
        shutil.copyfileobj(src, out)
    return db


def test_the_previous_release_migrates_forward_keeps_every_row_and_serves(old):
    before = counts(old)
    assert before["network_team"] == 145 and before["measures_datavalue"] == 32
    coiin(old, "migrate", "-v", "0")
    coiin(old, "migrate", "--check")  # nothing left to apply
    assert counts(old) == before
    page = coiin(old, "shell", "-c", (
        "from django.test import Client; from coiin.network.models import User; "
        "c = Client(); c.force_login(User.objects.get(email='datalead@example.org')); "
        "print([c.get(u).status_code for u in ('/', '/networks/safe-sleep/ga/data/', "
        "'/networks/safe-sleep/ga/charts/', '/public/')])"))
    assert page.stdout.strip().splitlines()[-1] == "[200, 200, 200, 200]"


def test_the_migrations_since_the_previous_release_go_back_and_forward(old):
    before, was = counts(old), leaves(old)
    coiin(old, "migrate", "-v", "0")
    now = leaves(old)
    # Back to 0.9.0's migrations, the apps of the newest first (an app's later migrations can
    # depend on another's), then forward again.
    for app in reversed([a for a in now if now[a] != was.get(a)]):
        coiin(old, "migrate", app, was.get(app, "zero"), "-v", "0")
    assert {a: n for a, n in leaves(old).items()} == was
    assert counts(old) == before
    coiin(old, "migrate", "-v", "0")
    assert leaves(old) == now and counts(old) == before
