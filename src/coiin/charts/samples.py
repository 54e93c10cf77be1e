"""Charts of sampled measures: each period's individual measurements (``DataValue.
measurements``, e.g. days from birth to the postpartum visit of each patient sampled) on an
xbar chart (the period's mean) or an s chart (their standard deviation), computed by
``coiin.spc`` as qicharts2 does, with the period as the subgroup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Period
from coiin.network.models import Team
from coiin.spc import Chart, SPCInputError, qic

from .building import MIN_CONTROL_POINTS, X_TITLES, Observation, TeamChart
from .models import ChartSettings
from .signals import cannot_draw_said
from .vega import ChartMeta, point_rows, run_point_indexes, spc_spec

SAMPLED_CHARTS = ["xbar", "s"]
SAMPLED_NAMES = {"xbar": "Xbar chart (mean of the measurements)",
                 "s": "S chart (spread of the measurements)"}


def subgroup_chart(subgroups: Sequence[tuple[Any, Sequence[float]]], chart: str = "xbar",
                   **options: Any) -> Chart:
    """The xbar or s chart of (x, measurements) subgroups in order; ``options`` as qic's."""
    if chart not in SAMPLED_CHARTS:
        raise SPCInputError(f"a sampled measure takes an xbar or s chart, not {chart!r}",
                            field="chart")
    y = [v for _, values in subgroups for v in values]
    x = [key for key, values in subgroups for _ in values]
    return qic(y, x=x, chart=chart, **options)


def sampled_series(team: Team, measure: Measure) -> list[tuple[Period, list[float]]]:
    """The team's shown periods of a sampled measure with their measurements, oldest first
    (one query)."""
    return teams_sampled_series(measure, {team.pk}).get(team.pk, [])


def teams_sampled_series(measure: Measure, team_ids: set[int] | None = None
                         ) -> dict[int, list[tuple[Period, list[float]]]]:
    """Each team's (of ``team_ids``; None: all) shown periods of a sampled measure with
    their measurements, oldest first, in one query; teams with none are left out."""
    rows = DataValue.objects.filter(measure=measure, stratum__isnull=True)
    if team_ids is not None:
        rows = rows.filter(submission__team_id__in=team_ids)
    return _grouped(measure, rows, "submission__team_id")


def strata_sampled_series(team: Team, measure: Measure
                          ) -> dict[int, list[tuple[Period, list[float]]]]:
    """Each stratum's (by id) shown periods of a team's sampled measure with their
    measurements, oldest first, in one query."""
    return _grouped(measure, DataValue.objects.filter(
        measure=measure, submission__team=team, stratum__isnull=False), "stratum_id")


def strata_sampled_charts(team: Team, measure: Measure, settings: ChartSettings | None
                          ) -> list[tuple[Any, TeamChart]]:
    """(stratum, chart) for each stratum the team reported a sampled measure in: each
    group's own xbar (or chosen s) chart of its own measurements."""
    from coiin.measures.models import Stratum

    series = strata_sampled_series(team, measure)
    out = []
    for stratum in Stratum.objects.filter(pk__in=list(series)).order_by("position"):
        tc = sampled_chart(team, measure, settings, series=series[stratum.pk])
        if tc.chart is not None:
            out.append((stratum, tc))
    return out


def site_sampled_charts(team: Team, measure: Measure, units: Any,
                        settings: ChartSettings | None) -> list[tuple[Any, TeamChart]]:
    """(site, chart) for each site (of ``units`` when given) that reported a sampled
    measure the team reports by site: each site's own xbar (or chosen s) chart of its own
    measurements; sites in name order."""
    from coiin.measures.models import SiteValue
    from coiin.network.models import ReportingUnit

    values = SiteValue.objects.filter(submission__team=team, stratum__isnull=True)
    if units is not None:
        values = values.filter(unit__in=units)
    series = _grouped(measure, values.filter(measure=measure), "unit_id")
    out = []
    for unit in ReportingUnit.objects.filter(pk__in=list(series)).order_by("name"):
        tc = sampled_chart(team, measure, settings, series=series[unit.pk])
        if tc.chart is not None:
            out.append((unit, tc))
    return out


def _grouped(measure: Measure, rows: Any, key: str
             ) -> dict[Any, list[tuple[Period, list[float]]]]:
    out: dict[Any, list[tuple[Period, list[float]]]] = {}
    for group, start, values in (rows.filter(submission__status__in=Submission.SHOWN_STATUSES)
                                 .order_by(key, "submission__period_start")
                                 .values_list(key, "submission__period_start",
                                              "measurements")):
        if values:
            out.setdefault(group, []).append((Period(start, measure.freq),
                                              [float(v) for v in values]))
    return out


def sampled_chart(team: Team, measure: Measure, settings: ChartSettings | None = None,
                  series: list[tuple[Period, list[float]]] | None = None,
                  spec: bool = True) -> TeamChart:
    """The team's chart of a sampled measure: the xbar chart unless the settings choose
    the s chart; a run chart of the means until there are enough periods for limits.
    ``spec=False``: the chart only, without its Vega-Lite picture (stored summaries)."""
    if series is None:  # a pooled series (an unsaved stand-in team) has no measurements
        series = sampled_series(team, measure) if team.pk is not None else []
    obs = [Observation(p, None, float(len(v)), sum(v) / len(v), True) for p, v in series]
    tc = TeamChart(team, measure, obs, settings=settings)
    if not series:
        return tc
    chosen = settings.chart_type if settings and settings.chart_type in SAMPLED_CHARTS \
        else "xbar"
    direction = {"up": "increase", "down": "decrease"}.get(measure.direction)
    try:
        if len(series) < MIN_CONTROL_POINTS:
            tc.chart_type = "run"
            tc.chart = qic([o.value for o in obs], x=[p.start for p, _ in series],
                           chart="run", direction=direction)
        else:
            tc.chart_type = chosen
            tc.chart = subgroup_chart([(p.start, v) for p, v in series], chosen,
                                      direction=direction)
    except SPCInputError as exc:
        tc.problem_said = cannot_draw_said(exc)
        return tc
    if not spec:
        return tc
    rows = point_rows(tc.chart, labels=[p.label for p, _ in series],
                      denominators=[float(len(v)) for _, v in series],
                      run_points=run_point_indexes(tc.chart))
    name = SAMPLED_NAMES.get(tc.chart_type or "", "Run chart")
    tc.spec = spc_spec(rows, ChartMeta(title=f"{measure.name}: {name}", unit=measure.unit,
                                       x_title=X_TITLES.get(measure.frequency, "Period")))
    return tc
