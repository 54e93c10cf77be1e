"""Vega-Lite specifications for SPC charts. Pure Python: a dict in, a dict out.

The same spec is drawn in the browser by vega-embed and on the server by vl-convert, so a
chart looks the same on a page, in a PDF and in an e-mail. Signals are told apart by shape
as well as colour, for readers who do not see colour.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = {"Common cause": "#56606e", "Outside the limits": "#d55e00",
           "Part of a run or shift": "#0072b2", "Excluded": "#9aa3ad"}
SHAPES = {"Common cause": "circle", "Outside the limits": "diamond",
          "Part of a run or shift": "square", "Excluded": "cross"}


@dataclass
class Marker:
    """A dated note to draw as a vertical rule (annotations, PDSA cycles, phase changes)."""

    on: dt.date
    text: str
    kind: str = "note"
    url: str = ""
    number: int = 0  # drawn as this number, told in a list under the chart (0: as text)
    language: str = ""  # of the text a person wrote in it ("": the interface's words)


@dataclass
class ChartMeta:
    title: str
    unit: str = ""
    goal: float | None = None
    target: float | None = None
    markers: list[Marker] = field(default_factory=list)
    width: int | str = "container"
    height: int = 220
    x_title: str | None = None


def point_rows(chart: Any, *, numerators: Sequence[float | None] | None = None,
               denominators: Sequence[float | None] | None = None,
               labels: Sequence[str] | None = None,
               run_points: set[int] | None = None,
               links: Sequence[str] | None = None,
               intervals: Sequence[tuple[float | None, float | None]] | None = None
               ) -> list[dict[str, Any]]:
    """One row per point with everything the picture and the tooltip show; ``intervals``
    are survey estimates' 95 % intervals (``low``, ``high``), drawn as error bars."""
    rows = []
    run_points = run_points or set()
    for i, p in enumerate(chart.points):
        if not p.include:
            signal = "Excluded"
        elif p.sigma_signal:
            signal = "Outside the limits"
        elif i in run_points:
            signal = "Part of a run or shift"
        else:
            signal = "Common cause"
        rows.append({
            "x": p.x.isoformat() if isinstance(p.x, dt.date) else str(p.x),
            "label": labels[i] if labels else str(p.x),
            "y": _num(p.y), "cl": _num(p.cl), "lcl": _num(p.lcl), "ucl": _num(p.ucl),
            "part": p.part, "signal": signal,
            "numerator": _num(numerators[i]) if numerators else None,
            "denominator": _num(denominators[i]) if denominators else None,
            **({"link": links[i]} if links else {}),
            **({"low": _num(intervals[i][0]), "high": _num(intervals[i][1])}
               if intervals else {}),
        })
    return rows


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f else round(f, 6)


def run_point_indexes(chart: Any) -> set[int]:
    """Indexes (0-based) of the points in a run longer than its part allows."""
    out: set[int] = set()
    for r in chart.runs:
        if r.runs_signal and r.longest_run > r.longest_run_max and r.longest_run_start:
            out.update(range(r.longest_run_start - 1, r.longest_run_end))
    return out


