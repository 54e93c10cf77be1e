"""A learning network's view of one measure: the network's pooled chart, the funnel of its
latest period, and a page of its teams' small multiples, sorted and filtered on the stored
chart summaries (``charts.ChartSummary``): a fixed number of queries however many teams,
and only the charts on screen are drawn."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db.models import F, Max, Min, QuerySet
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from coiin.charts.building import Observation, TeamChart
from coiin.charts.formatting import number
from coiin.charts.models import ChartSummary
from coiin.charts.pooled import phases_sentence, pool_phases
from coiin.charts.summaries.stored import contributors as pooled_contributors
from coiin.charts.summaries.stored import stored_chart
from coiin.charts.summaries.survey import table as survey_table
from coiin.charts.vega import funnel_spec
from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team
from coiin.stats import funnel as stats_funnel

from .. import membership

SORTS = {
    "name": _("Jurisdiction"),
    "latest": _("Latest value"),
    "improvement": _("Improvement against baseline"),
    "signal": _("Most recent signal first"),
}
SHOWS = {
    "all": _("All teams"),
    "signal": _("Teams with a signal"),
    "improving": _("Improving"),
    "deteriorating": _("Deteriorating"),
}
SCALES = {
    "shared": _("One scale for all"),
    "clipped": _("One scale, outliers clipped and marked"),
    "panel": _("Each chart its own scale"),
}
PAGE_SIZE = 12
FUNNEL_ROWS = 10  # teams outside the limits listed on the page; the CSV has every team


@dataclass
class Funnel:
    period: Period
    target: float
    teams: list[dict[str, Any]]  # every team, by name
    spec: dict[str, Any]

    @property
    def outside(self) -> list[dict[str, Any]]:
        """Teams outside the limits, furthest out first, then by name."""
        return sorted((r for r in self.teams if r["where"] != "inside"),
                      key=lambda r: (_how_far(r["where"]), r["team"]))

    @property
    def inside(self) -> int:
        return sum(r["where"] == "inside" for r in self.teams)

    @property
    def teams_in_words(self) -> list[dict[str, Any]]:
        """``teams`` with where each falls in the reader's words (the funnel is kept in
        the cache whatever the language)."""
        return [r | {"where": where_text(r["where"])} for r in self.teams]


def where_text(where: str) -> str:
    """Where a team falls against the funnel's limits (``stats.funnel.classify``:
    ``inside``, ``above 99.8%``, ``below 95%``) in the reader's language."""
    side, _, level = where.partition(" ")
    if where == "inside":
        return pgettext("funnel limits", "inside")
    if side == "above":
        return gettext("above %(level)s") % {"level": level}
    if side == "below":
        return gettext("below %(level)s") % {"level": level}
    return where


@dataclass
class NetworkView:
    network: LearningNetwork
    measure: Measure
    teams: list[ChartSummary]  # this page's, in order, each with its team
    pooled: TeamChart | None
    contributors: dict[str, int]  # period label -> teams in the pooled value
    funnel: Funnel | None = None
    total: int = 0  # teams shown on every page together
    page: int = 1
    pages: int = 1
    stamp: str = ""  # see stamp_of
    membership_note: str = ""  # where the set of teams pooled changes, in words
    x_domain: tuple[str, str] | None = None  # every team's first and last period (ISO)
    survey: list[dict[str, Any]] = field(default_factory=list)  # a survey measure's pool

    @property
    def common_summary(self) -> str:
        """The sentence most of this page's small multiples share (said once above them,
        not under each), or ""."""
        counts: dict[str, int] = defaultdict(int)
        for s in self.teams:
            counts[s.text] += 1
        text, n = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
        return text if n >= 2 else ""

    @property
    def pooled_table(self) -> list[dict[str, Any]]:
        """The pooled chart's table, with the teams in each period's value."""
        if self.pooled is None:
            return []
        rows = []
        for r in self.pooled.table:
            label = r["period"].label
            rows.append({"label": label, "numerator": number(r["numerator"]),
                         "denominator": number(r["denominator"]), "value": number(r["value"]),
                         "teams": self.contributors.get(label, "")})
        return rows

    @property
    def funnel_table(self) -> list[dict[str, Any]]:
        """The teams furthest outside the funnel's limits (at most ``FUNNEL_ROWS``), so
        that the page does not grow with the network; the CSV lists every team."""
        if self.funnel is None:
            return []
        return [{"team": r["team"], "value": number(r["value"]), "n": number(r["n"], 0),
                 "where": where_text(r["where"])} for r in self.funnel.outside[:FUNNEL_ROWS]]


def _how_far(where: str) -> tuple[int, float]:
    """Furthest out first: 99.8 % limits before 95 %."""
    level = where.rsplit(" ", 1)[-1].rstrip("%")
    return (0, -float(level)) if where != "inside" else (1, 0.0)


