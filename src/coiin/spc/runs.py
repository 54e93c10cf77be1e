"""Anhøj runs analysis: longest run and number of crossings (SPEC.md section 1.1)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=4096)
def n_crossings_min(n_useful: int) -> int:
    """qbinom(0.05, n_useful - 1, 0.5): smallest k with P(Bin(n-1, 1/2) <= k) >= 0.05."""
    m = max(n_useful - 1, 0)
    # Exact integer arithmetic: CDF >= 0.05  <=>  20 * sum C(m, i) >= 2**m. Never a tie,
    # since 2**m / 20 is not an integer, so this equals R's floating-point qbinom.
    target = 2**m
    acc = 0
    for k in range(m + 1):
        acc += math.comb(m, k)
        if 20 * acc >= target:
            return k
    return m


def longest_run_max(n_useful: int) -> int:
    """round(log2(n_useful)) + 3; log2 of an integer is never exactly x.5, so rounding is safe."""
    return round(math.log2(n_useful)) + 3


@dataclass
class RunsResult:
    """Anhøj runs statistics of one part; start/end are 1-based point numbers of the longest run."""

    part: int
    n_obs: int
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    runs_signal: bool
    longest_run_side: int = 0  # +1 above the centre line, -1 below
    longest_run_start: int | None = None
    longest_run_end: int | None = None
    # Every run longer than longest_run_max: (side, first point, last point, length).
    long_runs: list[tuple[int, int, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON form with the fields other tools read."""
        return {
            "part": self.part,
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "n_crossings": self.n_crossings,
            "n_crossings_min": self.n_crossings_min,
            "runs_signal": self.runs_signal,
        }


def runs_analysis(
    y: np.ndarray,
    cl: np.ndarray,
    include: np.ndarray,
    *,
    part: int = 1,
    first_point: int = 1,
    allow_signal: bool = True,
) -> RunsResult:
    """Anhøj rules on the included points; points on the CL or missing are dropped."""
    idx = np.flatnonzero(include)
    with np.errstate(invalid="ignore"):
        s = np.sign(y[idx] - cl[idx])
    keep = ~np.isnan(s) & (s != 0)
    s, pos = s[keep], idx[keep]
    n_useful = int(s.size)
    if n_useful == 0:
        return RunsResult(part, int(idx.size), 0, 0, None, 0, None, False)
    change = np.flatnonzero(s[1:] != s[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [n_useful]))
    lengths = ends - starts
    k = int(np.argmax(lengths))  # first of the longest runs
    longest = int(lengths[k])
    lmax = longest_run_max(n_useful)
    cmin = n_crossings_min(n_useful)
    crossings = int(change.size)
    signal = allow_signal and (longest > lmax or crossings < cmin)
    long_runs = [
        (int(s[a]), int(pos[a]) + first_point, int(pos[b - 1]) + first_point, int(b - a))
        for a, b in zip(starts, ends, strict=True)
        if b - a > lmax
    ]
    return RunsResult(
        part=part,
        n_obs=int(idx.size),
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=lmax,
        n_crossings=crossings,
        n_crossings_min=cmin,
        runs_signal=bool(signal),
        longest_run_side=int(s[starts[k]]),
        longest_run_start=int(pos[starts[k]]) + first_point,
        longest_run_end=int(pos[ends[k] - 1]) + first_point,
        long_runs=long_runs,
    )
