"""More than one machine: two app processes (gunicorn, separate ports) and two task workers
(``coiin db_worker``) on one PostgreSQL database, under a month end of data leads (80
here, 300 in bench/month_end.py: tests/multi/plan.py) saving and submitting at once through
the real pages, some uploading a CSV that the workers import. Nothing may be lost or
refused: every response is the one expected, every value saved is stored with its history,
the only edit conflicts are those made on purpose (and they are reported as conflicts), and
the stored chart summaries match a fresh computation afterwards.

PostgreSQL only (SQLite is one file on one machine): the test copies the migrated test
database (CREATE DATABASE ... TEMPLATE) into a database of its own, which the processes
it starts can see, and drops it afterwards.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections

from . import plan

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app processes and two workers on one database need PostgreSQL; SQLite is "
           "one file on one machine (run with DATABASE_URL=postgres://...)")


# -- the database and the processes ----------------------------------------------------------


def _admin(settings_dict: dict):
    import psycopg

    return psycopg.connect(dbname="postgres", user=settings_dict["USER"] or None,
                           password=settings_dict["PASSWORD"] or None,
                           host=settings_dict["HOST"] or None, port=settings_dict["PORT"] or None,
                           autocommit=True)


def _copy(info: dict, source: str, target: str) -> None:
    """Copy a database that is in use with pg_dump | psql (slower than a template)."""
    where = ["-h", info["HOST"] or "127.0.0.1", "-p", str(info["PORT"] or 5432),
             "-U", info["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": info["PASSWORD"] or ""}
    dump = subprocess.run(["pg_dump", *where, "--no-owner", source], env=env,  # noqa: S603, S607
                          check=True, capture_output=True)
    subprocess.run(["psql", *where, "-q", "-v", "ON_ERROR_STOP=1", "-d", target],  # noqa: S603, S607
                   input=dump.stdout, env=env, check=True, capture_output=True)


@pytest.fixture
def database(transactional_db, django_db_blocker):
    """A copy of the migrated test database: (its URL, a psycopg connection to it)."""
    import psycopg

    info = dict(connection.settings_dict)
    template = info["NAME"]  # the migrated test database
    name = f"{template}_multi_{uuid.uuid4().hex[:8]}"
    connections.close_all()  # a template must have no one connected
    with django_db_blocker.unblock(), _admin(info) as admin:
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        except psycopg.errors.ObjectInUse:  # another thread (a live server) is connected
            admin.execute(f'CREATE DATABASE "{name}"')
            _copy(info, template, name)
    auth = f"{info['USER']}:{info['PASSWORD']}@" if info["PASSWORD"] else f"{info['USER']}@"
    url = f"postgres://{auth}{info['HOST'] or '127.0.0.1'}:{info['PORT'] or 5432}/{name}"
    conn = psycopg.connect(dbname=name, user=info["USER"] or None,
                           password=info["PASSWORD"] or None, host=info["HOST"] or None,
                           port=info["PORT"] or None, autocommit=True)
    try:
        yield url, conn
    finally:
        conn.close()
        with _admin(info) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "COIIN_", "DJANGO_")) and k != "DEBUG"}
    env.update({"DATABASE_URL": url, "COIIN_DEV": "0", "DEBUG": "0", "SECURE": "0",
                "SECRET_KEY": "the-same-secret-on-every-machine-" + "x" * 20,
                "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(tmp / "static"),
                "MEDIA_ROOT": str(tmp / "media"), "COIIN_HOME": str(tmp),
                "COIIN_TASKS": "database", "IMPORT_BACKGROUND_ROWS": "1",
                "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "coiin.settings",
                "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)})
    return env


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def machines(database, tmp_path):
    """Two gunicorn processes and two task workers on the database; yields
    (the ports, the plan of the month end)."""
    url, _ = database
    env = _env(url, tmp_path)
    coiin = [sys.executable, "-m", "coiin.cli"]
    static = subprocess.Popen([*coiin, "collectstatic", "--noinput", "-v0"], env=env,  # noqa: S603
                              cwd=ROOT)
    made = subprocess.run([sys.executable, "-m", "tests.multi.plan"], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True)
    assert static.wait() == 0, "collectstatic failed"
    month_end = json.loads(made.stdout.strip().splitlines()[-1])
    ports = [_port(), _port()]
    logs = (tmp_path / "processes.log").open("w")  # read when something fails
    procs = [subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "coiin.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--timeout", "120"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=logs) for port in ports]
    procs += [subprocess.Popen(  # noqa: S603
        [*coiin, "db_worker", "--interval", "0.2", "--no-startup-delay",
         "--worker-id", f"machine-{i}"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=logs) for i in (1, 2)]
    try:
        for port in ports:
            _wait_for(port, procs)
        yield ports, month_end
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        logs.close()


def _wait_for(port: int, procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), "a process stopped while starting"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"nothing answered on port {port} within 60 s")


# -- a data lead's browser -------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is a result to check, not to follow


class Browser:
    """One person's HTTP client: cookies kept, redirects reported, every response logged."""

    opener = urllib.request.build_opener(_NoRedirect)

    def __init__(self, port: int, session: str, log: list):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {"sessionid": session}
        self.log = log
        self.port = port

    def request(self, path: str, data: bytes | None = None, content_type: str = "",
                expect: tuple[int, ...] = (200,)) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=120)
        except urllib.error.HTTPError as err:
            response = err
        body = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.log.append((self.port, path, response.status, response.status in expect))
        return body if response.status in expect else ""

    def post(self, path: str, fields: dict, expect: tuple[int, ...] = (302,)) -> str:
        fields = {**fields, "csrfmiddlewaretoken": self.token}
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            "application/x-www-form-urlencoded", expect)

    def get(self, path: str, expect: tuple[int, ...] = (200,)) -> str:
        body = self.request(path, expect=expect)
        found = TOKEN.search(body)
        if found:
            self.token = found.group(1)
        return body

    def sign_in(self, email: str, password: str) -> None:
        self.cookies.pop("sessionid")
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"login": email, "password": password})
        assert "sessionid" in self.cookies, f"{email} was not signed in"


