"""The search for a complementary pattern (internal): the greedy LP heuristic with its
pruning pass, and the exhaustive search for small tables."""

from __future__ import annotations

import itertools
import math

import numpy as np

from ._lp import TOL, Engine

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

# Rounds of ``repair`` before the audit decides (each hides whole constraints).
REPAIR_ROUNDS = 2


def requirements(eng: Engine, v: np.ndarray, threshold: int, hidden: np.ndarray) -> np.ndarray:
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


def pattern_cost(v: np.ndarray) -> np.ndarray:
    """Price of hiding each cell: one per cell, plus a tie-break proportional to its count."""
    return 1.0 + v / (2.0 * (float(v.max()) + 1.0) * v.size)


def greedy(eng: Engine, primary: np.ndarray, required: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Heuristic: protect each unsafe cell with the cheapest LP-chosen cells, then prune."""
    hidden = primary.copy()
    cost = pattern_cost(v.astype(float))
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
            # The cheapest pair of tables that protects the cell is also the exact check: if the
            # cell is safe already, the pair moves hidden cells only (costing nothing).
            new = eng.protect(hidden, cell, float(required[cell]), cost)
            if new is not None and new.size == 0:
                continue  # safe after all (the pass above only found suspects)
            if new is None:
                # Only a hidden zero pinned by the constraints can get here; it needs no width.
                only = np.zeros_like(hidden)
                only[cell] = True
                required[cell] = requirements(eng, v, int(required[cell]), only)[cell]
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
    return prune(eng, hidden, primary, required, v)


def prune(
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


def exact(
    eng: Engine, primary: np.ndarray, required: np.ndarray, v: np.ndarray,
    *, budget: int | None, beat: np.ndarray | None = None, allowed: np.ndarray | None = None,
) -> np.ndarray | None:
    """Exhaustive search: fewest extra cells, then smallest hidden total.

    With ``beat`` only patterns strictly better than it are tried, and None is returned if
    there are more than ``budget`` of them (or none is safe). Only ``allowed`` cells (all
    by default) are tried as complementary cells.
    """
    candidates = np.flatnonzero(~primary if allowed is None else ~primary & allowed)
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


def repair(
    eng: Engine, hidden: np.ndarray, protected: np.ndarray, required: np.ndarray,
    shown: np.ndarray,
) -> np.ndarray:
    """Widen a pattern from which cells that are public already (``shown``) were taken out.

    A ``protected`` cell left narrower than it needs gets every other cell of its constraints
    hidden, except the ``shown`` ones; this is done at most ``REPAIR_ROUNDS`` times, and the
    caller's audit decides whether the result is safe.
    """
    hidden = hidden.copy()
    for _ in range(REPAIR_ROUNDS):
        unsafe = _unsafe(eng, hidden, protected, required)
        if unsafe.size == 0:
            break
        rows = np.unique(eng.Ac[:, unsafe].nonzero()[0])
        cells = np.unique(eng.A[rows].nonzero()[1])
        hidden[cells] = True
        hidden &= ~shown
    return hidden


def _unsafe(eng: Engine, hidden: np.ndarray, protected: np.ndarray,
            required: np.ndarray) -> np.ndarray:
    """Protected hidden cells whose exact interval is narrower than they need."""
    out = []
    for comp in eng.components(hidden):
        lo, hi = eng.exact_intervals(hidden, comp)
        for cell, a, b in zip(comp.tolist(), lo.tolist(), hi.tolist(), strict=True):
            if protected[cell] and b - a < required[cell] - TOL:
                out.append(cell)
    return np.array(sorted(out), dtype=int)
