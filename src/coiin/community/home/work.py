"""What waits on one person: the content of their home page ("My work").

Everything here is read in a fixed number of queries, whatever the number of teams,
periods, requests or events: each list is one query (or two, for what is due), capped where
it could grow, with its full count beside it. Who may see what is ``coiin.access``'s answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from coiin import access
from coiin.charts.models import ChartSummary
from coiin.measures.due import DuePeriod, due_periods
from coiin.measures.models import Submission
from coiin.network.models import LearningNetwork, Team, TeamMembership

from ..events.models import EventDetail
from ..mentoring.models import MentorPairing
from ..ta.models import TARequest

LIST_CAP = 12  # the longest list shown in full on the home page
EVENTS_SHOWN = 5


@dataclass
class MyTeam:
    team: Team
    role: str
    latest: dt.date | None  # the start of the latest period with a submission

    @property
    def data_url(self) -> str:
        return reverse("team_data", args=[self.team.learning_network.slug,
                                          self.team.jurisdiction.postal_code.lower()])


@dataclass
class NetworkRow:
    """A learning network's reporting at a glance, for backbone staff, funder, faculty."""

    network: LearningNetwork
    teams: int
    to_review: int
    to_lock: int
    teams_overdue: int


@dataclass
class Home:
    teams: list[MyTeam] = field(default_factory=list)
    due: list[DuePeriod] = field(default_factory=list)
    to_review: list[Submission] = field(default_factory=list)
    to_review_count: int = 0
    to_lock: list[Submission] = field(default_factory=list)
    to_lock_count: int = 0
    networks: list[NetworkRow] = field(default_factory=list)
    ta: list[TARequest] = field(default_factory=list)
    pairings: list[MentorPairing] = field(default_factory=list)
    events: list[EventDetail] = field(default_factory=list)
    signals: list[ChartSummary] = field(default_factory=list)
    since: dt.datetime | None = None  # when the person last looked

    @property
    def overdue(self) -> list[DuePeriod]:
        return [d for d in self.due if d.overdue]

    @property
    def nothing_waits(self) -> bool:
        return not (self.due or self.to_review or self.to_lock or self.ta or self.pairings)


def data_url(submission: Submission | DuePeriod) -> str:
    team = submission.team
    return reverse("enter_data", args=[team.learning_network.slug,
                                       team.jurisdiction.postal_code.lower(),
                                       submission.period.label])


def my_teams(user: access.AnyUser) -> list[MyTeam]:
    """The user's teams with their role and latest period (one query)."""
    rows = (TeamMembership.objects.filter(user=user, team__in=access.own_teams(user))
            .select_related("team__jurisdiction", "team__learning_network")
            .annotate(latest=Max("team__submissions__period_start"))
            .order_by("team__jurisdiction__name", "team__learning_network__position"))
    return [MyTeam(m.team, m.get_role_display(), m.latest) for m in rows]


def _queue(submissions, cap: int) -> tuple[list[Submission], int]:
    """The oldest ``cap`` submissions waiting, and how many wait in all (two queries)."""
    shown = list(submissions.select_related("team__jurisdiction", "team__learning_network",
                                            "submitted_by", "reviewed_by")
                 .order_by("submitted_at", "period_start", "pk")[:cap])
    return shown, submissions.count()


def network_rows(user: access.AnyUser, today: dt.date) -> list[NetworkRow]:
    """Per learning network whose reporting status the user may see: its teams, periods
    waiting for review and for locking, and teams with an overdue period (four queries)."""
    teams_qs = access.reporting_status_teams(user)
    if teams_qs is None:
        return []
    teams = list(teams_qs.select_related("jurisdiction", "learning_network").distinct())
    if not teams:
        return []
    waiting = Counter()
    for row in (Submission.objects.filter(team__in=[t.pk for t in teams],
                                          status__in=[Submission.Status.SUBMITTED,
                                                      Submission.Status.REVIEWED])
                .values("team__learning_network_id", "status").annotate(n=Count("id"))
                .order_by()):
        waiting[(row["team__learning_network_id"], row["status"])] = row["n"]
    overdue: dict[int, set[int]] = defaultdict(set)
    for d in due_periods(teams, today):
        if d.overdue:
            overdue[d.team.learning_network_id].add(d.team.pk)
    networks = {t.learning_network_id: t.learning_network for t in teams}
    team_counts = Counter(t.learning_network_id for t in teams)
    return [NetworkRow(n, team_counts[n.pk], waiting[(n.pk, Submission.Status.SUBMITTED)],
                       waiting[(n.pk, Submission.Status.REVIEWED)], len(overdue[n.pk]))
            for n in sorted(networks.values(), key=lambda n: (n.position, n.name))]


