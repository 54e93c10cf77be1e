"""Publishing measures to the public site, and the disclosure-controlled release of each.

A *release* is everything public derived from one measure: its annual sums per
jurisdiction, per learning network and for the nation, at the levels backbone staff have
published. Only locked data count. All the counts of a release (numerators and, for a
ratio, denominators) are suppressed together in one linear system:

* jurisdiction cells (jurisdiction x year) and their all-years totals,
* the national cells, each the sum of the jurisdictions (published as the jurisdiction
  table's totals, or as the national level),
* network cells, each the sum of the jurisdictions in that learning network,

so that no hidden count can be derived from another table of the same release. A level
that is not published still takes part: its cells are *latent* (always hidden), so that,
say, two published network sums cannot be subtracted to reveal a small jurisdiction count.
Latent cells with counts of ``threshold`` or more need no protection of their own.

A rate is shown only when both its numerator and its denominator are; it is flagged
unreliable when its numerator is under ``PUBLIC_UNRELIABLE_BELOW``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from coiin.measures.models import DataValue, Measure, Submission
from coiin.network.models import User
from coiin.stats._lp import TOL, Engine
from coiin.stats.suppression import (
    AuditError,
    Key,
    LinearTable,
    _greedy,  # noqa: PLC2701 - latent cells need the engine below suppress(); see _suppress
    _requirements,
    primary_mask,
)

from .models_public import PublicRelease, PublishedMeasure

Level = PublishedMeasure.Level
PUBLISHABLE_TYPES = (Measure.Type.RATIO, Measure.Type.COUNT)
# Raised when the way a release is computed changes, so that cached releases are redone.
ALGORITHM_VERSION = 1
NATIONAL = "US"
SUPPRESSED = "suppressed"
UNRELIABLE = "unreliable"


def threshold() -> int:
    """Counts from 1 to this minus one are suppressed."""
    return int(getattr(settings, "PUBLIC_SUPPRESSION_THRESHOLD", 10))


def unreliable_below() -> int:
    """Rates whose numerator is under this are flagged unreliable."""
    return int(getattr(settings, "PUBLIC_UNRELIABLE_BELOW", 20))


class PublishError(ValueError):
    """A measure that cannot be published (its type has no counts to protect)."""


# ---------------------------------------------------------------------------- publishing


def publishable(measure: Measure) -> bool:
    return measure.type in PUBLISHABLE_TYPES


@transaction.atomic
def publish(*, measure: Measure, level: str, user: User | None, note: str = "") -> \
        PublishedMeasure:
    """Publish a measure at a level (idempotent: publishing again keeps the first record)."""
    if not publishable(measure):
        raise PublishError(f"{measure.code} is a {measure.get_type_display().lower()} "
                           "measure; only counts and ratios can be published.")
    if level not in Level.values:
        raise PublishError(f"unknown level {level!r}")
    pub, _ = PublishedMeasure.objects.get_or_create(
        measure=measure, level=level, defaults={"published_by": user, "note": note.strip()})
    return pub


@transaction.atomic
def unpublish(*, measure: Measure, level: str) -> bool:
    """Take a measure's level off the public site; True if it was published."""
    deleted, _ = PublishedMeasure.objects.filter(measure=measure, level=level).delete()
    return bool(deleted)


def publish_demo(log: Callable[[str], Any] = print) -> None:
    """Publish the demo's measures (idempotent): IMR and PTB per jurisdiction and per
    network, the national IMR, and back-sleep (SS-BACK) per network."""
    wanted = [("IMR", Level.JURISDICTION), ("IMR", Level.NETWORK), ("IMR", Level.NATIONAL),
              ("PTB", Level.JURISDICTION), ("PTB", Level.NETWORK),
              ("SS-BACK", Level.NETWORK)]
    measures = {m.code: m for m in Measure.objects.filter(code__in={c for c, _ in wanted})}
    user = User.objects.filter(network_role=User.NetworkRole.BACKBONE).order_by("pk").first()
    for code, level in wanted:
        if code not in measures:
            log(f"Not published: no measure {code}.")
            continue
        publish(measure=measures[code], level=level, user=user, note="Demo publication")
        log(f"Published {code} ({Level(level).label.lower()}).")


def published_levels() -> dict[int, set[str]]:
    """Measure id -> its published levels (one query)."""
    out: dict[int, set[str]] = defaultdict(set)
    for measure_id, level in PublishedMeasure.objects.values_list("measure_id", "level"):
        out[measure_id].add(level)
    return out


# ---------------------------------------------------------------------------- the data


@dataclass
class Base:
    """A measure's locked data as annual sums per jurisdiction, and who is in what network."""

    measure: Measure
    num: dict[tuple[str, int], int]  # (postal, year) -> count
    den: dict[tuple[str, int], int]
    jurisdictions: dict[str, str]  # postal -> name
    networks: dict[str, str]  # slug -> name
    members: dict[str, set[str]]  # slug -> postal codes
    fingerprint: str


