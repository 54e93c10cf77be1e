"""Centre lines and control limits per chart type (qicharts2 formulas, see SPEC.md section 2)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# d2(2): sigma = AMR / 1.128 (Montgomery eq. 6.33).
D2 = 1.128
# D4(2): upper limit of a moving range, used for the MR chart and for MR screening.
D4 = 3.267
# The T chart charts y ** (1 / 3.6), which makes exponential waiting times roughly normal.
T_POWER = 3.6

CHARTS = ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g")
# Charts whose y is a numerator count over a denominator.
RATIO_CHARTS = ("p", "pp", "u", "up")
# Charts whose y values must be non-negative counts.
COUNT_CHARTS = ("p", "pp", "c", "u", "up", "g")


@dataclass
class PartInput:
    """Subgroup arrays of one part of a chart."""

    y: np.ndarray
    n: np.ndarray
    y_sum: np.ndarray
    size: np.ndarray
    mean: np.ndarray
    sd: np.ndarray


@dataclass
class PartLimits:
    """Plotted values, centre line and 3- and 2-sigma lines of one part (NaN = none)."""

    y: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    lcl2: np.ndarray
    ucl2: np.ndarray


def _nanmean(v: np.ndarray) -> float:
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size else math.nan


def _nanmedian(v: np.ndarray) -> float:
    v = v[~np.isnan(v)]
    return float(np.median(v)) if v.size else math.nan


def average_moving_range(v: np.ndarray, screen: bool) -> float:
    """Mean |v_i - v_(i-1)|, optionally dropping ranges >= 3.267 * AMR once (Nelson 1982)."""
    mr = np.abs(np.diff(v))
    mr = mr[~np.isnan(mr)]
    if mr.size == 0:
        return math.nan
    amr = float(mr.mean())
    if screen:
        mr = mr[mr < D4 * amr]
        amr = float(mr.mean()) if mr.size else math.nan
    return amr


def c4(n: np.ndarray) -> np.ndarray:
    """Bias constant c4(n) of the sample sd, computed exactly via log-gamma."""
    n = np.asarray(n, dtype=float)
    out = np.full(n.shape, np.nan)
    ok = n > 1
    for i in np.flatnonzero(ok.ravel()):
        k = n.flat[i]
        out.flat[i] = math.sqrt(2.0 / (k - 1.0)) * math.exp(
            math.lgamma(k / 2.0) - math.lgamma((k - 1.0) / 2.0)
        )
    return out


def _full(k: int, v: float) -> np.ndarray:
    return np.full(k, v, dtype=float)


def _constant(y: np.ndarray, cl: float, sigma: float, lo: float | None = None) -> PartLimits:
    k = y.size
    lcl, lcl2 = cl - 3 * sigma, cl - 2 * sigma
    if lo is not None:
        lcl, lcl2 = max(lo, lcl), max(lo, lcl2)
    return PartLimits(
        y, _full(k, cl), _full(k, lcl), _full(k, cl + 3 * sigma), _full(k, lcl2),
        _full(k, cl + 2 * sigma),
    )


def _i_chart(y: np.ndarray, base: np.ndarray, screen: bool) -> PartLimits:
    cl = _nanmean(y[base])
    # Moving ranges run between consecutive base points: an excluded point is skipped over.
    sigma = average_moving_range(y[base], screen) / D2
    return _constant(y, cl, sigma)


def _t_chart(y: np.ndarray, base: np.ndarray, screen: bool) -> PartLimits:
    yt = y ** (1.0 / T_POWER)
    cl = _nanmean(yt[base])
    sigma = average_moving_range(yt[base], screen) / D2
    k = y.size

    def back(v: float, clamp: bool) -> float:
        if math.isnan(v):
            return math.nan
        if v < 0:
            # A negative lower limit on the transformed scale means "no lower limit" (0);
            # qicharts2 leaves the 2-sigma line missing in that case.
            return 0.0 if clamp else math.nan
        return v**T_POWER

    return PartLimits(
        y,
        _full(k, back(cl, False)),
        _full(k, back(cl - 3 * sigma, True)),
        _full(k, back(cl + 3 * sigma, False)),
        _full(k, back(cl - 2 * sigma, False)),
        _full(k, back(cl + 2 * sigma, False)),
    )


def _mr_chart(y: np.ndarray, base: np.ndarray) -> PartLimits:
    # MRs are taken over all points of the part; only the CL is restricted to base points.
    mr = np.concatenate(([np.nan], np.abs(np.diff(y)))) if y.size else y.copy()
    cl = _nanmean(mr[base])
    k = y.size
    return PartLimits(
        mr, _full(k, cl), _full(k, 0.0), _full(k, D4 * cl), _full(k, 0.0),
        _full(k, D4 / 3 * 2 * cl),
    )


def _pooled_sd(d: PartInput, base: np.ndarray) -> float:
    sizes = d.size[d.size > 0]
    b = base & ~np.isnan(d.sd)
    if np.unique(sizes).size > 1:
        # Variable subgroup sizes: pooled sd (Montgomery eq. 6.31).
        den = float(np.sum(d.size[b] - 1))
        return math.sqrt(float(np.sum((d.size[b] - 1) * d.sd[b] ** 2)) / den) if den else math.nan
    return float(d.sd[b].mean()) if b.any() else math.nan


def _xbar_chart(d: PartInput, base: np.ndarray) -> PartLimits:
    b = base & (d.size > 0)
    cl = float(np.sum(d.size[b] * d.mean[b]) / np.sum(d.size[b])) if b.any() else math.nan
    sbar = _pooled_sd(d, base)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = 1.0 / (c4(d.size) * np.sqrt(d.size)) * sbar
    k = d.y.size
    return PartLimits(
        d.mean.copy(), _full(k, cl), cl - 3 * a, cl + 3 * a, cl - 2 * a, cl + 2 * a
    )


def _s_chart(d: PartInput, base: np.ndarray) -> PartLimits:
    cl = _pooled_sd(d, base)
    c = c4(d.size)
    with np.errstate(invalid="ignore"):
        r = np.sqrt(1.0 - c**2) / c  # c5 / c4
    k = d.y.size
    return PartLimits(
        d.sd.copy(),
        _full(k, cl),
        np.maximum(0.0, 1.0 - 3 * r) * cl,
        (1.0 + 3 * r) * cl,
        np.maximum(0.0, 1.0 - 2 * r) * cl,
        (1.0 + 2 * r) * cl,
    )


def _laney_sigma_z(z: np.ndarray, screen: bool, funnel: bool) -> float:
    z = z[~np.isinf(z)]
    if funnel:
        # With categorical x there is no time order, so qicharts2 uses the plain sd of z.
        zz = z[~np.isnan(z)]
        return float(np.std(zz, ddof=1)) if zz.size > 1 else math.nan
    return average_moving_range(z, screen) / D2


def _rate_chart(
    d: PartInput, base: np.ndarray, chart: str, screen: bool, funnel: bool
) -> PartLimits:
    b = base & ~np.isnan(d.y_sum) & ~np.isnan(d.n)
    den = float(np.sum(d.n[b]))
    cl = float(np.sum(d.y_sum[b])) / den if den > 0 else math.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        if chart in ("p", "pp"):
            sigma = np.sqrt(cl * (1 - cl) / d.n)
        else:
            sigma = np.sqrt(cl / d.n)
        if chart in ("pp", "up"):
            z = (d.y[base] - cl) / sigma[base]
            sigma = sigma * _laney_sigma_z(z, screen, funnel)
    k = d.y.size
    lcl, lcl2 = np.maximum(0.0, cl - 3 * sigma), np.maximum(0.0, cl - 2 * sigma)
    ucl, ucl2 = cl + 3 * sigma, cl + 2 * sigma
    if chart in ("p", "pp"):
        ucl, ucl2 = np.minimum(1.0, ucl), np.minimum(1.0, ucl2)
    # np.maximum/np.minimum propagate NaN, so missing denominators keep missing limits.
    return PartLimits(d.y.copy(), _full(k, cl), lcl, ucl, lcl2, ucl2)


def _c_chart(d: PartInput, base: np.ndarray) -> PartLimits:
    cl = _nanmean(d.y_sum[base])
    return _constant(d.y_sum.copy(), cl, math.sqrt(cl) if cl >= 0 else math.nan, lo=0.0)


def _g_chart(y: np.ndarray, base: np.ndarray) -> PartLimits:
    m = _nanmean(y[base])
    lim = _constant(y, m, math.sqrt(m * (m + 1)), lo=0.0)
    # The plotted centre line is the median; the limits come from the mean (geometric sd).
    lim.cl = _full(y.size, _nanmedian(y[base]))
    return lim


def _run_chart(y: np.ndarray, base: np.ndarray) -> PartLimits:
    k = y.size
    nan = _full(k, math.nan)
    return PartLimits(y, _full(k, _nanmedian(y[base])), nan, nan.copy(), nan.copy(), nan.copy())


def part_limits(
    chart: str, d: PartInput, base: np.ndarray, *, screen_mr: bool = True, funnel: bool = False
) -> PartLimits:
    """Compute plotted y, CL and limits of one part; base marks the points feeding estimates."""
    if chart == "run":
        return _run_chart(d.y.copy(), base)
    if chart == "i":
        return _i_chart(d.y.copy(), base, screen_mr)
    if chart == "mr":
        return _mr_chart(d.y, base)
    if chart == "t":
        return _t_chart(d.y.copy(), base, screen_mr)
    if chart == "xbar":
        return _xbar_chart(d, base)
    if chart == "s":
        return _s_chart(d, base)
    if chart in RATIO_CHARTS:
        return _rate_chart(d, base, chart, screen_mr, funnel)
    if chart == "c":
        return _c_chart(d, base)
    if chart == "g":
        return _g_chart(d.y.copy(), base)
    raise ValueError(f"unknown chart {chart!r}")