def ta_waiting(user: access.AnyUser) -> list[TARequest]:
    """Open TA requests that wait on this user: new ones they may take and ones assigned
    to them (faculty, backbone staff); their teams' requests waiting on the team."""
    teams, _, coached = access.community_ids(user)
    S = TARequest.Status
    mine = Q(owner=user.pk, status__in=[S.NEW, S.ASSIGNED])
    if access.is_backbone(user):
        mine |= Q(owner__isnull=True, status=S.NEW)
    elif coached:
        mine |= Q(owner__isnull=True, status=S.NEW, team__learning_network_id__in=coached)
    if teams:
        mine |= Q(status=S.WAITING, team_id__in=teams)
    return list(access.visible_ta_requests(user).filter(mine)
                .select_related("team__jurisdiction", "team__learning_network", "owner")
                .order_by("created_at", "pk")[:LIST_CAP])


def pairings_waiting(user: access.AnyUser) -> list[MentorPairing]:
    """Requests for a mentor that this user answers: their team is asked and they lead it."""
    return list(access.visible_pairings(user).filter(
        status=MentorPairing.Status.REQUESTED,
        mentor__memberships__user=user.pk,
        mentor__memberships__role=TeamMembership.Role.LEAD)
        .select_related("mentee__jurisdiction", "mentor__jurisdiction",
                        "mentor__learning_network", "measure")
        .order_by("created_at", "pk")[:LIST_CAP])


def upcoming_events(user: access.AnyUser) -> list[EventDetail]:
    return list(access.visible_events(user).filter(
        ends_at__gt=timezone.now(), cancelled_at__isnull=True)
        .select_related("event__learning_network").order_by("starts_at", "pk")
        [:EVENTS_SHOWN])


SIGNALS = ("improving", "deteriorating")


def chart_signals(user: access.AnyUser, cap: int) -> list[ChartSummary]:
    """The team charts the person follows (their teams', and their networks' for faculty)
    whose latest points signal a change, most recently recomputed first (one query).
    Backbone staff and the funder follow the networks instead: the national view."""
    if access.is_backbone(user) or access.is_funder(user):
        return []
    return list(ChartSummary.objects.filter(
        scope=ChartSummary.Scope.TEAM, signal_direction__in=SIGNALS,
        team__in=access.teams_with_visible_data(user))
        .select_related("team__jurisdiction", "team__learning_network", "measure")
        .order_by("-computed_at", "pk")[:cap])


def home_for(user: access.AnyUser, today: dt.date | None = None,
             cap: int = LIST_CAP, since: dt.datetime | None = None) -> Home:
    """Everything the user's home page shows."""
    today = today or timezone.localdate()
    home = Home()
    if not access.is_network_member(user):
        return home
    home.teams = my_teams(user)
    if home.teams:
        home.due = due_periods([t.team for t in home.teams], today)
    if access.is_faculty(user):
        home.to_review, home.to_review_count = _queue(access.submissions_to_review(user), cap)
    if access.is_backbone(user):
        home.to_lock, home.to_lock_count = _queue(access.submissions_to_lock(user), cap)
    home.networks = network_rows(user, today)
    home.ta = ta_waiting(user)
    home.pairings = pairings_waiting(user)
    home.events = upcoming_events(user)
    home.signals = chart_signals(user, cap)
    home.since = since
    return home
