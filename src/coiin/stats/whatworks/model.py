"""The inputs and results of a what-works estimate, and the false-discovery-rate adjustment."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .reasons import Reason, english


class Verdict(StrEnum):
    IMPROVEMENT = "improvement"
    WORSENING = "worsening"
    NO_EVIDENCE = "no_evidence"
    PRETREND = "pretrend"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class Observation:
    """One team's value of one measure in one period.

    ``period`` is an integer index (consecutive months or quarters); the caller maps
    ``YYYY-MM`` / ``YYYY-Qn`` to integers. Give ``numerator`` and ``denominator`` (the rate
    is their ratio) or ``value``; an observation with neither is missing.
    """

    team: Hashable
    period: int
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None


@dataclass(frozen=True)
class EventPoint:
    """The effect ``event_time`` periods after adoption (negative: before), with its
    simultaneous band, and how many adopting teams it rests on."""

    event_time: int
    estimate: float
    ci_low: float
    ci_high: float
    adopters: int


@dataclass(frozen=True)
class Estimate:
    """The average effect of adopting an idea among its adopters (ATT), in the measure's units.

    ``ci_low``/``ci_high`` is a pointwise interval at ``level``; ``p_value`` tests zero
    effect; ``pretrend_p`` the joint test that the event-study leads (before the excluded
    ``skip`` periods just before adoption) are zero. ``sustained`` is whether the average
    effect 12 or more periods after adoption has an interval wholly on the good side (None
    when no adopter has been followed that long). The event-study band is simultaneous over
    all its points. ``adopters`` counts the teams whose periods after adoption are
    compared; ``comparison`` the teams compared with them in some period after adoption (a
    team that adopts later counts while it has not yet). ``q_value`` is set by
    ``adjust_for_many``.
    """

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    p_value: float | None
    adopters: int
    comparison: int
    pretrend_p: float | None
    verdict: Verdict
    reason: str
    sustained: bool | None
    event_study: tuple[EventPoint, ...]
    # -- added beyond the agreed API --------------------------------------------------------
    q_value: float | None = None
    sustained_estimate: float | None = None  # average effect at 12+ periods after adoption
    sustained_ci_low: float | None = None
    sustained_ci_high: float | None = None
    # Joint test that the adopters moved against comparison teams in the ``skip`` periods
    # just before adoption (excluded from the baseline, so they bias nothing; shown as a
    # caution: teams often adopt right after a bad spell).
    transition_p: float | None = None
    level: float = 0.95
    # ``reason`` as codes with their values (``reasons``), for callers that word them in
    # another language; ``reason`` is their English words.
    reasons: tuple[Reason, ...] = ()


def adjust_for_many(estimates: Sequence[Estimate], q: float = 0.05) -> list[Estimate]:
    """Benjamini–Hochberg across the ideas × measures shown together.

    Every estimate with a p-value is one test of the family. An improvement or worsening
    whose BH-adjusted p-value (``q_value``) exceeds ``q`` becomes ``no_evidence``, and its
    reason says why. Returns new Estimates in the same order.
    """
    ps = [(i, e.p_value) for i, e in enumerate(estimates) if e.p_value is not None]
    qvals: dict[int, float] = {}
    if ps:
        idx = np.array([i for i, _ in ps])
        p = np.array([v for _, v in ps], dtype=float)
        m = len(p)
        order = np.argsort(p, kind="stable")
        ranked = p[order] * m / np.arange(1, m + 1)
        adjusted = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
        for pos, k in enumerate(order):
            qvals[int(idx[k])] = float(adjusted[pos])
    out: list[Estimate] = []
    for i, e in enumerate(estimates):
        qv = qvals.get(i)
        if qv is not None and qv > q and e.verdict in (Verdict.IMPROVEMENT, Verdict.WORSENING):
            many = Reason("many_comparisons", {"tests": len(qvals), "q_value": qv, "q": q})
            out.append(dataclasses.replace(
                e, q_value=qv, verdict=Verdict.NO_EVIDENCE,
                reason=f"{e.reason} {english([many])}", reasons=(*e.reasons, many)))
        else:
            out.append(dataclasses.replace(e, q_value=qv))
    return out
