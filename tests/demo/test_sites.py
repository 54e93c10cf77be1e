"""The demo's site-level data: a few hospital teams report by site, and their sites add up
to exactly the team figures the demo generated (the roll-up changes nothing)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from coiin.demo.sites import load_site_demo, site_teams, split, split_ratio
from coiin.measures.models import DataValue, SiteValue, TeamMeasure

from .test_measures import (  # noqa: F401  (the fixtures)
    _some_demo_rows,
    quiet,
    some_demo,
    some_teams,
)

# With test_measures.py, on one worker: the same teams are loaded once for both.
pytestmark = pytest.mark.xdist_group("demo-measures")


def test_split_adds_up_and_keeps_numerators_under_denominators():
    rng = random.Random(1)
    assert sum(split(101, [1, 2, 3])) == 101
    for num, den in ((0, 7), (7, 7), (33, 120), (1, 2)):
        parts = split_ratio(num, den, [0.7, 1.9, 1.1], rng)
        assert sum(n for n, _ in parts) == num and sum(d for _, d in parts) == den
        assert all(0 <= n <= d for n, d in parts)


def test_demo_hospitals_report_by_site_and_add_up_to_the_team(some_teams):  # noqa: F811
    teams = site_teams()
    assert teams, "the reduced demo network has hospital teams"
    before = sorted(DataValue.objects.values_list("pk", "numerator", "denominator", "value"))
    history = DataValue.history.count()
    added = load_site_demo(log=quiet)
    assert added > 100
    assert TeamMeasure.objects.filter(by_site=True).exists()
    sums: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for sub, measure, num, den in SiteValue.objects.values_list(
            "submission_id", "measure_id", "numerator", "denominator"):
        sums[(sub, measure)][0] += num
        sums[(sub, measure)][1] += den
    for (sub, measure), (num, den) in sums.items():
        team = DataValue.objects.get(submission_id=sub, measure_id=measure, stratum=None)
        assert (team.numerator, team.denominator) == (num, den)
    # The team figures are untouched and no change was recorded; a second run adds nothing.
    assert sorted(DataValue.objects.values_list(
        "pk", "numerator", "denominator", "value")) == before
    assert DataValue.history.count() == history
    assert load_site_demo(log=quiet) == 0
