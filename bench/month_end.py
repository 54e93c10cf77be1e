"""The month end of issue 19 at full size: two app processes (gunicorn) and two task workers on
one PostgreSQL database while 300 data leads (150 teams) save and submit through the real pages
at once, 15 teams' two leads meeting an edit conflict on purpose and 30 leads uploading a CSV
that the workers import; then 0 errors, 0 lost updates and stored summaries equal to a fresh
computation.

It is the test tests/multi/test_two_machines.py run at that size (``MONTH_END_TEAMS``, read by
tests/multi/plan.py): the suite runs the same month end with fewer leads, still all at once.

    .venv/bin/python bench/month_end.py                       # 150 teams, 300 leads
    .venv/bin/python bench/month_end.py --teams 300           # 600 leads

PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432, trust auth); the test
database is named --database (default coiin_month_end; pytest-django prefixes it with test_).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=150, help="two data leads per team")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coiin_month_end")
    args = parser.parse_args()
    env = {**os.environ, "MONTH_END_TEAMS": str(args.teams), "COIIN_DEV": "1",
           "DATABASE_URL": f"{args.server.rstrip('/')}/{args.database}"}
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "--durations=0", "tests/multi/test_two_machines.py"], env=env, cwd=ROOT, check=False)
    print(f"month end of {2 * args.teams} data leads on two machines: "
          f"{'passed' if done.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