def _fields(values: dict, codes=("MM-A", "MM-B")) -> dict:
    out = {}
    for code in codes:
        out[f"m-{code}-num"], out[f"m-{code}-den"] = (str(x) for x in values[code])
    return out


def _form(c: dict) -> str:
    return f"/networks/{c['slug']}/{c['postal']}/data/{c['period']}/"


def _version(body: str) -> int:
    found = VERSION.search(body)
    assert found, "no version on the entry form"
    return int(found.group(1))


# -- the month end ---------------------------------------------------------------------------


def _browser(c: dict, ports: list[int], log: list, month_end: dict, port: int) -> Browser:
    browser = Browser(port, c["session"], log)
    if c["sign_in"]:
        # Signed in on the other machine; the session (in the database) works on this one.
        other = Browser(ports[1 - ports.index(port)], "", log)
        other.sign_in(c["email"], month_end["password"])
        browser.cookies["sessionid"] = other.cookies["sessionid"]
    return browser


def _by_form(c: dict, ports: list[int], log: list, month_end: dict) -> None:
    """Open the form, save a draft of one measure, then submit both."""
    b = _browser(c, ports, log, month_end, ports[c["n"] % 2])
    version = _version(b.get(_form(c)))
    b.post(_form(c), {"version": version, "action": "save",
                      **_fields(c["values"], ("MM-A",))})
    b.post(_form(c), {"version": version + 1, "action": "submit", **_fields(c["values"])})


