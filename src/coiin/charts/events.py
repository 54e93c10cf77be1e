"""Charts of an event log (a measure that records events, e.g. sleep-related infant
deaths): each event is a point, charted by the gap since the previous one: the births
between events (g chart) or the days between them (t chart), computed by ``coiin.spc``.

An event stands in the chart's observations as an ``Observation`` whose period is the
event's day (``EventDay``) and whose numerator is the births since the previous event
(None: not known), so the pages, tables and stored summaries read it as any other point.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from coiin.measures.models import Measure, RareEvent
from coiin.measures.periods import Period
from coiin.spc import EVENT_CHARTS, SPCInputError, default_event_chart, event_chart

from .signals import cannot_draw_said
from .spec_language import PHASE
from .vega import ChartMeta, Marker, point_rows, run_point_indexes, spc_spec

if TYPE_CHECKING:
    from .building import Observation, TeamChart


@dataclass(frozen=True, order=True)
class EventDay(Period):
    """The day of one event, where a chart point's period would be."""

    def __post_init__(self) -> None:  # any day, not the first of a period
        return

    @property
    def label(self) -> str:
        return self.start.isoformat()

    @property
    def display(self) -> str:
        """``3 Mar 2016``, the month in the reader's language."""
        from django.utils.formats import date_format

        return date_format(self.start, "j M Y")

    @property
    def end(self) -> dt.date:
        return self.start


def event_observations(measure: Measure, team_ids: Iterable[int] | None = None
                       ) -> dict[int, list[Observation]]:
    """Each team's logged events of the measure, oldest first, by team id (one query);
    only these teams' when given."""
    from .building import Observation

    rows = RareEvent.objects.filter(measure=measure)
    if team_ids is not None:
        rows = rows.filter(team_id__in=list(team_ids))
    out: dict[int, list[Observation]] = defaultdict(list)
    for team_id, on, births in rows.order_by("on", "pk").values_list(
            "team_id", "on", "births_since_previous"):
        out[team_id].append(Observation(EventDay(on, measure.freq),
                                        None if births is None else float(births), None,
                                        None, True))
    return out


def pooled_events(measure: Measure, team_ids: Iterable[int]) -> list[Observation]:
    """Every event of these teams in one log, in date order: the births since the previous
    event are left out (a team counts its own births, not the other teams'), so a pooled
    log is charted by the days between events (t chart) only."""
    merged = [o for obs in event_observations(measure, team_ids).values() for o in obs]
    return [replace(o, numerator=None) for o in sorted(merged, key=lambda o: o.period.start)]


def gap_direction(measure: Measure) -> str | None:
    """Which way the gaps should go: fewer events (``down``) means longer gaps."""
    return {"down": "increase", "up": "decrease"}.get(measure.direction)


def build_events(tc: TeamChart, markers: list[Marker] | None, spec: bool) -> TeamChart:
    """The g or t chart of ``tc``'s events (its settings' choice, else the g chart when
    every gap's births are known), with its phases, baseline and exclusions by date."""
    from .building import CHART_NAMES

    obs = sorted(tc.observations, key=lambda o: o.period.start)
    tc.observations = obs
    if not obs:
        return tc
    dates = [o.period.start for o in obs]
    counts = [o.numerator for o in obs]
    chosen = tc.settings.chart_type if tc.settings else ""
    tc.chart_type = chosen if chosen in EVENT_CHARTS else default_event_chart(counts)
    kwargs: dict[str, Any] = {"rules": tc.settings.rules if tc.settings else "anhoej"}
    cuts = [i for i in range(1, len(dates))
            if any(dates[i - 1] < p.starts <= dates[i] for p in tc.phases)]
    if cuts:
        kwargs["part"] = cuts
    elif tc.settings and tc.settings.baseline_end:
        frozen = sum(1 for d in dates if d <= tc.settings.baseline_end)
        if 0 < frozen < len(dates):
            kwargs["freeze"] = frozen
    excluded = [i + 1 for i, d in enumerate(dates)
                if any(e.period_start == d for e in tc.exclusions)]
    if excluded:
        kwargs["exclude"] = excluded
    if gap_direction(tc.measure):
        kwargs["direction"] = gap_direction(tc.measure)
    try:
        tc.chart = event_chart(tc.chart_type, dates, counts, **kwargs)
    except SPCInputError as exc:
        tc.problem_said = cannot_draw_said(exc, yet=True)
        return tc
    if not spec:
        return tc
    rows = point_rows(tc.chart, numerators=counts, labels=[o.period.display for o in obs],
                      run_points=run_point_indexes(tc.chart))
    for row, d in zip(rows, dates, strict=True):
        row["x"] = d.isoformat()  # drawn on a time axis, at the event's date
    drawn = [Marker(a.on, a.text, url=a.link, language=a.language)
             for a in tc.annotations] + (markers or [])
    drawn += [Marker(p.starts, PHASE + p.reason, "phase", language=p.language)
              for p in tc.phases]
    drawn = sorted((m for m in drawn if dates[0] <= m.on <= dates[-1]), key=lambda m: m.on)
    tc.markers = [replace(m, number=k) for k, m in enumerate(drawn, 1)]
    unit = "births between events" if tc.chart_type == "g" else "days between events"
    tc.spec = spc_spec(rows, ChartMeta(
        title=f"{tc.measure.name}: {CHART_NAMES[tc.chart_type]}", unit=unit,
        x_title="Date of the event",
        markers=tc.markers))
    return tc
