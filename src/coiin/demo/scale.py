"""A synthetic network at national scale, for measuring the platform (``coiin
build_scale_network``, ``bench/scale.py``).

EVERYTHING THIS MODULE WRITES IS SYNTHETIC: the demo network's people and teams, extra
made-up jurisdictions, reporting units named "Synthetic site …", measures coded
``SCALE-…`` and random values whose history records carry the change reason
``synthetic scale data``. Build it into an empty database, never a real one.

The target is the issue's: 3,000 reporting units × 40 measures × 72 months (8.64 M site
values). ``Shape.scaled(factor)`` gives the same network at ``factor`` times the demo's
volume of values (1× ≈ the demo's 48,613), so that a benchmark can measure how pages grow
from the demo to the target: measures shrink with the factor's 0.4th power (5 of 40 at
1×, about a demo team's set) and reporting units take the rest.

Values are written by the one writer, ``coiin.measures.services``: every site's values go
through its streamed, set-based import (``import_stream`` with ``ValueIn(unit=...)``:
``COPY`` on PostgreSQL), which rolls them up to their team as the platform does (sums of
numerators and denominators, ``rollup.roll_up``). The stored chart summaries are then
refreshed as after any import.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from coiin.charts.summaries import services as summaries
from coiin.measures import services
from coiin.measures.models import Measure, Submission, TeamMeasure
from coiin.measures.periods import Frequency, Period
from coiin.network import services as network_services
from coiin.network.models import Cohort, Jurisdiction, LearningNetwork, ReportingUnit, Team, User

from .network import DEMO_LOGINS, DEMO_TEAM, load_demo

DEMO_VALUES = 48_613  # values in the demo network (issue 19's measurements)
REASON = "synthetic scale data"
CODE_PREFIX = "SCALE-"
SEED = 20261203
UNITS_PER_EXTRA_JURISDICTION = 100  # one made-up jurisdiction per 100 sites

Log = Callable[[str], None]


@dataclass(frozen=True)
class Shape:
    """How big a synthetic network is: sites × measures × months values."""

    units: int = 3000
    measures: int = 40
    months: int = 72

    @property
    def values(self) -> int:
        return self.units * self.measures * self.months

    @property
    def factor(self) -> float:
        """This shape's volume in multiples of the demo's."""
        return self.values / DEMO_VALUES

    def scaled(self, factor: float) -> Shape:
        """``factor`` times the demo's volume, cut from this (target) shape; a factor at
        or above this shape's own gives this shape."""
        fraction = min(1.0, factor * DEMO_VALUES / self.values)
        measures = max(1, min(self.measures, round(self.measures * fraction ** 0.4)))
        units = max(1, min(self.units, round(self.units * fraction * self.measures
                                             / measures)))
        return Shape(units, measures, self.months)

    @property
    def extra_jurisdictions(self) -> int:
        return self.units // UNITS_PER_EXTRA_JURISDICTION


@dataclass
class Built:
    """What ``build`` made, and how long each step took."""

    shape: Shape
    jurisdictions: int = 0
    teams: int = 0
    units: int = 0
    site_values: int = 0  # the sites' values generated and stored
    rows_written: int = 0  # site value rows the import wrote
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def months_ending(last: dt.date, count: int) -> list[Period]:
    """``count`` monthly periods, the last one containing ``last``."""
    period = Period.containing(last, Frequency.MONTHLY)
    out = [period]
    for _ in range(count - 1):
        period = period.previous()
        out.append(period)
    return out[::-1]


