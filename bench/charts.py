"""How long the learning-network dashboard takes to render 60 charts on the server.

Builds a throwaway SQLite database with 59 Safe Sleep teams (every jurisdiction) and three
years of submitted monthly crib-audit data each, then times the network dashboard page
(59 small multiples + the pooled chart = 60 charts) against the same page with the
charts switched off, measured in the same run, and prints the ratio and query counts.

    .venv/bin/python bench/charts.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
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
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_data(months: int = 36) -> None:
    import datetime as dt
    import random

    from coiin.demo.network import load_reference
    from coiin.measures.catalog import load_catalog
    from coiin.measures.models import DataValue, Submission, TeamMeasure
    from coiin.measures.periods import Period
    from coiin.network import services

    jurisdictions, networks = load_reference()
    measure = load_catalog()["SS-CRIB"]
    rng = random.Random(7)  # noqa: S311 - benchmark data
    for j in jurisdictions.values():
        team = services.join_network(jurisdiction=j, learning_network=networks["safe-sleep"],
                                     joined_on=dt.date(2014, 1, 1))
        TeamMeasure.objects.create(team=team, measure=measure)
        period = Period.parse("2015-01")
        subs = []
        for _ in range(months):
            subs.append(Submission(team=team, frequency="monthly", period_start=period.start,
                                   status="locked", is_final=True))
            period = period.next()
        Submission.objects.bulk_create(subs)
        rate = rng.uniform(0.5, 0.8)
        values = []
        for i, sub in enumerate(Submission.objects.filter(team=team).order_by("period_start")):
            n = rng.randint(30, 80)
            p = min(0.98, rate + (0.1 if i >= months // 2 and rng.random() < 0.5 else 0))
            values.append(DataValue(submission=sub, measure=measure, numerator=sum(
                rng.random() < p for _ in range(n)), denominator=n))
        DataValue.objects.bulk_create(values)


def time_page(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        build_data()
        from django.test import Client

        from coiin.network.models import User
        from coiin.reports.dashboards import network as network_module

        user = User.objects.create_user(email="bench@example.org", network_role="backbone")
        client = Client()
        client.force_login(user)
        url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
        client.get(url)  # warm templates and caches
        with_charts, q_with = time_page(client, url, args.repeat)
        response = client.get(url)
        charts = response.content.decode().count('class="vega-chart"')

        real_build = network_module.build

        def no_chart(team, measure, obs, *a, **k):
            return network_module.TeamChart(team, measure, obs)

        network_module.build = no_chart
        try:
            without, q_without = time_page(client, url, args.repeat)
        finally:
            network_module.build = real_build
    print(f"network dashboard, {charts} charts (59 teams x 36 months + pooled), SQLite")
    print(f"with charts:     {with_charts * 1000:8.1f} ms  ({q_with} queries)")
    print(f"charts disabled: {without * 1000:8.1f} ms  ({q_without} queries)")
    print(f"ratio:           {with_charts / without:8.2f} x")
    print(f"target (< 1 s with charts): {'met' if with_charts < 1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
