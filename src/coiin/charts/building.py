"""A team's charts: its shown data per measure, the chart type that fits, the saved
settings, and the picture. Drafts never reach a chart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.utils.safestring import SafeString

from coiin.measures.models import (
    DataValue,
    Goal,
    Measure,
    SiteValue,
    Submission,
    survey_interval,
)
from coiin.measures.periods import Frequency, Period
from coiin.network.models import ReportingUnit, Team
from coiin.spc import Chart, SPCInputError, qic

from . import markers as marker_hooks
from .models import Annotation, ChartExclusion, ChartPhase, ChartSettings
from .said import Said, Summary, said, summary_html, summary_text, word, written
from .signals import cannot_draw_said, plain_said, survey_note
from .spc_words import rule_detail
from .spec_language import FROZEN, PHASE
from .vega import ChartMeta, Marker, point_rows, run_point_indexes, spc_spec

MIN_CONTROL_POINTS = 12  # fewer: a run chart (no limits yet)
X_TITLES = {"monthly": "Month", "quarterly": "Quarter", "half_yearly": "Half-year",
            "yearly": "Year"}
LARGE_DENOMINATOR = 1000  # Laney's p' / u' when subgroups are this big on average

CHART_NAMES = {
    "run": "Run chart", "i": "XmR (individuals) chart", "p": "p chart",
    "pp": "p′ chart (Laney)", "u": "u chart", "up": "u′ chart (Laney)", "c": "c chart",
    "g": "g chart (births between events)", "t": "t chart (days between events)",
    "xbar": "Xbar chart", "s": "S chart",
}


@dataclass
class Observation:
    period: Period
    numerator: float | None
    denominator: float | None
    value: float | None
    final: bool
    # A survey estimate's 95 % interval (given, or from its standard error).
    low: float | None = None
    high: float | None = None


@dataclass
class TeamChart:
    team: Team
    measure: Measure
    observations: list[Observation]
    chart_type: str | None = None
    chart: Chart | None = None
    spec: dict[str, Any] | None = None
    settings: ChartSettings | None = None
    phases: list[ChartPhase] = field(default_factory=list)
    exclusions: list[ChartExclusion] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    goal: Goal | None = None
    problem_said: Said | None = None  # why the chart cannot be drawn
    markers: list[Marker] = field(default_factory=list)  # numbered, as drawn

    @property
    def name(self) -> str:
        return CHART_NAMES.get(self.chart_type or "", "")

    @property
    def note(self) -> str:
        """Why a survey measure has no control limits."""
        return survey_note(self.measure.data_source) if self.measure.is_survey else ""

    @property
    def problem(self) -> str:
        return word(self.problem_said) if self.problem_said else ""

    @cached_property
    def said(self) -> Summary:
        """What the plain sentences under the chart say (``said.Summary``), as stored."""
        if self.problem_said:
            return {"said": self.problem_said}
        if self.chart is None:
            return {"said": said("no_data")}
        return plain_said(self.chart, [o.period.label for o in self.observations],
                          [written(p.reason, p.language) for p in self.phases])

    @cached_property
    def summary(self) -> str:
        """The plain sentences under the chart (worked out once: pages say them twice)."""
        return summary_text(self.said)

    @cached_property
    def summary_html(self) -> SafeString:
        """The same, each phase's reason it quotes marked with its language."""
        return summary_html(self.said)

    @property
    def detail(self) -> str:
        """The rule detail behind the plain summary (runs statistics, what chance allows)."""
        return rule_detail(self.chart) if self.chart else ""

    @property
    def table(self) -> list[dict[str, Any]]:
        if self.chart is None:
            return []
        rows = []
        for obs, p in zip(self.observations, self.chart.points, strict=True):
            rows.append({"period": obs.period, "numerator": obs.numerator,
                         "denominator": obs.denominator, "value": _r(p.y), "cl": _r(p.cl),
                         "lcl": _r(p.lcl), "ucl": _r(p.ucl), "signal": p.sigma_signal,
                         "included": p.include, "final": obs.final,
                         "low": _r(obs.low), "high": _r(obs.high)})
        return rows


