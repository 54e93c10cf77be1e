"""Pictures from stored summaries: the small multiple of a series drawn from its stored
points (no chart is recomputed), and the full chart of a pooled series rebuilt from its
stored numerators and denominators (one chart, for the one that is drawn)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coiin.measures.models import Measure
from coiin.network.models import Team

from ..building import CHART_NAMES, Observation, TeamChart, build
from ..models import ChartPhase, ChartSettings, ChartSummary
from ..vega import ChartMeta, Marker, spc_spec
from .compute import SIGNALS
from .survey import LOWER, UPPER


def stored_observations(summary: ChartSummary) -> list[Observation]:
    from coiin.measures.periods import Period

    from ..events import EventDay

    freq = summary.measure.freq
    if summary.points and len(summary.points[0]) > UPPER:
        # A survey measure's pooled estimates, with their 95 % intervals (see survey.py).
        return [Observation(Period(dt.date.fromisoformat(p[0]), freq), None, None, p[1],
                            True, p[LOWER], p[UPPER]) for p in summary.points]
    day = EventDay if summary.measure.records_events else Period  # an event log: its days
    return [Observation(day(dt.date.fromisoformat(p[0]), freq), p[7], p[8], None, True)
            for p in summary.points]


def stored_chart(summary: ChartSummary, team: Team | None = None,
                 markers: list[Marker] | None = None,
                 phases: list[ChartPhase] | None = None) -> TeamChart:
    """The drawn chart of a stored pooled series (with ``markers`` drawn as rules, and
    its ``phases``), of the chart type it was stored with (e.g. the one the network's
    faculty chose)."""
    chosen = ChartSettings(chart_type=summary.chart_type) if summary.chart_type else None
    return build(team or Team(), summary.measure, stored_observations(summary), chosen,
                 phases=phases, markers=markers)


def contributors(summary: ChartSummary) -> dict[str, int]:
    """Period label -> teams in each pooled value."""
    from coiin.measures.periods import Period

    from ..events import EventDay

    freq = summary.measure.freq
    day = EventDay if summary.measure.records_events else Period
    return {day(dt.date.fromisoformat(p[0]), freq).label: int(p[9])
            for p in summary.points if len(p) > 9}


def shared_domain(summaries: list[ChartSummary]) -> tuple[float, float]:
    """One y scale for several small multiples: their values and limits, padded."""
    values = [v for s in summaries for p in s.points for v in p[1:5] if v is not None]
    if not values:
        return (0.0, 1.0)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1
    return (lo - pad, hi + pad)


# A small multiple's x axis names each year once: its ticks fall on months (four ticks over
# a year or two are quarters), so only the first tick and each January carry a label.
YEAR_ONCE = ("datum.index === 0 || month(datum.value) === 0"
             " ? timeFormat(datum.value, '%Y') : ''")


def mini_values(summary: ChartSummary) -> list[dict[str, Any]]:
    """A small multiple's data, from the series' stored points."""
    return [{"x": p[0], "y": None if p[1] is None else round(p[1], 6), "cl": p[2],
             "lcl": p[3], "ucl": p[4], "part": p[6], "signal": SIGNALS[p[5]]}
            for p in summary.points]


def mini_table(summary: ChartSummary) -> list[dict[str, str]]:
    """A small multiple's data as a table, from the series' stored points: each period's
    value, centre line, limits and signal (in the reader's words)."""
    from coiin.measures.periods import Period

    from ..events import EventDay
    from ..formatting import number
    from ..spec_language import word

    freq = summary.measure.freq
    day = EventDay if summary.measure.records_events else Period
    return [{"label": day(dt.date.fromisoformat(p[0]), freq).label, "value": number(p[1]),
             "cl": number(p[2]),
             "limits": f"{number(p[3])} – {number(p[4])}"
             if p[3] is not None and p[4] is not None else "—",
             "signal": word(SIGNALS[p[5]])} for p in summary.points]


def mini_template(measure: Measure, chart_type: str, domain: tuple[float, float] | None,
                  x_domain: tuple[str, str] | None = None,
                  clipped: bool = False) -> dict[str, Any]:
    """The picture every small multiple of a measure shares; each chart brings only its
    data (``mini_values``), which the page's script puts in.

    ``domain``: one y scale for every panel (None: each panel its own). ``x_domain``: the
    first and last period (ISO dates) every panel spans, so that the panels line up in
    time. ``clipped``: values beyond ``domain`` are cut at its edge and marked there (▲
    above, ▼ below)."""
    target = float(measure.national_target) if measure.national_target is not None else None
    spec = spc_spec([], ChartMeta(
        title=f"{measure.name}: {CHART_NAMES[chart_type]}" if chart_type in CHART_NAMES
        else measure.name, unit=measure.unit,
        target=target, height=110))
    spec["data"] = {"values": []}
    first = spec["layer"][0]
    first["encoding"]["x"] = {"field": "x", "type": "temporal", "title": None,
                              "axis": {"labelAngle": 0, "tickCount": 4,
                                       "labelExpr": YEAR_ONCE},
                              **({"scale": {"domain": list(x_domain)}} if x_domain else {})}
    first["encoding"]["y"] = {**first["encoding"]["y"], "title": None,
                              "scale": {"domain": list(domain), "zero": False} if domain
                              else {"zero": False}}
    for layer in spec["layer"]:
        enc = layer.get("encoding", {})
        if "x" in enc and enc["x"].get("field") == "x":
            enc["x"] = first["encoding"]["x"]
        if layer.get("mark", {}).get("type") == "point":
            enc["color"] = {**enc["color"], "legend": None}
            # The period from x (the rows carry no label); no numerator or denominator.
            enc["tooltip"] = [{"field": "x", "type": "temporal", "title": "Period",
                               "format": "%b %Y"}] + [
                t for t in enc["tooltip"]
                if t["field"] not in ("label", "numerator", "denominator")]
    if clipped and domain:
        lo, hi = domain
        for layer in spec["layer"]:
            for sub in layer.get("layer", [layer]):
                if isinstance(sub.get("mark"), dict):
                    sub["mark"]["clip"] = True
        for test, edge, glyph in (("datum.y > " + repr(hi), hi, "▲"),
                                  ("datum.y < " + repr(lo), lo, "▼")):
            spec["layer"].append({
                "transform": [{"filter": f"datum.y != null && {test}"}],
                "mark": {"type": "text", "text": glyph, "fontSize": 9, "color": "#d55e00",
                         "baseline": "middle"},
                "encoding": {"x": first["encoding"]["x"],
                             "y": {"datum": edge, "type": "quantitative"},
                             "tooltip": [{"field": "x", "type": "temporal", "title": "Period",
                                          "format": "%b %Y"},
                                         {"field": "y", "title": "Off the scale: value",
                                          "format": ",.4~f"}]}})
    return spec


def mini_spec(summary: ChartSummary, domain: tuple[float, float]) -> dict[str, Any]:
    """One small multiple as a whole spec (its shared picture with its data)."""
    spec = mini_template(summary.measure, summary.chart_type, domain)
    spec["data"] = {"values": mini_values(summary)}
    return spec
