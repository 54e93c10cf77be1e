"""Funnel plots: control limits around a network target as a function of team size.

For one period, each team's proportion (or rate) is plotted against its denominator; the
limits narrow as the denominator grows. Normal-approximation limits are
``target +/- z * sqrt(phi) * se(n)``; exact limits invert the binomial (proportions) or
Poisson (rates) distribution and interpolate between integer counts as in Spiegelhalter,
"Funnel plots for comparing institutional performance", Stat Med 2005;24:1185-1202
(appendix A.1.1). ``phi`` is the optional multiplicative over-dispersion factor of
Spiegelhalter, "Handling over-dispersion of performance indicators", Qual Saf Health Care
2005;14:347-351, estimated by ``overdispersion`` from winsorised z-scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

import numpy as np

Kind = Literal["proportion", "rate"]
FunnelMethod = Literal["normal", "exact"]

DEFAULT_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class FunnelLimits:
    """Limits at each denominator ``n``: ``lower[level]`` and ``upper[level]`` arrays."""

    n: np.ndarray
    target: float
    lower: dict[float, np.ndarray]
    upper: dict[float, np.ndarray]


@lru_cache(maxsize=64)
def z_value(level: float) -> float:
    """Two-sided standard-normal quantile: 1.959964 for 0.95, 3.090232 for 0.998 (kept:
    pages ask for the same few). The standard library's quantile agrees with scipy's to
    1e-15 and spares a page loading scipy.stats."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def pooled_target(numerators: Sequence[float] | np.ndarray,
                  denominators: Sequence[float] | np.ndarray) -> float:
    """The network value every team is compared with: sum of numerators / sum of denominators."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    ok = ~(np.isnan(num) | np.isnan(den))
    total = den[ok].sum()
    if total <= 0:
        raise ValueError("the denominators sum to zero")
    return float(num[ok].sum() / total)


def _exact_limit(p: float, n: np.ndarray, theta: float, kind: Kind) -> np.ndarray:
    """Interpolated quantile of the count, divided by n (Spiegelhalter 2005, A.1.1).

    ``r`` is the smallest count with ``P(R <= r) >= p``; moving back from ``r`` by the
    fraction ``alpha`` of the last step of the CDF makes the limit continuous in ``n``.
    """
    from scipy import stats  # only the exact limits need it: imported when first drawn

    if kind == "proportion":
        # The binomial needs whole trials; a drawing grid of fractional n is rounded.
        dist = stats.binom(np.round(n).astype(np.int64), theta)
    else:
        dist = stats.poisson(n * theta)
    r = dist.ppf(p)
    cdf_r = dist.cdf(r)
    cdf_below = dist.cdf(r - 1)
    step = cdf_r - cdf_below
    alpha = np.divide(cdf_r - p, step, out=np.zeros_like(step), where=step > 0)
    return (r - alpha) / n


def funnel_limits(
    denominators: Sequence[float] | np.ndarray,
    target: float,
    *,
    kind: Kind = "proportion",
    levels: Sequence[float] = DEFAULT_LEVELS,
    method: FunnelMethod = "normal",
    multiplier: float = 1.0,
    phi: float = 1.0,
) -> FunnelLimits:
    """Funnel limits around ``target`` at each denominator.

    ``target`` and the limits are in display units: a proportion times ``multiplier`` (1 for
    a fraction, 100 for a percentage) or a rate per ``multiplier`` units of denominator (1000
    for infant deaths per 1,000 live births). Proportion limits are clipped to [0, 1] (times
    ``multiplier``), rate limits at 0. ``phi`` > 1 widens normal limits by sqrt(phi) for
    over-dispersion; exact limits have no such adjustment, so ``phi`` must be 1 with them.
    """
    n = np.asarray(denominators, dtype=float)
    if np.any(n <= 0):
        raise ValueError("denominators must be positive")
    if multiplier <= 0:
        raise ValueError("multiplier must be positive")
    if kind not in ("proportion", "rate"):
        raise ValueError(f"unknown kind {kind!r}")
    theta = target / multiplier
    if kind == "proportion" and not 0 <= theta <= 1:
        raise ValueError(f"a proportion target must be between 0 and {multiplier:g}")
    if kind == "rate" and theta < 0:
        raise ValueError("a rate target must not be negative")
    if method == "exact" and phi != 1.0:
        raise ValueError("the over-dispersion factor applies to normal limits only")
    if phi <= 0:
        raise ValueError("phi must be positive")
    top = 1.0 if kind == "proportion" else np.inf
    lower: dict[float, np.ndarray] = {}
    upper: dict[float, np.ndarray] = {}
    for level in levels:
        if method == "normal":
            var = theta * (1 - theta) if kind == "proportion" else theta
            half = z_value(level) * np.sqrt(phi * var / n)
            lo, hi = theta - half, theta + half
        elif method == "exact":
            if not 0 < level < 1:
                raise ValueError(f"level must be between 0 and 1, got {level}")
            tail = (1 - level) / 2
            lo = _exact_limit(tail, n, theta, kind)
            hi = _exact_limit(1 - tail, n, theta, kind)
        else:
            raise ValueError(f"unknown method {method!r}")
        lower[level] = np.clip(lo, 0.0, top) * multiplier
        upper[level] = np.clip(hi, 0.0, top) * multiplier
    return FunnelLimits(n=n, target=float(target), lower=lower, upper=upper)


def funnel_curve(
    n_min: float, n_max: float, points: int = 100, *, target: float, **options: object
) -> FunnelLimits:
    """Limits on a grid of ``points`` denominators from ``n_min`` to ``n_max``, for drawing.

    The grid is evenly spaced on a log scale, where the funnel changes fastest at small n.
    Other keyword options are those of ``funnel_limits``.
    """
    if not 0 < n_min < n_max or points < 2:
        raise ValueError("need 0 < n_min < n_max and at least 2 points")
    grid = np.geomspace(n_min, n_max, points)
    return funnel_limits(grid, target, **options)  # type: ignore[arg-type]


def classify(
    values: Sequence[float] | np.ndarray | float,
    denominators: Sequence[float] | np.ndarray | float,
    target: float,
    **options: object,
) -> list[str]:
    """Where each team falls: ``inside``, or ``above``/``below`` the widest level crossed.

    Labels are e.g. ``"above 99.8%"``, ``"below 95%"``; a value exactly on a limit is inside
    it. ``values`` are in the same display units as ``target``. Options are those of
    ``funnel_limits``.
    """
    y = np.atleast_1d(np.asarray(values, dtype=float))
    n = np.atleast_1d(np.asarray(denominators, dtype=float))
    lim = funnel_limits(n, target, **options)  # type: ignore[arg-type]
    out = ["inside"] * y.size
    for level in sorted(lim.lower):  # widest level last, so it wins
        label = f"{level * 100:g}%"
        for i in np.flatnonzero(y > lim.upper[level]).tolist():
            out[i] = f"above {label}"
        for i in np.flatnonzero(y < lim.lower[level]).tolist():
            out[i] = f"below {label}"
    return out


def overdispersion(
    numerators: Sequence[float] | np.ndarray,
    denominators: Sequence[float] | np.ndarray,
    target: float | None = None,
    *,
    kind: Kind = "proportion",
    winsor: float = 0.1,
) -> float:
    """Multiplicative over-dispersion factor phi from winsorised z-scores (optional).

    ``phi = mean(z_w^2)`` where ``z = (y - theta) / se(n)`` and ``z_w`` has the lowest and
    highest ``winsor`` fraction of z-scores pulled in to the percentile at that fraction
    (Spiegelhalter 2005). ``target`` is a fraction or a rate per unit (no multiplier); by
    default the pooled value. Winsorising pulls phi below 1 when there is no over-dispersion
    (about 0.68 at 10 % for normal z-scores), so callers adjust only when phi is clearly
    above 1 (Spiegelhalter compares I * phi with chi-squared on I - 1 degrees of freedom).
    """
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    theta = pooled_target(num, den) if target is None else float(target)
    y = num / den
    var = theta * (1 - theta) if kind == "proportion" else theta
    if var <= 0:
        raise ValueError("the target leaves no variance (0 or 1)")
    z = (y - theta) / np.sqrt(var / den)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    return float(np.mean(zw**2))