def _r(v: float | None) -> float | None:
    """Rounded for tables: 57.99999999 (29/50 x 100 in floating point) reads as 58."""
    return None if v is None or v != v else round(v, 8)


def choose_chart(measure: Measure, n_points: int, mean_denominator: float | None) -> str | None:
    """The chart type for a measure's series: run chart until there are 12 points, and
    always for a survey measure (see ``TeamChart.note``)."""
    if measure.type not in (Measure.Type.RATIO, Measure.Type.COUNT):
        return None
    if measure.is_survey or n_points < MIN_CONTROL_POINTS:
        return "run"
    if measure.type == Measure.Type.COUNT or measure.multiplier == 1:
        return "i"
    large = (mean_denominator or 0) >= LARGE_DENOMINATOR
    if measure.multiplier == 100:
        return "pp" if large else "p"
    return "up" if large else "u"


def chart_types_for(measure: Measure) -> list[str]:
    """The chart types that suit a measure's type, for the team to choose among: a
    proportion's p and p′ charts, a rate's u and u′ charts, a count's c chart, and for all
    of them the run chart and the XmR chart. (g and t charts need the events' dates or the
    counts between them, which a period's total does not give; xbar and s charts need each
    period's individual measurements.) A survey measure's weighted estimates take a run
    chart only (see ``TeamChart.note``); an event log, its g and t charts (``events``)."""
    if measure.records_events:
        return ["g", "t"]
    if measure.is_survey and measure.type in (Measure.Type.RATIO, Measure.Type.COUNT):
        return ["run"]
    if measure.type == Measure.Type.COUNT:
        return ["run", "i", "c"]
    if measure.type == Measure.Type.SAMPLED:  # charts/samples.py
        return ["xbar", "s"]
    if measure.type != Measure.Type.RATIO:
        return []
    if measure.multiplier == 1:
        return ["run", "i"]
    if measure.multiplier == 100:
        return ["run", "i", "p", "pp"]
    return ["run", "i", "u", "up"]


def observations(team: Team, measures: list[Measure]) -> dict[int, list[Observation]]:
    """Shown (submitted, reviewed, locked) totals per measure, oldest first: one query."""
    out: dict[int, list[Observation]] = defaultdict(list)
    by_id = {m.pk: m for m in measures}
    rows = (
        DataValue.objects.filter(submission__team=team, measure__in=measures,
                                 stratum__isnull=True,
                                 submission__status__in=Submission.SHOWN_STATUSES)
        .values_list("measure_id", "submission__period_start", "numerator", "denominator",
                     "value", "submission__is_final", *SURVEY_NUMBERS)
        .order_by("submission__period_start")
    )
    for measure_id, start, num, den, val, final, *survey in rows:
        measure = by_id[measure_id]
        out[measure_id].append(_observation(measure, Period(start, measure.freq), num, den,
                                            val, final, survey))
    return out


SURVEY_NUMBERS = ("standard_error", "ci_lower", "ci_upper")


def _observation(measure: Measure, period: Period, num: Decimal | None,
                 den: Decimal | None, val: Decimal | None, final: bool,
                 survey: list[Any]) -> Observation:
    obs = Observation(period, _f(num), _f(den), _f(val), final)
    if measure.is_survey:
        interval = survey_interval(measure, val, *survey)
        if interval is not None:
            obs.low, obs.high = float(interval[0]), float(interval[1])
    return obs


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def shown_series(measure: Measure, values: Any, key: str = "submission__team_id"
                 ) -> dict[int, list[Observation]]:
    """Shown (submitted, reviewed, locked) values of one measure, grouped by ``key`` (the
    team by default), oldest first: one query. ``values`` narrows the DataValue rows."""
    freq = Frequency(measure.frequency)
    out: dict[int, list[Observation]] = defaultdict(list)
    survey = SURVEY_NUMBERS if measure.is_survey and values.model is DataValue else ()
    rows = (values.filter(measure=measure, submission__status__in=Submission.SHOWN_STATUSES)
            .values_list(key, "submission__period_start", "numerator", "denominator",
                         "value", "submission__is_final", *survey)
            .order_by("submission__period_start"))
    for group, start, num, den, val, final, *extra in rows:
        out[group].append(_observation(measure, Period(start, freq), num, den, val, final,
                                       extra or [None, None, None]))
    return out


