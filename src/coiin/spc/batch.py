"""Vectorised charts for many series at once (rows = series, columns = subgroups)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .errors import SPCInputError
from .runs import longest_run_max, n_crossings_min


@dataclass
class BatchResult:
    """Arrays for S series of N points; per-series statistics have shape (S,)."""

    y: np.ndarray  # (S, N) plotted values (proportions or rates), NaN = missing
    cl: np.ndarray  # (S,)
    lcl: np.ndarray  # (S, N)
    ucl: np.ndarray
    lcl_2s: np.ndarray
    ucl_2s: np.ndarray
    sigma_signal: np.ndarray  # (S, N) bool
    n_obs: np.ndarray  # (S,) int
    n_useful: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray  # 0 where n_useful == 0
    n_crossings: np.ndarray
    n_crossings_min: np.ndarray  # 0 where n_useful == 0
    runs_signal: np.ndarray  # (S,) bool


@lru_cache(maxsize=64)
def _critical_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Lookup tables of the Anhøj limits for n_useful = 0..n."""
    lrm = np.array([0] + [longest_run_max(k) for k in range(1, n + 1)], dtype=np.int64)
    ncm = np.array([0] + [n_crossings_min(k) for k in range(1, n + 1)], dtype=np.int64)
    return lrm, ncm


def runs_analysis_batch(
    y: np.ndarray, cl: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Anhøj runs statistics of each row of y against cl ((S,) or (S, N)), each of shape (S,)."""
    # Returns n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min, runs_signal
    # and n_obs. Missing y and points on the centre line are dropped, as in runs_analysis().
    y = np.atleast_2d(np.asarray(y, dtype=float))
    c = np.asarray(cl, dtype=float)
    if c.ndim == 1:
        c = c[:, None]
    with np.errstate(invalid="ignore"):
        s = np.sign(y - c)
    s = np.nan_to_num(s, nan=0.0).astype(np.int8)
    rows, cols = s.shape
    useful = s != 0
    n_useful = useful.sum(axis=1)
    pos = np.arange(cols)
    # Index of the last useful point strictly before each column (-1 if none): a forward fill.
    last = np.maximum.accumulate(np.where(useful, pos, -1), axis=1)
    prev = np.empty_like(last)
    prev[:, 0] = -1
    prev[:, 1:] = last[:, :-1]
    prev_sign = np.take_along_axis(s, np.maximum(prev, 0), axis=1)
    cross = useful & (prev >= 0) & (prev_sign != s)
    n_crossings = cross.sum(axis=1)
    # Run length at each useful point = useful points since the start of its run.
    start = useful & ((prev < 0) | cross)
    u = np.cumsum(useful, axis=1)
    start_u = np.maximum.accumulate(np.where(start, u, 0), axis=1)
    run_len = np.where(useful, u - start_u + 1, 0)
    longest = run_len.max(axis=1) if cols else np.zeros(rows, dtype=np.int64)
    lrm_t, ncm_t = _critical_tables(cols)
    lrm, ncm = lrm_t[n_useful], ncm_t[n_useful]
    signal = (n_useful > 0) & ((longest > lrm) | (n_crossings < ncm))
    n_obs = np.full(rows, cols, dtype=np.int64)
    return n_useful, longest, lrm, n_crossings, ncm, signal, n_obs


def _check(y: np.ndarray, n: np.ndarray, proportion: bool) -> None:
    if y.shape != n.shape or y.ndim != 2:
        raise SPCInputError(
            f"y and n must be 2-D arrays of the same shape (series, points); got {y.shape} "
            f"and {n.shape}", field="y", code="batch_shape",
            params={"y": str(y.shape), "n": str(n.shape)},
        )
    with np.errstate(invalid="ignore"):
        checks = [
            (y < 0, "y is negative; counts cannot be negative", "y", "batch_negative_y"),
            (n < 0, "n is negative; denominators cannot be negative", "n", "batch_negative_n"),
            ((n == 0) & (y > 0), "n is 0 but y is above 0", "n", "batch_zero_n"),
        ]
        if proportion:
            checks.append((y > n, "y is above n; a proportion cannot exceed 1", "y",
                           "batch_above_n"))
    for bad, message, fld, code in checks:
        if bad.any():
            s, j = (int(v) for v in np.argwhere(bad)[0])
            raise SPCInputError(
                f"series {s + 1}, point {j + 1}: {message}", point=j + 1, field=fld,
                code=code, params={"series": s + 1, "point": j + 1},
            )


def _rate_batch(y: np.ndarray, n: np.ndarray, proportion: bool, multiply: float) -> BatchResult:
    y = np.asarray(y, dtype=float)
    n = np.asarray(n, dtype=float)
    _check(y, n, proportion)
    ok = ~np.isnan(y) & ~np.isnan(n) & (n > 0)
    ys = np.where(ok, y, 0.0)
    ns = np.where(ok, n, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cl = ys.sum(axis=1) / ns.sum(axis=1)
        p = np.where(ok, ys / np.where(ok, ns, 1.0), np.nan)
        c = cl[:, None]
        sigma = np.where(ok, np.sqrt((c * (1 - c) if proportion else c) / ns), np.nan)
    lcl, lcl2 = np.maximum(0.0, c - 3 * sigma), np.maximum(0.0, c - 2 * sigma)
    ucl, ucl2 = c + 3 * sigma, c + 2 * sigma
    if proportion:
        ucl, ucl2 = np.minimum(1.0, ucl), np.minimum(1.0, ucl2)
    with np.errstate(invalid="ignore"):
        sig = (p > ucl) | (p < lcl)
    n_useful, longest, lrm, ncross, ncm, rsig, n_obs = runs_analysis_batch(p, cl)
    m = float(multiply)
    return BatchResult(
        y=p * m, cl=cl * m, lcl=lcl * m, ucl=ucl * m, lcl_2s=lcl2 * m, ucl_2s=ucl2 * m,
        sigma_signal=sig, n_obs=n_obs, n_useful=n_useful, longest_run=longest,
        longest_run_max=lrm, n_crossings=ncross, n_crossings_min=ncm, runs_signal=rsig,
    )


def p_chart_batch(y: np.ndarray, n: np.ndarray, *, multiply: float = 1) -> BatchResult:
    """P charts with Anhøj runs analysis for every row of y (numerators) and n (denominators)."""
    return _rate_batch(y, n, True, multiply)


def u_chart_batch(y: np.ndarray, n: np.ndarray, *, multiply: float = 1) -> BatchResult:
    """U charts with Anhøj runs analysis for every row of y (counts) and n (exposure)."""
    return _rate_batch(y, n, False, multiply)
