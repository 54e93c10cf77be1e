"""Who someone is in the network: backbone staff, the funder, a team's member, faculty.

Every rule in this package is composed of these answers. Per-user look-ups are cached on
the user object, so one request asks the database once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from coiin.network.models import LearningNetwork, Team, TeamMembership, User

from .actions import AnyUser, Rule


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
        user._coiin_is_member = cached  # type: ignore[attr-defined]  # a cache on the object
    return bool(cached)


def team_role(user: AnyUser, team: Team) -> str | None:
    """The person's role on this team, or None."""
    if not user.is_authenticated:
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user).values_list("role", flat=True).first()
    )


def staff_site(user: AnyUser, team: Team | Any) -> int | None:
    """The one site (reporting unit id) a member of this team is limited to, or None for
    members of the whole team and everyone else. Cached per user and team."""
    if not user.is_authenticated:
        return None
    cache: dict[int, int | None] | None = getattr(user, "_coiin_staff_sites", None)
    if cache is None:
        cache = {}
        user._coiin_staff_sites = cache  # type: ignore[attr-defined]  # a cache on the object
    if team.pk not in cache:
        cache[team.pk] = TeamMembership.objects.filter(team=team, user=user).values_list(
            "unit_id", flat=True).first()
    return cache[team.pk]


def is_on_team(user: AnyUser, team: Team) -> bool:
    """A member of the team in any role."""
    return team_role(user, team) is not None


def is_faculty_of(user: AnyUser, team: Team) -> bool:
    """Faculty of the team's learning network."""
    return bool(
        user.is_authenticated
        and user.faculty_roles.filter(learning_network_id=team.learning_network_id).exists()
    )


def coaches(user: AnyUser, network: LearningNetwork | Any) -> bool:
    """Faculty of this learning network."""
    return bool(user.is_authenticated
                and user.faculty_roles.filter(learning_network=network).exists())


def is_close_to(user: AnyUser, team: Team) -> bool:
    """On the team, its network's faculty, backbone staff or the funder."""
    return (
        is_backbone(user) or is_funder(user) or team_role(user, team) is not None
        or is_faculty_of(user, team)
    )


def is_on_a_team(user: AnyUser) -> bool:
    """A member of at least one team."""
    return bool(user.is_authenticated and user.memberships.exists())


def own_teams(user: AnyUser) -> QuerySet[Team]:
    """The teams this person is a member of (in any role); none for anonymous visitors."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def is_in_network(user: AnyUser, network: LearningNetwork | Any) -> bool:
    """A member of one of this learning network's teams."""
    return bool(user.is_authenticated
                and user.memberships.filter(team__learning_network=network).exists())


def community_ids(user: AnyUser) -> tuple[set[int], set[int], set[int]]:
    """(the user's teams, those teams' networks, the networks they are faculty of), as ids;
    looked up once per user object. Empty for anonymous visitors."""
    if not user.is_authenticated:
        return set(), set(), set()
    cached: tuple[set[int], set[int], set[int]] | None = getattr(user, "_community_ids", None)
    if cached is None:
        teams = list(user.memberships.values_list("team_id", "team__learning_network_id"))
        faculty = set(user.faculty_roles.values_list("learning_network_id", flat=True))
        cached = ({t for t, _ in teams}, {n for _, n in teams}, faculty)
        user._community_ids = cached  # type: ignore[attr-defined]  # a cache on the object
    return cached


def is_faculty(user: AnyUser) -> bool:
    """Faculty of at least one learning network."""
    return bool(community_ids(user)[2])


def team_rule(check: Callable[[AnyUser, Team], bool], refusal: str | None = None) -> Rule:
    """A rule about one team: backbone staff may always; the object must be the team."""
    return Rule(lambda u, t: is_backbone(u) or check(u, t), needs=Team, refusal=refusal,
                what="the team")
