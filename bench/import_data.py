"""Benchmark: bulk import of reported values (default 100,000 rows of CSV).

Generates a CSV of valid rows (59 jurisdictions x three learning networks x their monthly
measures x consecutive months); then, on SQLite (a temporary file) and on PostgreSQL
(``--postgres [URL]``, default postgres://postgres@127.0.0.1:5432/bench_import, or a
DATABASE_URL naming PostgreSQL; the database is created and dropped), each in child
processes on one database holding the reference network, the catalog and the teams'
chosen measures:

* the baseline, like for like: the same rows read with the csv module, their ids looked
  up in dictionaries, and the same team-periods, values and history rows written into
  the same indexed tables by bare ``executemany`` (SQLite) or ``COPY`` (PostgreSQL), in
  one transaction; then the tables are emptied again;
* the import, ``coiin.measures.io.import_file`` (streamed; every check; all or nothing;
  values and their audit history), in its own process, so its peak memory is its own.

It prints rows/s, wall and CPU seconds, the import's peak memory (ru_maxrss of its
process, and the growth over the process before the import), the ratio import/baseline
and a verdict against the target: at least 0.3x the baseline; memory flat in the file's
size (``--million`` also imports 1,000,000 rows on SQLite: under 200 MB).

    .venv/bin/python bench/import_data.py [--rows 100000] [--postgres [URL]] [--million]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/bench_import"
NETWORKS = ["safe-sleep", "smoking-cessation", "preterm-birth"]  # those with monthly measures
TARGET_RATIO = 0.3
TARGET_MB = 200


# -- the parent: makes the file, runs the children, prints figures ---------------------


def make_csv(path: Path, rows: int, seed: int = 20150301) -> None:
    """``rows`` valid rows: every team's monthly measures, month after month."""
    # The catalog and jurisdictions are read from code; no database is touched here.
    os.environ.update(DJANGO_SETTINGS_MODULE="coiin.settings", COIIN_DEV="1",
                      DATABASE_URL="sqlite:///:memory:")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from coiin.demo.network import read_jurisdictions
    from coiin.measures.catalog import CATALOG

    postal = [r["postal_code"] for r in read_jurisdictions()]
    # Per-period measures only: one logged event by event is refused by the import.
    specs = {n: [s for s in CATALOG if s.network == n and s.frequency == "monthly"
                 and not s.events] for n in NETWORKS}
    rng = random.Random(seed)
    written = 0
    year, month = 2000, 1
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["jurisdiction", "network", "measure", "period", "numerator",
                      "denominator", "value", "stratum", "comment"])
        while written < rows:
            period = f"{year}-{month:02d}"
            for code in postal:
                for network in NETWORKS:
                    for spec in specs[network]:
                        if written == rows:
                            break
                        if spec.type == "count":
                            out.writerow([code, network, spec.code, period, "", "",
                                          rng.randint(0, 400), "", ""])
                        else:
                            den = rng.randint(50, 2000)
                            lo, hi = spec.expected
                            share = rng.uniform((lo or 0) / 100, (hi or 100) / 100)
                            out.writerow([code, network, spec.code, period,
                                          int(den * share), den, "", "",
                                          "" if rng.random() < 0.9 else "checked by hand"])
                        written += 1
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def child(url: str, role: str, csv_path: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "COIIN_DEV": "1", "DEBUG": "0",
           "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "coiin.settings"}
    proc = subprocess.run(  # noqa: S603 - our own script, with our own arguments
        [sys.executable, __file__, "--child", role, str(csv_path)], env=env,
        capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{role} failed for {url}:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run_database(name: str, url: str, csv_path: Path) -> dict:
    base = child(url, "baseline", csv_path)
    imp = child(url, "import", csv_path)
    ratio = base["seconds"] / imp["seconds"]
    rows = imp["rows"]
    print(f"{name}:")
    print(f"  baseline   {base['seconds']:6.2f} s wall {base['cpu']:6.2f} s CPU "
          f"{rows / base['seconds']:9,.0f} rows/s  ({base['what']})")
    print(f"  import     {imp['seconds']:6.2f} s wall {imp['cpu']:6.2f} s CPU "
          f"{rows / imp['seconds']:9,.0f} rows/s  peak {imp['peak_mb']:.0f} MB "
          f"(+{imp['peak_mb'] - imp['before_mb']:.0f} MB over the process before it); "
          f"{imp['values']:,} values, {imp['history']:,} history rows")
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"  ratio      {ratio:.2f}x the baseline (target >= {TARGET_RATIO}x): {verdict}")
    return {"ratio": ratio, "peak_mb": imp["peak_mb"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None,
                        metavar="URL", help=f"also on PostgreSQL (default {PG_DEFAULT})")
    parser.add_argument("--million", action="store_true",
                        help="also import 1,000,000 rows on SQLite to check memory")
    parser.add_argument("--child", nargs=2, metavar=("ROLE", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        role, path = args.child
        print(json.dumps(BASELINE(Path(path)) if role == "baseline" else IMPORT(Path(path))))
        return 0
    env_url = os.environ.get("DATABASE_URL", "")
    pg_url = args.postgres or (env_url if env_url.startswith("postgres") else None)
    verdicts = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "values.csv"
        started = time.perf_counter()
        make_csv(csv_path, args.rows)
        print(f"{args.rows:,} rows, {csv_path.stat().st_size / 1e6:.1f} MB of CSV, made in "
              f"{time.perf_counter() - started:.1f} s")
        verdicts.append(run_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", csv_path))
        if pg_url:
            db = pg_url.rsplit("/", 1)[1]
            pg_admin(pg_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            pg_admin(pg_url, f"CREATE DATABASE {db}")
            try:
                verdicts.append(run_database("PostgreSQL", pg_url, csv_path))
            finally:
                pg_admin(pg_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        else:
            print("PostgreSQL: not run (give --postgres or a PostgreSQL DATABASE_URL)")
        if args.million:
            big = Path(tmp) / "million.csv"
            make_csv(big, 1_000_000)
            db = f"sqlite:///{tmp}/million.sqlite3"
            child(db, "baseline", csv_path)  # sets the database up (and empties it again)
            imp = child(db, "import", big)
            ok = imp["peak_mb"] < TARGET_MB
            print(f"1,000,000 rows on SQLite: {imp['seconds']:.1f} s, "
                  f"{1e6 / imp['seconds']:,.0f} rows/s, peak {imp['peak_mb']:.0f} MB "
                  f"(target < {TARGET_MB} MB): {'met' if ok else 'NOT met'}")
            verdicts.append({"ratio": TARGET_RATIO if ok else 0, "peak_mb": imp["peak_mb"]})
    met = all(v["ratio"] >= TARGET_RATIO for v in verdicts)
    print(f"verdict: {'target met' if met else 'target NOT met'} "
          f"(>= {TARGET_RATIO}x the like-for-like baseline on every database)")
    return 0


# -- the children: one database each ----------------------------------------------------


def _setup() -> None:
    """Migrate and load the network once; later children find it done."""
    import django

    django.setup()
    from django.core.management import call_command

    from coiin.demo.network import load_reference
    from coiin.measures import services
    from coiin.measures.catalog import CATALOG, load_catalog
    from coiin.network import services as network_services
    from coiin.network.models import Team

    call_command("migrate", verbosity=0)
    if Team.objects.exists():
        return
    jurisdictions, networks = load_reference()
    measures = load_catalog()
    for network in NETWORKS:
        chosen = [measures[s.code] for s in CATALOG
                  if s.network == network and s.frequency == "monthly" and not s.events]
        for jurisdiction in jurisdictions.values():
            team = network_services.join_network(jurisdiction=jurisdiction,
                                                 learning_network=networks[network])
            services.choose_measures(team=team, measures=chosen)


def _mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def IMPORT(csv_path: Path) -> dict:  # noqa: N802 - a role
    _setup()
    from django.db import connection

    from coiin.measures import io
    from coiin.measures.models import DataValue

    connection.ensure_connection()
    before = _mb()
    started, cpu = time.perf_counter(), time.process_time()
    result = io.import_file(csv_path, csv_path.name, reason="benchmark")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _mb()
    assert result.created == result.rows, result.summary()
    return {"rows": result.rows, "seconds": seconds, "cpu": cpu, "peak_mb": peak,
            "before_mb": before, "values": DataValue.objects.count(),
            "history": DataValue.history.count()}


def BASELINE(csv_path: Path) -> dict:  # noqa: N802 - a role
    """The same team-periods, values and history rows, written bare; then emptied."""
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from coiin.measures.models import DataValue, Measure, Submission
    from coiin.network.models import Team

    teams = {(t.jurisdiction.postal_code, t.learning_network.slug): t.pk
             for t in Team.objects.select_related("jurisdiction", "learning_network")}
    measures = dict(Measure.objects.values_list("code", "id"))
    connection.ensure_connection()
    raw = connection.connection
    pg = connection.vendor == "postgresql"
    now = timezone.now() if pg else str(timezone.now().replace(tzinfo=None))
    dv, hist, sub = (DataValue._meta.db_table, DataValue.history.model._meta.db_table,
                     Submission._meta.db_table)
    vcols = ("id, submission_id, measure_id, stratum_id, numerator, denominator, value, "
             "text, measurements, comment, warnings_confirmed, updated_by_id, updated_at")
    hcols = vcols + ", history_date, history_change_reason, history_type, history_user_id"
    scols = ("team_id, frequency, period_start, status, is_final, version, assessment, "
             "assessment_language, updated_at")
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        cur = raw.cursor()
        with csv_path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            parsed = []
            starts: dict[str, dt.date] = {}
            for j, n, m, p, num, den, val, _s, comment in reader:
                start = starts.get(p)
                if start is None:
                    start = starts[p] = dt.date(int(p[:4]), int(p[5:7]), 1)
                parsed.append((teams[(j, n)], start, measures[m], num or None, den or None,
                               val or None, comment))
        keys = sorted({(t, s) for t, s, *_ in parsed})
        subs = [(t, "monthly", s, "draft", False, 1, "", "en", now) for t, s in keys]
        if pg:
            with cur.copy(f"COPY {sub} ({scols}) FROM STDIN") as copy:
                for r in subs:
                    copy.write_row(r)
        else:
            cur.executemany(f"INSERT INTO {sub} ({scols}) VALUES ({', '.join('?' * 9)})", subs)  # noqa: S608
        cur.execute(f"SELECT team_id, period_start, id FROM {sub}")  # noqa: S608
        sub_ids = {(t, s if isinstance(s, dt.date) else dt.date.fromisoformat(s)): pk
                   for t, s, pk in cur.fetchall()}
        if pg:
            cur.execute(f"SELECT nextval(pg_get_serial_sequence('{dv}', 'id')) "  # noqa: S608
                        "FROM generate_series(1, %s)", (len(parsed),))
            ids = [r[0] for r in cur.fetchall()]
        else:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {dv}")  # noqa: S608
            first = cur.fetchone()[0] + 1
            ids = list(range(first, first + len(parsed)))
        values = [(pk, sub_ids[(t, s)], m, None, num, den, val, "", "[]", comment, "", None, now)
                  for pk, (t, s, m, num, den, val, comment) in zip(ids, parsed, strict=True)]
        history = [(*v, now, "benchmark", "+", None) for v in values]
        if pg:
            for table, cols, rows in ((dv, vcols, values), (hist, hcols, history)):
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
        else:
            cur.executemany(f"INSERT INTO {dv} ({vcols}) VALUES ({', '.join('?' * 13)})",  # noqa: S608
                            values)
            cur.executemany(f"INSERT INTO {hist} ({hcols}) VALUES ({', '.join('?' * 17)})",  # noqa: S608
                            history)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with transaction.atomic():
        cur = raw.cursor()
        for table in (hist, dv, sub):
            cur.execute(f"DELETE FROM {table}")  # noqa: S608
    if pg:
        raw.autocommit = True
        raw.cursor().execute(f"VACUUM ANALYZE {hist}, {dv}, {sub}")
    return {"rows": len(values), "seconds": seconds, "cpu": cpu,
            "what": "executemany" if not pg else "COPY"}


if __name__ == "__main__":
    sys.exit(main())
