"""Linear-programming machinery behind complementary suppression (internal).

A table is a vector ``v`` of non-negative counts and a matrix ``A`` with one row per additive
constraint (``+1`` for the total, ``-1`` for each part), so ``A @ v == 0``. An intruder who sees
the published cells knows that the hidden cells ``x`` satisfy ``A x = 0`` with the published
values fixed and ``x >= 0``; the set of such ``x`` is a polytope, and the protection of a hidden
cell is the width of its projection on that cell's axis.

Two kinds of evidence are used, and both are exact:

* a *witness* is a feasible table (it agrees with every published cell), so the interval of a
  cell contains every witness's value for it: witnesses prove protection from below;
* an LP optimum (HiGHS, called directly: see ``_highs``) gives an end of an interval exactly;
  so does a witness that reaches a bound implied by one constraint on its own (``x_k <= b``
  when every other cell in the constraint enters with the same sign).

Witnesses are kept as full-length tables. One stays valid while the hidden set only grows, and
after a cell is published again only if it already agreed with that cell's true value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from . import _highs

# Counts are integers of modest size; HiGHS meets its feasibility tolerance (1e-7) well inside
# this, and a protection that misses the threshold by less than this is still a whole count.
TOL = 1e-6

# Relative extra cost of changing the lower table of ``protect``'s pair (see there).
LOWER_TABLE_PREMIUM = 1e-3

# Components whose LP is kept warm for the bounds of single cells (most recently used).
WARM_MODELS = 4


class LPError(RuntimeError):
    """HiGHS failed on a problem that is feasible by construction (should not happen)."""


@dataclass
class Engine:
    """A table (``A``, ``v``) plus the witnesses collected so far."""

    A: sparse.csr_array
    v: np.ndarray
    lp_calls: int = 0

    def __post_init__(self) -> None:
        self.A = sparse.csr_array(self.A, dtype=float)
        self.Ac = sparse.csc_array(self.A)
        self._absA = abs(self.A)
        self._absAc = sparse.csc_array(self._absA)
        self.v = np.asarray(self.v, dtype=float)
        # Witnesses, one per row, and where each differs from the true table (as floats, so
        # that "valid for this hidden set" is one matrix-vector product).
        self._W = np.empty((64, self.v.size))
        self._D = np.empty((64, self.v.size), dtype=np.float32)
        self._nw = 0
        self._reduced_cache: dict[bytes, tuple[sparse.csr_array, np.ndarray]] = {}
        self._pair: sparse.csr_array | None = None  # protect's constraints (two tables)
        self._models: dict[bytes, _highs.Model] = {}  # warm LPs of components, oldest first
        # Which witnesses are valid for the hidden set last asked about: (its bytes, how many
        # witnesses were checked, their verdicts). Witnesses are only appended between two
        # compactions, so only the new ones need checking when the same set is asked again.
        self._valid_memo: tuple[bytes, int, np.ndarray] = (b"", 0, np.empty(0, bool))

    # ------------------------------------------------------------------ structure

    def components(self, hidden: np.ndarray) -> list[np.ndarray]:
        """Hidden cells grouped so that no constraint links two groups (sorted, deterministic)."""
        idx = np.flatnonzero(hidden)
        if idx.size == 0:
            return []
        # Cells and constraints as one bipartite graph: its components are the cells' groups.
        m = self.A.shape[0]
        B = self._absAc[:, idx].tocoo()
        graph = sparse.coo_array((np.ones(B.nnz), (B.row, m + B.col)),
                                 shape=(m + idx.size, m + idx.size))
        _, labels = connected_components(graph, directed=False)
        labels = labels[m:]
        order = np.argsort(labels, kind="stable")  # cells of a group stay in table order
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        groups = np.split(idx[order], bounds)
        return sorted(groups, key=lambda g: int(g[0]))

    def determined(self, hidden: np.ndarray) -> np.ndarray:
        """Hidden cells that are the only hidden cell of some constraint (width zero)."""
        absA = self._absA
        count = absA @ hidden.astype(float)
        rows = np.flatnonzero(count == 1)
        if rows.size == 0:
            return np.empty(0, dtype=int)
        hit = absA[rows] @ sparse.diags_array(hidden.astype(float))
        return np.unique(sparse.coo_array(hit).col)

    def neighbours(self, cells: np.ndarray) -> np.ndarray:
        """Cells that share a constraint with any of ``cells`` (including them)."""
        rows = np.unique(self.Ac[:, cells].tocoo().row)
        if rows.size == 0:
            return np.asarray(cells)
        return np.unique(np.concatenate([self.A[rows].tocoo().col, cells]))

    def _reduced(self, comp: np.ndarray) -> tuple[sparse.csr_array, np.ndarray]:
        """Constraints restricted to the hidden cells ``comp``: ``M x = b``."""
        key = comp.tobytes()
        hit = self._reduced_cache.get(key)
        if hit is None:
            sub = self.Ac[:, comp]
            rows = np.unique(sub.tocoo().row)
            M = sparse.csr_array(sub[rows])
            hit = self._reduced_cache[key] = (M, M @ self.v[comp])
        return hit

    # ------------------------------------------------------------------ witnesses

    def add_witness(self, comp: np.ndarray, x: np.ndarray) -> None:
        """Record a feasible table that differs from the truth only in ``comp``."""
        w = self.v.copy()
        w[comp] = np.maximum(x, 0.0)
        self._push(w)

    def _push(self, w: np.ndarray) -> None:
        if self._nw == self._W.shape[0]:
            self._W = np.vstack([self._W, np.empty_like(self._W)])
            self._D = np.vstack([self._D, np.empty_like(self._D)])
        self._W[self._nw] = w
        self._D[self._nw] = np.abs(w - self.v) > TOL
        self._nw += 1

    def forget_invalid(self, hidden: np.ndarray) -> None:
        """Drop witnesses that publish a different value for a shown cell.

        Only for callers whose hidden set never grows back (the pruning pass).
        """
        ok = np.flatnonzero(self._D[: self._nw] @ (~hidden).astype(np.float32) == 0)
        self._W[: ok.size] = self._W[ok]
        self._D[: ok.size] = self._D[ok]
        self._nw = ok.size
        self._valid_memo = (b"", 0, np.empty(0, bool))

    def valid(self, hidden: np.ndarray) -> np.ndarray:
        """Indices of the witnesses that agree with the truth on every shown cell."""
        key = hidden.tobytes()
        memo_key, checked, ok = self._valid_memo
        if memo_key != key:
            checked, ok = 0, np.empty(0, bool)
        if checked < self._nw:
            new = self._D[checked: self._nw] @ (~hidden).astype(np.float32) == 0
            ok = np.concatenate([ok, new])
            self._valid_memo = (key, self._nw, ok)
        return np.flatnonzero(ok[: self._nw])

    def witness_range(self, hidden: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Smallest and largest value of ``cells`` over the witnesses valid for ``hidden``."""
        lo = self.v[cells].copy()
        hi = lo.copy()
        if self._nw:
            ok = self.valid(hidden)
            if ok.size:
                W = self._W[np.ix_(ok, cells)]
                lo = np.minimum(lo, W.min(axis=0))
                hi = np.maximum(hi, W.max(axis=0))
        return lo, hi

    # ------------------------------------------------------------------ LP solves

    def _solve(
        self, c: np.ndarray, M: sparse.csr_array, b: np.ndarray, upper: np.ndarray | None = None
    ) -> tuple[int, np.ndarray | None, float]:
        self.lp_calls += 1
        n = c.size
        status, x, fun = _highs.solve(c, A_eq=M, b_eq=b, lower=np.zeros(n),
                                      upper=np.full(n, np.inf) if upper is None else upper)
        if status == _highs.OPTIMAL:
            return 0, x, fun
        if status == _highs.UNBOUNDED:
            return 3, None, -np.inf
        raise LPError(f"HiGHS failed (status {status})")

    def _warm_solve(self, comp: np.ndarray, c: np.ndarray) -> tuple[int, np.ndarray | None, float]:
        """min ``c x`` over the tables that differ from the truth only in ``comp``, warm.

        One HiGHS model is kept per recently used component (the last ``WARM_MODELS``); only
        its costs change between solves. A status other than optimal or unbounded from the
        kept basis is solved again cold.
        """
        key = comp.tobytes()
        model = self._models.pop(key, None)
        if model is None:
            M, b = self._reduced(comp)
            model = _highs.Model(M, b, np.zeros(comp.size), np.full(comp.size, np.inf))
        self._models[key] = model  # most recent last
        while len(self._models) > WARM_MODELS:
            del self._models[next(iter(self._models))]
        self.lp_calls += 1
        status, x, fun = model.solve(c)
        if status == _highs.OPTIMAL:
            return 0, x, fun
        if status == _highs.UNBOUNDED:
            return 3, None, -np.inf
        del self._models[key]
        M, b = self._reduced(comp)
        return self._solve(c, M, b)

    def cell_bound(self, comp: np.ndarray, pos: int, sense: int) -> float:
        """Exact min (``sense=+1``) or max (``sense=-1``) of cell ``comp[pos]`` by one LP."""
        c = np.zeros(comp.size)
        c[pos] = sense
        status, x, fun = self._warm_solve(comp, c)
        if status == 3:
            return -np.inf if sense > 0 else np.inf
        assert x is not None
        self.add_witness(comp, x)
        return float(x[pos])

    def simple_bounds(self, comp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bounds each hidden cell gets from one constraint alone (valid, maybe not tight).

        Also returns, per cell, the constraint that gives the upper bound (-1 if none).
        """
        M, b = self._reduced(comp)
        lb = np.zeros(comp.size)
        ub = np.full(comp.size, np.inf)
        ub_row = np.full(comp.size, -1)
        coo = M.tocoo()
        npos = np.bincount(coo.row, weights=(coo.data > 0), minlength=M.shape[0])
        nneg = np.bincount(coo.row, weights=(coo.data < 0), minlength=M.shape[0])
        for r, k, a in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
            same = (npos[r] if a > 0 else nneg[r]) - 1
            other = nneg[r] if a > 0 else npos[r]
            bound = b[r] if a > 0 else -b[r]
            if other == 0:  # every other hidden cell adds with the same sign
                if bound < ub[k]:
                    ub[k], ub_row[k] = bound, r
                if same == 0:
                    lb[k] = max(lb[k], bound)
            elif same == 0:  # every other hidden cell enters with the opposite sign
                lb[k] = max(lb[k], bound)
        return lb, ub, ub_row

    def exact_intervals(
        self, hidden: np.ndarray, comp: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact LP interval of every cell of one component of ``hidden``.

        Each end is settled either by its own LP or by a witness that reaches a one-constraint
        bound. Witnesses come first from a few LPs over many cells at once (minimise their sum;
        maximise a weighted sum of cells bounded by different constraints), which settles most
        ends in a table with many hidden cells for a handful of solves.
        """
        M, b = self._reduced(comp)
        lb, ub, ub_row = self.simple_bounds(comp)
        lo_done = np.zeros(comp.size, bool)
        hi_done = np.zeros(comp.size, bool)
        lo = lb.copy()
        hi = ub.copy()

        def refresh() -> None:
            wlo, whi = self.witness_range(hidden, comp)
            hit = ~lo_done & (wlo <= lb + TOL)
            lo[hit] = lb[hit]
            lo_done[hit] = True
            hit = ~hi_done & np.isfinite(ub) & (whi >= ub - TOL)
            hi[hit] = ub[hit]
            hi_done[hit] = True

        refresh()
        # Lower ends: minimising a sum drives most of its cells to their bound at once.
        while not lo_done.all():
            before = int(lo_done.sum())
            c = np.where(lo_done, 0.0, 1.0)
            status, x, _ = self._warm_solve(comp, c)
            assert status == 0 and x is not None
            self.add_witness(comp, x)
            refresh()
            if int(lo_done.sum()) == before:
                break
        for pos in np.flatnonzero(~lo_done):
            lo[pos] = self.cell_bound(comp, int(pos), +1)
            lo_done[pos] = True
        refresh()
        # Unbounded upper ends: a non-negative direction inside the constraints is a ray.
        open_ = ~hi_done & ~np.isfinite(ub)
        while open_.any():
            status, x, fun = self._solve(-open_.astype(float), M, np.zeros(M.shape[0]),
                                         upper=np.ones(comp.size))
            assert status == 0 and x is not None
            ray = open_ & (x > TOL)
            if not ray.any():
                break
            hi[ray] = np.inf
            hi_done[ray] = True
            open_ &= ~ray
        # Finite upper ends: push cells bounded by different constraints to their bounds
        # together (two cells bounded by the same total cannot both reach it).
        while True:
            todo = np.flatnonzero(~hi_done & np.isfinite(ub) & (ub > 0))
            if todo.size == 0:
                break
            _, first = np.unique(ub_row[todo], return_index=True)
            pick = todo[np.sort(first)]
            c = np.zeros(comp.size)
            c[pick] = -1.0 / ub[pick]
            before = int(hi_done.sum())
            status, x, _ = self._warm_solve(comp, c)
            assert status == 0 and x is not None
            self.add_witness(comp, x)
            refresh()
            if int(hi_done.sum()) == before:
                break
        for pos in np.flatnonzero(~hi_done):
            hi[pos] = self.cell_bound(comp, int(pos), -1)
            hi_done[pos] = True
        return lo, hi

    def proven(
        self, hidden: np.ndarray, cells: np.ndarray, required: np.ndarray,
        *, first_only: bool = True, priority: np.ndarray | None = None,
        confirm: bool = True, budget: int | None = None,
    ) -> list[int]:
        """Cells of ``cells`` whose LP width is below ``required`` (exact test; [] if none).

        A cell alone among the hidden cells of some constraint fails at once. Witnesses settle
        most others; ``priority`` cells (the likeliest failures) are then tried one by one; for
        the rest, a few LPs along pseudo-random directions add witnesses for many cells at once,
        and whatever is still unproven gets its own min and max LP, narrowest first. With
        ``first_only`` it stops at the first failure. With ``confirm=False`` the last step is
        skipped: the cells returned are only not proven safe (suspects), not proven unsafe.
        ``budget`` caps the number of cells settled one by one; a cell left over when it runs
        out is returned as failing (only for callers to whom "not proven" is good enough).
        """
        cells = np.asarray(cells, dtype=int)
        required = np.asarray(required, dtype=float)
        # A cell alone among the hidden cells of a constraint is recovered by subtraction.
        stuck = np.isin(cells, self.determined(hidden)) & (required > TOL)
        if stuck.any():
            if first_only:
                return [int(cells[np.argmax(stuck)])]
            failed_now = cells[stuck].tolist()
            rest = self.proven(hidden, cells[~stuck], required[~stuck], first_only=False,
                               confirm=confirm)
            return sorted(failed_now + rest)
        lo, hi = self.witness_range(hidden, cells)
        todo = hi - lo < required - TOL
        if not todo.any():
            return []
        where: dict[int, np.ndarray] = {}
        for comp in self.components(hidden):
            for cell in comp.tolist():
                where[cell] = comp
        groups: dict[int, list[int]] = {}
        failed: list[int] = []

        left = [np.inf if budget is None else budget]

        def settle(comp: np.ndarray, p: int, r: float) -> bool:
            wl, wh = self.witness_range(hidden, comp[[p]])
            if wh[0] - wl[0] >= r - TOL:
                return True
            if left[0] <= 0:
                return False
            left[0] -= 1
            low = self.cell_bound(comp, p, +1)
            high = self.cell_bound(comp, p, -1)
            return high - low >= r - TOL

        # Cells most likely to fail are tried one by one first, so that a doomed pattern is
        # rejected after a few solves.
        for cell in [] if priority is None else np.asarray(priority).tolist():
            hits = np.flatnonzero(cells == cell)
            if hits.size and todo[hits[0]]:
                comp = where[cell]
                if not settle(comp, int(np.searchsorted(comp, cell)), float(required[hits[0]])):
                    failed.append(cell)
                    if first_only:
                        return failed
                todo[hits[0]] = False
        groups = {}
        for i in np.flatnonzero(todo).tolist():
            groups.setdefault(int(where[int(cells[i])][0]), []).append(i)
        for members in groups.values():
            comp = where[int(cells[members[0]])]
            pos = np.searchsorted(comp, cells[members])
            need = required[members]
            if len(members) > 1:
                self._spread_rounds(hidden, comp, pos, need)
            wlo, whi = self.witness_range(hidden, comp[pos])
            # Narrowest first: the likeliest failures.
            for k in np.argsort(whi - wlo, kind="stable").tolist():
                if whi[k] - wlo[k] >= need[k] - TOL:
                    continue
                if not confirm:
                    failed.append(int(comp[pos[k]]))
                    continue
                if not settle(comp, int(pos[k]), float(need[k])):
                    failed.append(int(comp[pos[k]]))
                    if first_only:
                        return failed
        return failed
        return failed

    def spread(self, hidden: np.ndarray, required: np.ndarray) -> None:
        """Collect witnesses that spread every cell of ``hidden`` (no verdict)."""
        for comp in self.components(hidden):
            if comp.size > 1:
                self._spread_rounds(hidden, comp, np.arange(comp.size), required[comp])

    def _spread_rounds(
        self, hidden: np.ndarray, comp: np.ndarray, pos: np.ndarray, need: np.ndarray
    ) -> None:
        """Add witnesses that spread many cells of one component at once.

        Each round pushes the component along a pseudo-random signed direction and then
        against it, so most cells go up in one solve and down in the other. (Pushing a plain
        sum does not work: with a published total the sum of its hidden parts is fixed.)
        Every cell is capped at its value plus the largest width needed, which keeps the LP
        bounded without hindering the proof. The seed depends only on the component, so the
        result is deterministic.
        """
        M, b = self._reduced(comp)
        rng = np.random.default_rng(comp.size)
        upper = self.v[comp] + float(need.max())
        stalled = 0
        open_count = pos.size
        for _ in range(8):
            w = rng.uniform(0.5, 1.5, comp.size) * rng.choice([-1.0, 1.0], comp.size)
            for sense in (1.0, -1.0):
                status, x, _ = self._solve(sense * w, M, b, upper=upper)
                if status == 0 and x is not None:
                    self.add_witness(comp, x)
            wlo, whi = self.witness_range(hidden, comp[pos])
            now = int(np.sum(whi - wlo < need - TOL))
            if now == 0:
                return
            stalled = stalled + 1 if now >= open_count else 0
            if stalled >= 2:
                return
            open_count = now

    # ------------------------------------------------------------------ choosing cells to hide

    def protect(self, hidden: np.ndarray, cell: int, required: float,
                cost: np.ndarray) -> np.ndarray | None:
        """Published cells whose hiding gives ``cell`` an LP width of at least ``required``.

        Solves for two tables consistent with everything that would be published, one with the
        cell at least ``required`` above the other, paying ``cost[j]`` per unit of change in
        each published cell ``j`` (hidden cells change for free). Both tables then become
        witnesses. An L1 cost is the usual stand-in for "fewest cells": optimal solutions sit
        on vertices, which change few cells. Returns None when no such pair exists.
        """
        n = self.v.size
        # Deviations x = v + p - q with 0 <= q <= v, for the upper (1) and lower (2) table.
        m = self.A.shape[0]
        if self._pair is None:  # the same for every call: built once
            Z = sparse.csr_array((m, n))
            A = self.A
            self._pair = sparse.vstack([
                sparse.hstack([A, -A, Z, Z]),
                sparse.hstack([Z, Z, A, -A]),
            ]).tocsr()
        A_eq = self._pair
        b_eq = np.zeros(2 * m)
        row = np.zeros(4 * n)
        row[cell], row[n + cell], row[2 * n + cell], row[3 * n + cell] = -1, 1, 1, -1
        c_one = np.where(hidden, 0.0, cost)
        # The lower table pays a little more: of two equally cheap pairs, the one that moves
        # the upper table alone wins, rather than one that moves other cells in each table
        # (same L1 cost, twice the cells). Also makes the optimum less often a tie.
        c_two = c_one * (1.0 + LOWER_TABLE_PREMIUM)
        c = np.concatenate([c_one, c_one, c_two, c_two])
        upper = np.concatenate([np.full(n, np.inf), self.v, np.full(n, np.inf), self.v])
        # Always a cold solve: warm-started from the previous call's basis, HiGHS can return
        # another of several equally cheap pairs, which changes the pattern. Without presolve:
        # the dual simplex from the all-slack basis needs ~250 pivots here, against ~2,000
        # after presolve (a 60 x 12 x 3 table: 12 ms a solve instead of 135 ms).
        self.lp_calls += 1
        status, x, _ = _highs.solve(c, A_ub=sparse.csr_array(row[None, :]),
                                    b_ub=np.array([-required]), A_eq=A_eq, b_eq=b_eq,
                                    lower=np.zeros(4 * n), upper=upper, presolve=False)
        if status == _highs.INFEASIBLE:
            return None
        if status != _highs.OPTIMAL or x is None:
            raise LPError(f"HiGHS failed (status {status})")
        p1, q1, p2, q2 = np.split(x, 4)
        moved = (p1 + q1 + p2 + q2 > TOL) & ~hidden
        for d in (p1 - q1, p2 - q2):
            w = np.maximum(self.v + d, 0.0)
            w[~moved & ~hidden] = self.v[~moved & ~hidden]
            self._push(w)
        return np.flatnonzero(moved)