def build(shape: Shape, *, log: Log = print, last_month: dt.date | None = None,
          seed: int = SEED) -> Built:
    """Build the synthetic network of ``shape`` into this (empty) database."""
    if Measure.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise ValueError("this database already holds a synthetic scale network; build "
                         "into an empty one")
    built = Built(shape)
    today = timezone.localdate()
    last = last_month or (today.replace(day=1) - dt.timedelta(days=45))
    periods = months_ending(last, shape.months)
    clock = time.perf_counter()
    load_demo(log=lambda _message: None)
    teams = _extra_jurisdictions(shape.extra_jurisdictions, seed)
    built.jurisdictions = Jurisdiction.objects.count()
    built.teams = len(teams)
    measures = _measures(shape.measures)
    units = _units(teams, shape.units)
    built.units = len(units)
    TeamMeasure.objects.bulk_create(
        [TeamMeasure(team=t, measure=m, by_site=True) for t in {u.team for u in units}
         for m in measures], batch_size=2000)
    built.seconds["network"] = time.perf_counter() - clock
    log(f"network: {built.jurisdictions} jurisdictions, {built.teams} teams, "
        f"{built.units} sites, {len(measures)} measures ({built.seconds['network']:.1f} s)")

    clock = time.perf_counter()
    author = User.objects.get(email=DEMO_LOGINS["backbone"].email)
    # The import tells the stored summaries of each chunk it rolled up; they are refreshed
    # once, each measure once, after the commit.
    with summaries.deferred():
        with transaction.atomic():
            submissions = _submissions(sorted({u.team for u in units}, key=lambda t: t.pk),
                                       periods)
            built.site_values = len(units) * len(measures) * len(periods)
            built.rows_written = _write_sites(units, measures, periods, seed, author)
            _close(submissions, periods, author)
        written = time.perf_counter()
    built.seconds["values"] = written - clock
    built.seconds["summaries"] = time.perf_counter() - written
    rate = built.site_values / built.seconds["values"]
    log(f"values: {built.site_values:,} site values ({built.rows_written:,} rows stored by "
        f"import_stream, rolled up to the teams) in {built.seconds['values']:.1f} s "
        f"({built.seconds['values'] / 60:.1f} min): {rate:,.0f} values/s")
    log(f"stored summaries refreshed in {built.seconds['summaries']:.1f} s")
    return built


# -- the network -------------------------------------------------------------------------


