"""Small multiples of team charts: a chart's picture made small, on a shared y scale."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .building import TeamChart


def small_multiple(tc: TeamChart, domain: tuple[float, float]) -> dict[str, Any]:
    """The team's spec made small, on the network's shared y scale."""
    spec = dict(tc.spec or {})
    spec["height"] = 110
    layers = [dict(layer) for layer in spec.get("layer", [])]
    first = dict(layers[0])
    enc = dict(first["encoding"])
    enc["y"] = {**enc["y"], "scale": {"domain": list(domain), "zero": False}, "title": None}
    first["encoding"] = enc
    layers[0] = first
    for layer in layers:
        if layer.get("mark", {}).get("type") == "point":
            layer["encoding"] = {**layer["encoding"],
                                 "color": {**layer["encoding"]["color"], "legend": None}}
    spec["layer"] = layers
    return spec


def shared_domain(charts: list[TeamChart]) -> tuple[float, float]:
    values = [v for c in charts if c.chart for p in c.chart.points
              for v in (p.y, p.lcl, p.ucl) if v is not None and v == v]
    if not values:
        return (0.0, 1.0)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1
    return (lo - pad, hi + pad)
