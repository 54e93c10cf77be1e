"""Who may see and change what: the one place that decides.

Every view, API endpoint and query that depends on who is asking goes through here.
The rules:

* The public sees the network's shape: the overview, jurisdictions, learning networks
  and teams (with their reporting units), never people.
* Signed-in members of the network (anyone on a team, faculty, backbone staff, the
  funder) also see rosters and the people directory.
* Team leads invite people to their own team; backbone staff manage everything and use
  the admin. The funder and faculty read; they change nothing here.
* Someone who may not see a thing gets 404; someone who may see it but not change it
  gets 403 (see ``require``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from coiin.network.models import Team, TeamMembership, User

AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW_OVERVIEW = "view_overview"
    VIEW_JURISDICTION = "view_jurisdiction"
    VIEW_NETWORK = "view_network"
    VIEW_TEAM = "view_team"
    VIEW_ROSTER = "view_roster"
    VIEW_DIRECTORY = "view_directory"
    INVITE_MEMBER = "invite_member"
    MANAGE_NETWORK = "manage_network"  # join networks, add reporting units
    USE_ADMIN = "use_admin"
    PUBLISH = "publish"  # choose which measures and levels the public site shows
    # Reported data; the object is the team.
    VIEW_DATA = "view_data"  # submitted data (drafts: ENTER_DATA)
    ENTER_DATA = "enter_data"
    SUBMIT_DATA = "submit_data"
    CHOOSE_MEASURES = "choose_measures"
    REVIEW_DATA = "review_data"
    REOPEN_DATA = "reopen_data"
    LOCK_DATA = "lock_data"
    GRANT_EXCEPTION = "grant_exception"
    ADD_MEASURE = "add_measure"  # custom measures in a network; the object is the network
    CHANGE_CHART = "change_chart"  # baseline, phases, exclusions, rule set, notes
    # Every team's submitted data across a learning network; the object is the network.
    VIEW_NETWORK_DATA = "view_network_data"
    # The network's pooled (aggregate) data; the object is the network.
    VIEW_NETWORK_POOLED = "view_network_pooled"
    # Every jurisdiction's latest values and signals side by side.
    VIEW_NATIONAL = "view_national"
    # The improvement method. A team's aims, diagram, adopted ideas, PDSA cycles, scores:
    VIEW_IMPROVEMENT = "view_improvement"  # the object is the team
    EDIT_IMPROVEMENT = "edit_improvement"
    COMMENT_ON_CYCLE = "comment_on_cycle"
    # A network's driver diagram, calendar and what works; its aims and change package:
    VIEW_NETWORK_IMPROVEMENT = "view_network_improvement"  # the object is the network
    EDIT_NETWORK_IMPROVEMENT = "edit_network_improvement"
    VIEW_CHANGE_PACKAGE = "view_change_package"  # published: everyone
    # Upload a data file (each row is still checked against ENTER_DATA for its team).
    IMPORT_DATA = "import_data"
    # Which teams have submitted a period (no values): backbone, funder, faculty.
    VIEW_REPORTING_STATUS = "view_reporting_status"
    # Storyboards (lessons learned); the object is the team. Written by the team, reviewed
    # by its network's faculty, published to the public site by backbone staff.
    WRITE_STORYBOARD = "write_storyboard"
    REVIEW_STORYBOARD = "review_storyboard"
    PUBLISH_STORYBOARD = "publish_storyboard"


def is_backbone(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.network_role == User.NetworkRole.BACKBONE)
    )


def is_funder(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.network_role == User.NetworkRole.FUNDER)


def is_network_member(user: AnyUser) -> bool:
    """Anyone with a place in the network: a team, a faculty role or a network-wide role."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.network_role or user.is_superuser:
        return True
    cached = getattr(user, "_coiin_is_member", None)
    if cached is None:
        cached = user.memberships.exists() or user.faculty_roles.exists()
        user._coiin_is_member = cached  # type: ignore[union-attr]
    return cached


def team_role(user: AnyUser, team: Team) -> str | None:
    """The person's role on this team, or None."""
    if not user.is_authenticated:
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user).values_list("role", flat=True).first()
    )


def is_faculty_of(user: AnyUser, team: Team) -> bool:
    return bool(
        user.is_authenticated
        and user.faculty_roles.filter(learning_network_id=team.learning_network_id).exists()
    )


def is_close_to(user: AnyUser, team: Team) -> bool:
    """On the team, its network's faculty, backbone staff or the funder."""
    return (
        is_backbone(user) or is_funder(user) or team_role(user, team) is not None
        or is_faculty_of(user, team)
    )


