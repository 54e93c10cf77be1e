"""``suppress``: the one entry point of disclosure control, for every public release."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from . import _search
from ._lp import TOL, Engine
from .result import Interval, SuppressionResult, tidy
from .rules import (
    DEFAULT_THRESHOLD,
    AuditError,
    Key,
    Method,
    Reason,
    SuppressionError,
    primary_mask,
)
from .tables import LinearTable


def suppress(
    table: LinearTable,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    suppress_zero: bool = False,
    method: Method = "auto",
    latent: Iterable[Key] = (),
    confidential: Iterable[Key] = (),
    published: Iterable[Key] = (),
) -> SuppressionResult:
    """Primary and complementary suppression of a linear table, with its audit.

    ``method="greedy"`` is the LP heuristic with pruning; ``"exact"`` searches every pattern
    by number of extra cells, then by hidden total (exponential: small tables only, e.g. to
    check the heuristic); ``"auto"`` runs the heuristic, then the exact search when the
    number of smaller patterns to try is within a fixed budget, so the choice depends only
    on the table, never on time.

    ``latent`` cells are never published (reason ``"latent"``): they are hidden from the
    start, and protected like a primary cell only when their own count is small (1 to
    ``threshold - 1``; a latent zero needs no width). ``confidential`` cells are latent
    cells protected like a primary cell whatever their count: sums that are never shown and
    must not be worked out either. ``published`` cells are public already (shown by another
    release): they are never hidden; where the search would have relied on hiding one, every
    other cell of its constraints is hidden instead (see ``_search.repair``). The table's
    inequalities are known to the intruder: the pattern is chosen, and proven, with them.

    The result's ``intervals`` hold, for every suppressed cell, the exact smallest and
    largest value consistent with what is published; each end is an LP optimum, or a
    feasible table that meets a bound implied by one constraint (the same number, found with
    fewer solves). ``audit`` recomputes them with two plain LPs per cell. A pattern that fails
    the final audit raises ``AuditError`` rather than being returned.
    """
    if threshold < 1:
        raise SuppressionError("threshold must be at least 1")
    keys = table.keys
    n = len(keys)
    forced = _mask(table, latent, "latent") | _mask(table, confidential, "confidential")
    secret = _mask(table, confidential, "confidential")
    shown = _mask(table, published, "published")
    if (shown & forced).any():
        raise SuppressionError("a latent or confidential cell cannot be published")
    A, v = table.system()  # slack cells (one per inequality) after the table's cells
    slack = v.size - n
    forced = np.concatenate([forced, np.ones(slack, bool)])
    secret = np.concatenate([secret, np.zeros(slack, bool)])
    shown = np.concatenate([shown, np.zeros(slack, bool)])
    eng = Engine(A, v.astype(float))
    small = np.concatenate([primary_mask(v[:n], threshold, suppress_zero=suppress_zero),
                            np.zeros(slack, bool)])
    start = small | forced
    required = _search.requirements(eng, v, threshold, small | secret)
    required[forced & ~small & ~secret] = 0.0

    if method == "exact":
        found = _search.exact(eng, start, required, v, budget=None, allowed=~shown)
        # Nothing found only when published cells stand in the way: the audit below says so.
        hidden = start | ~shown if found is None else found
        used = "exact"
    else:
        hidden = _search.greedy(eng, start, required, v)
        used = "greedy"
        if method == "auto":
            better = _search.exact(eng, start, required, v, budget=_search.EXACT_BUDGET,
                                   beat=hidden, allowed=~shown)
            if better is not None:
                hidden, used = better, "exact"
    if shown.any():
        hidden = _search.repair(eng, hidden & ~shown, start, required, shown)

    intervals: dict[Key, Interval] = {}
    for comp in eng.components(hidden):
        lo, hi = eng.exact_intervals(hidden, comp)
        for cell, a, b in zip(comp.tolist(), lo.tolist(), hi.tolist(), strict=True):
            if cell < n:
                intervals[keys[cell]] = Interval(tidy(a), tidy(b), float(required[cell]))
            elif b - a < required[cell] - TOL:  # slacks need no width; kept for the audit
                raise AuditError(f"suppression audit failed for slack {cell - n}")
    intervals = {keys[i]: intervals[keys[i]] for i in np.flatnonzero(hidden[:n])}
    bad = [k for k, iv in intervals.items() if not iv.safe]
    if bad:  # the search only stops on a verified pattern; never publish if this happens
        raise AuditError(f"suppression audit failed for {bad!r}")
    reasons: dict[Key, Reason | None] = {}
    for i, k in enumerate(keys):
        reasons[k] = (None if not hidden[i] else "latent" if forced[i]
                      else "primary" if small[i] else "complementary")
    return SuppressionResult(
        counts={k: int(v[i]) for i, k in enumerate(keys)},
        reasons=reasons,
        intervals=intervals,
        threshold=threshold,
        method=used,
        fully_suppressed=bool(hidden[:n][~forced[:n]].all()),
    )


def _mask(table: LinearTable, keys: Iterable[Key], what: str) -> np.ndarray:
    """The table's cells among ``keys``, as a mask in table order."""
    index = {k: i for i, k in enumerate(table.keys)}
    mask = np.zeros(len(index), bool)
    for k in keys:
        if k not in index:
            raise SuppressionError(f"{what} cell {k!r} is not in the table")
        mask[index[k]] = True
    return mask
