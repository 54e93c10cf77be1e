"""Rates computed from stored counts, beside the rate the source published.

The computed rate is never copied from a file: it is deaths / births × 1,000 from the
stored counts. ``agrees`` compares the unrounded quotient with the published rate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Item, SourceKind, VitalFigure

TOLERANCE = Decimal("0.005")
# Where a count comes from when several sources give it (the first that has it wins).
DEATHS_FROM = (SourceKind.CDC_SOS, SourceKind.WONDER)
BIRTHS_FROM = (SourceKind.NVSS_BIRTHS, SourceKind.WONDER)
MEASURES = {"imr": "Infant mortality rate per 1,000 live births"}


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
    """Every jurisdiction-year with stored infant deaths or births (all mothers, whole
    years), in code and year order. One query."""
    figures = VitalFigure.objects.filter(
        item__in=(Item.INFANT_DEATHS, Item.BIRTHS), quarter=0, month=0, mother_race="",
        mother_age="")
    if jurisdiction:
        figures = figures.filter(jurisdiction__postal_code=jurisdiction.upper())
    if year:
        figures = figures.filter(year=year)
    found: dict[tuple[str, int], dict] = {}
    for f in figures.values("jurisdiction__postal_code", "jurisdiction__name", "year", "item",
                            "source_kind", "value", "published_rate", "unreliable"):
        key = (f["jurisdiction__postal_code"], f["year"])
        found.setdefault(key, {"name": f["jurisdiction__name"]})[(f["item"],
                                                                  f["source_kind"])] = f
    return [_row(code, year, sources) for (code, year), sources in sorted(found.items())]


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