def _count(v: Decimal | None, what: str) -> int:
    if v is None:
        raise PublishError(f"{what} is missing")
    if v != v.to_integral_value() or v < 0:
        raise PublishError(f"{what} {v} is not a whole count; it cannot be published")
    return int(v)


def base_data(measure: Measure, levels: Iterable[str]) -> Base:
    """One query: the locked total (unstratified) values of the measure."""
    rows = list(
        DataValue.objects.filter(measure=measure, stratum__isnull=True,
                                 submission__status=Submission.Status.LOCKED)
        .values_list("submission__team_id", "submission__team__jurisdiction__postal_code",
                     "submission__team__jurisdiction__name",
                     "submission__team__learning_network__slug",
                     "submission__team__learning_network__name",
                     "submission__period_start", "numerator", "denominator", "value")
        .order_by("submission__team_id", "submission__period_start"))
    # A jurisdiction reporting the measure in several teams counts once: the team with the
    # most locked values (then the oldest team), as on the national dashboard.
    per_team: dict[int, int] = defaultdict(int)
    team_of: dict[str, list[int]] = defaultdict(list)
    jurisdictions: dict[str, str] = {}
    networks: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for team_id, postal, jname, slug, nname, *_ in rows:
        per_team[team_id] += 1
        if team_id not in team_of[postal]:
            team_of[postal].append(team_id)
        jurisdictions[postal] = jname
        networks[slug] = nname
        members[slug].add(postal)
    chosen = {min(ids, key=lambda t: (-per_team[t], t)) for ids in team_of.values()}
    num: dict[tuple[str, int], int] = defaultdict(int)
    den: dict[tuple[str, int], int] = defaultdict(int)
    ratio = measure.is_ratio
    for team_id, postal, _, _, _, start, n, d, v in rows:
        if team_id not in chosen:
            continue
        what = f"{measure.code} {postal} {start.isoformat()}"
        if ratio:
            if n is None or d is None:
                continue  # a value without both parts has no rate to publish
            num[(postal, start.year)] += _count(n, what + " numerator")
            den[(postal, start.year)] += _count(d, what + " denominator")
        elif v is not None:
            num[(postal, start.year)] += _count(v, what)
    payload = json.dumps([ALGORITHM_VERSION, threshold(), unreliable_below(), sorted(levels),
                          measure.type, measure.multiplier,
                          [[str(x) for x in r] for r in rows]])
    return Base(measure, dict(num), dict(den), jurisdictions, networks,
                {k: v for k, v in members.items()},
                hashlib.sha256(payload.encode()).hexdigest())


# ---------------------------------------------------------------------------- the tables


def release_table(counts: dict[tuple[str, int], int], base: Base, levels: set[str]) -> \
        tuple[LinearTable, set[Key]]:
    """The linear system of one kind of count (numerators or denominators) of a release,
    and its latent cells (those of unpublished levels, always hidden).

    Keys are ``(level, unit, year)``; ``year`` None is the all-years total.
    """
    cells: dict[Key, int] = {}
    cons: list[tuple[Key, list[Key]]] = []
    latent: set[Key] = set()
    years = sorted({y for _, y in counts})
    J, NAT, NET = Level.JURISDICTION.value, Level.NATIONAL.value, Level.NETWORK.value
    for (postal, year), c in counts.items():
        cells[(J, postal, year)] = c
        if J not in levels:
            latent.add((J, postal, year))
    if J in levels:
        for postal in sorted({p for p, _ in counts}):
            parts = [(J, postal, y) for y in years if (postal, y) in counts]
            cells[(J, postal, None)] = sum(cells[k] for k in parts)
            cons.append(((J, postal, None), parts))
    if J in levels or NAT in levels:
        _sum_over(cells, cons, counts, years, (NAT, NATIONAL), set(base.jurisdictions))
    if NET in levels:
        for slug in sorted(base.members):
            _sum_over(cells, cons, counts, years, (NET, slug), base.members[slug])
    return LinearTable(cells, cons), latent


def _sum_over(cells, cons, counts, years, unit: tuple[str, str], postals: set[str]) -> None:
    """Cells of ``unit`` per year (the sum of those jurisdictions) and over all years."""
    level, code = unit
    yearly = []
    for y in years:
        parts = [(Level.JURISDICTION.value, p, y) for p in sorted(postals) if (p, y) in counts]
        if parts:
            cells[(level, code, y)] = sum(cells[k] for k in parts)
            cons.append(((level, code, y), parts))
            yearly.append((level, code, y))
    if yearly:
        cells[(level, code, None)] = sum(cells[k] for k in yearly)
        cons.append(((level, code, None), yearly))


@dataclass
class Suppressed:
    """A suppressed release table: which cells are hidden, and the proof."""

    table: LinearTable
    hidden: set[Key]
    latent: set[Key]
    required: dict[Key, float]
    intervals: dict[Key, tuple[float, float]] = field(default_factory=dict)


