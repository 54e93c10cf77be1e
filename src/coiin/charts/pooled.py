"""Phases of a pooled chart where the set pooled changes: a national (or network) sum whose
jurisdictions change as cohorts join is not one population, so one centre line across the
change would call the earlier set's points "outside the limits" of a line that mostly
describes the later, larger set (the demo's national IMR: 13 jurisdictions in 2012, 59 from
mid-2014). Each lasting change of the set starts a new phase, with the change as its reason,
so each set is judged against its own centre line and limits.

The phases are unsaved ``ChartPhase`` rows (a pool has no team to keep them under), worked
out from the number pooled in each period, so that the stored summary and every page that
draws the pool find the same phases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from coiin.measures.models import Measure

from .models import ChartPhase

# A phase needs this many points before the change and the new set must hold this long:
# a period one jurisdiction skipped, or a latest period not everyone has reported yet, is
# marked on the chart but starts no phase.
MIN_PHASE_POINTS = 4


def _reason(before: int, after: int, what: str) -> str:
    values = {"before": before, "after": after}
    if what == "teams":
        return (
            _("%(after)s teams pooled, up from %(before)s")
            if after > before
            else _("%(after)s teams pooled, down from %(before)s")
        ) % values
    return (
        _("%(after)s jurisdictions pooled, up from %(before)s as a cohort joined")
        if after > before
        else _("%(after)s jurisdictions pooled, down from %(before)s")
    ) % values


def pool_phases(
    measure: Measure, counts: Sequence[tuple[dt.date, int]], what: str = "jurisdictions"
) -> list[ChartPhase]:
    """``membership_phases`` of a stored pooled series of ``measure``: none for a survey
    measure's weighted estimates or an event log's days (their pools are summarised
    without phases)."""
    if measure.is_survey or measure.records_events:
        return []
    return membership_phases(counts, what)


def phases_sentence(phases: Sequence[ChartPhase], labels: Sequence[str]) -> str:
    """The phases in words, for beside the chart ('' without phases); ``labels`` name
    the periods the phases start in, in order."""
    if not phases:
        return ""
    return _(
        "The chart starts a new phase where the set pooled changes for good (%(at)s): "
        "each set is judged against its own centre line and limits, never against a "
        "line drawn mostly from another set."
    ) % {"at": "; ".join(f"{label}: {p.reason}" for p, label in zip(phases, labels, strict=True))}


def membership_phases(
    counts: Sequence[tuple[dt.date, int]], what: str = "jurisdictions"
) -> list[ChartPhase]:
    """(period start, number pooled) of a pooled series' charted points, oldest first ->
    a phase from each period where the number changes to a new lasting level: one that
    then holds for at least ``MIN_PHASE_POINTS`` periods, with at least as many since the
    previous phase began. A short dip and the return from it start none."""
    out: list[ChartPhase] = []
    began = 0
    level = counts[0][1] if counts else 0  # the number the current phase pools
    for i in range(1, len(counts)):
        now = counts[i][1]
        if now == counts[i - 1][1]:
            continue
        held = 1
        while i + held < len(counts) and counts[i + held][1] == now:
            held += 1
        if held < MIN_PHASE_POINTS or now == level:
            continue
        if i - began >= MIN_PHASE_POINTS:
            out.append(ChartPhase(starts=counts[i][0], reason=_reason(level, now, what)))
            began = i
        level = now
    return out
