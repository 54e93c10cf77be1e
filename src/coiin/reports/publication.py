"""Publishing measures to the public site, and the disclosure-controlled release of each.

A *release* is everything public derived from one measure: its annual sums per
jurisdiction, per learning network and for the nation, at the levels backbone staff have
published, and, where they publish them too, the same sums per stratum (e.g. by
race/ethnicity). Only locked data count. All the counts of a release are suppressed
together in one linear system (``coiin.stats.suppression.suppress``):

* jurisdiction cells (jurisdiction x year) and their all-years totals,
* the national cells, each the sum of the jurisdictions (published as the jurisdiction
  table's totals, or as the national level),
* network cells, each the sum of the jurisdictions in that learning network,
* the strata of each of these: a jurisdiction-year's strata add up to its total (with a
  latent remainder for births outside the strata), and sum across jurisdictions and years
  like the totals, so that no stratum can be worked out as a total minus the other strata,
* numerators and denominators of a ratio in the same system, with every numerator at most
  its denominator where that holds (always for a proportion), since an intruder knows it,

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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from coiin.measures.models import DataValue, Measure, Stratum, Submission
from coiin.network.models import User
from coiin.stats.suppression import Key, LinearTable, suppress

from .models_public import PublicRelease, PublishedMeasure

Level = PublishedMeasure.Level
PUBLISHABLE_TYPES = (Measure.Type.RATIO, Measure.Type.COUNT)
# Raised when the way a release is computed changes, so that cached releases are redone.
ALGORITHM_VERSION = 2
NATIONAL = "US"
REST = "*"  # a jurisdiction-year's count outside the published strata (latent)
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
def publish(*, measure: Measure, level: str, user: User | None, note: str = "",
            strata: bool | None = None) -> PublishedMeasure:
    """Publish a measure at a level (idempotent: publishing again keeps the first record).

    ``strata`` True also publishes the measure's strata at that level, False takes them off
    again; None leaves that choice as it is (off for a new record).
    """
    if not publishable(measure):
        raise PublishError(f"{measure.code} is a {measure.get_type_display().lower()} "
                           "measure; only counts and ratios can be published.")
    if level not in Level.values:
        raise PublishError(f"unknown level {level!r}")
    if strata and not measure.stratification:
        raise PublishError(f"{measure.code} is not reported by stratum; it has no strata "
                           "to publish.")
    pub, _ = PublishedMeasure.objects.get_or_create(
        measure=measure, level=level, defaults={"published_by": user, "note": note.strip(),
                                                "publish_strata": bool(strata)})
    if strata is not None and pub.publish_strata != strata:
        pub.publish_strata = strata
        pub.save(update_fields=["publish_strata"])
    _refresh_after_commit(measure)
    return pub


def _refresh_after_commit(measure: Measure) -> None:
    """Compute the measure's new release in the background once the choice is stored, so
    the first public visitor does not wait for the suppression search (a release with
    strata at every level takes minutes)."""
    measure_id = measure.pk
    transaction.on_commit(lambda: refresh_release_task.enqueue(measure_id))


@task()
def refresh_release_task(measure_id: int) -> bool:
    """Bring a measure's cached release up to date; False when nothing is published."""
    measure = Measure.objects.filter(pk=measure_id).first()
    return measure is not None and release(measure) is not None


@transaction.atomic
def unpublish(*, measure: Measure, level: str) -> bool:
    """Take a measure's level off the public site; True if it was published."""
    deleted, _ = PublishedMeasure.objects.filter(measure=measure, level=level).delete()
    if deleted:
        _refresh_after_commit(measure)
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
    """A measure's locked data as annual sums per jurisdiction, and who is in what network.

    Count keys are ``(postal, year, stratum)``: ``stratum`` None for the total, else the
    stratum's code (only where the jurisdiction reported strata that year).
    """

    measure: Measure
    num: dict[tuple[str, int, str | None], int]
    den: dict[tuple[str, int, str | None], int]
    jurisdictions: dict[str, str]  # postal -> name
    networks: dict[str, str]  # slug -> name
    members: dict[str, set[str]]  # slug -> postal codes
    fingerprint: str
    strata: dict[str, str] = field(default_factory=dict)  # code -> label, in order


