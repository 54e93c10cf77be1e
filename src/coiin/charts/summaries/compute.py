"""The state of a series' chart as a ChartSummary keeps it.

Series on the default chart (Anhøj rules; no baseline, phases or exclusions) that get a p
or u chart are computed together by the vectorised batch engine (``spc.batch``), grouped by
length; every other series goes through ``build`` (without its Vega-Lite picture). Both
paths end in the same ``Chart`` objects, read by the same ``signal_direction`` and
``sustained_improvement`` as the pages used, so a summary equals what ``build`` gives
(``tests/charts/test_summaries.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.spc import Chart, SPCInputError
from coiin.spc.batch import BatchResult, p_chart_batch, u_chart_batch
from coiin.spc.chart import Point
from coiin.spc.runs import RunsResult, runs_analysis
from coiin.spc.summary import summarise

from ..building import (
    Observation,
    TeamChart,
    _y,
    build,
    choose_chart,
    signal_direction,
    sustained_improvement,
)
from ..models import ChartExclusion, ChartPhase, ChartSettings
from ..vega import run_point_indexes

# The signal of a stored point (as ``vega.point_rows`` names them).
COMMON, OUTSIDE, RUN, EXCLUDED = 0, 1, 2, 3
SIGNALS = {COMMON: "Common cause", OUTSIDE: "Outside the limits",
           RUN: "Part of a run or shift", EXCLUDED: "Excluded"}
BATCH_CHARTS = {"p": p_chart_batch, "u": u_chart_batch}


@dataclass
class Series:
    """One series to summarise: its shown observations, oldest first, and how it is charted."""

    obs: list[Observation]
    team: Team | None = None
    settings: ChartSettings | None = None
    phases: list[ChartPhase] = field(default_factory=list)
    exclusions: list[ChartExclusion] = field(default_factory=list)
    counts: dict[dt.date, int] | None = None  # pooled: contributors per period start

    @property
    def default_chart(self) -> bool:
        s = self.settings
        return not self.phases and not self.exclusions and (
            s is None or (s.rules == ChartSettings.Rules.ANHOEJ and s.baseline_end is None
                          and not s.chart_type))


def summarise_series(measure: Measure, series: Sequence[Series]) -> list[dict[str, Any]]:
    """The ChartSummary fields of each series, in order."""
    out: list[dict[str, Any] | None] = [None] * len(series)
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    usable: dict[int, list[Observation]] = {}
    for i, s in enumerate(series):
        kept = [o for o in s.obs if _y(measure, o) is not None]
        kind = None
        if kept and s.default_chart:
            dens = [o.denominator for o in kept if o.denominator]
            kind = choose_chart(measure, len(kept), sum(dens) / len(dens) if dens else None)
        if kind in BATCH_CHARTS:
            groups[(kind, len(kept))].append(i)
            usable[i] = kept
        else:
            out[i] = fields(measure, _built(measure, s), s)
    for (kind, _), idx in groups.items():
        for i, tc in zip(idx, _batch(measure, kind, [usable[i] for i in idx],
                                     [series[i] for i in idx]), strict=True):
            out[i] = fields(measure, tc, series[i])
    return [o for o in out if o is not None]


def _built(measure: Measure, s: Series) -> TeamChart:
    return build(s.team or Team(), measure, s.obs, s.settings, s.phases, s.exclusions,
                 spec=False)


def _batch(measure: Measure, kind: str, usable: list[list[Observation]],
           series: list[Series]) -> list[TeamChart]:
    y = np.array([[o.numerator for o in obs] for obs in usable], dtype=float)
    n = np.array([[o.denominator for o in obs] for obs in usable], dtype=float)
    try:
        # Unmultiplied, as qic computes (and then multiplies) them.
        res = BATCH_CHARTS[kind](y, n, multiply=1)
    except SPCInputError:  # a bad series: each one on its own says which
        return [_built(measure, s) for s in series]
    direction = {"up": "increase", "down": "decrease"}.get(measure.direction)
    m = float(measure.multiplier)
    out = []
    for row, (obs, s) in enumerate(zip(usable, series, strict=True)):
        chart = _chart(kind, obs, res, row, m, direction)
        out.append(TeamChart(s.team or Team(), measure, obs, chart_type=kind, chart=chart,
                             settings=s.settings))
    return out


def _runs(res: BatchResult, row: int, count: int) -> RunsResult:
    """The runs of one row: from the batch's statistics, or in full when there is a signal
    (the summary names the long runs)."""
    if res.runs_signal[row]:
        return runs_analysis(res.y[row], np.full(count, res.cl[row]),
                             np.ones(count, dtype=bool))
    useful = int(res.n_useful[row])
    return RunsResult(1, count, useful, int(res.longest_run[row]),
                      int(res.longest_run_max[row]) if useful else None,
                      int(res.n_crossings[row]),
                      int(res.n_crossings_min[row]) if useful else None, False)


def _num(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def _chart(kind: str, obs: list[Observation], res: BatchResult, row: int, m: float,
           direction: str | None) -> Chart:
    count = len(obs)
    cl = float(res.cl[row])
    points = [Point(x=o.period.start, y=_num(res.y[row, j] * m), n=o.denominator,
                    cl=_num(cl * m), lcl=_num(res.lcl[row, j] * m),
                    ucl=_num(res.ucl[row, j] * m), lcl_2s=_num(res.lcl_2s[row, j] * m),
                    ucl_2s=_num(res.ucl_2s[row, j] * m),
                    sigma_signal=bool(res.sigma_signal[row, j]), part=1, baseline=True,
                    include=True, y_sum=o.numerator, subgroup_size=1)
              for j, o in enumerate(obs)]
    chart = Chart(chart=kind, rules="anhoej", x_kind="date", points=points,
                  runs=[_runs(res, row, count)], direction=direction, multiply=m)
    chart.summary = summarise(chart)
    return chart


def _r(v: float | None) -> float | None:
    return None if v is None or v != v else round(v, 6)


def fields(measure: Measure, tc: TeamChart, s: Series) -> dict[str, Any]:
    """What a ChartSummary keeps of a chart."""
    chart = tc.chart
    out: dict[str, Any] = {
        "chart_type": "", "problem": tc.problem[:300], "n_observations": len(s.obs),
        "n_points": 0, "latest_period": None, "latest_value": None, "centre": None,
        "lcl": None, "ucl": None, "first_centre": None, "improvement": None,
        "low": None, "high": None,
        "signal_direction": "", "has_signal": False, "sustained": False,
        "last_signal": None, "summary": tc.summary, "said": tc.said, "points": [],
    }
    if chart is None or not chart.points:
        return out
    first, last = chart.points[0], chart.points[-1]
    improvement = None
    if first.cl not in (None, 0) and last.y is not None:
        change = (last.y - first.cl) / abs(first.cl)
        improvement = -change if measure.direction == "down" else change
    drawn = [v for p in chart.points for v in (p.y, p.lcl, p.ucl) if v is not None and v == v]
    runs = run_point_indexes(chart)
    points = []
    for i, (o, p) in enumerate(zip(tc.observations, chart.points, strict=True)):
        code = (EXCLUDED if not p.include else OUTSIDE if p.sigma_signal
                else RUN if i in runs else COMMON)
        # y unrounded: what works reads a count measure's values from here.
        y = None if p.y is None or p.y != p.y else p.y
        row: list[Any] = [o.period.start.isoformat(), y, _r(p.cl), _r(p.lcl), _r(p.ucl),
                          code, p.part, o.numerator, o.denominator]
        if s.counts is not None:
            row.append(s.counts.get(o.period.start, 0))
        points.append(row)
    out.update({
        "chart_type": tc.chart_type or "", "n_points": len(chart.points),
        "latest_period": tc.observations[-1].period.start, "latest_value": last.y,
        "centre": last.cl, "lcl": last.lcl, "ucl": last.ucl, "first_centre": first.cl,
        "improvement": improvement, "low": min(drawn, default=None),
        "high": max(drawn, default=None), "signal_direction": signal_direction(tc) or "",
        "has_signal": any(r.runs_signal for r in chart.runs)
        or any(p.sigma_signal for p in chart.points),
        "sustained": sustained_improvement(tc), "points": points,
        "last_signal": max((dt.date.fromisoformat(r[0]) for r in points
                            if r[5] in (OUTSIDE, RUN)), default=None),
    })
    return out
