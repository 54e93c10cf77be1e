"""The national view: the tile map coloured by a measure, national pooled outcome charts,
and how many teams show sustained improvement in each learning network.

Everything is read from the stored chart summaries (``charts.ChartSummary``), with a
fixed number of queries however many teams and measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, Max
from django.db.models.functions import Cast

from coiin.charts.building import TeamChart, build
from coiin.charts.models import ChartSummary
from coiin.charts.pooled import phases_sentence, pool_phases
from coiin.charts.summaries.stored import stored_observations
from coiin.charts.summaries.survey import table as survey_table
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.network.models import Jurisdiction, LearningNetwork, Team
from coiin.network.tilegrid import position

from .. import membership

OUTCOMES = ["IMR", "NMR", "PNMR", "PTB", "SUID"]
BINS = 5
Scope = ChartSummary.Scope


@dataclass
class Tile:
    jurisdiction: Jurisdiction
    row: int | None  # None: no square on the map; the jurisdiction is listed beside it
    col: int | None
    value: float | None = None
    period: Period | None = None
    signal: str | None = None
    bin: int | None = None


@dataclass
class NetworkCount:
    network: LearningNetwork
    teams: int = 0
    with_data: int = 0
    sustained: int = 0
    names: list[str] = field(default_factory=list)


def reported(measure_field: str = "measure") -> dict[str, object]:
    """Filter for the summaries of series a team reports now (an active chosen measure)."""
    return {"team__team_measures__measure": F(measure_field),
            "team__team_measures__active": True}


def tiles(measure: Measure) -> list[Tile]:
    """A jurisdiction reporting the measure in several teams counts once: the team with
    the most data (the first in team order on a tie)."""
    rows = (ChartSummary.objects.filter(scope=Scope.TEAM, measure=measure, **reported())
            .order_by(*[f"team__{f}" for f in Team._meta.ordering])
            .values_list("team__jurisdiction_id", "n_observations", "chart_type",
                         "latest_value", "latest_period", "signal_direction"))
    best: dict[int, tuple] = {}
    for row in rows:
        current = best.get(row[0])
        if current is None or row[1] > current[1]:
            best[row[0]] = row
    out = []
    for j in Jurisdiction.objects.select_related("cohort"):
        row_, col = position(j.postal_code) or (None, None)
        tile = Tile(j, row_, col)
        found = best.get(j.pk)
        if found is not None and found[2]:
            tile.value, tile.signal = found[3], found[5] or None
            tile.period = Period(found[4], measure.freq)
        out.append(tile)
    values = sorted(t.value for t in out if t.value is not None)
    if values:
        for t in out:
            if t.value is not None:
                rank = sum(1 for v in values if v < t.value) / len(values)
                t.bin = min(BINS - 1, int(rank * BINS))
    return out


@dataclass
class Outcome:
    chart: TeamChart
    fewest: int
    most: int
    changes: list[membership.Change]
    note: str  # the changes in words ('' when the set never changes)
    survey: list[dict[str, Any]] = field(default_factory=list)  # a survey measure's pool


def national_outcomes(measures: list[Measure]) -> list[Outcome]:
    """Each measure's national pooled chart (all jurisdictions, one team each), with the
    fewest and most jurisdictions in any period and each period where that number changes
    (cohorts joining, a latest period not everyone has reported) marked on the chart."""
    out = []
    for s in (ChartSummary.objects.filter(scope=Scope.NATIONAL, measure__in=measures)
              .select_related("measure").order_by("measure__learning_network", "measure__code")):
        if not s.points:
            continue
        counts = membership.of_summary(s.points, s.measure.freq)
        found = membership.changes(counts)
        # Where the set changes for good, a new phase (its marker says so); the other
        # changes (a latest period not everyone has reported) are marked only.
        phases = pool_phases(s.measure, [(on, n) for on, _, n in counts])
        starts = {p.starts for p in phases}
        chart = build(Team(), s.measure, stored_observations(s), phases=phases,
                      markers=membership.markers([c for c in found if c.on not in starts]))
        note = membership.sentence(found, counts[0][2])
        told = phases_sentence(phases, [label for on, label, _ in counts if on in starts])
        out.append(Outcome(chart, min(c for *_, c in counts), max(c for *_, c in counts),
                           found, f"{note} {told}".strip(), survey_table(s)))
    return out


def sustained_counts() -> list[NetworkCount]:
    """Per learning network: its teams, those with charts, those with sustained improvement
    on at least one measure they report."""
    counts = {n.pk: NetworkCount(n) for n in LearningNetwork.objects.order_by("position")
              .annotate(n_teams=Count("teams"))}
    for c in counts.values():
        c.teams = c.network.n_teams  # type: ignore[attr-defined]
    with_data: dict[int, set[int]] = {}
    sustained: dict[int, dict[int, str]] = {}
    # A row per team (not per series): whether any of its charts holds an improvement.
    for team_id, network_id, name, held in (
            ChartSummary.objects.filter(scope=Scope.TEAM, **reported())
            .exclude(chart_type="")
            .values_list("team_id", "team__learning_network_id", "team__jurisdiction__name")
            .annotate(held=Max(Cast("sustained", IntegerField()))).order_by()):
        with_data.setdefault(network_id, set()).add(team_id)
        if held:
            sustained.setdefault(network_id, {})[team_id] = name
    for network_id, c in counts.items():
        c.with_data = len(with_data.get(network_id, ()))
        names = sorted(sustained.get(network_id, {}).values())
        c.sustained, c.names = len(names), names
    return list(counts.values())
