"""The pooled series of a survey measure (PRAMS, BRFSS): births-weighted, not summed.

A survey measure's values are weighted estimates with standard errors, with no numerator
or denominator to add up. A learning network's (or the nation's) estimate of a period is
the mean of its jurisdictions' estimates weighted by each jurisdiction's live births that
year, read from the official figures store (``coiin.vitals``), with its standard error
and 95 % interval (``coiin.stats.survey``). A jurisdiction counts once (the team with the
most shown values). An estimate without a standard error or interval, or from a
jurisdiction-year with no births stored, is left out, and the points say how many were.

A stored point of such a series is the usual row (period, estimate, no centre line or
limits, signal, part, no numerator or denominator, jurisdictions pooled) followed by the
pooled standard error, the interval's lower and upper ends, and the number of estimates
left out: ``SURVEY_FIELDS`` says where.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from coiin.measures.models import DataValue, Measure, Submission, survey_interval
from coiin.measures.periods import Period
from coiin.vitals.rates import births_by_year

from ..building import Observation
from ..models import ChartSummary
from .compute import Series, summarise_series

if TYPE_CHECKING:
    from coiin.stats import survey as stats

Scope = ChartSummary.Scope
SE, LOWER, UPPER, LEFT_OUT = 10, 11, 12, 13  # where a stored point keeps them
SURVEY_FIELDS = LEFT_OUT + 1


@dataclass(frozen=True)
class Reported:
    """One team's estimate of one period."""

    team_id: int
    network_id: int
    jurisdiction_id: int
    start: Any  # the period's first day
    estimate: float
    se: float | None
    n: int | None = None  # respondents (unweighted), where given
    interval: tuple[float, float] | None = None  # its 95 % CI (given, or ± 1.96 SE)


def reported(measure: Measure, statuses: Iterable[str] = Submission.SHOWN_STATUSES,
             team_ids: Iterable[int] | None = None) -> list[Reported]:
    """The measure's estimates (totals) in submissions of these statuses, from the teams
    that report it now. One query."""
    values = DataValue.objects.filter(
        measure=measure, stratum__isnull=True, value__isnull=False,
        submission__status__in=list(statuses),
        submission__team__team_measures__measure=measure,
        submission__team__team_measures__active=True)
    if team_ids is not None:
        values = values.filter(submission__team_id__in=list(team_ids))
    out = []
    for team, network, jurisdiction, start, value, se, lo, hi, n in values.values_list(
            "submission__team_id", "submission__team__learning_network_id",
            "submission__team__jurisdiction_id", "submission__period_start", "value",
            "standard_error", "ci_lower", "ci_upper", "sample_size").order_by(
            "submission__period_start"):
        ci = survey_interval(measure, value, se, lo, hi)
        out.append(Reported(team, network, jurisdiction, start, float(value),
                            _se(se, lo, hi), n,
                            (float(ci[0]), float(ci[1])) if ci is not None else None))
    return out


def _se(se: Decimal | None, lo: Decimal | None, hi: Decimal | None) -> float | None:
    if se is not None:
        return float(se)
    if lo is not None and hi is not None and hi >= lo:
        from coiin.stats import survey as stats  # here: coiin.stats brings scipy

        return stats.se_from_interval(float(lo), float(hi))
    return None


def one_per_jurisdiction(rows: list[Reported]) -> list[Reported]:
    """A jurisdiction with several teams counts once: the team with the most estimates
    (the lowest id on a tie)."""
    per_team: dict[int, int] = defaultdict(int)
    teams: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        per_team[r.team_id] += 1
        teams[r.jurisdiction_id].add(r.team_id)
    chosen = {min(ids, key=lambda t: (-per_team[t], t)) for ids in teams.values()}
    return [r for r in rows if r.team_id in chosen]


@dataclass(frozen=True)
class PooledPeriod:
    start: Any
    pooled: stats.Pooled | None  # None: nothing could be pooled
    left_out: int


def pool_periods(measure: Measure, rows: list[Reported],
                 births: dict[tuple[int, int], int]) -> list[PooledPeriod]:
    """Each period's births-weighted estimate of these (one-per-jurisdiction) rows."""
    from coiin.stats import survey as stats  # here: coiin.stats brings scipy

    by_start: dict[Any, list[Reported]] = defaultdict(list)
    for r in rows:
        by_start[r.start].append(r)
    out = []
    for start in sorted(by_start):
        usable, left = [], 0
        for r in by_start[start]:
            b = births.get((r.jurisdiction_id, start.year))
            if r.se is None or not b:
                left += 1
            else:
                usable.append(stats.Estimate(r.estimate, r.se, b))
        pooled = stats.pool(usable, bounded=measure.is_proportion) if usable else None
        out.append(PooledPeriod(start, pooled, left))
    return out


