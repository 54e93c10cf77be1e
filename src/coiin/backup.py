"""Backup and restore of a whole instance: its database and its uploaded files.

An archive is a gzipped tar file holding

- ``manifest.json``: what made it (format, version, date, database kind, the migrations
  applied) and the SHA-256 and size of every other member;
- ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump`` (``pg_dump``'s
  custom format): both read one consistent snapshot while the site keeps running;
- ``media/...``: the uploaded files (community resources, attachments, event files).
  Report snapshots live in the database, so they come with it.

``restore`` checks the whole archive before it touches anything: a member missing, added or
changed (its checksum), a file that is not such an archive, one made from another kind of
database, one made by a newer release (migrations this code does not know), or a target that
is not empty is refused with every reason, and nothing is changed. The database is then put
in place in one step (an atomic file rename for SQLite, one ``pg_restore`` transaction for
PostgreSQL), the files after it; ``coiin restore`` then migrates forward, so an archive of an
older release comes up to date.

This module imports no app: it works on the database connection and the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "coiin-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1 << 20


class BackupError(Exception):
    """The archive cannot be made or restored; ``problems`` says every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Manifest:
    created: str
    vendor: str
    migrations: list[str]
    members: dict[str, dict[str, Any]]

    def as_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": VERSION, "created": self.created,
                           "database": self.vendor, "migrations": self.migrations,
                           "members": self.members}, indent=1, sort_keys=True).encode()

    @property
    def files(self) -> int:
        return sum(1 for m in self.members if m.startswith("media/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield "media/" + path.relative_to(root).as_posix(), path


# -- making an archive ---------------------------------------------------------------------


def backup(target: Path, *, media_root: Path, using: str = "default") -> Manifest:
    """Write an archive of the database ``using`` and the files under ``media_root``."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError([f"cannot back up a {vendor} database"])
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
        dump = Path(tmp) / DUMPS[vendor]
        if vendor == "sqlite":
            _dump_sqlite(connection, dump)
        else:
            _dump_postgres(connection.settings_dict, dump)
        members = {dump.name: {"sha256": _sha256(dump), "size": dump.stat().st_size}}
        files = list(_media_files(Path(media_root)))
        for name, path in files:
            members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = Manifest(
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), vendor=vendor,
            migrations=sorted(f"{app}.{name}" for app, name in
                              MigrationRecorder(connection).applied_migrations()),
            members=members)
        partial = Path(tmp) / "archive.tar.gz"
        # Level 6 (gzip's own default) takes less than half the CPU of tarfile's 9 for an
        # archive about 2 % larger.
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            data = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for name, path in files:
                tar.add(path, arcname=name)
        os.replace(partial, target)  # a half-written archive never has the target's name
    return manifest


def _dump_sqlite(connection: Any, dump: Path) -> None:
    connection.ensure_connection()
    out = sqlite3.connect(dump)
    try:
        connection.connection.backup(out)  # one consistent copy, while others write
    finally:
        out.close()


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings_dict["NAME"])]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                              check=False)
    except FileNotFoundError:
        raise BackupError([f"{command[0]} is not installed; it is needed to {what}"]) from None
    if done.returncode != 0:
        raise BackupError([f"{command[0]} failed to {what}: {done.stderr.strip()}"])


def _dump_postgres(settings_dict: dict[str, Any], dump: Path) -> None:
    args, env = _pg_env(settings_dict)
    # pg_dump reads one snapshot: consistent while the site runs.
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump),
          *args], env, "dump the database")


# -- checking and restoring ------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def verify(archive: Path) -> Manifest:
    """The archive's manifest, after every member has been checked against it."""
    problems: list[str] = []
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError([f"{archive} is not a CoIIN backup archive ({exc})"]) from None
    with tar:
        try:
            members = {m.name: m for m in tar.getmembers()}
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError([f"{archive} is damaged: {exc}"]) from None
        if MANIFEST not in members:
            raise BackupError([f"{archive} is not a CoIIN backup archive: it has no "
                               f"{MANIFEST}"])
        try:
            raw = json.loads(_read(tar, members[MANIFEST]))
        except (ValueError, tarfile.TarError, OSError, EOFError):
            raise BackupError([f"{MANIFEST} is damaged: it is not JSON"]) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BackupError([f"{archive} is not a CoIIN backup archive (format "
                               f"{raw.get('format') if isinstance(raw, dict) else None!r})"])
        if raw.get("version") != VERSION:
            raise BackupError([f"archive format version {raw.get('version')!r} is not "
                               f"{VERSION}, the one this release reads"])
        manifest = Manifest(created=str(raw.get("created")), vendor=str(raw.get("database")),
                            migrations=list(raw.get("migrations") or []),
                            members=dict(raw.get("members") or {}))
        expected = set(manifest.members)
        present = set(members) - {MANIFEST}
        problems += [f"{name}: listed in the manifest but missing"
                     for name in sorted(expected - present)]
        problems += [f"{name}: in the archive but not in the manifest"
                     for name in sorted(present - expected)]
        problems += [f"{name}: an unsafe path" for name in sorted(present | expected)
                     if not _safe_name(name)]
        if DUMPS.get(manifest.vendor) not in expected:
            problems.append(f"no database dump for {manifest.vendor!r}")
        for name in sorted(expected & present):
            member = members[name]
            if not member.isfile():
                problems.append(f"{name}: not a file")
                continue
            digest = hashlib.sha256()
            try:
                source = tar.extractfile(member)
                assert source is not None
                while block := source.read(CHUNK):
                    digest.update(block)
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                problems.append(f"{name}: damaged ({exc})")
                continue
            if digest.hexdigest() != manifest.members[name].get("sha256"):
                problems.append(f"{name}: its checksum does not match the manifest (damaged)")
    if problems:
        raise BackupError(problems)
    return manifest


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    if source is None:
        raise tarfile.TarError(f"{member.name} is not a file")
    return source.read()


def _problems_with_target(manifest: Manifest, connection: Any, media_root: Path) -> list[str]:
    problems = []
    if manifest.vendor != connection.vendor:
        problems.append(f"the archive holds a {manifest.vendor} database; this instance uses "
                        f"{connection.vendor}")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True)
             .disk_migrations}
    newer = sorted(set(manifest.migrations) - known)
    if newer:
        problems.append(f"the archive was made by a newer release (migrations this release "
                        f"does not have: {', '.join(newer[:5])}{' ...' if len(newer) > 5 else ''})")
    tables = connection.introspection.table_names()
    if tables:
        problems.append(f"the database is not empty ({len(tables)} tables); restore into an "
                        f"empty database")
    if media_root.is_dir() and any(media_root.iterdir()):
        problems.append(f"the media folder {media_root} is not empty")
    return problems


