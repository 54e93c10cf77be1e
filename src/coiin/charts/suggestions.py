"""Suggested splits: where a sustained shift follows a change the team recorded (a note
on the chart, a PDSA cycle), the chart suggests a new phase from the shift's first period,
naming the change. The coach accepts it (the settings form, filled in), or dismisses it:
a dismissed suggestion is not made again until the dismissal is undone."""

from __future__ import annotations

from dataclasses import dataclass

from coiin.measures.periods import Period
from coiin.network.models import Team, User

from .building import TeamChart
from .models import DismissedSplit
from .signals import suggested_split
from .vega import Marker

LEAD_PERIODS = 6  # a change recorded up to this many points before the shift counts


@dataclass(frozen=True)
class Suggestion:
    period: Period  # the new phase would start with it
    change: Marker  # the recorded change the shift follows
    dismissed: DismissedSplit | None = None


def suggestion(tc: TeamChart) -> Suggestion | None:
    """The split the chart suggests (or that was suggested and dismissed), or None: a
    sustained shift, no phase there yet, and a recorded change before the shift's first
    period ends and at most ``LEAD_PERIODS`` points before it."""
    if tc.chart is None:
        return None
    at = suggested_split(tc.chart)
    if not at:
        return None
    period = tc.observations[at].period
    if any(p.starts == period.start for p in tc.phases):
        return None
    earliest = tc.observations[max(0, at - LEAD_PERIODS)].period.start
    changes = [m for m in tc.markers if m.kind != "phase" and earliest <= m.on <= period.end]
    if not changes:
        return None
    dismissed = DismissedSplit.objects.filter(team=tc.team, measure=tc.measure,
                                              starts=period.start).first()
    return Suggestion(period, max(changes, key=lambda m: m.on), dismissed)


def dismiss(*, tc: TeamChart, suggested: Suggestion, user: User) -> DismissedSplit:
    """The coach does not want this split: it is no longer suggested."""
    return DismissedSplit.objects.get_or_create(
        team=tc.team, measure=tc.measure, starts=suggested.period.start,
        defaults={"dismissed_by": user})[0]


def undo_dismissal(*, team: Team, measure_id: int, pk: int | str) -> bool:
    """Suggest the split again; False if there was no such dismissal."""
    deleted, _ = DismissedSplit.objects.filter(team=team, measure_id=measure_id,
                                               pk=pk).delete()
    return bool(deleted)