def suppress_release(table: LinearTable, latent: set[Key], thr: int) -> Suppressed:
    """Primary and complementary suppression with latent cells, and its audit.

    ``coiin.stats.suppression.suppress`` has no notion of a cell that is never published;
    this runs its heuristic with the latent cells counted as already hidden, needing no
    width unless they are small counts themselves, and checks every interval at the end.
    """
    keys = table.keys
    if not keys:
        return Suppressed(table, set(), latent, {})
    v = np.array([table.cells[k] for k in keys], dtype=np.int64)
    eng = Engine(table.matrix(), v.astype(float))
    small = primary_mask(v, thr)
    forced = np.array([k in latent for k in keys], dtype=bool)
    primary = small | forced
    required = _requirements(eng, v, thr, primary)
    required[forced & ~small] = 0.0
    hidden = _greedy(eng, primary, required, v)
    out = Suppressed(table, {keys[i] for i in np.flatnonzero(hidden)}, latent,
                     {k: float(required[i]) for i, k in enumerate(keys)})
    for comp in eng.components(hidden):
        lo, hi = eng.exact_intervals(hidden, comp)
        for cell, a, b in zip(comp.tolist(), lo.tolist(), hi.tolist(), strict=True):
            out.intervals[keys[cell]] = (a, b)
            if b - a < required[cell] - TOL:  # never publish an unproven pattern
                raise AuditError(f"release audit failed for {keys[cell]!r}")
    return out


# ---------------------------------------------------------------------------- releases


@dataclass
class Computed:
    """A release with its true tables (for the audit in tests; never shown)."""

    base: Base
    levels: set[str]
    numerators: Suppressed
    denominators: Suppressed | None
    cells: list[dict[str, Any]]


def compute_release(measure: Measure, levels: set[str]) -> Computed:
    base = base_data(measure, levels)
    thr = threshold()
    nt, nl = release_table(base.num, base, levels)
    num = suppress_release(nt, nl, thr)
    den = None
    if measure.is_ratio:
        dt_, dl = release_table(base.den, base, levels)
        den = suppress_release(dt_, dl, thr)
    cells = []
    names = {Level.JURISDICTION.value: base.jurisdictions, Level.NETWORK.value: base.networks,
             Level.NATIONAL.value: {NATIONAL: "All reporting jurisdictions"}}
    for key in nt.keys:
        if key in num.latent:
            continue
        level, unit, year = key
        n = None if key in num.hidden else nt.cells[key]
        d = None
        if den is not None:
            d = None if key in den.hidden else den.table.cells[key]
        cells.append({"level": level, "unit": unit, "name": names[level][unit], "year": year,
                      "n": n, "d": d})
    return Computed(base, set(levels), num, den, cells)


@dataclass
class Release:
    """What the public sees of one measure: published cells only."""

    measure: Measure
    levels: set[str]
    cells: list[dict[str, Any]]

    @property
    def years(self) -> list[int]:
        return sorted({c["year"] for c in self.cells if c["year"] is not None})

    def row(self, level: str, unit: str) -> dict[str, Any]:
        """One unit's cells for every year and in all, ready to show."""
        mine = {c["year"]: c for c in self.cells if c["level"] == level and c["unit"] == unit}
        first = next(iter(mine.values()), None)
        return {"level": level, "unit": unit, "name": first["name"] if first else unit,
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
        out = []
        for row in self.table(level, unit):
            for c in row["cells"]:
                if c is None:
                    continue
                out.append([self.measure.code, level, row["unit"], row["name"],
                            "all years" if c["year"] is None else str(c["year"]),
                            c["numerator"], c["numerator_flag"], c["denominator"],
                            c["denominator_flag"], c["rate"], c["rate_flag"]])
        return out

    def series(self, level: str, unit: str) -> list[tuple[int, int, int | None]]:
        """(year, numerator, denominator) of the unit's published years only."""
        out = []
        for c in sorted((c for c in self.cells if c["level"] == level and c["unit"] == unit
                         and c["year"] is not None), key=lambda c: c["year"]):
            if c["n"] is None or (self.measure.is_ratio and not c["d"]):
                continue
            out.append((c["year"], c["n"], c["d"]))
        return out


CSV_HEADER = ["measure", "level", "unit", "unit_name", "year", "numerator",
              "numerator_flag", "denominator", "denominator_flag", "rate", "rate_flag"]


def release(measure: Measure, levels: set[str] | None = None) -> Release | None:
    """The measure's public release, from the cache when its data have not changed.

    None when the measure is not published at any level.
    """
    if levels is None:
        levels = set(PublishedMeasure.objects.filter(measure=measure)
                     .values_list("level", flat=True))
    if not levels:
        return None
    base = base_data(measure, levels)
    cached = PublicRelease.objects.filter(measure=measure).first()
    if cached is not None and cached.fingerprint == base.fingerprint:
        return Release(measure, set(levels), cached.cells)
    computed = compute_release(measure, levels)
    try:
        with transaction.atomic():
            PublicRelease.objects.update_or_create(
                measure=measure, defaults={"fingerprint": computed.base.fingerprint,
                                           "cells": computed.cells,
                                           "computed_at": timezone.now()})
    except IntegrityError:
        pass  # another request cached the same release first; ours is as good
    return Release(measure, set(levels), computed.cells)
