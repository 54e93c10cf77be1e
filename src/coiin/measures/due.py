"""What is due: the periods teams should report and have not submitted.

A period is a team's to report when it has ended, it does not end before the team joined,
and it does not start after its learning network's end date (``LearningNetwork.ends_on``).
It is *due* while it is not submitted (no submission, or a draft) and still open for
entry (``services.closes_on``: due date plus grace, or an exception granted by backbone
staff); *overdue* once its due date has passed. A period that closed without being
submitted is missed, not due: nothing can be entered any more.

``due_periods`` answers for many teams at once in two queries, whatever the number of
teams and periods, so the home page and the reporting overviews stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from coiin.network.models import Team

from . import services
from .models import Submission, TeamMeasure
from .periods import Frequency, Period

Status = Submission.Status


@dataclass(frozen=True)
class DuePeriod:
    """One team-period still to be submitted."""

    team: Team
    period: Period
    due: dt.date
    closes: dt.date
    overdue: bool
    measures: int  # how many of the team's measures are reported at this frequency
    entered: int  # how many of them have a value already (in total, not by stratum)
    submission: Submission | None

    @property
    def started(self) -> bool:
        return self.entered > 0


def reports_period(team: Team, period: Period) -> bool:
    """Is this period one the team reports: ended after it joined, and not after its
    network's end? (Whether it has ended is the caller's question.)"""
    return period.end >= team.joined_on.replace(day=1) \
        and team.learning_network.runs_on(period.start)


def last_due_period(team: Team, frequency: Frequency, today: dt.date) -> Period:
    """The latest period the team has to report at this frequency: the last one that has
    ended, or the one holding the network's end date if that came first."""
    last = Period.containing(today, frequency).previous()
    ends_on = team.learning_network.ends_on
    if ends_on is not None and ends_on < last.start:
        last = Period.containing(ends_on, frequency)
    return last


def _window(today: dt.date, frequency: Frequency) -> list[Period]:
    """The ended periods whose regular entry window (due date plus grace) is still open."""
    grace = dt.timedelta(days=settings.REPORTING_GRACE_DAYS)
    out = []
    period = Period.containing(today, frequency).previous()
    while services.due_date(period) + grace >= today:
        out.append(period)
        period = period.previous()
    return out


def due_periods(teams: Iterable[Team], today: dt.date) -> list[DuePeriod]:
    """Every period of these teams that is due or overdue today, oldest due date first.

    The teams should come with their learning network (``select_related``); then this is
    two queries: the measures each team reports per frequency, and the submissions of the
    candidate periods with their count of values.
    """
    by_id = {t.pk: t for t in teams}
    if not by_id:
        return []
    counts: dict[tuple[int, Frequency], int] = {}
    for row in (TeamMeasure.objects.filter(team_id__in=list(by_id), active=True,
                                           measure__records_events=False)
                .values("team_id", "measure__frequency").annotate(n=Count("id"))
                .order_by()):
        counts[(row["team_id"], Frequency(row["measure__frequency"]))] = row["n"]
    if not counts:
        return []
    windows = {f: _window(today, f) for f in {f for _, f in counts}}
    earliest = min((p.start for w in windows.values() for p in w), default=today)
    submissions = (
        Submission.objects.filter(team_id__in=list(by_id))
        .filter(Q(period_start__gte=earliest) | Q(status=Status.DRAFT, open_until__gte=today))
        .annotate(entered=Count("values__measure", distinct=True,
                                filter=Q(values__stratum__isnull=True)))
        .order_by()
    )
    found = {(s.team_id, s.period): s for s in submissions}
    candidates: dict[int, set[Period]] = defaultdict(set)
    for (team_id, frequency) in counts:
        candidates[team_id].update(windows[frequency])
    for (team_id, period), sub in found.items():
        if sub.open_until and sub.open_until >= today and \
                (team_id, period.frequency) in counts:
            candidates[team_id].add(period)
    out = []
    for team_id, periods in candidates.items():
        team = by_id[team_id]
        for period in periods:
            measures = counts.get((team_id, period.frequency))
            if not measures or period.end >= today or not reports_period(team, period):
                continue
            sub = found.get((team_id, period))
            if sub is not None and sub.status != Status.DRAFT:
                continue
            probe = sub or Submission(team=team, frequency=period.frequency.value,
                                      period_start=period.start)
            if services.is_closed(probe, today):
                continue
            due = services.due_date(period)
            out.append(DuePeriod(team, period, due, services.closes_on(probe), today > due,
                                 measures, getattr(sub, "entered", 0), sub))
    out.sort(key=lambda d: (d.due, d.team.pk, d.period.frequency.months))
    return out
