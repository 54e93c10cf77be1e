"""Backup and restore: the demo backed up, restored into an empty instance, table by table and
file by file the same; damaged, foreign or misdirected archives refused with nothing changed.

The instances are real ones, made by the command line in separate processes (the backup
must read committed data, as it does on a running site): SQLite files in the SQLite pass,
databases on the same server in the PostgreSQL pass.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# One demo instance for the module; the instances are those of DATABASE_URL's kind, so the
# module runs in both passes (tests/conftest.py, --database-tests-only). The demo's instance
# starts as a copy of the migrated test database (``place.migrated``), so the test database
# is asked for (django_db), though the tests themselves only read the instances they make.
pytestmark = [pytest.mark.xdist_group("backup"), pytest.mark.database_url, pytest.mark.django_db]

PASS_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = PASS_URL.startswith("postgres")


def coiin(*args: str, url: str, media: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, MEDIA_ROOT=str(media), COIIN_DEV="1",
               DJANGO_SETTINGS_MODULE="coiin.settings")
    done = subprocess.run([sys.executable, "-m", "coiin.cli", *args], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


class Server:
    """Makes and drops databases on the pass's PostgreSQL server."""

    def __init__(self) -> None:
        self.parts = urlsplit(PASS_URL)
        self.made: list[str] = []

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", user=self.parts.username or None,
                               password=self.parts.password or None,
                               host=self.parts.hostname or None, port=self.parts.port or None,
                               autocommit=True)

    def new(self, template: str | None = None) -> str:
        """A new empty database, or a copy of ``template`` (which no one may be connected to)."""
        name = f"coiin_backup_{uuid.uuid4().hex[:10]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"'
                         + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        netloc = self.parts.netloc
        return f"{self.parts.scheme}://{netloc}/{name}"

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """new() -> the URL of a new empty database of this pass's kind; migrated() -> the URL of
    a new database of this pass's kind with every migration applied."""
    root = tmp_path_factory.mktemp("backup")
    server = Server() if POSTGRES else None
    count = iter(range(1000))

    def new() -> str:
        if server is not None:
            return server.new()
        return f"sqlite:///{root / f'db{next(count)}.sqlite3'}"

    def migrated(blocker) -> str:
        """A copy of this worker's test database, which ``migrate`` made as it makes an
        instance's (the reference rows and the catalog in it are those the demo loads
        anyway): as good as migrating a new database from nothing, which takes 20 s."""
        from django.db import connection, connections

        with blocker.unblock():
            if server is None:
                url = new()
                connection.ensure_connection()
                with sqlite3.connect(urlsplit(url).path) as target:
                    connection.connection.backup(target)
                target.close()
                return url
            connections.close_all()  # a template must have no one connected
            try:
                return server.new(template=connection.settings_dict["NAME"])
            except Exception:  # someone else is connected to it after all: migrate one
                url = new()
                coiin("migrate", "-v", "0", url=url, media=root / "media-unused")
                return url

    new.root = root  # type: ignore[attr-defined]
    new.migrated = migrated  # type: ignore[attr-defined]
    yield new
    if server is not None:
        server.drop_all()


@pytest.fixture(scope="module")
def demo(place, django_db_setup, django_db_blocker):
    """The demo network in its own instance, and its backup."""
    url, media = place.migrated(django_db_blocker), place.root / "media-demo"
    # Four jurisdictions' teams: every kind of row the whole demo writes (the six networks,
    # site values, mentoring pairs, ...), in a tenth of the time the 145 teams take.
    coiin("demo", "--jurisdictions", "GA,PR,AK,AL", url=url, media=media)
    archive = place.root / "demo.tar.gz"
    done = coiin("backup", str(archive), url=url, media=media)
    assert "Wrote" in done.stdout
    return url, media, archive


def tables(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in a stable order, as comparable values."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(urlsplit(url).path)
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        out = {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}  # noqa: S608
        conn.close()
        return out
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(dbname=parts.path.lstrip("/"), user=parts.username or None,
                         host=parts.hostname or None, port=parts.port or None) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        out = {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}  # noqa: S608
        seqs = {r[0]: r[1] for r in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")}
        out["<sequences>"] = sorted(map(repr, seqs.items()))
    return out


def files(media: Path) -> dict[str, bytes]:
    return {p.relative_to(media).as_posix(): p.read_bytes()
            for p in sorted(media.rglob("*")) if p.is_file()}


def test_the_demo_restored_into_an_empty_instance_is_the_same_table_by_table(demo, place):
    url, media, archive = demo
    manifest = json.loads(tarfile.open(archive).extractfile("manifest.json").read())
    assert manifest["format"] == "coiin-backup"
    assert manifest["database"] == ("postgresql" if POSTGRES else "sqlite")
    assert any(m.startswith("media/") for m in manifest["members"])
    target, target_media = place(), place.root / "media-restored"
    done = coiin("restore", str(archive), url=target, media=target_media)
    assert "Restored" in done.stdout
    original, restored = tables(url), tables(target)
    assert set(original) == set(restored)
    rows = {name: len(r) for name, r in original.items()}
    assert rows["measures_datavalue"] > 4_000 and rows["charts_chartsummary"] > 100
    assert rows["measures_sitevalue"] and rows["community_mentorpairing"]
    for name in original:
        assert original[name] == restored[name], name
    assert files(media) == files(target_media) != {}
    # And the restored instance works: Django's checks and a migration plan with nothing to do.
    check = coiin("migrate", "--check", url=target, media=target_media, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with its members passed through change(name, data)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz", compresslevel=1) as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def _flip(name: str, data: bytes) -> bytes:
    if name.startswith("database."):
        return data[:4096] + bytes([data[4096] ^ 0xFF]) + data[4097:]
    return data


@pytest.mark.parametrize("how, reason", [
    ("one byte of the database changed", "checksum does not match"),
    ("a file dropped", "listed in the manifest but missing"),
    ("cut short", "damaged"),
    ("not an archive", "is not a CoIIN backup archive"),
    ("another program's archive", "has no manifest.json"),
])
def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(demo, place, how, reason):
    _, _, archive = demo
    bad = place.root / f"bad-{uuid.uuid4().hex[:6]}.tar.gz"
    if how == "one byte of the database changed":
        _rewrite(archive, bad, _flip)
    elif how == "a file dropped":
        _rewrite(archive, bad, lambda n, d: None if n.startswith("media/") else d)
    elif how == "cut short":
        data = archive.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif how == "not an archive":
        bad.write_text("jurisdiction,network\nGA,safe-sleep\n")
    else:
        _rewrite(archive, bad, lambda n, d: None if n == "manifest.json" else d)
    target, target_media = place(), place.root / f"media-{uuid.uuid4().hex[:6]}"
    done = coiin("restore", str(bad), url=target, media=target_media, check=False)
    assert done.returncode != 0
    assert "Nothing was restored" in done.stderr and reason in done.stderr, done.stderr
    assert not any(v for k, v in tables(target).items() if k != "<sequences>")
    assert not target_media.exists()


def test_a_restore_into_an_instance_that_is_not_empty_is_refused(demo):
    url, media, archive = demo
    before = tables(url)
    done = coiin("restore", str(archive), url=url, media=media, check=False)
    assert done.returncode != 0
    assert "the database is not empty" in done.stderr
    assert "is not empty" in done.stderr.split("the database is not empty")[1]  # media too
    assert tables(url) == before
