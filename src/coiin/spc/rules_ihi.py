"""IHI / Perla-Provost-Murray run-chart rules: shift, trend, runs table, astronomical point.

See ihi/RULES.md in the reference folder. Points are numbered 1-based, as on the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np

# Perla, Provost & Murray 2011, Table 1: useful observations -> (lower, upper) number of runs.
# Kept exactly as published, including the odd n = 56 row (upper 35, perhaps a typo for 36).
PERLA_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12), 16: (5, 13),
    17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17),
    24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20), 29: (10, 20),
    30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23), 34: (12, 24), 35: (12, 24),
    36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26), 40: (15, 27), 41: (15, 27),
    42: (16, 28), 43: (16, 28), 44: (17, 29), 45: (17, 30), 46: (17, 31), 47: (18, 31),
    48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33), 52: (20, 34), 53: (21, 34),
    54: (21, 35), 55: (22, 35), 56: (22, 35), 57: (23, 36), 58: (23, 37), 59: (24, 38),
    60: (24, 38),
}
RUNS_METHODS = ("table", "exact", "exact_split")


@lru_cache(maxsize=1024)
def runs_distribution(n1: int, n2: int) -> dict[int, Fraction]:
    """Exact Swed-Eisenhart distribution of the number of runs for n1 and n2 symbols."""
    if n1 == 0 or n2 == 0:
        return {1: Fraction(1)} if n1 + n2 else {0: Fraction(1)}
    total = math.comb(n1 + n2, n1)
    out: dict[int, Fraction] = {}
    for r in range(2, 2 * min(n1, n2) + 2):
        k, odd = divmod(r, 2)
        if odd:
            ways = math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1) + math.comb(
                n1 - 1, k - 1
            ) * math.comb(n2 - 1, k)
        else:
            ways = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        if ways:
            out[r] = Fraction(ways, total)
    return out


def exact_runs_limits(n1: int, n2: int, alpha: float = 0.025) -> tuple[int, int]:
    """Runs limits with alpha in each tail: signal if runs < lower or runs > upper."""
    dist = runs_distribution(n1, n2)
    a = Fraction(alpha).limit_denominator(10**6)
    rs = sorted(dist)
    lower, cdf = rs[0], Fraction(0)
    for r in rs:
        cdf += dist[r]
        if cdf <= a:
            lower = r + 1
    upper, tail = rs[-1], Fraction(0)
    for r in reversed(rs):
        tail += dist[r]
        if tail <= a:
            upper = r - 1
    return lower, upper


@dataclass
class Shift:
    """Consecutive useful points on one side of the centre line."""

    side: str  # "above" | "below"
    span: tuple[int, int]
    points: list[int]
    skipped: list[int] = field(default_factory=list)  # on the centre line, not counted


@dataclass
class Trend:
    """Consecutive points all going up or all going down (ties counted once)."""

    direction: str  # "up" | "down"
    span: tuple[int, int]
    points: list[int]
    ignored: list[int] = field(default_factory=list)  # repeated equal values


@dataclass
class IHIResult:
    """IHI run-chart rules for one part."""

    part: int
    n_useful: int
    n_above: int
    n_below: int
    runs: int
    runs_lower: int | None
    runs_upper: int | None
    runs_method: str
    runs_verdict: str  # "within limits" | "too few" | "too many" | "not applicable"
    shifts: list[Shift]
    trends: list[Trend]
    astronomical: list[int]
    status: str  # "ok" | "insufficient data"
    signal: bool
    suppressed_shifts: list[Shift] = field(default_factory=list)
    suppressed_trends: list[Trend] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready dict."""
        return asdict(self)


def find_shifts(sides: np.ndarray, points: np.ndarray, length: int) -> list[Shift]:
    """Blocks of >= length useful points on one side; points on the line are skipped."""
    useful = np.flatnonzero(sides != 0)
    out: list[Shift] = []
    start = 0
    for j in range(1, useful.size + 1):
        if j == useful.size or sides[useful[j]] != sides[useful[start]]:
            block = useful[start:j]
            if block.size >= length:
                lo, hi = int(block[0]), int(block[-1])
                skipped = [int(points[i]) for i in range(lo, hi + 1) if sides[i] == 0]
                out.append(
                    Shift(
                        "above" if sides[lo] > 0 else "below",
                        (int(points[lo]), int(points[hi])),
                        [int(points[i]) for i in block],
                        skipped,
                    )
                )
            start = j
    return out


