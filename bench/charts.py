"""How much the learning-network dashboard's charts cost, and how its HTML grows.

Builds a throwaway SQLite database with 59 Safe Sleep teams (every jurisdiction) and three
years of submitted monthly crib-audit data each, stores the chart summaries (as the demo
loader and every data change do), then times the network dashboard page (the pooled chart,
the funnel plot and one page of small multiples drawn from the stored summaries) against
the same page with its charts removed, measured in the same run: wall and CPU seconds,
(warm: the page keeps its pooled chart, funnel and scale in the cache until the network's
data change),
the ratio and a verdict against the target (<= 1.5x). Then adds 177 synthetic
jurisdictions' teams (4x the network) and prints the page's HTML size at 1x and 4x,
which should not grow: only what one screen shows is drawn, and the funnel's points and
full table come from its CSV.

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
TARGET = 1.5
URL = "/networks/safe-sleep/charts/?measure=SS-CRIB"


def setup_django(db_path: Path) -> None:
    os.environ["COIIN_DEV"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_teams(jurisdictions, network, measure, rng, months: int = 36) -> None:
    """A team per jurisdiction with ``months`` locked crib audits (bulk, then summarised)."""
    import datetime as dt

    from coiin.measures.models import DataValue, Submission, TeamMeasure
    from coiin.measures.periods import Period
    from coiin.network import services

    for j in jurisdictions:
        team = services.join_network(jurisdiction=j, learning_network=network,
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


def synthetic_jurisdictions(count: int):
    """Made-up jurisdictions with unused two-letter codes, for a network larger than 59."""
    import itertools
    import string

    from coiin.network.models import Cohort, Jurisdiction

    cohort = Cohort.objects.first()
    used = set(Jurisdiction.objects.values_list("postal_code", flat=True))
    codes = (a + b for a, b in itertools.product("QXZ", string.ascii_uppercase)
             if a + b not in used)
    out = []
    for i, code in zip(range(count), codes, strict=False):
        out.append(Jurisdiction.objects.create(
            name=f"Synthetic {code}", postal_code=code,
            fips_code=f"{chr(97 + i // 26)}{chr(97 + i % 26)}", kind="state", hhs_region=1,
            cohort=cohort))
    return out


def time_page(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds, queries and HTML bytes of one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    queries = size = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
        queries, size = len(ctx.captured_queries), len(response.content)
    return statistics.median(walls), statistics.median(cpus), queries, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        import random

        from django.test import Client

        from coiin.charts.building import TeamChart
        from coiin.charts.summaries.services import rebuild
        from coiin.demo.network import load_reference
        from coiin.measures.catalog import load_catalog
        from coiin.network.models import User
        from coiin.reports.dashboards import network as network_module
        from coiin.reports.dashboards import views

        jurisdictions, networks = load_reference()
        measure = load_catalog()["SS-CRIB"]
        rng = random.Random(7)  # noqa: S311 - benchmark data
        add_teams(list(jurisdictions.values()), networks["safe-sleep"], measure, rng)
        rebuild()
        user = User.objects.create_user(email="bench@example.org", network_role="backbone")
        client = Client()
        client.force_login(user)
        client.get(URL)  # warm templates and caches
        wall, cpu, q_with, size_1x = time_page(client, URL, args.repeat)
        charts = client.get(URL).content.decode().count('class="vega-chart"')

        # The same page, the same reads, with its charts removed: no pooled chart built, no
        # funnel, no small multiple specs.
        # (The page keeps its pooled chart, funnel and scale in the cache while the data do
        # not change; here nothing comes from there.)
        saved = (network_module.stored_chart, network_module.latest_funnel,
                 network_module.kept, views.mini_template, views.mini_values,
                 views.network_domain)
        network_module.stored_chart = lambda s, team=None, **kw: TeamChart(team, s.measure, [])
        network_module.latest_funnel = lambda network, m, pooled: None
        network_module.kept = lambda key, compute: compute()
        views.mini_template = lambda measure, chart_type, domain, **kw: {}
        views.mini_values = lambda s: []
        views.network_domain = lambda network, m, stamp="": (0.0, 1.0)
        try:
            wall0, cpu0, q_without, size_0 = time_page(client, URL, args.repeat)
        finally:
            (network_module.stored_chart, network_module.latest_funnel, network_module.kept,
             views.mini_template, views.mini_values, views.network_domain) = saved

        add_teams(synthetic_jurisdictions(177), networks["safe-sleep"], measure, rng)
        rebuild()
        wall4, cpu4, q_4x, size_4x = time_page(client, URL, args.repeat)
    ratio = wall / wall0
    cpu_ratio = cpu / cpu0
    print(f"network dashboard, SS-CRIB, 59 teams x 36 months, {charts} charts on the first "
          "page (pooled, funnel, small multiples), SQLite, median of "
          f"{args.repeat}")
    print(f"{'':22}{'wall ms':>9}{'CPU ms':>9}{'queries':>9}{'HTML kB':>9}")
    for label, w, c, q, s in (("with charts", wall, cpu, q_with, size_1x),
                              ("charts removed", wall0, cpu0, q_without, size_0),
                              ("with charts, 4x teams", wall4, cpu4, q_4x, size_4x)):
        print(f"{label:22}{w * 1000:9.1f}{c * 1000:9.1f}{q:9d}{s / 1024:9.1f}")
    print(f"ratio with / without charts: wall {ratio:.2f}x, CPU {cpu_ratio:.2f}x "
          f"(target <= {TARGET}x): {'met' if ratio <= TARGET else 'NOT met'}")
    print(f"HTML 1x -> 4x teams: {size_1x / 1024:.1f} kB -> {size_4x / 1024:.1f} kB "
          f"({size_4x / size_1x:.2f}x; target: does not grow): "
          f"{'met' if size_4x <= size_1x * 1.05 else 'NOT met'} (the small multiples are "
          "paged; the funnel's table lists at most ten teams outside the limits and its "
          "plot reads the teams from the CSV)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
