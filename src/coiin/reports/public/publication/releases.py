"""A measure's release: computed from the locked data, or from the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from coiin.measures.models import Measure
from coiin.stats.suppression import LinearTable

from ..models import PublicRelease, PublishedMeasure
from .data import Base, base_data
from .rules import (
    NATIONAL,
    SUPPRESSED,
    SYNTHETIC,
    UNRELIABLE,
    Level,
    threshold,
    unreliable_below,
)
from .tables import Suppressed, joint_table, release_table, suppress_release


@dataclass
class Computed:
    """A release with its true tables (for the audit in tests; never shown)."""

    base: Base
    levels: set[str]
    suppressed: Suppressed  # the whole system (joint numerators and denominators)
    cells: list[dict[str, Any]]
    strata_levels: set[str] = field(default_factory=set)

    @property
    def numerators(self) -> Suppressed:
        return self.suppressed.part("n")

    @property
    def denominators(self) -> Suppressed | None:
        return self.suppressed.part("d") if self.base.measure.is_ratio else None


def compute_release(measure: Measure, levels: set[str],
                    strata_levels: set[str] = frozenset()) -> Computed:  # type: ignore[assignment]
    strata_levels = set(strata_levels) & set(levels)
    base = base_data(measure, levels, strata_levels)
    thr = threshold()
    nt, nl = release_table(base.num, base, levels, strata_levels)
    if measure.is_ratio:
        dt_, _ = release_table(base.den, base, levels, strata_levels)
        ordered = all(base.num[k] <= base.den.get(k, -1) for k in base.num)
        table, latent = joint_table(nt, dt_, nl, ordered)
    else:
        table, latent = joint_table(nt, LinearTable({}, []), nl, False)
        latent = {k for k in latent if k[0] == "n"}
    sup = suppress_release(table, latent, thr)
    cells = []
    names = {Level.JURISDICTION.value: base.jurisdictions, Level.NETWORK.value: base.networks,
             Level.NATIONAL.value: {NATIONAL: "All reporting jurisdictions"}}
    for key in nt.keys:
        if key in nl:
            continue
        level, unit, year, *stratum = key
        n = None if ("n", *key) in sup.hidden else nt.cells[key]
        d = None
        if measure.is_ratio:
            d = None if ("d", *key) in sup.hidden else table.cells[("d", *key)]
        cells.append({"level": level, "unit": unit, "name": names[level][unit], "year": year,
                      "stratum": stratum[0] if stratum else None, "n": n, "d": d})
    return Computed(base, set(levels), sup, cells, strata_levels)


@dataclass
class Release:
    """What the public sees of one measure: published cells only."""

    measure: Measure
    levels: set[str]
    cells: list[dict[str, Any]]
    strata: dict[str, str] = field(default_factory=dict)  # code -> label of shown strata
    # level -> (every figure synthetic, the strata synthetic): see PublishedMeasure.
    synthetic: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    def note(self, level: str, stratum: str | None) -> str:
        """``synthetic`` where the row's figures are not real, else ""."""
        every, strata = self.synthetic.get(level, (False, False))
        return SYNTHETIC if every or (strata and stratum) else ""

    @property
    def years(self) -> list[int]:
        return sorted({c["year"] for c in self.cells if c["year"] is not None})

    def _mine(self, level: str, unit: str, stratum: str | None) -> dict[Any, dict[str, Any]]:
        return {c["year"]: c for c in self.cells if c["level"] == level and c["unit"] == unit
                and c.get("stratum") == stratum}

    def row(self, level: str, unit: str, stratum: str | None = None) -> dict[str, Any]:
        """One unit's cells (of one stratum, or the total) for every year and in all."""
        mine = self._mine(level, unit, stratum)
        first = next(iter(mine.values()), None)
        return {"level": level, "unit": unit, "name": first["name"] if first else unit,
                "stratum": stratum, "stratum_label": self.strata.get(stratum or "", ""),
                "cells": [self.show(mine.get(y)) for y in [*self.years, None]]}

    def units(self, level: str) -> list[str]:
        seen = {(c["name"], c["unit"]) for c in self.cells if c["level"] == level}
        return [u for _, u in sorted(seen)]

    def table(self, level: str, unit: str | None = None) -> list[dict[str, Any]]:
        """Rows of a level (one unit, or all; the jurisdiction table ends with its total)."""
        units = [unit] if unit else self.units(level)
        rows = [self.row(level, u) for u in units if u in self.units(level)]
        if level == Level.JURISDICTION and unit is None and self.units(Level.NATIONAL):
            total = self.row(Level.NATIONAL, NATIONAL)
            total["name"] = "Total"
            rows.append(total)
        return rows

    def has_strata(self, level: str) -> bool:
        return any(c["level"] == level and c.get("stratum") for c in self.cells)

    def strata_table(self, level: str, unit: str | None = None) -> list[dict[str, Any]]:
        """Rows per unit and stratum (in the strata's order); [] when none are published.

        The jurisdiction table's strata end with the national strata, as its totals do."""
        if not self.has_strata(level):
            return []
        units = [(level, u) for u in ([unit] if unit else self.units(level))
                 if u in self.units(level)]
        if level == Level.JURISDICTION and unit is None and self.units(Level.NATIONAL):
            units.append((Level.NATIONAL, NATIONAL))
        rows = []
        for lv, u in units:
            for code in self.strata:
                if self._mine(lv, u, code):
                    row = self.row(lv, u, code)
                    if lv != level:
                        row["name"] = "Total"
                    rows.append(row)
        return rows

    def show(self, cell: dict[str, Any] | None) -> dict[str, Any] | None:
        """Numerator, denominator and rate as published, each with its flag."""
        if cell is None:
            return None
        ratio = self.measure.is_ratio
        n, d = cell["n"], cell["d"]
        rate = rate_flag = ""
        if ratio:
            if n is None or d is None:
                rate_flag = SUPPRESSED
            elif d:
                rate = f"{n / d * self.measure.multiplier:.2f}"
                rate_flag = UNRELIABLE if n < unreliable_below() else ""
        return {
            "year": cell["year"], "numerator": "" if n is None else str(n),
            "numerator_flag": SUPPRESSED if n is None else "",
            "denominator": "" if not ratio or d is None else str(d),
            "denominator_flag": SUPPRESSED if ratio and d is None else "",
            "rate": rate, "rate_flag": rate_flag,
        }

    def csv_rows(self, level: str, unit: str | None = None) -> list[list[str]]:
        """The level's table as CSV rows (``CSV_HEADER``): totals, then any strata."""
        out = []
        for row in [*self.table(level, unit), *self.strata_table(level, unit)]:
            for c in row["cells"]:
                if c is None:
                    continue
                out.append([self.measure.code, level, row["unit"], row["name"],
                            "all years" if c["year"] is None else str(c["year"]),
                            c["numerator"], c["numerator_flag"], c["denominator"],
                            c["denominator_flag"], c["rate"], c["rate_flag"],
                            row["stratum"] or "", "", "", self.note(level, row["stratum"])])
        return out

    def series(self, level: str, unit: str) -> list[tuple[int, int, int | None]]:
        """(year, numerator, denominator) of the unit's published years only (totals)."""
        out = []
        for c in sorted((c for c in self.cells if c["level"] == level and c["unit"] == unit
                         and c["year"] is not None and not c.get("stratum")),
                        key=lambda c: c["year"]):
            if c["n"] is None or (self.measure.is_ratio and not c["d"]):
                continue
            out.append((c["year"], c["n"], c["d"]))
        return out