def _extra_jurisdictions(count: int, seed: int) -> list[Team]:
    """Made-up jurisdictions outside the tile map (codes of three letters), each in one
    to three networks; returns every team."""
    if count:
        rng = np.random.default_rng(seed)
        cohort = Cohort.objects.order_by("-year").first()
        networks = list(LearningNetwork.objects.order_by("position"))
        kinds = [Jurisdiction.Kind.TRIBAL_NATION, Jurisdiction.Kind.LOCAL]
        for i in range(count):
            code = "S" + chr(65 + i // 26 % 26) + chr(65 + i % 26)
            jurisdiction = Jurisdiction.objects.create(
                name=f"Synthetic jurisdiction {code}", postal_code=code,
                fips_code=f"99{i:03d}", kind=kinds[i % len(kinds)],
                hhs_region=1 + i % 10, cohort=cohort)
            picks = rng.choice(len(networks), size=1 + i % 3, replace=False)
            for index in sorted(picks):
                network_services.join_network(jurisdiction=jurisdiction,
                                              learning_network=networks[index],
                                              joined_on=dt.date(2019, 1, 1))
    return list(Team.objects.select_related("jurisdiction", "learning_network")
                .order_by("jurisdiction__postal_code", "learning_network__position"))


def _measures(count: int) -> list[Measure]:
    out = []
    for i in range(1, count + 1):
        outcome = i % 4 == 0
        out.append(Measure.objects.create(
            code=f"{CODE_PREFIX}{i:02d}",
            name=f"Synthetic {'outcome' if outcome else 'process'} measure {i}",
            level=Measure.Level.PILOT_OUTCOME if outcome else Measure.Level.PILOT_PROCESS,
            type=Measure.Type.RATIO, multiplier=100, unit="%",
            direction=Measure.Direction.UP, frequency=Frequency.MONTHLY.value,
            data_source="synthetic", source="Synthetic: made up to measure the platform at "
                                              "scale (coiin build_scale_network)."))
    return out


def _units(teams: list[Team], count: int) -> list[ReportingUnit]:
    """``count`` sites dealt round-robin over the teams (every team gets one before any
    gets two)."""
    kinds = [ReportingUnit.Kind.HOSPITAL, ReportingUnit.Kind.CLINIC, ReportingUnit.Kind.COUNTY]
    # The demo logins' team first, so that it has sites at every size.
    teams = sorted(teams, key=lambda t: (t.jurisdiction.postal_code, t.learning_network.slug)
                   != DEMO_TEAM)
    units = [ReportingUnit(team=teams[i % len(teams)], name=f"Synthetic site {i + 1:04d}",
                           kind=kinds[i % len(kinds)], is_synthetic=True)
             for i in range(count)]
    ReportingUnit.objects.bulk_create(units, batch_size=2000)
    return sorted(units, key=lambda u: (u.team_id, u.name))  # a team's sites together


def _submissions(teams: list[Team], periods: list[Period]) -> dict[tuple[int, dt.date], int]:
    """Each team's draft team-periods (written to, then closed): id by (team, start)."""
    Submission.objects.bulk_create(
        [Submission(team=t, frequency=Frequency.MONTHLY.value, period_start=p.start, version=1)
         for t in teams for p in periods], batch_size=5000)
    return {(t, s): pk for pk, t, s in Submission.objects.filter(
        team__in=teams, period_start__gte=periods[0].start).values_list(
        "pk", "team_id", "period_start")}


# -- the values --------------------------------------------------------------------------


def _site_series(units: list[ReportingUnit], n_measures: int, n_periods: int, seed: int
                 ) -> Iterator[tuple[ReportingUnit, np.ndarray]]:
    """Each site's numerators and denominators: (site, array[measure, month, (num, den)]).

    A site's denominator is its size (20 to 120 a month, Poisson); its rate starts between
    40 % and 85 % and, at about a third of sites, rises by 5 to 15 points half-way through.
    """
    rng = np.random.default_rng(seed)
    half = np.arange(n_periods) >= n_periods // 2
    for unit in units:
        size = rng.integers(20, 120, size=(n_measures, 1))
        den = np.maximum(rng.poisson(size, size=(n_measures, n_periods)), 1)
        rate = rng.uniform(0.4, 0.85, size=(n_measures, 1))
        lift = (rng.random((n_measures, 1)) < 0.35) * rng.uniform(0.05, 0.15,
                                                                   size=(n_measures, 1))
        p = np.clip(rate + lift * half, 0.0, 0.98)
        yield unit, np.stack([rng.binomial(den, p), den], axis=-1)


def _write_sites(units: list[ReportingUnit], measures: list[Measure], periods: list[Period],
                 seed: int, author: User) -> int:
    """Store every site's values through the streamed import, which rolls the teams'
    figures up from them; returns the rows written."""
    result = services.import_stream(
        _site_rows(units, measures, periods, seed), user=author, reason=REASON,
        check_closed=False, check_repeats=False, warn=False)
    return result.written


def _site_rows(units: list[ReportingUnit], measures: list[Measure], periods: list[Period],
               seed: int) -> Iterator[services.ValueIn]:
    """The sites' values as import rows, a team at a time and within it a month at a time,
    so that each chunk of the import touches few team-periods."""
    teams = {t.pk: t for t in Team.objects.filter(pk__in={u.team_id for u in units})}
    number = 0
    team_units: list[tuple[ReportingUnit, np.ndarray]] = []

    def team_rows() -> Iterator[services.ValueIn]:
        nonlocal number
        team = teams[team_units[0][0].team_id]
        for j, period in enumerate(periods):
            for unit, both in team_units:
                pairs = both[:, j].tolist()
                for measure, (num, den) in zip(measures, pairs, strict=True):
                    number += 1
                    yield services.ValueIn(number, team, measure, period, None,
                                           Decimal(num), Decimal(den), None, unit=unit)

    for unit, both in _site_series(units, len(measures), len(periods), seed):
        if team_units and team_units[0][0].team_id != unit.team_id:
            yield from team_rows()
            team_units = []
        team_units.append((unit, both))
    if team_units:
        yield from team_rows()


def _close(submissions: dict[tuple[int, dt.date], int], periods: list[Period],
           author: User) -> None:
    """Every team-period but the latest is locked; the latest is submitted, awaiting
    review, as at a month's end."""
    latest = periods[-1].start
    at = dt.datetime.combine(latest, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(days=40)
    ids = list(submissions.values())
    closed = Submission.objects.filter(pk__in=ids)
    closed.exclude(period_start=latest).update(
        status=Submission.Status.LOCKED, is_final=True, submitted_by=author,
        submitted_at=at, reviewed_by=author, reviewed_at=at)
    closed.filter(period_start=latest).update(
        status=Submission.Status.SUBMITTED, submitted_by=author, submitted_at=at)


def default_factor_shapes(target: Shape, intermediate: float = 12.0) -> list[Shape]:
    """1×, an intermediate and the target: the sizes bench/scale.py measures."""
    return [target.scaled(1.0), target.scaled(intermediate), target]


def describe(shape: Shape) -> str:
    return (f"{shape.units:,} sites × {shape.measures} measures × {shape.months} months = "
            f"{shape.values:,} values ({shape.factor:,.1f}× the demo)")