def births_for(rows: Iterable[Reported]) -> dict[tuple[int, int], int]:
    rows = list(rows)
    return births_by_year({r.jurisdiction_id for r in rows}, {r.start.year for r in rows})


def _series(measure: Measure, periods: list[PooledPeriod]) -> tuple[Series, dict]:
    series = Series([], counts={})
    extra = {}
    for p in periods:
        if p.pooled is None:
            continue
        q = p.pooled
        series.obs.append(Observation(Period(p.start, measure.freq), None, None, q.estimate,
                                      True, q.lower, q.upper))
        assert series.counts is not None
        series.counts[p.start] = q.count
        extra[p.start.isoformat()] = [round(q.se, 6), round(q.lower, 6), round(q.upper, 6),
                                      p.left_out]
    return series, extra


def _summaries(measure: Measure, pools: dict[int | None, list[PooledPeriod]],
               scope: str) -> list[ChartSummary]:
    keys = sorted((k for k in pools if k is not None), key=int) if scope == Scope.NETWORK \
        else [None]
    built = [_series(measure, pools[k]) for k in keys]
    out = []
    for k, (_, extra), f in zip(keys, built,
                                     summarise_series(measure, [s for s, _ in built]),
                                     strict=True):
        for point in f["points"]:
            point.extend(extra[point[0]])
        out.append(ChartSummary(scope=scope, measure=measure, learning_network_id=k, **f))
    return out


def pooled_rows(measure: Measure, network_ids: set[int] | None) -> list[ChartSummary]:
    """The network pools (of ``network_ids``; None: all) and the national pool of a
    survey measure, as ChartSummary rows; [] for any other measure."""
    if not measure.is_survey:
        return []
    rows = reported(measure)
    if not rows:
        return []
    births = births_for(rows)
    by_network: dict[int | None, list[Reported]] = defaultdict(list)
    for r in rows:
        if network_ids is None or r.network_id in network_ids:
            by_network[r.network_id].append(r)
    networks = {k: pool_periods(measure, one_per_jurisdiction(v), births)
                for k, v in by_network.items()}
    national = {None: pool_periods(measure, one_per_jurisdiction(rows), births)}
    return [s for s in (_summaries(measure, networks, Scope.NETWORK)
                        + _summaries(measure, national, Scope.NATIONAL)) if s.points]


def interval_of(point: list[Any]) -> tuple[float, float, float, int] | None:
    """A stored survey point's (standard error, lower, upper, left out), else None."""
    if len(point) < SURVEY_FIELDS:
        return None
    return point[SE], point[LOWER], point[UPPER], point[LEFT_OUT]


def survey_measure_ids() -> list[int]:
    return [m.pk for m in Measure.objects.filter(type=Measure.Type.RATIO) if m.is_survey]


NOTE = gettext_lazy(  # xgettext:no-python-format
    "Survey estimates pooled births-weighted: each jurisdiction's weighted estimate "
    "counts in proportion to its live births that year (from the official figures), "
    "with the pooled standard error and 95 % confidence interval; no control limits.")
# ``coiin.stats.survey.METHOD`` (pure, in English) for the reader, in their language.
METHOD = gettext_lazy(
    "births-weighted mean of the jurisdictions' estimates; standard error "
    "sqrt(Σ w² SE²) with w each jurisdiction's share of the births; 95 % CI "
    "estimate ± 1.96 SE")


def table(summary: ChartSummary) -> list[dict[str, Any]]:
    """A pooled survey series' rows for a page: period, estimate, standard error, 95 %
    interval, jurisdictions pooled and left out; [] for any other series."""
    freq = summary.measure.freq
    rows = []
    for p in summary.points:
        found = interval_of(p)
        if found is None:
            return []
        se, lower, upper, left = found
        rows.append({"label": Period(_date(p[0]), freq).label, "estimate": f"{p[1]:.2f}",
                     "se": f"{se:.2f}", "interval": f"{lower:.2f} – {upper:.2f}",
                     "lower": lower, "upper": upper, "value": p[1], "pooled": p[9],
                     "left_out": left})
    return rows


def _date(iso: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(iso)
