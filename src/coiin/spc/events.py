"""Rare events charted by the gaps between them: a g chart of the opportunities (births,
cases) between consecutive events, a t chart of the days between them (SPEC.md section 2;
qicharts2's cabg case 3).

An event log is a list of events, each with its date and, optionally, the opportunities
counted since the previous event. Each event is one point of the chart, numbered from 1
in date order. The first event of a log has no previous event in it: its t value is
missing, and so is its g value unless the count since an earlier (unlogged) event is given.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .chart import Chart, qic
from .errors import SPCInputError

EVENT_CHARTS = ("g", "t")
SAME_DAY = 0.5  # days between two events logged on the same day


@dataclass(frozen=True)
class Gaps:
    """Per event, in date order: its date, the days since the previous event and the
    opportunities counted since it (None: not known)."""

    dates: list[dt.date]
    days: list[float | None]
    counts: list[float | None]


def gaps(dates: Sequence[dt.date], counts: Sequence[float | None] | None = None) -> Gaps:
    """The gaps between consecutive events. ``dates`` must be in order (equal dates are
    two events on one day, 0 days apart); ``counts`` (one per event, or None) must not be
    negative. A bad value raises SPCInputError naming the event (1-based)."""
    if counts is not None and len(counts) != len(dates):
        raise SPCInputError(f"{len(dates)} event dates but {len(counts)} counts",
                            code="event_lengths",
                            params={"dates": len(dates), "counts": len(counts)})
    days: list[float | None] = []
    for i, day in enumerate(dates):
        if i and day < dates[i - 1]:
            raise SPCInputError(f"event {i + 1}: {day} is before event {i}'s {dates[i - 1]}; "
                                "events must be in date order", code="event_order",
                                params={"event": i + 1, "day": day.isoformat(),
                                        "before": dates[i - 1].isoformat()})
        days.append(None if i == 0 else float((day - dates[i - 1]).days))
    out: list[float | None] = []
    for i, c in enumerate(counts if counts is not None else [None] * len(dates)):
        if c is None or (isinstance(c, float) and math.isnan(c)):
            out.append(None)
            continue
        if c < 0:
            raise SPCInputError(f"event {i + 1}: a negative count since the previous event "
                                f"({c})", code="event_negative",
                                params={"event": i + 1, "count": f"{c:g}"})
        out.append(float(c))
    return Gaps(list(dates), days, out)


def event_chart(kind: str, dates: Sequence[dt.date],
                counts: Sequence[float | None] | None = None, **options: Any) -> Chart:
    """A g chart (``kind="g"``: the counts between events) or a t chart (``"t"``: the
    days between them) of an event log; x is the event's number. ``options`` go to
    ``qic`` (rules, direction, part, freeze, exclude: by event number)."""
    if kind not in EVENT_CHARTS:
        raise SPCInputError(f"an event log is charted as a g or t chart, not {kind!r}",
                            code="event_chart", params={"chart": repr(kind)})
    found = gaps(dates, counts)
    y = found.counts if kind == "g" else found.days
    same_day = kind == "t" and any(v == 0 for v in y)
    if same_day:
        # Dates carry no time of day: two events on one day are taken as half a day
        # apart (a t chart needs gaps above 0).
        y = [SAME_DAY if v == 0 else v for v in y]
    if sum(v is not None for v in y) < 2:
        raise SPCInputError("at least two gaps between events are needed" if kind == "t"
                            else "at least two counts between events are needed",
                            code="few_gaps" if kind == "t" else "few_counts")
    chart = qic(y, x=list(range(1, len(y) + 1)), chart=kind, **options)
    if same_day:
        chart.warnings.append("events on the same day are taken as half a day apart")
    return chart


def default_event_chart(counts: Sequence[float | None]) -> str:
    """The g chart when every gap after the first has its count (it uses the opportunities,
    which a t chart only approximates by time), else the t chart."""
    return "g" if len(counts) > 1 and all(c is not None for c in counts[1:]) else "t"
