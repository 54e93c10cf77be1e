"""Benchmark: bulk import of reported values (default 100,000 rows of CSV).

Generates a CSV of valid rows (59 jurisdictions x three learning networks x their monthly
measures x consecutive months), then, for SQLite (a temporary file) and, when it is
reachable, PostgreSQL (a throwaway database ``coiin_bench`` on
postgres://postgres@127.0.0.1:5432, dropped afterwards):

* times the real import, ``coiin.measures.io.read_table`` + ``import_rows`` (all checks,
  one transaction, values and their audit history), into a fresh database holding the
  reference network, the catalog and the teams' chosen measures;
* times, in the same run and database, a plain DB-API ``executemany`` insert of the same
  rows (read with the csv module) into a bare table;

and prints rows per second for each and the ratio.

    .venv/bin/python bench/import_data.py [--rows 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "coiin_bench"
NETWORKS = ["safe-sleep", "smoking-cessation", "preterm-birth"]  # those with monthly measures


# -- the parent: makes the file, runs one worker per database, prints figures ----------


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
    specs = {n: [s for s in CATALOG if s.network == n and s.frequency == "monthly"]
             for n in NETWORKS}
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


def run_worker(url: str, csv_path: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "COIIN_DEV": "1", "DEBUG": "0",
           "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(  # noqa: S603 - our own script, with our own arguments
        [sys.executable, __file__, "--worker", str(csv_path)], env=env, capture_output=True,
        text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"worker failed for {url}:\n{proc.stderr}")
    sys.stderr.write(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here", and we say so
        return False


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def report(name: str, r: dict) -> None:
    rows = r["rows"]
    imp, base = rows / r["import_seconds"], rows / r["executemany_seconds"]
    print(f"{name:<11} import {r['import_seconds']:7.2f} s  {imp:9,.0f} rows/s   "
          f"executemany {r['executemany_seconds']:6.2f} s  {base:9,.0f} rows/s   "
          f"ratio {r['import_seconds'] / r['executemany_seconds']:5.1f}x slower "
          f"(setup {r['setup_seconds']:.1f} s; {r['values']:,} values, "
          f"{r['history']:,} history rows)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(Path(args.worker))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "values.csv"
        started = time.perf_counter()
        make_csv(csv_path, args.rows)
        print(f"{args.rows:,} rows, {csv_path.stat().st_size / 1e6:.1f} MB of CSV, made in "
              f"{time.perf_counter() - started:.1f} s")
        report("SQLite", run_worker(f"sqlite:///{tmp}/bench.sqlite3", csv_path))
        if args.no_postgres:
            return 0
        if not postgres_available():
            print(f"PostgreSQL   not reachable at {PG_ADMIN}; skipped")
            return 0
        pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
        try:
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"
            report("PostgreSQL", run_worker(url, csv_path))
        finally:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    return 0


# -- the worker: one database, set up, timed ----------------------------------------------


def worker(csv_path: Path) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from coiin.demo.network import load_reference
    from coiin.measures import io, services
    from coiin.measures.catalog import CATALOG, load_catalog
    from coiin.measures.models import DataValue
    from coiin.network import services as network_services

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    jurisdictions, networks = load_reference()
    measures = load_catalog()
    for network in NETWORKS:
        chosen = [measures[s.code] for s in CATALOG
                  if s.network == network and s.frequency == "monthly"]
        for jurisdiction in jurisdictions.values():
            team = network_services.join_network(jurisdiction=jurisdiction,
                                                 learning_network=networks[network])
            services.choose_measures(team=team, measures=chosen)
    setup = time.perf_counter() - started

    def progress(stage: str, done: int, total: int) -> None:
        print(f"  {connection.vendor}: {stage} {done:,} of {total:,}", file=sys.stderr)

    started = time.perf_counter()
    result = io.import_rows(io.read_file(csv_path), progress=progress, reason="benchmark")
    import_seconds = time.perf_counter() - started
    assert result.created == result.rows, result.summary()

    connection.ensure_connection()
    raw = connection.connection
    mark = "?" if connection.vendor == "sqlite" else "%s"
    cur = raw.cursor()
    cur.execute("CREATE TABLE bench_values (jurisdiction varchar(2), network varchar(50), "
                "measure varchar(40), period varchar(10), numerator numeric(14, 4), "
                "denominator numeric(14, 4), value numeric(14, 4), stratum varchar(40), "
                "comment text)")
    raw.commit()
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        rows = [tuple(c or None for c in r) for r in reader]
    with transaction.atomic():  # one transaction, as the import has
        sql = f"INSERT INTO bench_values VALUES ({', '.join([mark] * 9)})"  # noqa: S608 - placeholders only
        cur.executemany(sql, rows)
    baseline = time.perf_counter() - started
    return {"rows": result.rows, "import_seconds": import_seconds,
            "executemany_seconds": baseline, "setup_seconds": setup,
            "values": DataValue.objects.count(), "history": DataValue.history.count()}


if __name__ == "__main__":
    sys.exit(main())