def _by_import(c: dict, ports: list[int], log: list, month_end: dict, db) -> None:
    """Upload the period's values as CSV (queued for the workers), wait for the import,
    then submit on the form."""
    b = _browser(c, ports, log, month_end, ports[c["n"] % 2])
    page = f"/data/import/?team={c['team_id']}"
    b.get(page)
    csv = "jurisdiction,network,measure,period,numerator,denominator,value,stratum,comment\n"
    csv += "".join(f"{c['code']},{c['slug']},{code},{c['period']},{num},{den},,,\n"
                   for code, (num, den) in c["values"].items())
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
            f"\r\n\r\n{b.token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"file\"; filename=\"lead{c['n']}.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            f"{csv}\r\n--{boundary}--\r\n").encode()
    b.request(page, body, f"multipart/form-data; boundary={boundary}", (302,))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status = db.execute("SELECT status FROM measures_importjob WHERE filename = %s",
                            (f"lead{c['n']}.csv",)).fetchone()
        if status and status[0] not in ("queued", "running"):
            break
        time.sleep(0.3)
    version = _version(b.get(_form(c)))
    b.post(_form(c), {"version": version, "action": "submit", **_fields(c["values"])})


def _pair(a: dict, b: dict, ports: list[int], log: list, month_end: dict,
          conflicts: list) -> None:
    """Two leads of one team open the same form at once, one on each machine, and save:
    one is told of the conflict and saves again; then the first submits."""
    start, saved, done = (threading.Barrier(2, timeout=60) for _ in range(3))
    browsers = [_browser(a, ports, log, month_end, ports[0]),
                _browser(b, ports, log, month_end, ports[1])]

    def lead(i: int, c: dict) -> None:
        me = browsers[i]
        version = _version(me.get(_form(c)))
        start.wait()
        body = me.request(_form(c), urllib.parse.urlencode(
            {"version": version, "action": "save", "csrfmiddlewaretoken": me.token,
             **_fields(c["values"])}).encode(), "application/x-www-form-urlencoded",
            (302, 409))
        saved.wait()
        if "Someone else saved first" in body:
            conflicts.append(c["n"])
            me.post(_form(c), {"version": _version(body), "action": "save",
                               **_fields(c["values"])})
        done.wait()
        if i == 0:
            version = _version(me.get(_form(c)))
            me.post(_form(c), {"version": version, "action": "submit",
                               **_fields(c["values"])})

    threads = [threading.Thread(target=lead, args=(i, c)) for i, c in enumerate((a, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _month_end(ports: list[int], month_end: dict, db) -> tuple[list, list]:
    log: list = []
    conflicts: list = []
    clients = month_end["clients"]
    pairs = [c for c in clients if c["kind"] == "pair"]
    alone = [c for c in clients if c["kind"] != "pair"]
    with ThreadPoolExecutor(max_workers=24) as pool:
        futures = [pool.submit(_pair, pairs[i], pairs[i + 1], ports, log, month_end,
                               conflicts) for i in range(0, len(pairs), 2)]
        futures += [pool.submit(_by_import, c, ports, log, month_end, db)
                    if c["kind"] == "import" else pool.submit(_by_form, c, ports, log,
                                                              month_end)
                    for c in alone]
        for f in futures:
            f.result()
    return log, conflicts


# -- the test --------------------------------------------------------------------------------


def _expected(month_end: dict) -> dict[tuple[int, str, str], tuple[int, int]]:
    """(team id, period label, measure code) → the numbers that must be stored: each
    lead's own, and in a pair the first lead's (who submitted last)."""
    out = {}
    for c in month_end["clients"]:
        if c["kind"] == "pair" and c["lead"] == 1:
            continue
        for code, numbers in c["values"].items():
            out[(c["team_id"], c["period"], code)] = tuple(numbers)
    return out


def _summaries(db) -> list | None:
    """The stored chart summaries of the test's measures, comparable, or None when this
    build has no stored summaries."""
    if db.execute("SELECT to_regclass('charts_chartsummary')").fetchone()[0] is None:
        return None
    return db.execute(
        "SELECT s.scope, s.team_id, s.learning_network_id, s.unit_id, m.code, s.chart_type, "
        "s.n_points, s.latest_period, s.latest_value, s.centre, s.has_signal, s.sustained, "
        "s.points::text FROM charts_chartsummary s JOIN measures_measure m "
        "ON m.id = s.measure_id WHERE m.code LIKE 'MM-%%' ORDER BY 1, 2, 3, 4, 5").fetchall()


def test_two_app_processes_and_two_workers_lose_nothing_at_month_end(database, machines,
                                                                   tmp_path):
    _, db = database
    ports, month_end = machines
    log, conflicts = _month_end(ports, month_end, db)

    # 0 errors: every response was the one expected, from both machines.
    unexpected = [entry for entry in log if not entry[3]]
    assert not unexpected, f"{len(unexpected)} unexpected responses, e.g. {unexpected[:5]}"
    served = Counter(port for port, *_ in log)
    # Both machines served a good share: more requests each than there are leads.
    assert set(served) == set(ports), served
    assert min(served.values()) > len(month_end["clients"]), served
    # Conflicts only where two leads edited one period on purpose: exactly one a pair.
    pairs = [c for c in month_end["clients"] if c["kind"] == "pair"]
    assert len(conflicts) == len(pairs) // 2
    assert {n // 2 for n in conflicts} == {c["n"] // 2 for c in pairs}

    # Every import ran on a worker, and finished.
    jobs = db.execute("SELECT status, count(*) FROM measures_importjob GROUP BY 1").fetchall()
    assert jobs == [("done", plan.IMPORTERS)]
    workers = {w for (ids,) in db.execute(
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult") for w in ids}
    assert workers and workers <= {"machine-1", "machine-2"}

    # 0 lost updates: every value saved is stored, with its history, and submitted.
    expected = _expected(month_end)
    stored = {(team, f"{start:%Y-%m}", code): (int(num), int(den), status, vid)
              for team, start, code, num, den, status, vid in db.execute(
                  "SELECT s.team_id, s.period_start, m.code, v.numerator, v.denominator, "
                  "s.status, v.id FROM measures_datavalue v JOIN measures_submission s ON "
                  "s.id = v.submission_id JOIN measures_measure m ON m.id = v.measure_id "
                  "WHERE m.code LIKE 'MM-%%'")}
    assert set(stored) == set(expected)
    assert {k: v[:2] for k, v in stored.items()} == expected
    assert {v[2] for v in stored.values()} == {"submitted"}
    history: dict[int, list] = {}
    for vid, kind, num, den in db.execute(
            "SELECT id, history_type, numerator, denominator FROM "
            "measures_historicaldatavalue ORDER BY history_date, history_id"):
        history.setdefault(vid, []).append((kind, int(num), int(den)))
    for key, (num, den, _, vid) in stored.items():
        assert history[vid][0][0] == "+", key
        assert history[vid][-1][1:] == (num, den), f"{key}: history ends elsewhere"
    # In each pair the second lead's save, refused first, then made knowingly, is kept in
    # the history though the first lead's numbers were submitted.
    for c in pairs:
        if c["lead"] == 1:
            vid = stored[(c["team_id"], c["period"], "MM-A")][3]
            assert tuple(c["values"]["MM-A"]) in {h[1:] for h in history[vid]}

    # The stored summaries are what a fresh computation gives.
    before = _summaries(db)
    if before is None:
        warnings.warn("this build has no stored chart summaries (charts.ChartSummary); "
                      "their consistency check runs once they land", stacklevel=1)
        return
    assert before, "no summaries were stored for the month end's values"
    env = _env(database[0], tmp_path)
    subprocess.run([sys.executable, "-m", "coiin.cli", "rebuild_summaries"], env=env,
                   cwd=ROOT, check=True, capture_output=True)
    assert _summaries(db) == before