def teams_series(measure: Measure, teams: list[Team]) -> dict[int, list[Observation]]:
    """Each team's shown totals of one measure."""
    return shown_series(measure, DataValue.objects.filter(submission__team__in=teams,
                                                          stratum__isnull=True))


def stratum_charts(team: Team, measure: Measure, settings: ChartSettings | None = None,
                   exclusions: list[ChartExclusion] | None = None,
                   phases: list[ChartPhase] | None = None) -> list[tuple[Any, TeamChart]]:
    """(stratum, chart) for each stratum the team reported on a stratified measure: each
    group's own control chart (a run chart until it has 12 points), drawn as the team's
    chart of the total is, with its ``settings`` (chart type, rules, baseline),
    ``exclusions`` and ``phases``."""
    from coiin.measures.models import Stratum

    if measure.type == Measure.Type.SAMPLED:  # each stratum's own measurements
        from .samples import strata_sampled_charts
        return strata_sampled_charts(team, measure, settings)
    by_stratum = shown_series(measure, DataValue.objects.filter(
        submission__team=team, stratum__isnull=False), "stratum_id")
    strata = Stratum.objects.filter(pk__in=list(by_stratum)).order_by("position")
    out = []
    for stratum in strata:
        tc = build(team, measure, by_stratum[stratum.pk], settings, phases, exclusions)
        if tc.chart is not None:
            out.append((stratum, tc))
    return out


def site_series(team: Team, measure: Measure, units: Any = None
                ) -> dict[int, list[Observation]]:
    """Each site's shown values of a measure the team reports by site, by unit id; only
    ``units`` (a queryset or list of reporting units) when given."""
    values = SiteValue.objects.filter(submission__team=team, stratum__isnull=True)
    if units is not None:
        values = values.filter(unit__in=units)
    return shown_series(measure, values, "unit_id")


def site_charts(team: Team, measure: Measure, units: Any = None
                ) -> list[tuple[ReportingUnit, TeamChart]]:
    """(site, chart) for each site that reported a measure the team reports by site, with
    the team's chart settings' rule set; sites in name order."""
    settings = ChartSettings.objects.filter(team=team, measure=measure).first()
    if measure.type == Measure.Type.SAMPLED:  # each site's own measurements
        from .samples import site_sampled_charts
        return site_sampled_charts(team, measure, units, settings)
    by_unit = site_series(team, measure, units)
    out = []
    for unit in ReportingUnit.objects.filter(pk__in=list(by_unit)).order_by("name"):
        tc = build(team, measure, by_unit[unit.pk], settings)
        if tc.chart is not None:
            out.append((unit, tc))
    return out


def team_charts(team: Team, measures: list[Measure], spec: bool = True) -> list[TeamChart]:
    """Every measure's chart for a team; a fixed number of queries however many measures.
    ``spec=False``: without the pictures, for callers that draw none."""
    data = observations(team, measures)
    for m in measures:
        if m.records_events:
            from .events import event_observations

            data[m.pk] = event_observations(m, [team.pk]).get(team.pk, [])
    ids = [m.pk for m in measures]
    settings = {s.measure_id: s for s in ChartSettings.objects.filter(team=team,
                                                                      measure_id__in=ids)}
    phases: dict[int, list[ChartPhase]] = defaultdict(list)
    for ph in ChartPhase.objects.filter(team=team, measure_id__in=ids):
        phases[ph.measure_id].append(ph)
    exclusions: dict[int, list[ChartExclusion]] = defaultdict(list)
    for ex in ChartExclusion.objects.filter(team=team, measure_id__in=ids):
        exclusions[ex.measure_id].append(ex)
    notes = list(Annotation.objects.filter(Q(measure__isnull=True) | Q(measure_id__in=ids),
                                           team=team))
    goals = {g.measure_id: g for g in Goal.objects.filter(team=team, measure_id__in=ids)}
    extra = marker_hooks.team_markers(team, ids)
    links_page = marker_hooks.point_page(team)
    return [
        build(team, m, data.get(m.pk, []), settings.get(m.pk), phases.get(m.pk, []),
              exclusions.get(m.pk, []),
              [n for n in notes if n.measure_id in (None, m.pk)], goals.get(m.pk),
              markers=extra.get(m.pk, []), links_page=links_page, spec=spec)
        for m in measures
    ]