def synthetic_flags(measure: Measure) -> dict[str, tuple[bool, bool]]:
    """Level -> (every figure synthetic, the strata synthetic), as published."""
    return {level: (every, strata) for level, every, strata in
            PublishedMeasure.objects.filter(measure=measure)
            .values_list("level", "synthetic", "synthetic_strata")}


def published_strata(measure: Measure) -> tuple[set[str], set[str]]:
    """The measure's published levels, and those whose strata are published too."""
    levels, strata = set(), set()
    for level, with_strata in PublishedMeasure.objects.filter(measure=measure) \
            .values_list("level", "publish_strata"):
        levels.add(level)
        if with_strata and measure.stratification:
            strata.add(level)
    return levels, strata


def release(measure: Measure, levels: set[str] | None = None,
            strata_levels: set[str] | None = None) -> Release | None:
    """The measure's public release, from the cache when its data have not changed.

    None when the measure is not published at any level. ``levels`` and ``strata_levels``
    default to what is published.
    """
    if levels is None:
        levels, published = published_strata(measure)
        if strata_levels is None:
            strata_levels = published
    if strata_levels is None:
        strata_levels = published_strata(measure)[1]
    strata_levels = set(strata_levels) & set(levels)
    if not levels:
        return None
    base = base_data(measure, levels, strata_levels)
    cached = PublicRelease.objects.filter(measure=measure).first()
    if cached is not None and cached.fingerprint == base.fingerprint:
        return Release(measure, set(levels), cached.cells, _shown_strata(base, cached.cells),
                       synthetic_flags(measure))
    computed = compute_release(measure, levels, strata_levels)
    try:
        with transaction.atomic():
            PublicRelease.objects.update_or_create(
                measure=measure, defaults={"fingerprint": computed.base.fingerprint,
                                           "cells": computed.cells,
                                           "computed_at": timezone.now()})
    except IntegrityError:
        pass  # another request cached the same release first; ours is as good
    return Release(measure, set(levels), computed.cells, _shown_strata(base, computed.cells),
                   synthetic_flags(measure))


def _shown_strata(base: Base, cells: list[dict[str, Any]]) -> dict[str, str]:
    shown = {c.get("stratum") for c in cells}
    return {code: label for code, label in base.strata.items() if code in shown}