def restore(archive: Path, *, media_root: Path, using: str = "default") -> Manifest:
    """Put the archive's database and files in place in an empty instance (see the module)."""
    manifest = verify(archive)
    connection = connections[using]
    media_root = Path(media_root)
    problems = _problems_with_target(manifest, connection, media_root)
    if problems:
        raise BackupError(problems)
    with tempfile.TemporaryDirectory(prefix=".restore-") as tmp, \
            tarfile.open(archive, "r:gz") as tar:
        dump = Path(tmp) / DUMPS[manifest.vendor]
        with dump.open("wb") as out:
            shutil.copyfileobj(_member(tar, DUMPS[manifest.vendor]), out)
        if manifest.vendor == "sqlite":
            _restore_sqlite(connection, dump)
        else:
            args, env = _pg_env(connection.settings_dict)
            connection.close()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                  "--exit-on-error", *args, str(dump)], env, "restore the database")
        staging = Path(tempfile.mkdtemp(prefix=".restore-media-", dir=_parent(media_root)))
        try:
            for name in manifest.members:
                if not name.startswith("media/"):
                    continue
                path = staging / name.removeprefix("media/")
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as out:
                    shutil.copyfileobj(_member(tar, name), out)
            if media_root.is_dir():
                media_root.rmdir()  # empty: checked above
            os.replace(staging, media_root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return manifest


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    source = tar.extractfile(name)
    if source is None:  # verify() has checked that every member is a file
        raise BackupError([f"{name}: not a file"])
    return source


def _parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.parent


def _restore_sqlite(connection: Any, dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()
    target = Path(name)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, staged)
    for suffix in ("-wal", "-shm"):
        Path(name + suffix).unlink(missing_ok=True)
    os.replace(staged, target)
