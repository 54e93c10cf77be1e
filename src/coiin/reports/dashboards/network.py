"""A learning network's view of one measure: every team's chart on a shared scale, and
the network's pooled chart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from coiin.charts.building import Observation, TeamChart, build, teams_series
from coiin.charts.models import ChartExclusion, ChartPhase, ChartSettings
from coiin.charts.vega import funnel_spec
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team
from coiin.stats import funnel as stats_funnel

SORTS = {
    "name": "Jurisdiction",
    "latest": "Latest value",
    "improvement": "Improvement against baseline",
    "signal": "Signals first",
}


@dataclass
class Funnel:
    period: Period
    target: float
    teams: list[dict[str, Any]]
    spec: dict[str, Any]


@dataclass
class NetworkView:
    network: LearningNetwork
    measure: Measure
    teams: list[TeamChart]
    pooled: TeamChart | None
    contributors: dict[str, int]  # period label -> teams in the pooled value
    funnel: Funnel | None = None


def network_view(network: LearningNetwork, measure: Measure, sort: str = "name") -> NetworkView:
    """All teams of the network that report the measure; a fixed number of queries."""
    teams = list(Team.objects.filter(learning_network=network, team_measures__measure=measure,
                                     team_measures__active=True)
                 .select_related("jurisdiction", "learning_network"))
    by_team = teams_series(measure, teams)
    settings = {s.team_id: s for s in ChartSettings.objects.filter(team__in=teams,
                                                                   measure=measure)}
    phases: dict[int, list] = defaultdict(list)
    for ph in ChartPhase.objects.filter(team__in=teams, measure=measure):
        phases[ph.team_id].append(ph)
    exclusions: dict[int, list] = defaultdict(list)
    for ex in ChartExclusion.objects.filter(team__in=teams, measure=measure):
        exclusions[ex.team_id].append(ex)
    charts = [build(t, measure, by_team.get(t.pk, []), settings.get(t.pk), phases[t.pk],
                    exclusions[t.pk]) for t in teams]
    charts = [c for c in charts if c.chart is not None]
    pooled, contributors = _pooled(network, measure, by_team)
    teams_by_id = {t.pk: t for t in teams}
    return NetworkView(network, measure, sort_charts(charts, sort), pooled, contributors,
                       funnel(measure, by_team, teams_by_id))


MIN_FUNNEL_TEAMS = 3


def funnel(measure: Measure, by_team: dict[int, list[Observation]],
           teams: dict[int, Team]) -> Funnel | None:
    """The latest period that at least three teams reported, as a funnel plot."""
    if measure.type != Measure.Type.RATIO or measure.multiplier == 1:
        return None
    latest: dict[Period, list[tuple[int, Observation]]] = defaultdict(list)
    for team_id, obs in by_team.items():
        for o in obs:
            if o.numerator is not None and o.denominator:
                latest[o.period].append((team_id, o))
    periods = [p for p, rows in latest.items() if len(rows) >= MIN_FUNNEL_TEAMS]
    if not periods:
        return None
    period = max(periods)
    rows = latest[period]
    nums = [o.numerator or 0.0 for _, o in rows]
    dens = [o.denominator or 0.0 for _, o in rows]
    kind = "proportion" if measure.multiplier == 100 else "rate"
    target = stats_funnel.pooled_target(nums, dens) * measure.multiplier
    values = [n / d * measure.multiplier for n, d in zip(nums, dens, strict=True)]
    where = stats_funnel.classify(values, dens, target, kind=kind,
                                  multiplier=measure.multiplier)
    team_rows = sorted(({
        "team": teams[team_id].jurisdiction.name, "code": teams[team_id].jurisdiction.postal_code,
        "value": round(v, 6), "n": d, "where": w,
    } for (team_id, _), v, d, w in zip(rows, values, dens, where, strict=True)),
        key=lambda r: r["team"])
    curve_limits = stats_funnel.funnel_curve(max(1.0, min(dens) * 0.8), max(dens) * 1.2, 60,
                                             target=target, kind=kind,
                                             multiplier=measure.multiplier)
    curve = [{"n": float(n),
              "lower_95": float(curve_limits.lower[0.95][i]),
              "upper_95": float(curve_limits.upper[0.95][i]),
              "lower_99.8": float(curve_limits.lower[0.998][i]),
              "upper_99.8": float(curve_limits.upper[0.998][i])}
             for i, n in enumerate(curve_limits.n)]
    spec = funnel_spec(team_rows, curve, target=target, unit=measure.unit,
                       title=f"{measure.name}, {period.label}: funnel plot")
    return Funnel(period, target, team_rows, spec)


def _pooled(network: LearningNetwork, measure: Measure,
            by_team: dict[int, list[Observation]]) -> tuple[TeamChart | None, dict[str, int]]:
    """Sum numerators and denominators per period over the teams that reported both."""
    if measure.type != Measure.Type.RATIO or measure.multiplier == 1:
        return None, {}
    sums: dict[Period, list[float]] = {}
    count: dict[Period, int] = defaultdict(int)
    for obs in by_team.values():
        for o in obs:
            if o.numerator is None or not o.denominator:
                continue
            s = sums.setdefault(o.period, [0.0, 0.0])
            s[0] += o.numerator
            s[1] += o.denominator
            count[o.period] += 1
    pooled = [Observation(p, s[0], s[1], None, True) for p, s in sorted(sums.items())]
    if not pooled:
        return None, {}
    stand_in = Team(jurisdiction=None, learning_network=network)  # not saved: a label only
    return build(stand_in, measure, pooled), {p.label: n for p, n in sorted(count.items())}


def latest(tc: TeamChart) -> float | None:
    return tc.chart.points[-1].y if tc.chart and tc.chart.points else None


def improvement(tc: TeamChart) -> float | None:
    """Latest value against the first centre line, in the measure's good direction."""
    if not tc.chart or not tc.chart.points or tc.chart.points[0].cl in (None, 0):
        return None
    change = (tc.chart.points[-1].y - tc.chart.points[0].cl) / abs(tc.chart.points[0].cl)
    return -change if tc.measure.direction == "down" else change


def has_signal(tc: TeamChart) -> bool:
    return bool(tc.chart and (any(r.runs_signal for r in tc.chart.runs)
                              or any(p.sigma_signal for p in tc.chart.points)))


def sort_charts(charts: list[TeamChart], sort: str) -> list[TeamChart]:
    if sort == "latest":
        desc = charts[0].measure.direction != "down" if charts else True
        return sorted(charts, key=lambda c: (latest(c) is None, -(latest(c) or 0) if desc
                                             else (latest(c) or 0)))
    if sort == "improvement":
        return sorted(charts, key=lambda c: (improvement(c) is None, -(improvement(c) or 0)))
    if sort == "signal":
        return sorted(charts, key=lambda c: (not has_signal(c), c.team.jurisdiction.name))
    return sorted(charts, key=lambda c: c.team.jurisdiction.name)
