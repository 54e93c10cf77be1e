"""What a suppression returns, and the independent audit of a pattern."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from ._lp import TOL
from .rules import DEFAULT_THRESHOLD, Key, Reason
from .tables import LinearTable


@dataclass(frozen=True)
class Interval:
    """The range an intruder can narrow a suppressed cell to, and the width it needed."""

    low: float
    high: float
    required: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def safe(self) -> bool:
        return self.width >= self.required - TOL


@dataclass(frozen=True)
class SuppressionResult:
    """Which cells to suppress, why, and the LP intervals that prove the pattern safe."""

    counts: dict[Key, int]
    reasons: dict[Key, Reason | None]
    intervals: dict[Key, Interval]
    threshold: int
    method: str
    fully_suppressed: bool

    def suppressed(self, key: Key) -> bool:
        return self.reasons[key] is not None

    def published(self, key: Key) -> int | None:
        """The count as published: None when suppressed."""
        return None if self.reasons[key] is not None else self.counts[key]

    @property
    def primary(self) -> list[Key]:
        return [k for k, r in self.reasons.items() if r == "primary"]

    @property
    def complementary(self) -> list[Key]:
        return [k for k, r in self.reasons.items() if r == "complementary"]

    @property
    def hidden_total(self) -> int:
        """Sum of the counts hidden by complementary suppression (the tie-break cost)."""
        return sum(self.counts[k] for k in self.complementary)

    @property
    def safe(self) -> bool:
        return all(i.safe for i in self.intervals.values())



def audit(
    table: LinearTable, suppressed: Iterable[Key], *, threshold: int = DEFAULT_THRESHOLD
) -> dict[Key, Interval]:
    """LP interval of every suppressed cell, by two plain ``linprog`` solves per cell.

    The independent check of a pattern: it shares nothing with the search but the table
    (its inequalities enter as ``A_ub`` rows here, not as slack cells). ``suppressed`` must
    include the latent cells. Slow on big patterns (two solves per cell); ``suppress``
    returns the same intervals, computed with fewer solves.
    """
    keys = table.keys
    index = {k: i for i, k in enumerate(keys)}
    v = np.array([table.cells[k] for k in keys], dtype=float)
    A = table.matrix()
    hidden = np.zeros(v.size, bool)
    for k in suppressed:
        hidden[index[k]] = True
    h = np.flatnonzero(hidden)
    # Published cells move to the right-hand side.
    A_h = A[:, h]
    b = -(A[:, np.flatnonzero(~hidden)] @ v[~hidden])
    G = table.inequality_matrix()
    ub: dict[str, object] = {}
    if G.shape[0]:
        ub = {"A_ub": G[:, h], "b_ub": -(G[:, np.flatnonzero(~hidden)] @ v[~hidden])}
    out: dict[Key, Interval] = {}
    for pos, cell in enumerate(h.tolist()):
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(h.size)
            c[pos] = sense
            res = linprog(c, A_eq=A_h, b_eq=b, bounds=(0, None), method="highs",
                          **ub)  # type: ignore[arg-type]
            if res.status == 3:
                ends.append(-sense * math.inf)
            elif res.status == 0:
                ends.append(float(res.x[pos]))
            else:  # the true table is feasible, so this is a solver failure
                raise RuntimeError(f"linprog failed on {keys[cell]!r}: {res.message}")
        out[keys[cell]] = Interval(tidy(ends[0]), tidy(ends[1]), float(threshold))
    return out


def tidy(x: float) -> float:
    """Snap LP noise to the nearest integer (vertices of count tables are usually integral)."""
    if math.isfinite(x) and abs(x - round(x)) <= TOL * max(1.0, abs(x)):
        return float(round(x))
    return x
