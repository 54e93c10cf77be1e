"""Network-level pooling of team series, and rate ratios for disparities."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class Pooled:
    """Per period: pooled numerator, denominator, rate, and how many teams contributed."""

    numerator: np.ndarray
    denominator: np.ndarray
    rate: np.ndarray
    contributors: np.ndarray


def pool(
    numerators: Sequence[Sequence[float]] | np.ndarray,
    denominators: Sequence[Sequence[float]] | np.ndarray,
    *,
    multiplier: float = 1.0,
) -> Pooled:
    """Network numerator, denominator and rate per period from teams x periods arrays.

    A team counts in a period only when it reported both numerator and denominator there
    (NaN marks a missing value): a team missing a period is left out of that period's pool
    entirely rather than counted as zero, and ``contributors`` says how many teams made up
    each period. The rate is ``multiplier * numerator / denominator``, NaN for a period with
    no contributors or a zero denominator.
    """
    num = np.atleast_2d(np.asarray(numerators, dtype=float))
    den = np.atleast_2d(np.asarray(denominators, dtype=float))
    if num.shape != den.shape:
        raise ValueError(f"numerators {num.shape} and denominators {den.shape} differ in shape")
    both = ~(np.isnan(num) | np.isnan(den))
    n = np.where(both, num, 0.0).sum(axis=0)
    d = np.where(both, den, 0.0).sum(axis=0)
    rate = np.divide(n, d, out=np.full_like(n, np.nan), where=d > 0) * multiplier
    return Pooled(numerator=n, denominator=d, rate=rate, contributors=both.sum(axis=0))


@dataclass(frozen=True)
class RateRatio:
    """A ratio of two rates with its confidence interval."""

    ratio: float
    lower: float
    upper: float
    level: float


def ratio(
    events_a: float, total_a: float, events_b: float, total_b: float, *, level: float = 0.95
) -> RateRatio:
    """Ratio of rate A (events_a / total_a) to rate B, with a Katz log-scale interval.

    The interval is ``exp(log(RR) +/- z * se)`` with
    ``se = sqrt(1/a - 1/n_a + 1/b - 1/n_b)`` (Katz et al., Biometrics 1978), the usual
    interval for e.g. the Black:White infant mortality ratio (deaths over live births).
    With zero events in either group the log scale breaks down: the ratio is 0 or infinite
    and both limits are NaN.
    """
    for name, value in (("total_a", total_a), ("total_b", total_b)):
        if value <= 0:
            raise ValueError(f"{name} must be positive")
    if not (0 <= events_a <= total_a and 0 <= events_b <= total_b):
        raise ValueError("events must be between 0 and their total")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    rate_a, rate_b = events_a / total_a, events_b / total_b
    if events_a == 0 or events_b == 0:
        rr = 0.0 if events_a == 0 and events_b > 0 else math.inf if events_a > 0 else math.nan
        return RateRatio(rr, math.nan, math.nan, level)
    rr = rate_a / rate_b
    se = math.sqrt(1 / events_a - 1 / total_a + 1 / events_b - 1 / total_b)
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    return RateRatio(rr, rr * math.exp(-z * se), rr * math.exp(z * se), level)
