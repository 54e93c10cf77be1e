"""HiGHS called directly, without ``scipy.optimize.linprog``'s per-call overhead (internal).

``solve`` hands HiGHS exactly the problem, and the options, that ``linprog(method="highs")``
would (equalities as ``lhs == rhs`` rows after the inequalities, infinite bounds replaced by
HiGHS's infinity, dual simplex, presolve on, no output), so it returns the same solution; it
skips what the suppression never reads (duals, and the Python loop that reads them per column).

Every solve is cold, on purpose. A warm start (the last optimal basis kept, the objective
changed) reaches the same optimum *value*, but where several tables reach it, it can return
another one; ``protect`` would then hide other cells (seen on a 6 x 5 table), and the witnesses
the pruning pass relies on would change. The suppression promises the same pattern for the
same table, whatever the engine's speed.
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


def _options() -> Any:
    opts = _h.HighsOptions()
    opts.presolve = "on"
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
) -> tuple[int, np.ndarray | None, float]:
    """min ``c x`` subject to ``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``lower <= x <= upper``.

    Returns (status, x, objective): status 0 optimal, 2 infeasible, 3 unbounded, -1 other.
    """
    if _h is None:
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                      bounds=np.column_stack([lower, upper]), method="highs")
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
    highs.passOptions(_options())
    highs.passModel(_lp(c, A, lhs, rhs, lower, upper))
    highs.run()
    status = _status(highs)
    if status != OPTIMAL:
        return status, None, float("nan")
    x = np.array(highs.getSolution().col_value)
    return status, x, float(highs.getInfo().objective_function_value)