def team_summaries(network: LearningNetwork, measure: Measure, sort: str = "name",
                   show: str = "all") -> QuerySet[ChartSummary]:
    """The charted teams of the network that report the measure, sorted and filtered."""
    qs = (ChartSummary.objects.filter(scope=ChartSummary.Scope.TEAM, measure=measure,
                                      team__learning_network=network,
                                      team__team_measures__measure=measure,
                                      team__team_measures__active=True)
          .exclude(chart_type=""))
    if show == "signal":
        qs = qs.filter(has_signal=True)
    elif show in ("improving", "deteriorating"):
        qs = qs.filter(signal_direction=show)
    name = ["team__jurisdiction__name", "team__learning_network__position"]
    if sort == "latest":
        latest = F("latest_value")
        key = latest.asc(nulls_last=True) if measure.direction == "down" else \
            latest.desc(nulls_last=True)
        return qs.order_by(key, *name)
    if sort == "improvement":
        return qs.order_by(F("improvement").desc(nulls_last=True), *name)
    if sort == "signal":
        return qs.order_by(F("last_signal").desc(nulls_last=True), "-has_signal", *name)
    return qs.order_by(*name)


def network_view(network: LearningNetwork, measure: Measure, sort: str = "name",
                 show: str = "all", page: int = 1, full: bool = True) -> NetworkView:
    """The network's pooled chart; with ``full``, its funnel and one page of its teams."""
    shown: list[ChartSummary] = []
    total, pages = 0, 1
    if full:
        teams = team_summaries(network, measure, sort, show)
        total = teams.count()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        shown = list(teams.select_related("team__jurisdiction", "team__learning_network",
                                          "measure")
                     [(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    pooled_summary = (ChartSummary.objects.filter(
        scope=ChartSummary.Scope.NETWORK, measure=measure, learning_network=network)
        .select_related("measure").first())
    pooled, contributors = None, {}
    stamp = stamp_of(pooled_summary)
    note = ""
    if pooled_summary is not None and pooled_summary.points:
        pooled, contributors, note = kept(f"pooled-marked:{stamp}",
                                          lambda: _pooled(network, pooled_summary))
    x_domain = None
    if pooled_summary is not None and pooled_summary.points:
        # The pooled series spans every period any team reported: the panels' time axis.
        x_domain = (pooled_summary.points[0][0], pooled_summary.points[-1][0])
    return NetworkView(network, measure, shown, pooled, contributors,
                       latest_funnel(network, measure, pooled_summary) if full else None,
                       total, page, pages, stamp, note, x_domain,
                       survey_table(pooled_summary) if pooled_summary else [])


def _pooled(network: LearningNetwork, summary: ChartSummary
            ) -> tuple[TeamChart, dict[str, int], str]:
    """The pooled chart, marked where its set of teams changes, and that in words."""
    counts = membership.of_summary(summary.points, summary.measure.freq)
    found = membership.changes(counts)
    # Where the set changes for good, a new phase (as the stored summary has it).
    phases = pool_phases(summary.measure, [(on, n) for on, _, n in counts], "teams")
    starts = {p.starts for p in phases}
    chart = stored_chart(summary, Team(jurisdiction=None, learning_network=network),
                         markers=membership.markers([c for c in found if c.on not in starts],
                                                    "teams"), phases=phases)
    note = membership.sentence(found, counts[0][2], "teams") if counts else ""
    told = phases_sentence(phases, [label for on, label, _ in counts if on in starts])
    return chart, pooled_contributors(summary), f"{note} {told}".strip()


def stamp_of(pooled: ChartSummary | None) -> str:
    """Changes whenever any value of the network's teams on the measure changes (the
    pooled series is refreshed with every one of them): what derived pictures are kept
    under in the cache. Empty: nothing pooled, nothing kept."""
    return "" if pooled is None else f"1:{pooled.pk}:{pooled.computed_at.timestamp()}"


MISSING = object()


def kept(key: str, compute: Any) -> Any:
    """``compute()``, kept a day in the cache under ``key`` (computed anew without one),
    once per language: what is kept holds words (the measure's name and unit, titles)."""
    if key.endswith(":"):
        return compute()
    key = f"{key}:{get_language() or ''}"
    found = cache.get(key, MISSING)
    if found is MISSING:
        found = compute()
        cache.set(key, found, 24 * 3600)
    return found


def network_domain(network: LearningNetwork, measure: Measure,
                   stamp: str = "") -> tuple[float, float]:
    """One y scale for all the network's small multiples of the measure, on every page."""
    return kept(f"domain:{stamp}", lambda: _domain(network, measure))


def clipped_domain(network: LearningNetwork, measure: Measure,
                   stamp: str = "") -> tuple[float, float]:
    """One y scale that leaves out the extremes: from the 10th percentile of the teams'
    lowest values or limits to the 90th percentile of their highest, so that a few small
    teams' wild values do not flatten everyone else's chart."""
    return kept(f"clipped:{stamp}", lambda: _clipped(network, measure))


def _clipped(network: LearningNetwork, measure: Measure) -> tuple[float, float]:
    rows = list(team_summaries(network, measure).exclude(low=None).exclude(high=None)
                .values_list("low", "high"))
    if len(rows) < 5:
        return _domain(network, measure)
    lows, highs = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
    lo, hi = lows[len(lows) // 10], highs[-1 - len(highs) // 10]
    if hi <= lo:
        return _domain(network, measure)
    pad = (hi - lo) * 0.05
    return (lo - pad, hi + pad)


def _domain(network: LearningNetwork, measure: Measure) -> tuple[float, float]:
    span = team_summaries(network, measure).aggregate(lo=Min("low"), hi=Max("high"))
    lo, hi = span["lo"], span["hi"]
    if lo is None or hi is None:
        return (0.0, 1.0)
    pad = (hi - lo) * 0.05 or 1
    return (lo - pad, hi + pad)


MIN_FUNNEL_TEAMS = 3


def latest_funnel(network: LearningNetwork, measure: Measure,
                  pooled: ChartSummary | None) -> Funnel | None:
    """The funnel plot of the latest period at least three of the network's teams that
    report the measure reported (the pooled summary counts them): reads that period only,
    and is kept in the cache under the pooled summary's identity and time, which change
    whenever any of the network's values of the measure do."""
    if (measure.type != Measure.Type.RATIO or measure.multiplier == 1 or pooled is None
            or measure.is_survey):
        return None
    return kept(f"funnel:{stamp_of(pooled)}", lambda: _latest_funnel(network, measure, pooled))


def _latest_funnel(network: LearningNetwork, measure: Measure,
                   pooled: ChartSummary) -> Funnel | None:
    periods = [p[0] for p in pooled.points if len(p) > 9 and p[9] >= MIN_FUNNEL_TEAMS]
    if not periods:
        return None
    period = Period(dt.date.fromisoformat(max(periods)), measure.freq)
    # Names only (the funnel labels its points): no model instances to build.
    teams: dict[int, Any] = {pk: SimpleNamespace(
        pk=pk, jurisdiction=SimpleNamespace(name=name, postal_code=code))
             for pk, name, code in Team.objects.filter(
                 learning_network=network, team_measures__measure=measure,
                 team_measures__active=True).order_by().values_list(
                 "pk", "jurisdiction__name", "jurisdiction__postal_code")}
    # That period's team-periods first (their unique index), then their values.
    subs = Submission.objects.filter(team_id__in=list(teams), frequency=measure.frequency,
                                     period_start=period.start,
                                     status__in=Submission.SHOWN_STATUSES)
    by_team: dict[int, list[Observation]] = defaultdict(list)
    for team_id, num, den in DataValue.objects.filter(
            submission__in=subs, measure=measure, stratum__isnull=True,
            numerator__isnull=False, denominator__isnull=False).exclude(
            denominator=0).order_by().values_list("submission__team_id", "numerator",
                                                   "denominator"):
        by_team[team_id].append(Observation(period, float(num), float(den), None, True))
    return funnel(measure, by_team, teams)


def funnel_with_url(spec: dict[str, Any], url: str) -> dict[str, Any]:
    """The funnel plot's spec with its teams read from ``url`` (the funnel's CSV) instead
    of written into the page."""
    data = {"url": url, "format": {"type": "csv", "parse": {
        "value": "number", "n": "number", "label_n": "number", "label_value": "number",
        "moved": "boolean"}}}
    layers = [layer | {"data": data} if layer.get("data") == {"name": "teams"} else layer
              for layer in spec["layer"]]
    datasets = {k: v for k, v in spec.get("datasets", {}).items() if k != "teams"}
    return spec | {"layer": layers, "datasets": datasets}


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
    words = {"Denominator": gettext("Denominator"), "Value": gettext("Value"),
             "Team": gettext("Team"), "Against the limits": gettext("Against the limits"),
             **{w: where_text(w) for w in ("inside", "above 95%", "above 99.8%", "below 95%",
                                           "below 99.8%")}}
    spec = funnel_spec(team_rows, curve, target=target, unit=measure.unit,
                       title=gettext("%(measure)s, %(period)s: funnel plot") % {
                           "measure": measure.name, "period": period.label}, words=words)
    return Funnel(period, target, team_rows, spec)
