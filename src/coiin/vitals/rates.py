"""Rates computed from stored counts, beside the rate the source published.

The computed rate is never copied from a file: it is deaths / births × 1,000 from the
stored counts. ``agrees`` compares the unrounded quotient with the published rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from .models import Item, SourceKind, VitalFigure

TOLERANCE = Decimal("0.005")
# Where a count comes from when several sources give it (the first that has it wins).
DEATHS_FROM = (SourceKind.CDC_SOS, SourceKind.WONDER)
BIRTHS_FROM = (SourceKind.NVSS_BIRTHS, SourceKind.WONDER)
MEASURES = {"imr": gettext_lazy("Infant mortality rate per 1,000 live births")}


@dataclass(frozen=True)
class RateRow:
    jurisdiction: str
    jurisdiction_name: str
    period: str
    deaths: int | None
    births: int | None
    rate: Decimal | None
    published_rate: Decimal | None
    agrees: bool | None  # None: nothing to compare
    unreliable: bool  # fewer than 20 deaths, or the source said so

    @property
    def difference(self) -> Decimal | None:
        """Computed (rounded) minus published."""
        if self.rate is None or self.published_rate is None:
            return None
        return self.rate - self.published_rate

    def as_json(self) -> dict:
        row = asdict(self)
        del row["jurisdiction_name"], row["unreliable"]
        for key in ("rate", "published_rate"):
            row[key] = float(row[key]) if row[key] is not None else None
        return row


def imr_by_year(*, jurisdiction: str | None = None, year: int | None = None) -> list[RateRow]:
    """Every jurisdiction-year with stored infant deaths or births (all mothers), in code
    and year order. One query. A source with no whole-year figure but all twelve months
    (or four quarters) of a year, none suppressed, gives their sum (a WONDER export by
    month, say): its rate is computed from the sum, with no published rate beside it."""
    figures = VitalFigure.objects.filter(
        item__in=(Item.INFANT_DEATHS, Item.BIRTHS), mother_race="", mother_age="")
    if jurisdiction:
        figures = figures.filter(jurisdiction__postal_code=jurisdiction.upper())
    if year:
        figures = figures.filter(year=year)
    found: dict[tuple[str, int], dict] = {}
    parts: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures.values("jurisdiction__postal_code", "jurisdiction__name", "year", "item",
                            "source_kind", "value", "published_rate", "unreliable", "quarter",
                            "month"):
        key = (f["jurisdiction__postal_code"], f["year"])
        sources = found.setdefault(key, {"name": f["jurisdiction__name"]})
        if f["quarter"] or f["month"]:
            parts[(key, f["item"], f["source_kind"], "m" if f["month"] else "q")].append(f)
        else:
            sources[(f["item"], f["source_kind"])] = f
    for (key, item, source, kind), rows in parts.items():
        whole = 12 if kind == "m" else 4
        values = [r["value"] for r in rows]
        if (item, source) not in found[key] and len(rows) == whole and None not in values:
            total = sum(values)
            found[key][(item, source)] = {
                "value": total, "published_rate": None,
                "unreliable": item == Item.INFANT_DEATHS and total < 20}
    return [_row(code, year, sources) for (code, year), sources in sorted(found.items())
            if len(sources) > 1]


def _first(sources: dict, item: str, order: tuple[str, ...]) -> dict | None:
    return next((sources[(item, s)] for s in order if (item, s) in sources), None)


def _row(code: str, year: int, sources: dict) -> RateRow:
    deaths = _first(sources, Item.INFANT_DEATHS, DEATHS_FROM)
    births = _first(sources, Item.BIRTHS, BIRTHS_FROM)
    d = deaths["value"] if deaths else None
    b = births["value"] if births else None
    published = deaths["published_rate"] if deaths else None
    exact = Decimal(d) * 1000 / Decimal(b) if d is not None and b else None
    rate = exact.quantize(Decimal("0.01"), ROUND_HALF_UP) if exact is not None else None
    agrees = (abs(exact - published) <= TOLERANCE
              if exact is not None and published is not None else None)
    return RateRow(jurisdiction=code, jurisdiction_name=sources["name"], period=str(year),
                   deaths=d, births=b, rate=rate,
                   published_rate=_plain(published) if published is not None else None,
                   agrees=agrees, unreliable=bool(deaths and deaths["unreliable"]))


def _plain(rate: Decimal) -> Decimal:
    """5.2700 as 5.27 and 10.0000 as 10 (not 1E+1)."""
    return Decimal(format(rate.normalize(), "f"))


def births_by_year(jurisdiction_ids: Iterable[int] | None = None,
                   years: Iterable[int] | None = None) -> dict[tuple[int, int], int]:
    """Live births to all mothers per (jurisdiction id, year): the whole-year figure of
    the first source in ``BIRTHS_FROM`` that has one, else the year's months (or quarters)
    summed when all 12 (or 4) are stored and none is suppressed. One query."""
    figures = VitalFigure.objects.filter(item=Item.BIRTHS, mother_race="", mother_age="",
                                         value__isnull=False)
    if jurisdiction_ids is not None:
        figures = figures.filter(jurisdiction_id__in=list(jurisdiction_ids))
    if years is not None:
        figures = figures.filter(year__in=list(years))
    whole: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    parts: dict[tuple[int, int, str, str], dict[int, int]] = defaultdict(dict)
    for jid, year, quarter, month, source, value in figures.values_list(
            "jurisdiction_id", "year", "quarter", "month", "source_kind", "value"):
        if quarter == 0 and month == 0:
            whole[(jid, year)][source] = value
        else:
            kind = "month" if month else "quarter"
            parts[(jid, year, source, kind)][month or quarter] = value
    out: dict[tuple[int, int], int] = {}
    for key, by_source in whole.items():
        found = next((by_source[s] for s in BIRTHS_FROM if s in by_source), None)
        out[key] = found if found is not None else next(iter(by_source.values()))
    for (jid, year, _, kind), values in sorted(parts.items()):
        if (jid, year) not in out and len(values) == (12 if kind == "month" else 4):
            out[(jid, year)] = sum(values.values())
    return out
