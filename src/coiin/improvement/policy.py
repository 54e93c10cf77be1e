"""The improvement app's access checks: thin names over ``coiin.access``, which decides.

* A team's work (aims, driver diagram, adopted ideas, PDSA cycles, progress scores) is
  seen by the team, its network's faculty, backbone staff and the funder; changed by the
  team's members (any role), its network's faculty and backbone staff. The funder reads.
* Faculty and backbone staff (and the team itself) comment on a team's PDSA cycles.
* A network's aims, driver diagram, change package and calendar are changed by its
  faculty and backbone staff and read by every signed-in member of the CoIIN; its aims
  and change package are published: anyone may read them.
* Someone who may not see a thing gets 404; someone who may see it but not change it, 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coiin import access
from coiin.access import Action, AnyUser, teams_with_visible_work
from coiin.network.models import LearningNetwork, Team

__all__ = ["teams_with_visible_work"]


def may_view_team_work(user: AnyUser, team: Team) -> bool:
    return access.can(user, Action.VIEW_IMPROVEMENT, team)


def may_edit_team_work(user: AnyUser, team: Team) -> bool:
    return access.can(user, Action.EDIT_IMPROVEMENT, team)


def may_comment(user: AnyUser, team: Team) -> bool:
    return access.can(user, Action.COMMENT_ON_CYCLE, team)


def is_on_team(user: AnyUser, team: Team) -> bool:
    """A member of the team in any role (their scores are the team's self-rating)."""
    return access.team_role(user, team) is not None


def may_view_network_work(user: AnyUser, network: LearningNetwork) -> bool:
    return access.can(user, Action.VIEW_NETWORK_IMPROVEMENT, network)


def may_edit_network_work(user: AnyUser, network: LearningNetwork) -> bool:
    return access.can(user, Action.EDIT_NETWORK_IMPROVEMENT, network)


def may_view_published(user: AnyUser, network: LearningNetwork) -> bool:
    return access.can(user, Action.VIEW_CHANGE_PACKAGE, network)


def _refuse(may_view: bool, message: str) -> None:
    if may_view:
        raise PermissionDenied(message)
    raise Http404


def require_team_view(user: AnyUser, team: Team) -> None:
    if not may_view_team_work(user, team):
        raise Http404


def require_team_edit(user: AnyUser, team: Team) -> None:
    """404 for an outsider, 403 for someone who may read but not change (the funder)."""
    if not may_edit_team_work(user, team):
        _refuse(may_view_team_work(user, team),
                "You may see this team's improvement work, but not change it.")


def require_comment(user: AnyUser, team: Team) -> None:
    if not may_comment(user, team):
        _refuse(may_view_team_work(user, team), "You may read this cycle, but not comment on it.")


def require_network_view(user: AnyUser, network: LearningNetwork) -> None:
    if not may_view_network_work(user, network):
        raise Http404


def require_network_edit(user: AnyUser, network: LearningNetwork) -> None:
    if not may_edit_network_work(user, network):
        _refuse(may_view_network_work(user, network),
                "Only this network's faculty and backbone staff change this.")
