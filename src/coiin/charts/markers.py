"""Dated markers that apps above charts draw on a team's charts (e.g. PDSA cycles), and
where a team's goal is drawn.

Charts sit below the improvement method, so they cannot ask for its cycles: an app above
registers a provider in its ``AppConfig.ready()``, and every team chart draws what the
providers return, in the order they registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coiin.measures.models import Goal
from coiin.network.models import Team
from coiin.spc import Chart

from .vega import Marker


@dataclass(frozen=True)
class MarkerProvider:
    """What one app adds to a team's charts.

    ``markers(team, measure_ids)`` gives, per measure id, the markers to draw, oldest
    first, in one query. ``point_page(team)``, if given, is the page each point of the
    team's charts links to, with ``?measure=CODE&from=START&to=END`` of the point's period
    appended; the first provider that has one decides.
    """

    name: str
    markers: Callable[[Team, list[int]], Mapping[int, Sequence[Marker]]]
    point_page: Callable[[Team], str] | None = None


_providers: dict[str, MarkerProvider] = {}


def register(provider: MarkerProvider) -> None:
    """Add (or, under the same name, replace) a provider: calling ready() twice is harmless."""
    _providers[provider.name] = provider


def providers() -> list[MarkerProvider]:
    return list(_providers.values())


def team_markers(team: Team, measure_ids: list[int]) -> dict[int, list[Marker]]:
    """Every provider's markers per measure id, provider by provider."""
    out: dict[int, list[Marker]] = {}
    for provider in _providers.values():
        for measure_id, markers in provider.markers(team, measure_ids).items():
            out.setdefault(measure_id, []).extend(markers)
    return out


def point_page(team: Team) -> str:
    """The page the team's chart points link to, or "" (no links)."""
    for provider in _providers.values():
        if provider.point_page is not None:
            return provider.point_page(team)
    return ""


def goal_line(goal: Goal | None, chart: Chart) -> float | None:
    """Where a goal sits on the chart: its value, or baseline centre line ± the improvement."""
    if goal is None:
        return None
    if goal.kind == Goal.Kind.ABSOLUTE:
        return float(goal.value)
    baseline = chart.points[0].cl
    if baseline is None:
        return None
    change = float(goal.value) / 100 * baseline
    return baseline + change if goal.measure.direction == "up" else baseline - change
