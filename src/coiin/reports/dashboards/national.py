"""The national view: the tile map coloured by a measure, national pooled outcome charts,
and how many teams show sustained improvement in each learning network."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from coiin.charts.building import (
    Observation,
    TeamChart,
    build,
    signal_direction,
    sustained_improvement,
    teams_series,
)
from coiin.measures.models import Measure, TeamMeasure
from coiin.measures.periods import Period
from coiin.network.models import Jurisdiction, LearningNetwork, Team
from coiin.network.tilegrid import position

OUTCOMES = ["IMR", "NMR", "PNMR", "PTB", "SUID"]
BINS = 5


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


def one_team_per_jurisdiction(measure: Measure) -> tuple[list[Team], dict[int, list[Observation]]]:
    """A jurisdiction reporting a shared measure in several teams counts once: the team
    with the most data."""
    teams = list(Team.objects.filter(team_measures__measure=measure, team_measures__active=True)
                 .select_related("jurisdiction", "learning_network"))
    data = teams_series(measure, teams)
    best: dict[int, Team] = {}
    for t in teams:
        current = best.get(t.jurisdiction_id)
        if current is None or len(data.get(t.pk, [])) > len(data.get(current.pk, [])):
            best[t.jurisdiction_id] = t
    return list(best.values()), data


def tiles(measure: Measure) -> list[Tile]:
    teams, data = one_team_per_jurisdiction(measure)
    by_jurisdiction = {t.jurisdiction_id: t for t in teams}
    out = []
    for j in Jurisdiction.objects.select_related("cohort"):
        row, col = position(j.postal_code) or (None, None)
        tile = Tile(j, row, col)
        team = by_jurisdiction.get(j.pk)
        if team is not None and data.get(team.pk):
            tc = build(team, measure, data[team.pk])
            if tc.chart is not None:
                tile.value = tc.chart.points[-1].y
                tile.period = tc.observations[-1].period
                tile.signal = signal_direction(tc)
        out.append(tile)
    values = sorted(t.value for t in out if t.value is not None)
    if values:
        for t in out:
            if t.value is not None:
                rank = sum(1 for v in values if v < t.value) / len(values)
                t.bin = min(BINS - 1, int(rank * BINS))
    return out


def national_outcome(measure: Measure) -> tuple[TeamChart, int, int] | None:
    """Pooled numerators and denominators over all jurisdictions, one team each; with the
    fewest and most jurisdictions in any period (the mix changes as cohorts join)."""
    teams, data = one_team_per_jurisdiction(measure)
    sums: dict[Period, list[float]] = {}
    for t in teams:
        for o in data.get(t.pk, []):
            if o.numerator is not None and o.denominator:
                s = sums.setdefault(o.period, [0.0, 0.0, 0])
                s[0] += o.numerator
                s[1] += o.denominator
                s[2] += 1
    if not sums:
        return None
    pooled = [Observation(p, s[0], s[1], None, True) for p, s in sorted(sums.items())]
    counts = [int(s[2]) for s in sums.values()]
    return build(Team(), measure, pooled), min(counts), max(counts)


def sustained_counts() -> list[NetworkCount]:
    """Per learning network: its teams, those with charts, those with sustained improvement
    on at least one measure."""
    counts = {n.pk: NetworkCount(n) for n in LearningNetwork.objects.order_by("position")}
    teams = {t.pk: t for t in Team.objects.select_related("jurisdiction", "learning_network")}
    for t in teams.values():
        counts[t.learning_network_id].teams += 1
    chosen: dict[int, list[int]] = defaultdict(list)
    for team_id, measure_id in TeamMeasure.objects.filter(active=True).values_list(
            "team_id", "measure_id"):
        chosen[measure_id].append(team_id)
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=list(chosen))}
    with_data: set[int] = set()
    sustained: set[int] = set()
    for measure_id, team_ids in chosen.items():
        measure = measures[measure_id]
        data = teams_series(measure, [teams[i] for i in team_ids])
        for team_id in team_ids:
            if team_id in sustained or not data.get(team_id):
                continue
            tc = build(teams[team_id], measure, data[team_id])
            if tc.chart is not None:
                with_data.add(team_id)
                if sustained_improvement(tc):
                    sustained.add(team_id)
    for team_id in with_data:
        counts[teams[team_id].learning_network_id].with_data += 1
    for team_id in sorted(sustained, key=lambda i: teams[i].jurisdiction.name):
        c = counts[teams[team_id].learning_network_id]
        c.sustained += 1
        c.names.append(teams[team_id].jurisdiction.name)
    return list(counts.values())