def whole_count(v: Decimal | None, what: str) -> int:
    """A reported value as a whole count (publishable), or ``PublishError`` saying why not."""
    if v is None:
        raise PublishError(f"{what} is missing")
    if v != v.to_integral_value() or v < 0:
        raise PublishError(f"{what} {v} is not a whole count; it cannot be published")
    return int(v)


def base_data(measure: Measure, levels: Iterable[str],
              strata_levels: Iterable[str] = ()) -> Base:
    """One query: the locked values of the measure (strata too when any are published)."""
    with_strata = bool(measure.stratification) and bool(set(strata_levels))
    values = DataValue.objects.filter(measure=measure,
                                      submission__status=Submission.Status.LOCKED)
    if not with_strata:
        values = values.filter(stratum__isnull=True)
    rows = list(
        values.values_list("submission__team_id", "submission__team__jurisdiction__postal_code",
                           "submission__team__jurisdiction__name",
                           "submission__team__learning_network__slug",
                           "submission__team__learning_network__name",
                           "submission__period_start", "stratum__code", "numerator",
                           "denominator", "value")
        .order_by("submission__team_id", "submission__period_start", "stratum__position",
                  "stratum__code"))
    # A jurisdiction reporting the measure in several teams counts once: the team with the
    # most locked values (then the oldest team), as on the national dashboard.
    per_team: dict[int, int] = defaultdict(int)
    team_of: dict[str, list[int]] = defaultdict(list)
    jurisdictions: dict[str, str] = {}
    networks: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for team_id, postal, jname, slug, nname, _, stratum, *_ in rows:
        if stratum is None:
            per_team[team_id] += 1
        if team_id not in team_of[postal]:
            team_of[postal].append(team_id)
        jurisdictions[postal] = jname
        networks[slug] = nname
        members[slug].add(postal)
    chosen = {min(ids, key=lambda t: (-per_team[t], t)) for ids in team_of.values()}
    num: dict[tuple[str, int, str | None], int] = defaultdict(int)
    den: dict[tuple[str, int, str | None], int] = defaultdict(int)
    ratio = measure.is_ratio
    for team_id, postal, _, _, _, start, stratum, n, d, v in rows:
        if team_id not in chosen:
            continue
        what = f"{measure.code} {postal} {start.isoformat()}"
        if stratum is not None:
            what += f" stratum {stratum}"
        key = (postal, start.year, stratum)
        if ratio:
            if n is None or d is None:
                continue  # a value without both parts has no rate to publish
            num[key] += whole_count(n, what + " numerator")
            den[key] += whole_count(d, what + " denominator")
        elif v is not None:
            num[key] += whole_count(v, what)
    # Strata count only where the jurisdiction-year has a total too.
    for key in [k for k in num if k[2] is not None and (k[0], k[1], None) not in num]:
        num.pop(key)
        den.pop(key, None)
    strata = {}
    if with_strata:
        strata = dict(Stratum.objects.filter(kind=measure.stratification)
                      .order_by("position", "code").values_list("code", "label"))
    payload = json.dumps([ALGORITHM_VERSION, threshold(), unreliable_below(), sorted(levels),
                          sorted(strata_levels), measure.type, measure.multiplier,
                          [[str(x) for x in r] for r in rows]])
    return Base(measure, dict(num), dict(den), jurisdictions, networks,
                {k: v for k, v in members.items()},
                hashlib.sha256(payload.encode()).hexdigest(), strata)


# ---------------------------------------------------------------------------- the tables


