"""The chart of a disparity ratio over the years, for the equity pages: the ratio with its
95 % interval on a log scale, and a line at 1 (no difference)."""

from __future__ import annotations

from collections.abc import Iterable

from coiin.charts.vega import SCHEMA

from .equity import RatioRow


def ratio_spec(rows: Iterable[RatioRow], title: str) -> dict[str, object] | None:
    """A Vega-Lite chart of the ratio by year with its 95 % interval, on a log scale (a
    ratio of 2 and one of 1/2 are as far from 1), and a line at 1 (no difference)."""
    values = [{"year": str(r.year), "ratio": round(r.group.ratio, 4),
               "lower": round(r.group.ratio_lower, 4), "upper": round(r.group.ratio_upper, 4),
               "few": "fewer than 20 events" if r.few_events else ""}
              for r in rows if r.group.ratio and r.group.ratio_lower and r.group.ratio_upper]
    if not values:
        return None
    x = {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}}
    y = {"field": "ratio", "type": "quantitative", "title": "Ratio (log scale)",
         "scale": {"type": "log"}}
    return {
        "$schema": SCHEMA, "description": title, "width": "container", "height": 200,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "rule", "color": "#2b7a4b"},
             "encoding": {"x": x, "y": {**y, "field": "lower"}, "y2": {"field": "upper"}}},
            {"mark": {"type": "point", "filled": True, "size": 60, "color": "#2b7a4b"},
             "encoding": {"x": x, "y": y, "tooltip": [
                 {"field": "year", "title": "Year"},
                 {"field": "ratio", "title": "Ratio", "format": ".2f"},
                 {"field": "lower", "title": "95 % CI from", "format": ".2f"},
                 {"field": "upper", "title": "to", "format": ".2f"},
                 {"field": "few", "title": "Note"}]}},
            {"data": {"values": [{"one": 1}]},
             "mark": {"type": "rule", "color": "#444", "strokeDash": [1, 3]},
             "encoding": {"y": {"field": "one", "type": "quantitative",
                                "scale": {"type": "log"}}}},
        ],
        "config": {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                   "view": {"stroke": None}, "axis": {"grid": True, "gridColor": "#eef1f5"}},
    }
