"""Equity: each group's rate against a reference group's, with 95 % intervals, and rates
of small groups stabilised by empirical Bayes.

Every figure is events over a denominator (infant deaths over live births, say), and the
events are treated as Poisson counts given the denominator.

**Rate ratio** ``RR = (a / n_a) / (b / n_b)`` of a group (``a`` events in ``n_a``)
against the reference (``b`` in ``n_b``), with a **log-scale Wald** interval
``exp(log RR ± z·sqrt(1/a + 1/b))``. (``stats.aggregate.ratio`` is Katz's interval for a
risk ratio, which subtracts ``1/n_a + 1/n_b`` under the root; for infant deaths over
births the two agree to the third decimal.)

**Rate difference** ``RD = a / n_a − b / n_b`` with a **Wald** interval on the rate
scale, ``RD ± z·sqrt(a / n_a² + b / n_b²)``.

**Zero events**, the choice made here:

* the reference group has none: no ratio (it would be infinite), no interval for it; the
  difference and its interval are still given;
* a compared group has none: the ratio is 0 and the difference ``−b / n_b`` as observed;
  since a zero count has no log and a Wald variance of 0, the intervals are computed
  with 0.5 in place of the zero count (as in the Haldane–Anscombe correction), and
  ``corrected`` says so. The ratio's interval then runs from 0 (the estimate itself,
  which a log scale cannot reach) to the upper limit computed that way.

**Empirical Bayes** (``stabilise``): the gamma–Poisson model with its prior's mean and
variance estimated by the method of moments across the groups (Marshall, "Mapping
disease and mortality rates using empirical Bayes estimators", Appl Stat 1991;40:283-294):
``m = Σy / Σn``, ``s² = Σ n_i (r_i − m)² / Σ n_i``, ``A = max(0, s² − m / n̄)`` with
``n̄`` the mean denominator; each rate is shrunk towards ``m`` by the weight
``C_i = A / (A + m / n_i)``: ``m + C_i (r_i − m)``. A raw rate resting on fewer than
``FEW_EVENTS`` (20) events is flagged: NCHS calls such rates unreliable.

Pure numpy and the standard library (no scipy, so that a report that shows these pays
for no scipy import); no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

FEW_EVENTS = 20
ZERO_CORRECTION = 0.5
RATIO_METHOD = "log-scale Wald"
DIFFERENCE_METHOD = "Wald"


@dataclass(frozen=True)
class Comparison:
    """One group against the reference; rates and differences per ``per`` of the
    denominator (e.g. per 1,000 live births). ``None`` where there is no figure."""

    group: str
    events: int
    denominator: int
    rate: float | None
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    difference: float | None
    difference_lower: float | None
    difference_upper: float | None
    corrected: bool  # a zero count was taken as 0.5 for the intervals
    few_events: bool  # the group's rate rests on fewer than FEW_EVENTS events
    reference: bool = False


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def _check(group: str, events: float, denominator: float) -> None:
    if denominator <= 0:
        raise ValueError(f"{group}: the denominator must be positive")
    if events < 0:
        raise ValueError(f"{group}: events cannot be negative")


def compare(groups: Mapping[str, tuple[int, int]], reference: str, *, per: float = 1000,
            level: float = 0.95) -> list[Comparison]:
    """Each group's (events, denominator) against the reference group's, in the order
    given; the reference's own row comes first, with a ratio of 1 and a difference of 0.
    A group with a zero denominator is left out."""
    if reference not in groups:
        raise ValueError(f"the reference group {reference!r} is not among the groups")
    z = _z(level)
    b, nb = groups[reference]
    _check(reference, b, nb)
    out = [Comparison(reference, b, nb, b / nb * per, 1.0, None, None, 0.0, None, None,
                      False, b < FEW_EVENTS, reference=True)]
    for group, (a, na) in groups.items():
        if group == reference or na == 0:
            continue
        _check(group, a, na)
        out.append(_one(group, a, na, b, nb, z, per))
    return out


def _one(group: str, a: int, na: int, b: int, nb: int, z: float, per: float) -> Comparison:
    corrected = a == 0
    ac = a or ZERO_CORRECTION
    bc = b or ZERO_CORRECTION
    ratio = lower = upper = None
    if b > 0:
        ratio = (a / na) / (b / nb)
        se = math.sqrt(1 / ac + 1 / b)
        centre = math.log((ac / na) / (b / nb))
        lower, upper = math.exp(centre - z * se), math.exp(centre + z * se)
        if a == 0:
            lower = 0.0  # the interval holds the estimate
    corrected = corrected or (b == 0)
    diff = (a / na - b / nb) * per
    se_d = math.sqrt(ac / na**2 + bc / nb**2) * per
    return Comparison(group, a, na, a / na * per, ratio, lower, upper, diff,
                      diff - z * se_d, diff + z * se_d, corrected, a < FEW_EVENTS)


def rate_ratio(a: int, na: int, b: int, nb: int, *,
               level: float = 0.95) -> tuple[float | None, float | None, float | None]:
    """(ratio, lower, upper) of a / na against b / nb: ``compare`` for one pair."""
    c = compare({"group": (a, na), "reference": (b, nb)}, "reference", level=level)[1]
    return c.ratio, c.ratio_lower, c.ratio_upper


@dataclass(frozen=True)
class Stabilised:
    """A raw rate and its empirical-Bayes estimate, per ``per`` of the denominator."""

    events: int
    denominator: int
    raw: float
    stabilised: float
    weight: float  # C_i: the share of the raw rate kept (1 = none shrunk)
    few_events: bool


def stabilise(events: Sequence[int], denominators: Sequence[int], *,
              per: float = 1000) -> list[Stabilised]:
    """Gamma–Poisson empirical-Bayes rates (method of moments, Marshall 1991)."""
    y = np.asarray(events, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if y.shape != n.shape or y.ndim != 1:
        raise ValueError("events and denominators must be two lists of one length")
    if len(n) == 0:
        return []
    if (n <= 0).any() or (y < 0).any():
        raise ValueError("denominators must be positive and events not negative")
    r = y / n
    m = y.sum() / n.sum()
    s2 = float((n * (r - m) ** 2).sum() / n.sum())
    prior_var = max(0.0, s2 - m / n.mean())
    weight = (np.divide(prior_var, prior_var + m / n) if prior_var > 0 or m > 0
              else np.ones_like(n))
    eb = m + weight * (r - m)
    return [Stabilised(int(e), int(d), float(raw * per), float(s * per), float(w),
                       bool(e < FEW_EVENTS))
            for e, d, raw, s, w in zip(y, n, r, eb, weight, strict=True)]
