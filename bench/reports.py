"""How long the national report to the funder takes as a PDF, on the demo network and on a
network ten times its size, and how many queries it makes.

Builds a throwaway SQLite database with the demo network, times the national PDF (reading
the inputs, building the report, rendering the PDF), then adds nine copies of every team
(in made-up jurisdictions, with the same submissions and values) and times it again. The
queries must not grow with the number of teams: both counts and their ratio are printed.

    .venv/bin/python bench/reports.py [--repeat 3] [--times 10]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


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
    measures = {}
    for team_id, measure_id in TeamMeasure.objects.filter(active=True).values_list(
            "team_id", "measure_id"):
        measures.setdefault(team_id, []).append(measure_id)
    subs = {}
    for s in Submission.objects.values("id", "team_id", "frequency", "period_start", "status",
                                       "is_final", "submitted_at"):
        subs.setdefault(s["team_id"], []).append(s)
    values = {}
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


def time_national(period: str, repeat: int) -> tuple[float, float, int]:
    """(median seconds to read the inputs, median seconds for the whole PDF, queries)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from coiin.measures.periods import Period
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.national import national_context, national_inputs

    last = Period.parse(period)
    reads, totals = [], []
    queries = 0
    for _ in range(repeat):
        reset_queries()  # the log keeps 9,000 queries; loading the demo filled it
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            inputs = national_inputs(last)
        read = time.perf_counter()
        pdf = documents.render(national_context(inputs), "pdf")
        assert pdf.startswith(b"%PDF")
        totals.append(time.perf_counter() - start)
        reads.append(read - start)
        queries = len(ctx)
    return statistics.median(reads), statistics.median(totals), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--times", type=int, default=10, help="how many times the demo")
    parser.add_argument("--period", default="2017-09")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        print("Loading the demo network ...", flush=True)
        load_demo()
        from coiin.network.models import Team

        small_teams = Team.objects.count()
        small = time_national(args.period, args.repeat)
        print(f"Making it {args.times} times the size ...", flush=True)
        big_teams = multiply(args.times)
        big = time_national(args.period, args.repeat)
    print(f"\nNational report to the funder, PDF, data up to {args.period} "
          f"(median of {args.repeat}):")
    print(f"{'':22}{'teams':>7}{'read inputs':>14}{'whole PDF':>12}{'queries':>9}")
    for label, teams, (read, total, queries) in (("demo network", small_teams, small),
                                                         (f"{args.times}x the demo", big_teams,
                                                          big)):
        print(f"{label:22}{teams:>7}{read:>13.2f}s{total:>11.2f}s{queries:>9}")
    print(f"\nTeams: x{big_teams / small_teams:.1f}; time: x{big[1] / small[1]:.2f}; "
          f"queries: {small[2]} and {big[2]} (ratio {big[2] / small[2]:.2f}: "
          f"{'constant' if big[2] == small[2] else 'GROWS WITH TEAMS'}).")


if __name__ == "__main__":
    main()
