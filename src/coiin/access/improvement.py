"""The improvement method: a team's work and a learning network's.

* A team's work (aims, driver diagram, adopted ideas, PDSA cycles, progress scores) is
  seen by the team, its network's faculty, backbone staff and the funder; changed by the
  team's members (any role), its network's faculty and backbone staff. The funder reads.
* Faculty and backbone staff (and the team itself) comment on a team's PDSA cycles.
* A network's aims, driver diagram, change package, calendar and what works are changed
  by its faculty and backbone staff and read by every signed-in member of the CoIIN; its
  aims and change package are published: anyone may read them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coiin.network.models import LearningNetwork, Team

from .actions import Action, AnyUser, Rule, Rules
from .roles import (
    coaches,
    is_backbone,
    is_close_to,
    is_faculty_of,
    is_funder,
    is_network_member,
    team_role,
    team_rule,
)


def _works_with(u: AnyUser, t: Team) -> bool:
    return team_role(u, t) is not None or is_faculty_of(u, t)


def _members(u: AnyUser, obj: Any) -> bool:
    return is_network_member(u)


def _edits_network(u: AnyUser, network: Any) -> bool:
    return is_backbone(u) or coaches(u, network)


def _anyone(u: AnyUser, obj: Any) -> bool:
    return True


RULES: Rules = {
    Action.VIEW_IMPROVEMENT: team_rule(is_close_to),
    Action.EDIT_IMPROVEMENT: team_rule(
        _works_with, "You may see this team's improvement work, but not change it."),
    Action.COMMENT_ON_CYCLE: team_rule(
        _works_with, "You may read this cycle, but not comment on it."),
    Action.VIEW_NETWORK_IMPROVEMENT: Rule(_members),
    Action.EDIT_NETWORK_IMPROVEMENT: Rule(
        _edits_network, refusal="Only this network's faculty and backbone staff change this."),
    Action.VIEW_CHANGE_PACKAGE: Rule(_anyone),
}


def teams_with_visible_work(user: AnyUser,
                            network: LearningNetwork | None = None) -> QuerySet[Team]:
    """Teams whose improvement work this user may see (VIEW_IMPROVEMENT), as one query."""
    teams = Team.objects.all() if network is None else network.teams.all()
    if is_backbone(user) or is_funder(user):
        return teams
    if not (user.is_authenticated and user.is_active):
        return teams.none()
    return teams.filter(Q(memberships__user=user)
                        | Q(learning_network__faculty__user=user)).distinct()
