"""How long the national report to the funder takes as a PDF, on the demo network and on a
network ten times its size, and how many queries it makes.

Builds a throwaway SQLite database with the demo network and times the national PDF
(reading the inputs, building the report, rendering the PDF) in wall and CPU seconds: the
first making in the process (the chart renderer and the PDF engine starting), the median
of the next ones, and the baseline, the same report without its charts. Then it times
`coiin report national --format pdf` in a fresh process (issue 19's target: < 5 s on the
demo network), adds nine copies of every team (in made-up jurisdictions, with the same
submissions and values) and times it again. The queries must not grow with the number of
teams: both counts are printed. The project's bytecode is compiled before the command is
timed, as installing it does: a process that cannot write its bytecode (PYTHONDONTWRITEBYTECODE,
a read-only tree) would otherwise compile every module of the project again each time.

    .venv/bin/python bench/reports.py [--repeat 3] [--times 10]
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TARGET = 5.0  # seconds: issue 19's target for the national PDF


def setup_django(db_path: Path) -> None:
    os.environ["COIIN_DEV"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # WeasyPrint and fontTools log every step at INFO
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_demo() -> None:
    import contextlib
    import io

    from django.core.management import call_command

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo")


def multiply(times: int) -> int:
    """Add ``times - 1`` copies of every team, each in a made-up jurisdiction, with the
    same submissions and total values. Returns the number of teams after."""
    from coiin.measures.models import DataValue, Submission, TeamMeasure
    from coiin.network.models import Jurisdiction, Team

    teams = list(Team.objects.select_related("jurisdiction"))
    used_postal = set(Jurisdiction.objects.values_list("postal_code", flat=True))
    used_fips = set(Jurisdiction.objects.values_list("fips_code", flat=True))
    letters = ("".join(p) for p in itertools.product(string.ascii_uppercase, repeat=2))
    fips = ("".join(p) for p in itertools.product(string.ascii_uppercase + string.digits,
                                                  repeat=2))
    cohort = teams[0].jurisdiction.cohort_id
    measures: dict[int, list[int]] = {}
    for team_id, measure_id in TeamMeasure.objects.filter(active=True).values_list(
            "team_id", "measure_id"):
        measures.setdefault(team_id, []).append(measure_id)
    subs: dict[int, list[Any]] = {}
    for s in Submission.objects.values("id", "team_id", "frequency", "period_start", "status",
                                       "is_final", "submitted_at"):
        subs.setdefault(s["team_id"], []).append(s)
    values: dict[int, list[Any]] = {}
    for v in DataValue.objects.filter(stratum__isnull=True).values(
            "submission_id", "measure_id", "numerator", "denominator", "value"):
        values.setdefault(v["submission_id"], []).append(v)
    for copy in range(1, times):
        # Three teams per made-up jurisdiction at most, like the real ones.
        for chunk in [teams[i:i + 3] for i in range(0, len(teams), 3)]:
            code = next(c for c in letters if c not in used_postal)
            used_postal.add(code)
            f = next(c for c in fips if c not in used_fips)
            used_fips.add(f)
            j = Jurisdiction.objects.create(name=f"Synthetic {code} {copy}", postal_code=code,
                                            fips_code=f, kind="state", hhs_region=1,
                                            cohort_id=cohort)
            seen = set()
            for original in chunk:
                if original.learning_network_id in seen:
                    continue
                seen.add(original.learning_network_id)
                clone = Team.objects.create(jurisdiction=j,
                                            learning_network_id=original.learning_network_id,
                                            joined_on=original.joined_on)
                TeamMeasure.objects.bulk_create(TeamMeasure(team=clone, measure_id=m)
                                                for m in measures.get(original.pk, []))
                originals = subs.get(original.pk, [])
                made = Submission.objects.bulk_create(Submission(
                    team=clone, frequency=s["frequency"], period_start=s["period_start"],
                    status=s["status"], is_final=s["is_final"], submitted_at=s["submitted_at"])
                    for s in originals)
                DataValue.objects.bulk_create((
                    DataValue(submission=new, measure_id=v["measure_id"],
                              numerator=v["numerator"], denominator=v["denominator"],
                              value=v["value"])
                    for old, new in zip(originals, made, strict=True)
                    for v in values.get(old["id"], [])), batch_size=2000)
    return Team.objects.count()


@dataclass
class Run:
    """One making of the national PDF: wall and CPU seconds to read the inputs and for the
    whole (read, build, render), and the queries made."""

    read_wall: float
    read_cpu: float
    wall: float
    cpu: float
    queries: int


def make_national(period: str, charts: bool = True) -> Run:
    """Read, build and render the national PDF once, as ``coiin report`` does (without
    keeping the file). ``charts=False`` is the baseline: the same report without its
    pictures (every chart's SVG left empty), everything else alike."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from coiin.measures.periods import Period
    from coiin.reports.documents import national
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.drawing import start_engines

    start_engines("pdf")  # as the command does (once a process)
    reset_queries()  # the log keeps 9,000 queries; loading the demo filled it
    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        inputs = national.national_inputs(Period.parse(period))
    read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
    drawn = national.svg
    if not charts:
        national.svg = lambda *_args, **_kw: ""  # type: ignore[assignment]
    try:
        pdf = documents.render(national.national_context(inputs), "pdf")
    finally:
        national.svg = drawn  # type: ignore[assignment]
    assert pdf.startswith(b"%PDF")
    return Run(read_wall, read_cpu, time.perf_counter() - wall, time.process_time() - cpu,
               len(ctx))


def median_run(runs: list[Run]) -> Run:
    def med(field: str) -> float:
        return statistics.median(getattr(r, field) for r in runs)

    return Run(med("read_wall"), med("read_cpu"), med("wall"), med("cpu"), runs[-1].queries)


def time_command(db_path: Path, period: str, out: Path) -> tuple[float, float]:
    """(wall, CPU seconds) of ``coiin report national --format pdf`` in a fresh process
    (Python and Django starting, the first chart and PDF, keeping the snapshot)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}",
           "MEDIA_ROOT": str(out.parent / "media"),  # where it keeps the snapshot's file
           "PYTHONPATH": str(ROOT / "src")}
    compileall.compile_dir(ROOT / "src", quiet=1)  # as an installation has it
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coiin.cli", "report", "national",  # noqa: S603
                           "--period", period, "--format", "pdf", "-o", str(out)],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"coiin report national failed:\n{done.stderr}")
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert out.read_bytes().startswith(b"%PDF")
    return wall, cpu


def measure(period: str, repeat: int) -> dict[str, Any]:
    """The first run in this process (charts and PDF engine starting), the median of the
    next ``repeat``, and the baseline without charts (median of ``repeat``)."""
    first = make_national(period)
    warm = median_run([make_national(period) for _ in range(repeat)])
    bare = median_run([make_national(period, charts=False) for _ in range(repeat)])
    return {"first": first, "warm": warm, "bare": bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--times", type=int, default=10, help="how many times the demo")
    parser.add_argument("--period", default="2017-09")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        setup_django(db_path)
        print("Loading the demo network ...", flush=True)
        load_demo()
        from coiin.network.models import Team

        small_teams = Team.objects.count()
        print("Timing the national PDF ...", flush=True)
        small = measure(args.period, args.repeat)
        command = time_command(db_path, args.period, Path(tmp) / "national.pdf")
        print(f"Making it {args.times} times the size ...", flush=True)
        big_teams = multiply(args.times)
        big = measure(args.period, args.repeat)
    report(args, small_teams, small, command, big_teams, big)


def report(args: argparse.Namespace, small_teams: int, small: dict[str, Any],
           command: tuple[float, float], big_teams: int, big: dict[str, Any]) -> None:
    print(f"\nNational report to the funder, PDF, data up to {args.period}; seconds, wall / "
          f"CPU; warm and baseline: median of {args.repeat}:")
    print(f"{'':40}{'teams':>6}{'read inputs':>15}{'whole PDF':>15}{'queries':>9}")
    rows = []
    for label, teams, m in (("demo", small_teams, small), (f"{args.times}x the demo",
                                                            big_teams, big)):
        rows += [(f"{label}: first in the process", teams, m["first"]),
                 (f"{label}: warm", teams, m["warm"]),
                 (f"{label}: baseline, same without charts", teams, m["bare"])]
    for label, teams, r in rows:
        print(f"{label:40}{teams:>6}{r.read_wall:>8.2f}/{r.read_cpu:<6.2f}"
              f"{r.wall:>8.2f}/{r.cpu:<6.2f}{r.queries:>9}")
    print(f"{'demo: coiin report national (new process)':40}{small_teams:>6}{'':>15}"
          f"{command[0]:>8.2f}/{command[1]:<6.2f}")
    for label, m in (("demo", small), (f"{args.times}x", big)):
        print(f"Charts cost at {label}: x{m['warm'].wall / m['bare'].wall:.2f} wall, "
              f"x{m['warm'].cpu / m['bare'].cpu:.2f} CPU against the same report without "
              f"charts.")
    queries = (small["warm"].queries, big["warm"].queries)
    print(f"Teams: x{big_teams / small_teams:.1f}; warm time: "
          f"x{big['warm'].wall / small['warm'].wall:.2f}; queries: {queries[0]} and "
          f"{queries[1]} ({'constant' if queries[0] == queries[1] else 'GROW WITH TEAMS'}).")
    worst = max(small["first"].wall, small["warm"].wall, command[0])
    verdict = "MET" if worst < TARGET else "NOT MET"
    print(f"Target: the national PDF of the demo network in < {TARGET:.0f} s. Slowest of "
          f"first run, warm run and command: {worst:.2f} s wall -> {verdict}.")
    worst_cpu = max(small["first"].cpu, small["warm"].cpu, command[1])
    print(f"In CPU seconds (what one idle core takes; they depend far less on other work on "
          f"the machine, whose load average was {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores at the end): {worst_cpu:.2f} s -> "
          f"{'MET' if worst_cpu < TARGET else 'NOT MET'}.")


if __name__ == "__main__":
    main()
