"""Small-number disclosure control: primary and complementary cell suppression.

A *linear table* is a set of cells holding non-negative integer counts and a list of additive
constraints ``total = sum(parts)``, where totals are cells too (so a small total is suppressed
like any other cell). Two-way tables with margins, one-way tables (strata and their total),
n-way tables and several tables or periods that share cells are all linear tables. A table
may also state inequalities ``lesser <= greater`` that an intruder knows to hold, such as a
rate's numerator never exceeding its denominator; they narrow what can be inferred, so the
search and the audit both use them.

Some cells can be *latent*: part of the system (an intruder knows they exist and add up) but
never published, such as the jurisdiction counts behind published network sums. A latent
cell is always hidden; it needs protection only if its own count is small.

Rules (the public-output policy of the network):

* **Primary**: a count from 1 to ``threshold - 1`` (default 1 to 9) is suppressed. Zero is
  published by default: a zero reveals nobody, and hiding every zero in sparse monthly tables
  would blank most of them (``suppress_zero=True`` hides zeros too).
* **Complementary**: more cells are hidden until no suppressed cell can be narrowed down from
  what is published. For every suppressed cell, the smallest and largest value it can take in
  any table of non-negative counts consistent with the published cells and all constraints
  (both found by linear programming) must lie at least ``threshold`` apart. Complementary
  cells are protected too: they are suppressed cells like the others.
* As few extra cells as possible, then the smallest total count hidden. Small tables are
  searched exhaustively (``method="exact"``, or automatically in ``"auto"``); larger ones use
  a greedy LP heuristic followed by a pruning pass. Either way the pattern is audited at the
  end and the exact intervals are returned as the proof.

The result is deterministic: the same table always gives the same pattern.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ._lp import TOL, Engine

Key = Hashable
Reason = Literal["primary", "complementary", "latent"]
Method = Literal["auto", "greedy", "exact"]

DEFAULT_THRESHOLD = 10
UNRELIABLE_BELOW = 20

# "auto" runs the exhaustive search after the heuristic when the number of candidate patterns
# smaller than the heuristic's is at most this; each pattern costs a few LP solves.
EXACT_BUDGET = 400


# Pruning tries to publish each complementary cell again; proving that a trial is still safe
# can take two LPs per cell of its component. A trial that needs more than PRUNE_BUDGET cells
# settled one by one, or whose component has more than PRUNE_MAX_COMPONENT hidden cells, is
# not attempted to the end (the cell stays hidden): deterministic caps, and safe ones, since
# giving up only hides more. They bind in big stratified tables, not in a 60 x 12 one.
PRUNE_BUDGET = 10
PRUNE_MAX_COMPONENT = 600


class SuppressionError(ValueError):
    """A table that cannot be suppressed as given (bad counts or constraints)."""


class AuditError(RuntimeError):
    """The final audit found an unprotected cell: a bug; the pattern must not be published."""


def flag_unreliable(numerator: float, threshold: int = UNRELIABLE_BELOW) -> bool:
    """Whether a rate with this numerator is flagged unreliable (numerator below ``threshold``).

    Works elementwise on a numpy array too. Follows the NCHS convention that rates based on
    fewer than 20 events are unreliable.
    Zero is flagged too: a rate of zero from a handful of births says as little as a rate
    from three deaths. The rate is still shown; the flag is shown beside it.
    """
    return numerator < threshold


def primary_mask(
    counts: np.ndarray | Sequence[int], threshold: int = DEFAULT_THRESHOLD,
    *, suppress_zero: bool = False,
) -> np.ndarray:
    """Boolean mask of counts that are primary-suppressed (1..threshold-1, and 0 if asked)."""
    c = np.asarray(counts)
    low = 0 if suppress_zero else 1
    return (c >= low) & (c < threshold)


# ---------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class LinearTable:
    """Cells with counts, additive constraints ``(total_key, [part keys])`` and known
    inequalities ``(lesser_key, greater_key)`` (e.g. ``(numerator, denominator)``)."""

    cells: Mapping[Key, int]
    constraints: Sequence[tuple[Key, Sequence[Key]]]
    inequalities: Sequence[tuple[Key, Key]] = ()

    def __post_init__(self) -> None:
        cells = dict(self.cells)
        for key, value in cells.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise SuppressionError(f"cell {key!r}: count must be an integer, got {value!r}")
            if value < 0:
                raise SuppressionError(f"cell {key!r}: count must not be negative, got {value}")
        for total, parts in self.constraints:
            for k in (total, *parts):
                if k not in cells:
                    raise SuppressionError(f"constraint on {total!r}: unknown cell {k!r}")
            if total in parts or len(set(parts)) != len(parts):
                raise SuppressionError(
                    f"constraint on {total!r}: a cell may appear only once"
                )
            if cells[total] != sum(cells[p] for p in parts):
                raise SuppressionError(
                    f"constraint on {total!r}: total {cells[total]} is not the sum of its "
                    f"parts ({sum(cells[p] for p in parts)})"
                )
        pairs = [(a, b) for a, b in self.inequalities]
        for a, b in pairs:
            for k in (a, b):
                if k not in cells:
                    raise SuppressionError(f"inequality {a!r} <= {b!r}: unknown cell {k!r}")
            if a == b:
                raise SuppressionError(f"inequality on {a!r}: needs two different cells")
            if cells[a] > cells[b]:
                raise SuppressionError(f"inequality {a!r} <= {b!r} does not hold: "
                                       f"{cells[a]} > {cells[b]}")
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "constraints", [(t, list(p)) for t, p in self.constraints])
        object.__setattr__(self, "inequalities", pairs)

    @property
    def keys(self) -> list[Key]:
        return list(self.cells)

    def matrix(self) -> sparse.csr_array:
        """One row per constraint: +1 for the total, -1 for each part."""
        index = {k: i for i, k in enumerate(self.cells)}
        rows, cols, vals = [], [], []
        for r, (total, parts) in enumerate(self.constraints):
            rows.append(r)
            cols.append(index[total])
            vals.append(1.0)
            for p in parts:
                rows.append(r)
                cols.append(index[p])
                vals.append(-1.0)
        shape = (len(self.constraints), len(self.cells))
        return sparse.csr_array((vals, (rows, cols)), shape=shape)

    def inequality_matrix(self) -> sparse.csr_array:
        """One row per inequality: +1 for the lesser cell, -1 for the greater (``G x <= 0``)."""
        index = {k: i for i, k in enumerate(self.cells)}
        rows, cols, vals = [], [], []
        for r, (a, b) in enumerate(self.inequalities):
            rows += [r, r]
            cols += [index[a], index[b]]
            vals += [1.0, -1.0]
        shape = (len(self.inequalities), len(self.cells))
        return sparse.csr_array((vals, (rows, cols)), shape=shape)

    def system(self) -> tuple[sparse.csr_array, np.ndarray]:
        """The equality system the engine works on: each inequality ``a <= b`` becomes
        ``b = a + s`` with a slack cell ``s = b - a >= 0`` appended after the cells.

        Returns the matrix and the counts, slacks last. The slacks are latent cells that need
        no protection of their own (they are only as secret as ``a`` and ``b`` are).
        """
        A = self.matrix()
        v = [self.cells[k] for k in self.cells]
        if not self.inequalities:
            return A, np.array(v, dtype=np.int64)
        n, k = len(v), len(self.inequalities)
        G = self.inequality_matrix()
        S = sparse.eye_array(k, format="csr")
        top = sparse.hstack([A, sparse.csr_array((A.shape[0], k))])
        # -G x - s = b - a - s = 0
        bottom = sparse.hstack([-G, -S])
        slack = [self.cells[b] - self.cells[a] for a, b in self.inequalities]
        M = sparse.vstack([top, bottom]).tocsr()
        assert M.shape == (A.shape[0] + k, n + k)
        return M, np.array(v + slack, dtype=np.int64)


def one_way_table(counts: Mapping[Key, int], total: Key = "total") -> LinearTable:
    """Strata and their published total (the total's key is ``total``)."""
    cells = dict(counts)
    if total in cells:
        raise SuppressionError(f"stratum key {total!r} clashes with the total's key")
    cells[total] = int(sum(cells.values()))
    return LinearTable(cells, [(total, list(counts))])


def two_way_table(
    # Any, not Key: a Mapping's key type is invariant, so Key would refuse dict[(str, str)].
    counts: Mapping[tuple[Any, Any], int] | np.ndarray,
    rows: Sequence[Key] | None = None,
    cols: Sequence[Key] | None = None,
) -> LinearTable:
    """A two-way table with its row totals, column totals and grand total.

    Keys: ``("cell", r, c)``, ``("row", r)``, ``("col", c)`` and ``("grand",)``. ``counts`` is
    a mapping ``(r, c) -> count`` (every combination present) or a 2-D array, whose labels are
    then ``rows``/``cols`` or 0, 1, ...
    """
    if isinstance(counts, np.ndarray):
        if counts.ndim != 2:
            raise SuppressionError("a two-way table needs a 2-D array")
        rows = list(range(counts.shape[0])) if rows is None else list(rows)
        cols = list(range(counts.shape[1])) if cols is None else list(cols)
        data = {(r, c): int(counts[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)}
    else:
        data = dict(counts)
        rows = list(dict.fromkeys(r for r, _ in data)) if rows is None else list(rows)
        cols = list(dict.fromkeys(c for _, c in data)) if cols is None else list(cols)
        for r in rows:
            for c in cols:
                if (r, c) not in data:
                    raise SuppressionError(f"missing cell row {r!r}, col {c!r}")
    cells: dict[Key, int] = {}
    for r in rows:
        for c in cols:
            cells[("cell", r, c)] = data[(r, c)]
    for r in rows:
        cells[("row", r)] = sum(data[(r, c)] for c in cols)
    for c in cols:
        cells[("col", c)] = sum(data[(r, c)] for r in rows)
    cells[("grand",)] = sum(data.values())
    cons: list[tuple[Key, list[Key]]] = []
    cons += [(("row", r), [("cell", r, c) for c in cols]) for r in rows]
    cons += [(("col", c), [("cell", r, c) for r in rows]) for c in cols]
    cons.append((("grand",), [("row", r) for r in rows]))
    cons.append((("grand",), [("col", c) for c in cols]))
    return LinearTable(cells, cons)


def array_table(counts: np.ndarray) -> LinearTable:
    """An n-way table of counts with every marginal total (of every subset of axes).

    Keys are index tuples in which ``None`` stands for "summed over this axis"; the grand
    total is ``(None,) * ndim``. For a 2-D array this is the same table as ``two_way_table``
    with different keys; a 3-D array is e.g. jurisdictions x months x strata.
    """
    a = np.asarray(counts)
    if a.ndim < 1:
        raise SuppressionError("need at least one axis")
    if not np.issubdtype(a.dtype, np.integer):
        if not np.all(np.equal(np.mod(a, 1), 0)):
            raise SuppressionError("counts must be integers")
        a = a.astype(np.int64)
    ranges = [[*range(n), None] for n in a.shape]
    keys = list(itertools.product(*ranges))
    cells: dict[Key, int] = {}
    for key in keys:
        sel = tuple(slice(None) if k is None else k for k in key)
        cells[key] = int(np.sum(a[sel]))
    cons: list[tuple[Key, list[Key]]] = []
    for key in keys:
        for axis, k in enumerate(key):
            if k is None:
                parts: list[Key] = [key[:axis] + (i,) + key[axis + 1:]
                                    for i in range(a.shape[axis])]
                cons.append((key, parts))
    return LinearTable(cells, cons)


# ---------------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Interval:
    """The range an intruder can narrow a suppressed cell to, and the width it needed."""

    low: float
    high: float
    required: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def safe(self) -> bool:
        return self.width >= self.required - TOL


@dataclass(frozen=True)
class SuppressionResult:
    """Which cells to suppress, why, and the LP intervals that prove the pattern safe."""

    counts: dict[Key, int]
    reasons: dict[Key, Reason | None]
    intervals: dict[Key, Interval]
    threshold: int
    method: str
    fully_suppressed: bool

    def suppressed(self, key: Key) -> bool:
        return self.reasons[key] is not None

    def published(self, key: Key) -> int | None:
        """The count as published: None when suppressed."""
        return None if self.reasons[key] is not None else self.counts[key]

    @property
    def primary(self) -> list[Key]:
        return [k for k, r in self.reasons.items() if r == "primary"]

    @property
    def complementary(self) -> list[Key]:
        return [k for k, r in self.reasons.items() if r == "complementary"]

    @property
    def hidden_total(self) -> int:
        """Sum of the counts hidden by complementary suppression (the tie-break cost)."""
        return sum(self.counts[k] for k in self.complementary)

    @property
    def safe(self) -> bool:
        return all(i.safe for i in self.intervals.values())


# ---------------------------------------------------------------------------------- engine


def audit(
    table: LinearTable, suppressed: Iterable[Key], *, threshold: int = DEFAULT_THRESHOLD
) -> dict[Key, Interval]:
    """LP interval of every suppressed cell, by two plain ``linprog`` solves per cell.

    The independent check of a pattern: it shares nothing with the search but the table
    (its inequalities enter as ``A_ub`` rows here, not as slack cells). ``suppressed`` must
    include the latent cells. Slow on big patterns (two solves per cell); ``suppress``
    returns the same intervals, computed with fewer solves.
    """
    keys = table.keys
    index = {k: i for i, k in enumerate(keys)}
    v = np.array([table.cells[k] for k in keys], dtype=float)
    A = table.matrix()
    hidden = np.zeros(v.size, bool)
    for k in suppressed:
        hidden[index[k]] = True
    h = np.flatnonzero(hidden)
    # Published cells move to the right-hand side.
    A_h = A[:, h]
    b = -(A[:, np.flatnonzero(~hidden)] @ v[~hidden])
    G = table.inequality_matrix()
    ub: dict[str, object] = {}
    if G.shape[0]:
        ub = {"A_ub": G[:, h], "b_ub": -(G[:, np.flatnonzero(~hidden)] @ v[~hidden])}
    out: dict[Key, Interval] = {}
    for pos, cell in enumerate(h.tolist()):
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(h.size)
            c[pos] = sense
            res = linprog(c, A_eq=A_h, b_eq=b, bounds=(0, None), method="highs",
                          **ub)  # type: ignore[arg-type]
            if res.status == 3:
                ends.append(-sense * math.inf)
            elif res.status == 0:
                ends.append(float(res.x[pos]))
            else:  # the true table is feasible, so this is a solver failure
                raise RuntimeError(f"linprog failed on {keys[cell]!r}: {res.message}")
        out[keys[cell]] = Interval(_tidy(ends[0]), _tidy(ends[1]), float(threshold))
    return out


def _tidy(x: float) -> float:
    """Snap LP noise to the nearest integer (vertices of count tables are usually integral)."""
    if math.isfinite(x) and abs(x - round(x)) <= TOL * max(1.0, abs(x)):
        return float(round(x))
    return x


def suppress(
    table: LinearTable,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    suppress_zero: bool = False,
    method: Method = "auto",
    latent: Iterable[Key] = (),
) -> SuppressionResult:
    """Primary and complementary suppression of a linear table, with its audit.

    ``method="greedy"`` is the LP heuristic with pruning; ``"exact"`` searches every pattern
    by number of extra cells, then by hidden total (exponential: small tables only, e.g. to
    check the heuristic); ``"auto"`` runs the heuristic, then the exact search when the
    number of smaller patterns to try is within a fixed budget, so the choice depends only
    on the table, never on time.

    ``latent`` cells are never published (reason ``"latent"``): they are hidden from the
    start, and protected like a primary cell only when their own count is small (1 to
    ``threshold - 1``; a latent zero needs no width). The table's inequalities are known to
    the intruder: the pattern is chosen, and proven, with them.

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
    index = {k: i for i, k in enumerate(keys)}
    forced = np.zeros(n, bool)
    for k in latent:
        if k not in index:
            raise SuppressionError(f"latent cell {k!r} is not in the table")
        forced[index[k]] = True
    A, v = table.system()  # slack cells (one per inequality) after the table's cells
    slack = v.size - n
    forced = np.concatenate([forced, np.ones(slack, bool)])
    eng = Engine(A, v.astype(float))
    small = np.concatenate([primary_mask(v[:n], threshold, suppress_zero=suppress_zero),
                            np.zeros(slack, bool)])
    start = small | forced
    required = _requirements(eng, v, threshold, small)
    required[forced & ~small] = 0.0

    if method == "exact":
        hidden = _exact(eng, start, required, v, budget=None)
        assert hidden is not None
        used = "exact"
    else:
        hidden = _greedy(eng, start, required, v)
        used = "greedy"
        if method == "auto":
            better = _exact(eng, start, required, v, budget=EXACT_BUDGET,
                            beat=hidden)
            if better is not None:
                hidden, used = better, "exact"

    intervals: dict[Key, Interval] = {}
    for comp in eng.components(hidden):
        lo, hi = eng.exact_intervals(hidden, comp)
        for cell, a, b in zip(comp.tolist(), lo.tolist(), hi.tolist(), strict=True):
            if cell < n:
                intervals[keys[cell]] = Interval(_tidy(a), _tidy(b), float(required[cell]))
            elif b - a < required[cell] - TOL:  # slacks need no width; kept for the audit
                raise AuditError(f"suppression audit failed for slack {cell - n}")
    intervals = {keys[i]: intervals[keys[i]] for i in np.flatnonzero(hidden[:n])}
    bad = [k for k, iv in intervals.items() if not iv.safe]
    if bad:  # the search only stops on a verified pattern; never publish if this happens
        raise AuditError(f"suppression audit failed for {bad!r}")
    reasons: dict[Key, Reason | None] = {}
    for i, k in enumerate(keys):
        reasons[k] = ("latent" if forced[i] else "primary" if small[i]
                      else "complementary" if hidden[i] else None)
    shown = ~forced[:n]
    return SuppressionResult(
        counts={k: int(v[i]) for i, k in enumerate(keys)},
        reasons=reasons,
        intervals=intervals,
        threshold=threshold,
        method=used,
        fully_suppressed=bool(hidden[:n][shown].all()),
    )


def _requirements(eng: Engine, v: np.ndarray, threshold: int, hidden: np.ndarray) -> np.ndarray:
    """Width each cell needs when hidden: the threshold, unless no pattern can give it.

    A cell with a positive count can always reach the threshold (hide everything: the table
    scaled up by any factor is then consistent). A zero can too unless the constraints pin
    it to zero whatever else is hidden; only the zeros in ``hidden`` are checked, by one LP
    each over the non-negative directions of the table (bounded by 1 per cell).
    """
    req = np.full(v.size, float(threshold))
    A = eng.A
    for z in np.flatnonzero((v == 0) & hidden).tolist():
        c = np.zeros(v.size)
        c[z] = -1.0
        status, y, _ = eng._solve(c, A, np.zeros(A.shape[0]), upper=np.ones(v.size))
        assert status == 0 and y is not None
        if y[z] <= TOL:
            req[z] = 0.0
    return req


def _cost(v: np.ndarray) -> np.ndarray:
    """Price of hiding each cell: one per cell, plus a tie-break proportional to its count."""
    return 1.0 + v / (2.0 * (float(v.max()) + 1.0) * v.size)


def _greedy(eng: Engine, primary: np.ndarray, required: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Heuristic: protect each unsafe cell with the cheapest LP-chosen cells, then prune."""
    hidden = primary.copy()
    cost = _cost(v.astype(float))
    rounds = 0
    while True:
        rounds += 1
        changed = False
        # Primary cells first, then complementary ones, each in table order (deterministic).
        order = np.concatenate([np.flatnonzero(hidden & primary),
                                np.flatnonzero(hidden & ~primary)])
        # One cheap pass (witnesses only) finds the suspects; each is checked exactly just before
        # it would be protected, since protecting an earlier one often protects it too.
        unsafe = set(eng.proven(hidden, order, required[order], first_only=False,
                                confirm=False))
        for cell in order.tolist():
            if cell not in unsafe:
                continue
            if not eng.proven(hidden, np.array([cell]), required[[cell]]):
                continue  # safe after all (the pass above only found suspects)
            new = eng.protect(hidden, cell, float(required[cell]), cost)
            if new is None:
                # Only a hidden zero pinned by the constraints can get here; it needs no width.
                only = np.zeros_like(hidden)
                only[cell] = True
                required[cell] = _requirements(eng, v, int(required[cell]), only)[cell]
                if required[cell] > 0:  # cannot happen: hiding everything always works
                    hidden[:] = True
                    return hidden
                changed = True
                continue
            hidden[new] = True
            changed = True
        if not changed:
            break
        if rounds > v.size:  # every round hides at least one cell, so this is unreachable
            hidden[:] = True
            return hidden
    return _prune(eng, hidden, primary, required, v)


def _prune(
    eng: Engine, hidden: np.ndarray, primary: np.ndarray, required: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Publish again every complementary cell that is not needed, largest count first."""
    hidden = hidden.copy()
    extra = np.flatnonzero(hidden & ~primary)
    # Witnesses that move primary cells only stay valid in every trial below; many cells are
    # protected by other primary cells alone, and these witnesses prove it once for all.
    eng.spread(primary, required)
    for cell in sorted(extra.tolist(), key=lambda i: (-int(v[i]), i)):
        trial = hidden.copy()
        trial[cell] = False
        stuck = eng.determined(trial)
        if (required[stuck] > TOL).any():  # a protected cell would be alone in a constraint
            continue
        near = eng.neighbours(np.array([cell]))
        # Publishing the cell can only narrow cells in the components it touched: test those.
        is_near = np.zeros(v.size, bool)
        is_near[near] = True
        touched = set()
        for comp in eng.components(trial):
            if is_near[comp].any():
                touched.update(comp.tolist())
        cells = np.array(sorted(touched), dtype=int)
        if cells.size > PRUNE_MAX_COMPONENT:
            continue
        if cells.size == 0:
            hidden = trial
            continue
        first = np.intersect1d(near, cells)
        if not eng.proven(trial, cells, required[cells], priority=first,
                          budget=PRUNE_BUDGET):
            hidden = trial
            eng.forget_invalid(hidden)
    return hidden


def _exact(
    eng: Engine, primary: np.ndarray, required: np.ndarray, v: np.ndarray,
    *, budget: int | None, beat: np.ndarray | None = None,
) -> np.ndarray | None:
    """Exhaustive search: fewest extra cells, then smallest hidden total.

    With ``beat`` only patterns strictly better than it are tried, and None is returned if
    there are more than ``budget`` of them (or none is safe).
    """
    candidates = np.flatnonzero(~primary)
    if beat is not None:
        best_n = int((beat & ~primary).sum())
        best_total = int(v[beat & ~primary].sum())
        sizes = range(0, best_n + 1)
        count = sum(math.comb(candidates.size, s) for s in sizes)
        if budget is not None and count > budget:
            return None
    else:
        best_n, best_total = candidates.size, int(v[candidates].sum()) + 1
        sizes = range(0, candidates.size + 1)
    for size in sizes:
        combos = sorted(itertools.combinations(candidates.tolist(), size),
                        key=lambda cs: (int(v[list(cs)].sum()), cs))
        for cs in combos:
            total = int(v[list(cs)].sum())
            if beat is not None and (size, total) >= (best_n, best_total):
                break
            trial = primary.copy()
            trial[list(cs)] = True
            cells = np.flatnonzero(trial)
            if not eng.proven(trial, cells, required[cells]):
                return trial
    return None
