"""Numbers in the tables behind the charts, written as the template filter
``floatformat:"-2"`` (or ``"0"``) writes them, without a filter call per cell: a chart's
table has a row per period, and a page shows many charts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext


def number(v: float | Decimal | None, places: int = 2) -> str:
    """``v`` rounded half up to ``places`` decimals, with no decimals when whole."""
    if v is None:
        return ""
    d = Decimal(repr(float(v)))
    if places == 0:
        return f"{d.quantize(Decimal(1), ROUND_HALF_UP):f}"
    if d == d.to_integral_value():
        return f"{int(d)}"
    return f"{d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"


def table_rows(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A chart's table (``TeamChart.table``) with its numbers written out."""
    return [{"label": r["period"].label, "numerator": number(r["numerator"]),
             "denominator": number(r["denominator"]), "value": number(r["value"]),
             "cl": number(r["cl"]),
             "limits": f"{number(r['lcl'])} – {number(r['ucl'])}" if r["lcl"] is not None
             else "—",
             "interval": f"{number(r['low'])} – {number(r['high'])}"
             if r.get("low") is not None else "",
             "note": " ".join(word for word, shown in (
                 (gettext("outside the limits"), r["signal"]),
                 (gettext("excluded"), not r["included"]),
                 (gettext("provisional"), not r["final"])) if shown)}
            for r in table]