def release_table(counts: dict[tuple[str, int, str | None], int], base: Base,
                  levels: set[str], strata_levels: set[str] = frozenset(),  # type: ignore[assignment]
                  ) -> tuple[LinearTable, set[Key]]:
    """The linear system of one kind of count (numerators or denominators) of a release,
    and its latent cells (those of unpublished levels, always hidden).

    Keys are ``(level, unit, year)`` for totals and ``(level, unit, year, stratum)`` for
    strata; ``year`` None is the all-years total. A jurisdiction-year's strata add up to its
    total with a latent remainder (``REST``: not stated, other), or, where they overlap and
    add up to more, are each at most the total (an inequality).
    """
    cells: dict[Key, int] = {}
    cons: list[tuple[Key, list[Key]]] = []
    ineq: list[tuple[Key, Key]] = []
    latent: set[Key] = set()
    J, NAT, NET = Level.JURISDICTION.value, Level.NATIONAL.value, Level.NETWORK.value
    totals = {(p, y): c for (p, y, s), c in counts.items() if s is None}
    years = sorted({y for _, y in totals})
    for (postal, year), c in totals.items():
        cells[(J, postal, year)] = c
        if J not in levels:
            latent.add((J, postal, year))
    if J in levels:
        for postal in sorted({p for p, _ in totals}):
            parts = [(J, postal, y) for y in years if (postal, y) in totals]
            cells[(J, postal, None)] = sum(cells[k] for k in parts)
            cons.append(((J, postal, None), parts))
    if J in levels or NAT in levels:
        _sum_over(cells, cons, totals, years, (NAT, NATIONAL), set(base.jurisdictions), ())
    if NET in levels:
        for slug in sorted(base.members):
            _sum_over(cells, cons, totals, years, (NET, slug), base.members[slug], ())
    codes = [c for c in base.strata if any(k[2] == c for k in counts)]
    if not codes or not strata_levels:
        return LinearTable(cells, cons, ineq), latent
    reported = sorted({(p, y) for p, y, s in counts if s is not None})
    for postal, year in reported:
        parts = []
        for code in codes:
            key = (J, postal, year, code)
            cells[key] = counts.get((postal, year, code), 0)
            parts.append(key)
            if J not in strata_levels:
                latent.add(key)
        rest = cells[(J, postal, year)] - sum(cells[k] for k in parts)
        if rest >= 0:
            cells[(J, postal, year, REST)] = rest
            latent.add((J, postal, year, REST))
            cons.append(((J, postal, year), [*parts, (J, postal, year, REST)]))
        else:
            ineq += [(k, (J, postal, year)) for k in parts]
    have = {(p, y) for p, y in reported}
    for code in codes:
        sub = dict.fromkeys(have, 0)
        if J in strata_levels:
            for postal in sorted({p for p, _ in have}):
                parts = [(J, postal, y, code) for y in years if (postal, y) in have]
                cells[(J, postal, None, code)] = sum(cells[k] for k in parts)
                cons.append(((J, postal, None, code), parts))
        if J in strata_levels or NAT in strata_levels:
            _sum_over(cells, cons, sub, years, (NAT, NATIONAL), set(base.jurisdictions),
                      (code,))
        if NET in strata_levels:
            for slug in sorted(base.members):
                _sum_over(cells, cons, sub, years, (NET, slug), base.members[slug], (code,))
    return LinearTable(cells, cons, ineq), latent


def _sum_over(cells, cons, counts, years, unit: tuple[str, str], postals: set[str],
              suffix: tuple[str, ...]) -> None:
    """Cells of ``unit`` per year (the sum of those jurisdictions) and over all years;
    ``suffix`` is ``(stratum,)`` for a stratum's cells, ``()`` for totals."""
    level, code = unit
    yearly = []
    for y in years:
        parts = [(Level.JURISDICTION.value, p, y, *suffix) for p in sorted(postals)
                 if (p, y) in counts]
        if parts:
            cells[(level, code, y, *suffix)] = sum(cells[k] for k in parts)
            cons.append(((level, code, y, *suffix), parts))
            yearly.append((level, code, y, *suffix))
    if yearly:
        cells[(level, code, None, *suffix)] = sum(cells[k] for k in yearly)
        cons.append(((level, code, None, *suffix), yearly))


