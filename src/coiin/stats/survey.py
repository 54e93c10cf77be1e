"""Pooling survey estimates (PRAMS, BRFSS) of several jurisdictions into one.

Each jurisdiction's figure is a weighted estimate (a percentage) with its standard error,
from its own independent state sample. The pooled estimate of several jurisdictions is
their **births-weighted mean**: with ``B_i`` the jurisdiction's live births that year
(the population the survey stands for) and ``w_i = B_i / Σ B``,

    p = Σ w_i p_i,    SE(p) = sqrt(Σ w_i² SE_i²),

the standard error of a weighted sum of independent estimates with fixed weights (the
births are a census count, not estimated). The 95 % confidence interval is the normal
(Wald) one, ``p ± 1.96 SE``, cut at 0 and 100 for a percentage.

An estimate given with its 95 % interval only is taken to have the standard error
``(upper − lower) / (2 × 1.96)`` (exact for a symmetric interval; an approximation for
the logit intervals some releases print).

Pure standard library; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
METHOD = ("births-weighted mean of the jurisdictions' estimates; standard error "
          "sqrt(Σ w² SE²) with w each jurisdiction's share of the births; 95 % CI "
          "estimate ± 1.96 SE")


@dataclass(frozen=True)
class Estimate:
    """One jurisdiction's estimate in a period, and the births that weigh it."""

    estimate: float
    se: float
    births: float


@dataclass(frozen=True)
class Pooled:
    estimate: float
    se: float
    lower: float
    upper: float
    count: int  # estimates pooled
    births: float  # their births together


def se_from_interval(lower: float, upper: float) -> float:
    """The standard error a 95 % interval implies (see the module's note)."""
    if upper < lower:
        raise ValueError(f"the interval {lower} to {upper} runs backwards")
    return (upper - lower) / (2 * Z95)


def pool(estimates: Sequence[Estimate], *, bounded: bool = True) -> Pooled:
    """The births-weighted estimate of several jurisdictions (``bounded``: a percentage,
    its interval kept within 0-100)."""
    if not estimates:
        raise ValueError("no estimates to pool")
    for e in estimates:
        if not e.births > 0:
            raise ValueError(f"births must be positive to weigh an estimate (got {e.births})")
        if e.se < 0 or math.isnan(e.se) or math.isnan(e.estimate):
            raise ValueError("an estimate and its standard error must be numbers, the "
                             "standard error not negative")
    total = sum(e.births for e in estimates)
    weights = [e.births / total for e in estimates]
    p = sum(w * e.estimate for w, e in zip(weights, estimates, strict=True))
    se = math.sqrt(sum((w * e.se) ** 2 for w, e in zip(weights, estimates, strict=True)))
    lower, upper = p - Z95 * se, p + Z95 * se
    if bounded:
        lower, upper = max(lower, 0.0), min(upper, 100.0)
    return Pooled(p, se, lower, upper, len(estimates), total)