def build(team: Team, measure: Measure, obs: list[Observation],
          settings: ChartSettings | None = None, phases: list[ChartPhase] | None = None,
          exclusions: list[ChartExclusion] | None = None,
          annotations: list[Annotation] | None = None, goal: Goal | None = None,
          markers: list[Marker] | None = None, links_page: str = "",
          spec: bool = True) -> TeamChart:
    """The chart of one series. ``markers`` come from the apps above (see markers.py);
    ``links_page`` is where each point links, for its period (see markers.point_page).
    ``spec=False``: the chart only, without the Vega-Lite picture (nothing to draw)."""
    if measure.type == Measure.Type.SAMPLED:  # the measurements' xbar or s chart
        from .samples import sampled_chart

        return sampled_chart(team, measure, settings)
    tc = TeamChart(team, measure, obs, settings=settings, phases=phases or [],
                   exclusions=exclusions or [], annotations=annotations or [], goal=goal)
    if measure.records_events:
        from .events import build_events

        return build_events(tc, markers, spec)
    usable = [o for o in obs if _y(measure, o) is not None]
    if not usable:
        return tc
    tc.observations = usable
    dens = [o.denominator for o in usable if o.denominator]
    tc.chart_type = choose_chart(measure, len(usable), sum(dens) / len(dens) if dens else None)
    chosen = settings.chart_type if settings else ""
    if tc.chart_type is not None and chosen in chart_types_for(measure):
        tc.chart_type = chosen  # the team's choice, with its reason in the settings history
    if tc.chart_type is None:
        return tc
    starts = [o.period.start for o in usable]
    kwargs: dict[str, Any] = {"chart": tc.chart_type, "x": starts,
                              "rules": settings.rules if settings else "anhoej"}
    survey = _survey_values(measure, usable)
    if survey:
        y = [o.value for o in usable]  # weighted estimates: a run chart of them
    elif measure.type == Measure.Type.RATIO:
        kwargs["n"] = [o.denominator for o in usable]
        y = [o.numerator for o in usable]
        kwargs["multiply"] = measure.multiplier
    else:
        y = [o.value for o in usable]
    cuts = [i for i in range(1, len(starts)) if any(p.starts == starts[i] for p in tc.phases)]
    if cuts:
        kwargs["part"] = cuts  # split after point i (1-based i == 0-based index of next start)
    elif settings and settings.baseline_end:
        frozen = sum(1 for s in starts if s <= settings.baseline_end)
        if 0 < frozen < len(starts):
            kwargs["freeze"] = frozen
    excluded = [i + 1 for i, s in enumerate(starts)
                if any(e.period_start == s for e in tc.exclusions)]
    if excluded:
        kwargs["exclude"] = excluded
    if measure.direction in ("up", "down"):
        kwargs["direction"] = {"up": "increase", "down": "decrease"}[measure.direction]
    try:
        tc.chart = qic(y, **kwargs)
    except SPCInputError as exc:
        tc.problem_said = cannot_draw_said(exc)
        return tc
    if not spec:
        return tc
    goal_value = marker_hooks.goal_line(goal, tc.chart)
    # Each point links to what ran during its period (the team's PDSA cycles).
    links = [f"{links_page}?measure={measure.code}&from={o.period.start.isoformat()}"
             f"&to={o.period.end.isoformat()}" for o in usable] if links_page else None
    rows = point_rows(tc.chart, numerators=[o.numerator for o in usable],
                      denominators=[o.denominator for o in usable],
                      labels=[o.period.label for o in usable],
                      run_points=run_point_indexes(tc.chart), links=links,
                      intervals=[(o.low, o.high) for o in usable] if survey else None)
    drawn = [Marker(a.on, a.text, url=a.link, language=a.language) for a in tc.annotations]
    drawn += markers or []
    drawn += [Marker(p.starts, PHASE + p.reason, "phase", language=p.language)
              for p in tc.phases]  # read translated
    if "freeze" in kwargs:  # where the frozen baseline ends, the later points judged by it
        last_base = usable[kwargs["freeze"] - 1].period
        drawn.append(Marker(usable[kwargs["freeze"]].period.start,
                            FROZEN[0] + last_base.display + FROZEN[1], "phase"))
    # Numbered in date order within the chart's time span; the page lists them.
    first, last = usable[0].period.start, usable[-1].period.end
    drawn = sorted((m for m in drawn if first <= m.on <= last), key=lambda m: m.on)
    tc.markers = [replace(m, number=k) for k, m in enumerate(drawn, 1)]
    tc.spec = spc_spec(rows, ChartMeta(
        title=f"{measure.name}: {tc.name}", unit=measure.unit, goal=goal_value,
        x_title=X_TITLES.get(measure.frequency, "Period"),
        target=float(measure.national_target) if measure.national_target is not None else None,
        markers=tc.markers))
    return tc