def find_trends(y: np.ndarray, points: np.ndarray, length: int) -> list[Trend]:
    """Monotone stretches of >= length points after collapsing runs of equal values."""
    if y.size == 0:
        return []
    # Collapse each block of equal consecutive values to its first point.
    firsts = [0] + [i for i in range(1, y.size) if y[i] != y[i - 1]]
    group_end = firsts[1:] + [y.size]
    vals = y[firsts]
    step = np.sign(np.diff(vals))
    out: list[Trend] = []
    g = 0
    while g < step.size:
        h = g
        while h + 1 < step.size and step[h + 1] == step[g]:
            h += 1
        count = h - g + 2  # collapsed points g .. h+1
        if count >= length:
            lo, hi = firsts[g], group_end[h + 1] - 1
            counted = [firsts[j] for j in range(g, h + 2)]
            ignored = [i for i in range(lo, hi + 1) if i not in counted]
            out.append(
                Trend(
                    "up" if step[g] > 0 else "down",
                    (int(points[lo]), int(points[hi])),
                    [int(points[i]) for i in counted],
                    [int(points[i]) for i in ignored],
                )
            )
        g = h + 1  # a turning point may start the next trend
    return out


def ihi_rules(
    y: Sequence[float] | np.ndarray,
    cl: float | Sequence[float] | np.ndarray | None = None,
    *,
    points: Sequence[int] | np.ndarray | None = None,
    part: int = 1,
    min_useful: int = 10,
    runs_method: str = "table",
    shift_length: int = 6,
    trend_length: int = 5,
    astronomical: Sequence[int] = (),
) -> IHIResult:
    """Apply the IHI run-chart rules to one series (default centre line: its median)."""
    # points: 1-based chart number of each value (default 1..n); missing y are dropped.
    # astronomical: points judged astronomical by a person (a judgement, never detected here).
    if runs_method not in RUNS_METHODS:
        raise ValueError(f"runs_method must be one of {', '.join(RUNS_METHODS)}")
    yv = np.asarray(y, dtype=float)
    pts = np.arange(1, yv.size + 1) if points is None else np.asarray(points, dtype=int)
    keep = ~np.isnan(yv)
    if cl is None:
        clv = np.full(yv.size, float(np.median(yv[keep])) if keep.any() else math.nan)
    else:
        clv = np.broadcast_to(np.asarray(cl, dtype=float), yv.shape)
    yv, clv, pts = yv[keep], clv[keep], pts[keep]
    sides = np.sign(yv - clv).astype(int)
    useful = sides[sides != 0]
    n_useful, n_above = int(useful.size), int((useful > 0).sum())
    n_below = n_useful - n_above
    runs = int(np.count_nonzero(useful[1:] != useful[:-1])) + 1 if n_useful else 0

    lower: int | None = None
    upper: int | None = None
    method = runs_method
    if runs_method == "table" and n_useful in PERLA_TABLE:
        lower, upper = PERLA_TABLE[n_useful]
    elif runs_method == "table" and n_useful > max(PERLA_TABLE):
        # Beyond Table 1: fall back to the exact limits and say so.
        method = "exact (beyond Table 1)"
        lower, upper = exact_runs_limits(n_useful // 2, n_useful - n_useful // 2)
    elif runs_method == "exact" and n_useful >= 2:
        lower, upper = exact_runs_limits(n_useful // 2, n_useful - n_useful // 2)
    elif runs_method == "exact_split" and n_above and n_below:
        lower, upper = exact_runs_limits(n_above, n_below)
    if lower is None or upper is None:
        verdict = "not applicable"
    elif runs < lower:
        verdict = "too few"
    elif runs > upper:
        verdict = "too many"
    else:
        verdict = "within limits"

    shifts = find_shifts(sides, pts, shift_length)
    trends = find_trends(yv, pts, trend_length)
    astro = sorted(int(p) for p in astronomical)
    if n_useful < min_useful:
        return IHIResult(
            part, n_useful, n_above, n_below, runs, lower, upper, method, verdict, [], [],
            astro, "insufficient data", bool(astro), shifts, trends,
        )
    signal = bool(shifts or trends or astro or verdict in ("too few", "too many"))
    return IHIResult(
        part, n_useful, n_above, n_below, runs, lower, upper, method, verdict, shifts, trends,
        astro, "ok", signal,
    )
