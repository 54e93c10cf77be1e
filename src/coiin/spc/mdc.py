"""NHS "Making Data Count" XmR rules, as implemented by NHSRplotthedots (SPEC.md section 3)."""

from __future__ import annotations

import math

import numpy as np

from .limits import average_moving_range

# NHSRplotthedots scales the average moving range by 2.66 (not 3 / 1.128 = 2.6596).
MDC_SCALE = 2.66
RUN_LENGTH = 7  # shift and trend length used by Making Data Count
DIRECTIONS = ("increase", "decrease", "neutral")

ABOVE_UCL = "Above UCL"
BELOW_LCL = "Below LCL"
TREND_UP = "7 Point Trend (Increasing)"
TREND_DOWN = "7 Point Trend (Decreasing)"
TWO_IN_THREE_ABOVE = "2 in 3 Above CL"
TWO_IN_THREE_BELOW = "2 in 3 Below CL"
SHIFT_ABOVE = "7 Points Above CL"
SHIFT_BELOW = "7 Points Below CL"
COMMON_CAUSE = "Common Cause"


def xmr_limits(
    y: np.ndarray, base: np.ndarray, screen: bool
) -> tuple[float, float, float, float, float]:
    """Mean, LPL, UPL and the 2-sigma "near" lines of one rebase group from its base points."""
    v = y[base]
    finite = v[~np.isnan(v)]
    mean = float(finite.mean()) if finite.size else math.nan
    amr = average_moving_range(v, screen)
    width, near = MDC_SCALE * amr, 2 / 3 * MDC_SCALE * amr
    return mean, mean - width, mean + width, mean - near, mean + near


def _runs_of(flags: np.ndarray) -> list[tuple[int, int]]:
    """Maximal [start, end) blocks of True in a boolean array."""
    out: list[tuple[int, int]] = []
    start = None
    for i, f in enumerate(flags):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(flags)))
    return out


def special_cause_types(
    y: np.ndarray,
    mean: np.ndarray,
    lcl: np.ndarray,
    ucl: np.ndarray,
    lcl2: np.ndarray,
    ucl2: np.ndarray,
) -> list[str]:
    """Label each point of one group: outside limits > trend > two of three > shift > common."""
    k = y.size
    with np.errstate(invalid="ignore"):
        outside = (y > ucl) | (y < lcl)
        close = ~outside & ((y > ucl2) | (y < lcl2))
        rel = np.nan_to_num(np.sign(y - mean), nan=0.0).astype(int)
        step = np.nan_to_num(np.sign(np.diff(y)), nan=0.0).astype(int)

    # Trend: RUN_LENGTH points, each strictly above (or below) the previous; ties break it.
    in_trend = np.zeros(k, dtype=bool)
    for sign in (1, -1):
        for a, b in _runs_of(step == sign):
            if b - a >= RUN_LENGTH - 1:
                in_trend[a : b + 1] = True
    trend_dir = np.zeros(k, dtype=int)
    for i in np.flatnonzero(in_trend).tolist():
        if i + 1 < k and in_trend[i + 1] and step[i] != 0:
            trend_dir[i] = step[i]
        elif i > 0:
            trend_dir[i] = step[i - 1]
        else:
            trend_dir[i] = step[i]

    # Two of three: >= 2 of 3 consecutive points in the 2-3 sigma band, all on one side.
    two3 = np.zeros(k, dtype=bool)
    for i in range(k - 2):
        w = slice(i, i + 3)
        if abs(int(rel[w].sum())) == 3 and int(close[w].sum()) >= 2:
            two3[w] |= close[w]

    # Shift: RUN_LENGTH points strictly on one side of the mean; a point on the mean breaks it.
    in_shift = np.zeros(k, dtype=bool)
    for sign in (1, -1):
        for a, b in _runs_of(rel == sign):
            if b - a >= RUN_LENGTH:
                in_shift[a:b] = True

    labels: list[str] = []
    for i in range(k):
        if outside[i]:
            labels.append(ABOVE_UCL if y[i] > ucl[i] else BELOW_LCL)
        elif in_trend[i] and trend_dir[i] != 0:
            labels.append(TREND_UP if trend_dir[i] > 0 else TREND_DOWN)
        elif two3[i]:
            labels.append(TWO_IN_THREE_ABOVE if rel[i] > 0 else TWO_IN_THREE_BELOW)
        elif in_shift[i]:
            labels.append(SHIFT_ABOVE if rel[i] > 0 else SHIFT_BELOW)
        else:
            labels.append(COMMON_CAUSE)
    return labels


def label_sign(label: str) -> int:
    """+1 for labels pointing up (Above / Increasing), -1 for down, 0 for common cause."""
    if "Above" in label or "Increasing" in label:
        return 1
    if "Below" in label or "Decreasing" in label:
        return -1
    return 0


def point_type(label: str, direction: str) -> str:
    """Map a special-cause label to NHSRplotthedots' point_type for the improvement direction."""
    v = label_sign(label)
    if v == 0:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    good = v > 0 if direction == "increase" else v < 0
    return "special_cause_improvement" if good else "special_cause_concern"


def assurance(target: float | None, lcl: float, ucl: float, direction: str) -> str | None:
    """Assurance icon from the last point's limits; None without a target or direction."""
    if target is None or direction == "neutral" or math.isnan(lcl) or math.isnan(ucl):
        return None
    if target > ucl:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < lcl:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"
