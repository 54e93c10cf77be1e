"""The network's shape, its people and its administration.

* The public sees the network's shape: the overview, jurisdictions, learning networks
  and teams (with their reporting units), never people.
* Signed-in members of the network (anyone on a team, faculty, backbone staff, the
  funder) also see rosters and the people directory.
* Team leads invite people to their own team; backbone staff manage everything and use
  the admin. The funder and faculty read; they change nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coiin.network.models import Team, TeamMembership, User

from .actions import Action, AnyUser, Rule, Rules
from .roles import is_backbone, is_network_member, team_role


def _anyone(user: AnyUser, obj: Any) -> bool:
    return True


def _members(user: AnyUser, obj: Any) -> bool:
    return is_network_member(user)


def _backbone(user: AnyUser, obj: Any) -> bool:
    return is_backbone(user)


def _team_lead(user: AnyUser, team: Team) -> bool:
    return is_backbone(user) or team_role(user, team) == TeamMembership.Role.LEAD


RULES: Rules = {
    Action.VIEW_OVERVIEW: Rule(_anyone),
    Action.VIEW_JURISDICTION: Rule(_anyone),
    Action.VIEW_NETWORK: Rule(_anyone),
    Action.VIEW_TEAM: Rule(_anyone),
    Action.VIEW_ROSTER: Rule(_members),
    Action.VIEW_DIRECTORY: Rule(_members),
    Action.INVITE_MEMBER: Rule(_team_lead, needs=Team),
    Action.MANAGE_NETWORK: Rule(_backbone),
    Action.USE_ADMIN: Rule(_backbone),
    Action.PUBLISH: Rule(_backbone),
}


def visible_people(user: AnyUser, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """The people this user may see in the directory: everyone active, for members only."""
    people = User.objects.all() if people is None else people
    if not is_network_member(user):
        return people.none()
    return people.filter(is_active=True)


def network_members(people: QuerySet[User] | None = None) -> QuerySet[User]:
    """Everyone with a place in the network, as ``is_network_member`` answers for one
    person: active, and backbone staff, the funder, on a team or faculty."""
    people = User.objects.all() if people is None else people
    return people.filter(is_active=True).filter(
        Q(network_role__in=[User.NetworkRole.BACKBONE, User.NetworkRole.FUNDER])
        | Q(is_superuser=True) | Q(memberships__isnull=False) | Q(faculty_roles__isnull=False)
    ).distinct()