_PUBLIC = {
    Action.VIEW_OVERVIEW, Action.VIEW_JURISDICTION, Action.VIEW_NETWORK, Action.VIEW_TEAM,
    Action.VIEW_CHANGE_PACKAGE,
}
_MEMBERS = {Action.VIEW_ROSTER, Action.VIEW_DIRECTORY}
_BACKBONE = {Action.MANAGE_NETWORK, Action.USE_ADMIN, Action.PUBLISH}


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    """May this user do this (to this object)?"""
    if action in _PUBLIC:
        return True
    if action in _MEMBERS:
        return is_network_member(user)
    if action in _BACKBONE:
        return is_backbone(user)
    if action is Action.VIEW_NETWORK_IMPROVEMENT:
        return is_network_member(user)
    if action is Action.EDIT_NETWORK_IMPROVEMENT:
        return is_backbone(user) or _coaches(user, obj)
    if action is Action.IMPORT_DATA:
        return is_backbone(user) or bool(user.is_authenticated and user.memberships.exists())
    if action is Action.VIEW_REPORTING_STATUS:
        return reporting_status_teams(user) is not None
    if action is Action.VIEW_NATIONAL:
        return is_backbone(user) or is_funder(user) or bool(
            user.is_authenticated and user.faculty_roles.exists())
    if action is Action.VIEW_NETWORK_DATA:
        return is_backbone(user) or is_funder(user) or _coaches(user, obj)
    if action is Action.VIEW_NETWORK_POOLED:
        return is_backbone(user) or is_funder(user) or _coaches(user, obj) or bool(
            user.is_authenticated
            and user.memberships.filter(team__learning_network=obj).exists())
    if action is Action.ADD_MEASURE:
        return is_backbone(user) or _coaches(user, obj)
    if action in _TEAM_ACTIONS:
        if not isinstance(obj, Team):
            raise TypeError(f"{action} needs the team")
        return is_backbone(user) or _TEAM_ACTIONS[action](user, obj)
    raise ValueError(f"unknown action {action!r}")


def _coaches(user: AnyUser, network: Any) -> bool:
    return bool(user.is_authenticated
                and user.faculty_roles.filter(learning_network=network).exists())


_LEADS = {TeamMembership.Role.LEAD, TeamMembership.Role.DATA_LEAD}
_TEAM_ACTIONS = {
    Action.INVITE_MEMBER: lambda u, t: team_role(u, t) == TeamMembership.Role.LEAD,
    Action.VIEW_DATA: lambda u, t: is_funder(u) or team_role(u, t) is not None
    or is_faculty_of(u, t),
    Action.ENTER_DATA: lambda u, t: team_role(u, t) is not None,
    Action.SUBMIT_DATA: lambda u, t: team_role(u, t) in _LEADS,
    Action.CHOOSE_MEASURES: lambda u, t: team_role(u, t) in _LEADS or is_faculty_of(u, t),
    Action.REVIEW_DATA: lambda u, t: is_faculty_of(u, t),
    Action.CHANGE_CHART: lambda u, t: team_role(u, t) in _LEADS or is_faculty_of(u, t),
    Action.VIEW_IMPROVEMENT: lambda u, t: is_close_to(u, t),
    Action.EDIT_IMPROVEMENT: lambda u, t: team_role(u, t) is not None or is_faculty_of(u, t),
    Action.COMMENT_ON_CYCLE: lambda u, t: team_role(u, t) is not None or is_faculty_of(u, t),
    Action.REOPEN_DATA: lambda u, t: is_faculty_of(u, t),
    Action.LOCK_DATA: lambda u, t: False,
    Action.GRANT_EXCEPTION: lambda u, t: False,
    Action.WRITE_STORYBOARD: lambda u, t: team_role(u, t) is not None,
    Action.REVIEW_STORYBOARD: lambda u, t: is_faculty_of(u, t),
    Action.PUBLISH_STORYBOARD: lambda u, t: False,  # backbone staff only
}


def require(user: AnyUser, action: Action, obj: Any = None) -> None:
    """Raise unless allowed: 403 for someone close to the object, 404 for an outsider."""
    if can(user, action, obj):
        return
    close = is_close_to(user, obj) if isinstance(obj, Team) else is_network_member(user)
    if close:
        raise PermissionDenied("You may see this, but not change it.")
    raise Http404


def visible_people(user: AnyUser, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """The people this user may see in the directory: everyone active, for members only."""
    people = User.objects.all() if people is None else people
    if not is_network_member(user):
        return people.none()
    return people.filter(is_active=True)



def visible_submissions(user: AnyUser, submissions: QuerySet | None = None) -> QuerySet:
    """Team-periods this user may see: their own teams' (drafts too); submitted data of the
    teams they coach (faculty) or fund; everything for backbone staff."""
    from django.db.models import Q

    from coiin.measures.models import Submission

    qs = Submission.objects.all() if submissions is None else submissions
    if is_backbone(user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    shown = [s.value for s in Submission.SHOWN_STATUSES]
    own = Q(team__memberships__user=user)
    if is_funder(user):
        return qs.filter(own | Q(status__in=shown)).distinct()
    coached = Q(status__in=shown, team__learning_network__faculty__user=user)
    return qs.filter(own | coached).distinct()


def teams_with_visible_data(user: AnyUser) -> QuerySet[Team]:
    """Teams whose submitted data this user may see (VIEW_DATA), as one query."""
    from django.db.models import Q

    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    return Team.objects.filter(
        Q(memberships__user=user) | Q(learning_network__faculty__user=user)).distinct()


def reporting_status_teams(user: AnyUser) -> QuerySet[Team] | None:
    """Teams whose reporting status this user may see: all for backbone staff and the
    funder, their networks' teams for faculty; None for everybody else."""
    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if user.is_authenticated and user.is_active and user.faculty_roles.exists():
        return Team.objects.filter(learning_network__faculty__user=user)
    return None


def teams_with_visible_work(user: AnyUser, network: Any = None) -> QuerySet[Team]:
    """Teams whose improvement work this user may see (VIEW_IMPROVEMENT), as one query."""
    from django.db.models import Q

    teams = Team.objects.all() if network is None else network.teams.all()
    if is_backbone(user) or is_funder(user):
        return teams
    if not (user.is_authenticated and user.is_active):
        return teams.none()
    return teams.filter(Q(memberships__user=user)
                        | Q(learning_network__faculty__user=user)).distinct()