def spc_spec(rows: list[dict[str, Any]], meta: ChartMeta) -> dict[str, Any]:
    """A layered Vega-Lite chart: the data line, centre line, limits, goal, target, markers."""
    temporal = bool(rows) and _is_date(rows[0]["x"])
    x = {"field": "x", "type": "temporal" if temporal else "ordinal", "title": meta.x_title,
         "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 6} if temporal else
         {"labelAngle": -45}}
    y_title = meta.unit or None
    tooltip = [
        {"field": "label", "title": "Period"},
        {"field": "y", "title": meta.unit or "Value", "format": ",.4~f"},
        {"field": "numerator", "title": "Numerator", "format": ",.4~f"},
        {"field": "denominator", "title": "Denominator", "format": ",.4~f"},
        {"field": "cl", "title": "Centre line", "format": ",.4~f"},
        {"field": "lcl", "title": "Lower limit", "format": ",.4~f"},
        {"field": "ucl", "title": "Upper limit", "format": ",.4~f"},
        {"field": "signal", "title": "Signal"},
    ]
    intervals = bool(rows) and "low" in rows[0]
    if intervals:
        tooltip[2:4] = [{"field": "low", "title": "95 % CI from", "format": ",.4~f"},
                        {"field": "high", "title": "95 % CI to", "format": ",.4~f"}]
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": "#56606e", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {"field": "y", "type": "quantitative", "title": y_title,
                                    "scale": {"zero": False}}}},
        {"mark": {"type": "line", "interpolate": "step-after", "color": "#2b7a4b",
                  "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {"field": "cl", "type": "quantitative"},
                      "detail": {"field": "part"}}},
    ]
    for limit in ("lcl", "ucl"):
        layers.append({
            "mark": {"type": "line", "interpolate": "step-after", "color": "#b4530b",
                     "strokeDash": [4, 3], "strokeWidth": 1},
            "encoding": {"x": x, "y": {"field": limit, "type": "quantitative"},
                         "detail": {"field": "part"}}})
    if intervals:
        # A survey estimate's 95 % confidence interval, as an error bar behind its point.
        layers.append({
            "mark": {"type": "rule", "color": "#56606e", "strokeWidth": 1.5, "opacity": 0.7},
            "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"},
                         "y2": {"field": "high"}, "tooltip": tooltip}})
    layers.append({
        "mark": {"type": "point", "filled": True, "size": 46, "opacity": 1},
        "encoding": {
            "x": x, "y": {"field": "y", "type": "quantitative"},
            "color": {"field": "signal", "type": "nominal", "title": None,
                      "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 0}},
            "shape": {"field": "signal", "type": "nominal", "title": None,
                      "scale": {"domain": list(SHAPES), "range": list(SHAPES.values())}},
            "tooltip": tooltip,
            **({"href": {"field": "link"}} if rows and "link" in rows[0] else {}),
        },
    })
    for value, label, colour in ((meta.goal, "Goal", "#6b55c7"),
                                 (meta.target, "National target", "#444")):
        if value is not None:
            layers.append({
                "data": {"values": [{"v": value, "label": f"{label} {rounded(value)}"}]},
                "layer": [
                    {"mark": {"type": "rule", "color": colour, "strokeDash": [1, 3],
                              "strokeWidth": 1.5},
                     "encoding": {"y": {"field": "v", "type": "quantitative"}}},
                    {"mark": {"type": "text", "align": "right", "dy": -6, "x": "width",
                              "color": colour, "fontSize": 10},
                     "encoding": {"y": {"field": "v", "type": "quantitative"},
                                  "text": {"field": "label"}}},
                ]})
    numbered = [m for m in meta.markers if m.number]
    if numbered and temporal:
        # Numbered markers: a short rule with its number on top; the list under the chart
        # (and the tooltip) tells what each one was, so no label is cut.
        values = [{"on": m.on.isoformat(), "text": m.text, "kind": m.kind,
                   "url": m.url, "n": str(m.number)} for m in numbered]
        # Numbers of markers close in time stand one above the other, not on each other.
        row, last = 0, None
        for v, m in zip(values, numbered, strict=True):
            row = (row + 1) % 3 if last is not None and (m.on - last).days < 120 else 0
            v["top"], last = -6 - 11 * row, m.on
        layers.append({
            "data": {"values": values},
            "layer": [
                {"mark": {"type": "rule", "color": "#8a6d00", "strokeWidth": 1,
                          "strokeDash": [3, 2]},
                 "encoding": {"x": {"field": "on", "type": "temporal"},
                              "href": {"field": "url"},
                              "tooltip": [{"field": "n", "title": "Marker"},
                                          {"field": "on", "type": "temporal", "title": "Date"},
                                          {"field": "text", "title": "Note"}]}},
                {"mark": {"type": "text", "fontSize": 10, "fontWeight": "bold",
                          "color": "#8a6d00"},
                 "encoding": {"x": {"field": "on", "type": "temporal"},
                              "y": {"field": "top", "type": "quantitative", "scale": None},
                              "text": {"field": "n"},
                              "tooltip": [{"field": "text", "title": "Note"}]}},
            ]})
    unnumbered = [m for m in meta.markers if not m.number]
    if unnumbered and temporal:
        values = [{"on": m.on.isoformat(), "text": m.text, "kind": m.kind, "url": m.url}
                  for m in unnumbered]
        layers.append({
            "data": {"values": values},
            "layer": [
                {"mark": {"type": "rule", "color": "#8a6d00", "strokeWidth": 1},
                 "encoding": {"x": {"field": "on", "type": "temporal"},
                              "href": {"field": "url"},
                              "tooltip": [{"field": "on", "type": "temporal", "title": "Date"},
                                          {"field": "text", "title": "Note"}]}},
                {"mark": {"type": "text", "angle": 270, "align": "right", "baseline": "bottom",
                          "dx": -4, "y": 0, "fontSize": 9, "color": "#8a6d00", "limit": 120},
                 "encoding": {"x": {"field": "on", "type": "temporal"},
                              "text": {"field": "text"}}},
            ]})
    return {
        "$schema": SCHEMA,
        "description": meta.title,
        "width": meta.width, "height": meta.height,
        "data": {"values": rows},
        "layer": layers,
        "config": {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                   "view": {"stroke": None}, "axis": {"grid": True, "gridColor": "#eef1f5"}},
    }


def rounded(value: float) -> str:
    """A goal or target as people write it: three significant figures at most, no
    trailing zeros (52.1234 → 52.1, 0.01234 → 0.0123, 1234.5 → 1,235)."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _shown_as(field_ref: str, words: dict[str, str]) -> str:
    """A Vega expression giving ``words[value]`` for the value of ``field_ref`` (the value
    itself when it has no word)."""
    expr = field_ref
    for value, word in reversed(list(words.items())):
        quoted = {k: "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
                  for k, v in (("value", value), ("word", word))}
        expr = f"{field_ref} == {quoted['value']} ? {quoted['word']} : ({expr})"
    return expr


def funnel_spec(teams: list[dict[str, Any]], curve: list[dict[str, Any]], *, target: float,
                unit: str, title: str,
                words: dict[str, str] | None = None) -> dict[str, Any]:
    """Teams' values against their denominators, inside 95 % and 99.8 % limits. Each team's
    row gains where its code is drawn (``label_n``, ``label_value``, ``moved``). ``words``
    gives the reader's words for the axis and tooltip titles (``Denominator``, ``Value``,
    ``Team``, ``Against the limits``) and for each ``where`` of the teams; the points keep
    the ``where`` codes, so a kind of point has the same colour and shape in every
    language."""
    said = words or {}
    # Fixed scales, so that the labels' places (worked out in pixels) are where they land.
    x_domain = _span([t["n"] for t in teams] + [c["n"] for c in curve])
    y_domain = _span([t["value"] for t in teams] + [target] + [
        c[k] for c in curve for k in ("lower_95", "upper_95", "lower_99.8", "upper_99.8")])
    x = {"field": "n", "type": "quantitative", "title": said.get("Denominator", "Denominator"),
         "scale": {"type": "log", "domain": list(x_domain), "nice": False}}
    y_title = unit or said.get("Value", "Value")
    places = {k: v for k, v in said.items() if k == "inside" or k.startswith(("above ", "below "))}
    layers: list[dict[str, Any]] = []
    for level, dash in (("95", [4, 3]), ("99.8", [1, 2])):
        for side in ("lower", "upper"):
            layers.append({
                "data": {"name": "curve"},
                "mark": {"type": "line", "color": "#b4530b", "strokeDash": dash,
                         "strokeWidth": 1},
                "encoding": {"x": x, "y": {"field": f"{side}_{level}",
                                           "type": "quantitative", "title": y_title,
                                           "scale": {"domain": list(y_domain),
                                                     "nice": False}}}})
    layers.append({
        "data": {"values": [{"v": target}]},
        "mark": {"type": "rule", "color": "#2b7a4b", "strokeWidth": 1.5},
        "encoding": {"y": {"field": "v", "type": "quantitative"}}})
    legend: dict[str, Any] = {"orient": "bottom"}
    if places:
        legend["labelExpr"] = _shown_as("datum.label", places)
    layers.append({
        "data": {"name": "teams"},
        "transform": [{"calculate": _shown_as("datum.where", places), "as": "where_shown"}],
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {
            "x": x, "y": {"field": "value", "type": "quantitative"},
            "shape": {"field": "where", "type": "nominal", "title": None, "legend": legend},
            "color": {"field": "where", "type": "nominal", "title": None,
                      "scale": {"range": ["#56606e", "#0072b2", "#d55e00", "#009e73",
                                          "#cc79a7"]}},
            "tooltip": [{"field": "team", "title": said.get("Team", "Team")},
                        {"field": "value", "title": y_title, "format": ",.4~f"},
                        {"field": "n", "title": said.get("Denominator", "Denominator"),
                         "format": ",.0f"},
                        {"field": "where_shown", "title": said.get(
                            "Against the limits", "Against the limits")}]}})
    # Each code where it overlaps no other (charts/labels.py), with a thin line to its
    # point when it had to move away from it.
    for team, label in zip(teams, funnel_labels(teams, x_domain, y_domain), strict=True):
        team.update(label_n=label["label_n"], label_value=label["label_value"],
                    moved=label["moved"])
    layers.append({
        "data": {"name": "teams"}, "transform": [{"filter": "datum.moved"}],
        "mark": {"type": "rule", "color": "#9aa3ad", "strokeWidth": 0.6},
        "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"},
                     "x2": {"field": "label_n"}, "y2": {"field": "label_value"}}})
    layers.append({
        "data": {"name": "teams"},
        "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": 9,
                 "color": "#444"},
        "encoding": {"x": {**x, "field": "label_n"},
                     "y": {"field": "label_value", "type": "quantitative"},
                     "text": {"field": "code"}}})
    # Each dataset once, however many layers draw it (limits, points and their codes).
    return {"$schema": SCHEMA, "description": title, "width": "container", "height": 300,
            "datasets": {"teams": teams, "curve": curve}, "layer": layers,
            "config": {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                       "view": {"stroke": None}}}


# The smallest plot a funnel is drawn in (the PDF's): labels apart there are apart in any
# larger one, as the distances between them only grow.
FUNNEL_PLOT = (520.0, 260.0)


def _span(values: Sequence[float]) -> tuple[float, float]:
    finite = [float(v) for v in values if v is not None and v == v]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    return (lo, hi) if hi > lo else (lo - 1, hi + 1)


def funnel_labels(teams: list[dict[str, Any]], x_domain: tuple[float, float],
                  y_domain: tuple[float, float]) -> list[dict[str, Any]]:
    """Each team's code with where it is drawn (``label_n``, ``label_value``) so that no two
    codes overlap in a plot of ``FUNNEL_PLOT`` pixels, and whether it moved off its point."""
    from .labels import GAP, place_labels, text_size

    width, height = FUNNEL_PLOT
    log_lo, log_hi = math.log(max(x_domain[0], 1e-9)), math.log(max(x_domain[1], 1e-9))
    log_span = (log_hi - log_lo) or 1.0
    y_lo, y_hi = y_domain
    y_span = (y_hi - y_lo) or 1.0
    points = [(width * (math.log(max(t["n"], 1e-9)) - log_lo) / log_span,
               height * (y_hi - t["value"]) / y_span) for t in teams]
    boxes = place_labels(points, [text_size(str(t["code"])) for t in teams], width, height)
    out = []
    for t, (px, py), box in zip(teams, points, boxes, strict=True):
        mid = box.top + box.height / 2
        moved = not (box.left == px + GAP and abs(mid - py) < 0.01)
        out.append({"code": t["code"], "n": t["n"], "value": t["value"],
                    "label_n": round(math.exp(log_lo + box.left / width * log_span), 6),
                    "label_value": round(y_hi - mid / height * y_span, 6), "moved": moved})
    return out


# The legend and tooltips in plain words, for readers who never met SPC (the public site).
PLAIN_SIGNALS = {"Common cause": "Usual variation",
                 "Outside the limits": "Unusually high or low",
                 "Part of a run or shift": "Part of a lasting change",
                 "Excluded": "Left out"}


def plain_legend(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with its points' signals named in plain words (in place; returned)."""
    data = spec.get("data", {})
    for row in data.get("values", []) if isinstance(data, dict) else []:
        if row.get("signal") in PLAIN_SIGNALS:
            row["signal"] = PLAIN_SIGNALS[row["signal"]]
    for layer in spec.get("layer", []):
        for channel in ("color", "shape"):
            scale = layer.get("encoding", {}).get(channel, {}).get("scale", {})
            if "domain" in scale:
                scale["domain"] = [PLAIN_SIGNALS.get(d, d) for d in scale["domain"]]
    return spec
