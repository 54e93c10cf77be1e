"""HiGHS called directly, without ``scipy.optimize.linprog``'s per-call overhead (internal).

``solve`` hands HiGHS exactly the problem, and the options, that ``linprog(method="highs")``
would (equalities as ``lhs == rhs`` rows after the inequalities, infinite bounds replaced by
HiGHS's infinity, dual simplex, presolve on unless asked off, no output), so it returns the
same solution; it skips what the suppression never reads (duals, and the Python loop that
reads them per column). ``protect``'s pair LP is solved without presolve: there the dual
simplex from the all-slack basis takes a tenth of the time it takes after presolve.

``solve`` is cold, on purpose. A warm start (the last optimal basis kept, the objective
changed) reaches the same optimum *value*, but where several tables reach it, it can return
another one; ``protect`` would then hide other cells (seen on a 6 x 5 table), so the choice of
cells is always solved cold. ``Model`` keeps one LP warm for the bounds of single cells,
where only the optimum value is read (the table that reaches it is kept as a witness, which
only ever proves a width it really has).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

try:  # the HiGHS bundled with scipy (a private module, there since scipy 1.15)
    from scipy.optimize._highspy import _core as _h
except ImportError:  # older scipy: the same solver through linprog, only slower
    _h = None

_INF = float("inf") if _h is None else _h.kHighsInf
OPTIMAL, INFEASIBLE, UNBOUNDED = 0, 2, 3


def _options(presolve: bool = True) -> Any:
    opts = _h.HighsOptions()
    opts.presolve = "on" if presolve else "off"
    opts.output_flag = False
    opts.log_to_console = False
    opts.highs_debug_level = _h.HighsDebugLevel.kHighsDebugLevelNone
    opts.simplex_strategy = _h.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    return opts


def _finite(x: np.ndarray) -> np.ndarray:
    x = np.array(x, dtype=float)
    inf = np.isinf(x)
    x[inf] = np.sign(x[inf]) * _INF
    return x


def _lp(c: np.ndarray, A: sparse.csc_array, lhs: np.ndarray, rhs: np.ndarray,
        lb: np.ndarray, ub: np.ndarray) -> object:
    lp = _h.HighsLp()
    lp.num_col_ = c.size
    lp.num_row_ = rhs.size
    lp.a_matrix_.num_col_ = c.size
    lp.a_matrix_.num_row_ = rhs.size
    lp.a_matrix_.format_ = _h.MatrixFormat.kColwise
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_ = _finite(lb)
    lp.col_upper_ = _finite(ub)
    lp.row_lower_ = _finite(lhs)
    lp.row_upper_ = _finite(rhs)
    lp.a_matrix_.start_ = A.indptr
    lp.a_matrix_.index_ = A.indices
    lp.a_matrix_.value_ = A.data
    return lp


def _status(highs: object) -> int:
    status = highs.getModelStatus()  # type: ignore[attr-defined]
    if status == _h.HighsModelStatus.kOptimal:
        return OPTIMAL
    if status == _h.HighsModelStatus.kInfeasible:
        return INFEASIBLE
    if status == _h.HighsModelStatus.kUnbounded:
        return UNBOUNDED
    return -1


def solve(
    c: np.ndarray, *, A_eq: sparse.sparray, b_eq: np.ndarray, lower: np.ndarray,
    upper: np.ndarray, A_ub: sparse.sparray | None = None, b_ub: np.ndarray | None = None,
    presolve: bool = True,
) -> tuple[int, np.ndarray | None, float]:
    """min ``c x`` subject to ``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``lower <= x <= upper``.

    Returns (status, x, objective): status 0 optimal, 2 infeasible, 3 unbounded, -1 other.
    ``presolve=False`` solves the problem as given (``linprog``'s ``presolve`` option).
    """
    if _h is None:
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                      bounds=np.column_stack([lower, upper]), method="highs",
                      options={"presolve": presolve})
        if res.status == 0:
            return OPTIMAL, np.asarray(res.x), float(res.fun)
        return {2: INFEASIBLE, 3: UNBOUNDED}.get(res.status, -1), None, float("nan")
    b_eq = np.asarray(b_eq, dtype=float)
    if A_ub is None or b_ub is None:
        A = sparse.csc_array(sparse.vstack((sparse.csr_array((0, c.size)), A_eq)))
        lhs, rhs = b_eq, b_eq
    else:
        b_ub = np.asarray(b_ub, dtype=float)
        A = sparse.csc_array(sparse.vstack((A_ub, A_eq)))
        lhs = np.concatenate((np.full(b_ub.size, -np.inf), b_eq))
        rhs = np.concatenate((b_ub, b_eq))
    highs = _h._Highs()
    highs.passOptions(_options(presolve))
    highs.passModel(_lp(c, A, lhs, rhs, lower, upper))
    return _run(highs)


def _run(highs: Any) -> tuple[int, np.ndarray | None, float]:
    highs.run()
    status = _status(highs)
    if status != OPTIMAL:
        return status, None, float("nan")
    x = np.array(highs.getSolution().col_value)
    return status, x, float(highs.getInfo().objective_function_value)


class Model:
    """One LP (``A_eq x = b_eq``, ``lower <= x <= upper``) solved again with other costs.

    HiGHS keeps the last optimal basis, which stays feasible when only the costs change, so
    each solve after the first is a primal simplex from it: a few pivots where a cold solve
    takes hundreds. The optimum value is a cold solve's; the solution that reaches it may be
    another of several (see above). Without scipy's direct HiGHS module every solve is a cold
    ``linprog`` call on the same problem.
    """

    def __init__(self, A_eq: sparse.sparray, b_eq: np.ndarray, lower: np.ndarray,
                 upper: np.ndarray) -> None:
        self.A_eq = sparse.csr_array(A_eq)
        self.b_eq = np.asarray(b_eq, dtype=float)
        self.lower, self.upper = np.asarray(lower, float), np.asarray(upper, float)
        self.c: np.ndarray | None = None
        self._highs: Any = None

    def solve(self, c: np.ndarray) -> tuple[int, np.ndarray | None, float]:
        """min ``c x``; returns (status, x, objective) as ``solve`` does."""
        c = np.asarray(c, dtype=float)
        if _h is None:
            return solve(c, A_eq=self.A_eq, b_eq=self.b_eq, lower=self.lower, upper=self.upper)
        if self._highs is None:
            # The first solve is an ordinary cold one (dual simplex, presolve); the next ones
            # start from its basis, still feasible, with the primal simplex.
            self._highs = _h._Highs()
            self._highs.passOptions(_options())
            A = sparse.csc_array(self.A_eq)
            self._highs.passModel(_lp(c, A, self.b_eq, self.b_eq, self.lower, self.upper))
            self.c = c
            out = _run(self._highs)
            self._highs.setOptionValue(
                "simplex_strategy",
                int(_h.simplex_constants.SimplexStrategy.kSimplexStrategyPrimal))
            return out
        else:
            assert self.c is not None
            changed = np.flatnonzero(c != self.c).astype(np.int32)
            if changed.size:
                self._highs.changeColsCost(changed.size, changed, c[changed])
        self.c = c
        return _run(self._highs)