def joint_table(num: LinearTable, den: LinearTable, latent: set[Key],
                ordered: bool) -> tuple[LinearTable, set[Key]]:
    """Numerators and denominators as one system, keys ``("n", *key)`` and ``("d", *key)``.

    With ``ordered`` every jurisdiction-level numerator is at most its denominator, and an
    intruder is assumed to know it (the inequalities of the sums follow from these).
    """
    def tag(t: str, k: Key) -> Key:
        return (t, *k)  # type: ignore[misc]

    cells = {tag("n", k): c for k, c in num.cells.items()}
    cells.update({tag("d", k): c for k, c in den.cells.items()})
    cons = [(tag(t, total), [tag(t, p) for p in parts])
            for t, table in (("n", num), ("d", den)) for total, parts in table.constraints]
    ineq = [(tag(t, a), tag(t, b)) for t, table in (("n", num), ("d", den))
            for a, b in table.inequalities]
    if ordered:
        ineq += [(tag("n", k), tag("d", k)) for k in num.cells
                 if k[0] == Level.JURISDICTION.value and k[2] is not None
                 and k in den.cells and num.cells[k] <= den.cells[k]]
    out_latent = {tag(t, k) for k in latent for t in ("n", "d")}
    return LinearTable(cells, cons, ineq), out_latent


@dataclass
class Suppressed:
    """A suppressed release table: which cells are hidden, and the proof."""

    table: LinearTable
    hidden: set[Key]
    latent: set[Key]
    required: dict[Key, float]
    intervals: dict[Key, tuple[float, float]] = field(default_factory=dict)

    def part(self, tag: str) -> Suppressed:
        """The numerators (``"n"``) or denominators (``"d"``) of a joint table, untagged;
        their own constraints only (the table for an intruder who ignores the other)."""
        def mine(k: Key) -> bool:
            return isinstance(k, tuple) and k[0] == tag

        cells = {k[1:]: c for k, c in self.table.cells.items() if mine(k)}
        cons = [(t[1:], [p[1:] for p in ps]) for t, ps in self.table.constraints if mine(t)]
        ineq = [(a[1:], b[1:]) for a, b in self.table.inequalities if mine(a) and mine(b)]
        return Suppressed(LinearTable(cells, cons, ineq),
                          {k[1:] for k in self.hidden if mine(k)},
                          {k[1:] for k in self.latent if mine(k)},
                          {k[1:]: r for k, r in self.required.items() if mine(k)},
                          {k[1:]: i for k, i in self.intervals.items() if mine(k)})


def suppress_release(table: LinearTable, latent: set[Key], thr: int) -> Suppressed:
    """Primary and complementary suppression with latent cells, and its audit (by
    ``coiin.stats.suppression.suppress``, which raises rather than return an unsafe
    pattern)."""
    if not table.keys:
        return Suppressed(table, set(), latent, {})
    result = suppress(table, threshold=thr, latent=latent, method="greedy")
    hidden = {k for k, r in result.reasons.items() if r is not None}
    required = {k: (result.intervals[k].required if k in hidden else float(thr))
                for k in table.keys}
    intervals = {k: (i.low, i.high) for k, i in result.intervals.items()}
    return Suppressed(table, hidden, latent, required, intervals)


# ---------------------------------------------------------------------------- releases


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
                            row["stratum"] or ""])
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


CSV_HEADER = ["measure", "level", "unit", "unit_name", "year", "numerator",
              "numerator_flag", "denominator", "denominator_flag", "rate", "rate_flag",
              "stratum"]


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
        return Release(measure, set(levels), cached.cells, _shown_strata(base, cached.cells))
    computed = compute_release(measure, levels, strata_levels)
    try:
        with transaction.atomic():
            PublicRelease.objects.update_or_create(
                measure=measure, defaults={"fingerprint": computed.base.fingerprint,
                                           "cells": computed.cells,
                                           "computed_at": timezone.now()})
    except IntegrityError:
        pass  # another request cached the same release first; ours is as good
    return Release(measure, set(levels), computed.cells, _shown_strata(base, computed.cells))


def _shown_strata(base: Base, cells: list[dict[str, Any]]) -> dict[str, str]:
    shown = {c.get("stratum") for c in cells}
    return {code: label for code, label in base.strata.items() if code in shown}
