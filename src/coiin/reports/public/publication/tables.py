"""The linear system of a release's counts, and its suppression."""

from __future__ import annotations

from dataclasses import dataclass, field

from coiin.stats.suppression import Key, LinearTable

from .data import Base
from .rules import NATIONAL, REST, Level


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
    from coiin.stats.suppression import suppress  # the search (scipy's optimiser) on first use

    result = suppress(table, threshold=thr, latent=latent, method="greedy")
    hidden = {k for k, r in result.reasons.items() if r is not None}
    required = {k: (result.intervals[k].required if k in hidden else float(thr))
                for k in table.keys}
    intervals = {k: (i.low, i.high) for k, i in result.intervals.items()}
    return Suppressed(table, hidden, latent, required, intervals)