def _y(measure: Measure, o: Observation) -> float | None:
    if measure.records_events:
        return 0.0  # an event always counts: its date is the datum
    if measure.is_survey and o.value is not None:
        return o.value
    if measure.type == Measure.Type.RATIO:
        return None if o.numerator is None or not o.denominator else o.numerator
    return o.value


def _survey_values(measure: Measure, obs: list[Observation]) -> bool:
    """The series is a survey measure's weighted estimates (older rows typed as counts
    are charted as they were while any remain)."""
    return measure.is_survey and all(o.value is not None for o in obs)


def trailing_run(chart: Chart) -> tuple[int, int]:
    """(side, length) of the run the latest point belongs to, within the latest part:
    side is +1 above the centre line, -1 below; points on the line are skipped."""
    last_part = chart.points[-1].part
    side, length = 0, 0
    for p in reversed(chart.points):
        if p.part != last_part:
            break
        if p.y is None or p.cl is None or not p.include or p.y == p.cl:
            continue
        s = 1 if p.y > p.cl else -1
        if side == 0:
            side = s
        if s != side:
            break
        length += 1
    return side, length


def _wanted(measure: Measure) -> str:
    """The way the charted values should go: an event log's gaps grow as events get
    rarer, the opposite of the measure's own direction."""
    if measure.records_events:
        return {"down": "up", "up": "down"}.get(measure.direction, "none")
    return measure.direction


def _run_limit(chart: Chart) -> int | None:
    last_part = chart.points[-1].part
    return next((r.longest_run_max for r in chart.runs if r.part == last_part), None)


def signal_direction(tc: TeamChart) -> str | None:
    """'improving', 'deteriorating' or 'common' for the latest part of a chart; None if no
    chart. What counts: the latest points sitting in a run longer than chance allows, or a
    point outside the limits among the last six, on the side the measure wants (measures
    with no preferred direction are 'common')."""
    chart = tc.chart
    if chart is None or not chart.points:
        return None
    want = _wanted(tc.measure)
    if want not in ("up", "down"):
        return "common"
    sides = []
    side, length = trailing_run(chart)
    limit = _run_limit(chart)
    if limit is not None and length > limit:
        sides.append(side)
    # Only the latest phase's points: an earlier phase's (a baseline before a change) are
    # judged against their own line, and say nothing of where the chart is now.
    last_part = chart.points[-1].part
    for p in chart.points[-6:]:
        if p.part == last_part and p.sigma_signal and p.cl is not None and p.y is not None:
            sides.append(1 if p.y > p.cl else -1)
    good = 1 if want == "up" else -1
    if sides and sides[0] == good or good in sides and -good not in sides:
        return "improving"
    if -good in sides:
        return "deteriorating"
    return "common"


def sustained_improvement(tc: TeamChart) -> bool:
    """The latest points sit in a run on the good side longer than chance allows: the
    change has held up to now."""
    chart = tc.chart
    want = _wanted(tc.measure)
    if chart is None or not chart.points or want not in ("up", "down"):
        return False
    good = 1 if want == "up" else -1
    side, length = trailing_run(chart)
    limit = _run_limit(chart)
    return limit is not None and side == good and length > limit


from .multiples import shared_domain, small_multiple  # noqa: E402,F401 - where pages look
