"""The event-study chart of an idea's estimated effect: the effect by periods since
adoption with its 95 % interval as a band, the zero line, and adoption marked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coiin.charts.vega import SCHEMA

if TYPE_CHECKING:
    from .effects import Effect


def event_rows(effect: Effect) -> list[dict[str, Any]]:
    s = effect.scale
    return [{"event_time": p.event_time, "estimate": round(p.estimate * s, 4),
             "ci_low": round(p.ci_low * s, 4), "ci_high": round(p.ci_high * s, 4),
             "adopters": p.adopters} for p in effect.estimate.event_study]


def event_study_spec(effect: Effect) -> dict[str, Any]:
    unit = effect.units or "effect"
    x = {"field": "event_time", "type": "quantitative",
         "title": "Periods since adoption (0: the period of adoption)"}
    y_title = f"Effect ({unit})"
    return {
        "$schema": SCHEMA,
        "description": f"{effect.idea.title}: estimated effect on {effect.measure.name} by "
                       "periods since adoption, with its 95 % interval",
        "width": "container", "height": 260,
        "datasets": {"effect": event_rows(effect)},
        "layer": [
            {"data": {"name": "effect"},
             "mark": {"type": "area", "opacity": 0.25, "color": "#0072b2"},
             "encoding": {"x": x, "y": {"field": "ci_low", "type": "quantitative",
                                        "title": y_title},
                          "y2": {"field": "ci_high"}}},
            {"data": {"values": [{"v": 0}]},
             "mark": {"type": "rule", "color": "#444", "strokeWidth": 1},
             "encoding": {"y": {"field": "v", "type": "quantitative"}}},
            {"data": {"values": [{"t": -0.5, "label": "adoption"}]},
             "mark": {"type": "rule", "color": "#b4530b", "strokeDash": [4, 3]},
             "encoding": {"x": {"field": "t", "type": "quantitative"}}},
            {"data": {"name": "effect"},
             "mark": {"type": "line", "point": True, "color": "#0072b2"},
             "encoding": {
                 "x": x, "y": {"field": "estimate", "type": "quantitative"},
                 "tooltip": [{"field": "event_time", "title": "Periods since adoption"},
                             {"field": "estimate", "title": y_title, "format": ",.2f"},
                             {"field": "ci_low", "title": "95 % CI from", "format": ",.2f"},
                             {"field": "ci_high", "title": "to", "format": ",.2f"},
                             {"field": "adopters", "title": "Adopting teams"}]}},
        ],
        "config": {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                   "view": {"stroke": None}},
    }
