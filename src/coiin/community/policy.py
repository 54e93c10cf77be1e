"""Who may see and change the community. Built on ``coiin.access``; meant to move into it.

* The network-wide space: every signed-in member of the network.
* A learning network's space: the members of its teams, its faculty, backbone staff and
  the funder (who reads only).
* A team's space: the team's members, its network's faculty and backbone staff.
* Anyone who may see a space writes in it, except the funder, and except in locked threads.
* Faculty moderate their network's space and its teams' spaces; backbone staff moderate all.
* Attachments and search results follow their post. A hidden post is seen by moderators only.
* TA requests: the team's members, the network's faculty and backbone staff.
* The public sees nothing of the community. Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from coiin import access
from coiin.access import AnyUser
from coiin.network.models import Team

from .models import Post, PostSpace, Resource, Space, TARequest


def _member_ids(user: AnyUser) -> tuple[set[int], set[int], set[int]]:
    """(team ids, networks of those teams, networks the user is faculty of), cached."""
    cached = getattr(user, "_community_ids", None)
    if cached is None:
        teams = list(user.memberships.values_list("team_id", "team__learning_network_id"))
        faculty = set(user.faculty_roles.values_list("learning_network_id", flat=True))
        cached = ({t for t, _ in teams}, {n for _, n in teams}, faculty)
        user._community_ids = cached  # type: ignore[union-attr]
    return cached


def visible_space_ids(user: AnyUser) -> list[int]:
    """Ids of the spaces this user may read (a short list: fine inside IN (...))."""
    return list(visible_spaces(user).values_list("pk", flat=True))


def visible_spaces(user: AnyUser) -> QuerySet[Space]:
    spaces = Space.objects.all()
    if not access.is_network_member(user):
        return spaces.none()
    if access.is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if access.is_funder(user):
        return spaces.filter(wide | Q(kind=Space.Kind.LEARNING_NETWORK))
    teams, team_networks, coached = _member_ids(user)
    return spaces.filter(
        wide
        | Q(kind=Space.Kind.LEARNING_NETWORK, network_id__in=team_networks | coached)
        | Q(kind=Space.Kind.TEAM, team_id__in=teams)
        | Q(kind=Space.Kind.TEAM, team__learning_network_id__in=coached)
    )


def visible_spaces_subquery(user: AnyUser) -> QuerySet[Space]:
    """The same spaces as ``visible_spaces``, written with joins instead of looked-up ids,
    for use inside another query (no extra queries of its own)."""
    spaces = Space.objects.all()
    if not access.is_network_member(user):
        return spaces.none()
    if access.is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if access.is_funder(user):
        return spaces.filter(wide | Q(kind=Space.Kind.LEARNING_NETWORK))
    network = Q(kind=Space.Kind.LEARNING_NETWORK)
    team = Q(kind=Space.Kind.TEAM)
    return spaces.filter(
        wide
        | network & Q(network__teams__memberships__user=user)
        | network & Q(network__faculty__user=user)
        | team & Q(team__memberships__user=user)
        | team & Q(team__learning_network__faculty__user=user)
    ).values("pk")


def can_see_space(user: AnyUser, space: Space) -> bool:
    if not access.is_network_member(user):
        return False
    if access.is_backbone(user) or space.kind == Space.Kind.NETWORK_WIDE:
        return True
    if access.is_funder(user):
        return space.kind == Space.Kind.LEARNING_NETWORK
    teams, team_networks, coached = _member_ids(user)
    if space.kind == Space.Kind.LEARNING_NETWORK:
        return space.network_id in team_networks | coached
    return space.team_id in teams or space.team.learning_network_id in coached


def can_write_space(user: AnyUser, space: Space) -> bool:
    return can_see_space(user, space) and not access.is_funder(user)


def can_moderate_space(user: AnyUser, space: Space) -> bool:
    if access.is_backbone(user):
        return True
    if not user.is_authenticated or space.kind == Space.Kind.NETWORK_WIDE:
        return False
    return space.learning_network_id in _member_ids(user)[2]


def require_space(user: AnyUser, space: Space, *, write: bool = False) -> None:
    """404 unless the user may see the space; 403 if they may see but not write."""
    if not can_see_space(user, space):
        raise Http404
    if write and not can_write_space(user, space):
        raise PermissionDenied("You may read this space, but not post in it.")


def visible_posts(user: AnyUser, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Posts in at least one space the user may see; hidden posts only for moderators."""
    posts = Post.objects.all() if posts is None else posts
    ids = visible_space_ids(user)
    if not ids:
        return posts.none()
    placed = PostSpace.objects.filter(post=OuterRef("pk"), space_id__in=ids)
    posts = posts.filter(Exists(placed))
    moderated = [s.pk for s in Space.objects.filter(pk__in=ids).select_related("team")
                 if can_moderate_space(user, s)] if not access.is_backbone(user) else None
    if moderated is None:
        return posts
    return posts.filter(Q(hidden=False) | Q(space_id__in=moderated))


def post_spaces(post: Post) -> list[Space]:
    cached = getattr(post, "_spaces", None)
    if cached is None:
        cached = list(post.spaces.select_related("team"))
        post._spaces = cached  # type: ignore[attr-defined]
    return cached


def can_see_post(user: AnyUser, post: Post) -> bool:
    if post.hidden and not can_moderate_post(user, post):
        return False
    return any(can_see_space(user, s) for s in post_spaces(post))


def can_moderate_post(user: AnyUser, post: Post) -> bool:
    """Moderated in its home space."""
    return can_moderate_space(user, post.space)


def can_comment(user: AnyUser, post: Post) -> bool:
    if access.is_funder(user) or not can_see_post(user, post):
        return False
    return not post.locked or can_moderate_post(user, post)


def require_post(user: AnyUser, post: Post, *, write: bool = False,
                 moderate: bool = False) -> None:
    if not can_see_post(user, post):
        raise Http404
    if moderate and not can_moderate_post(user, post):
        raise PermissionDenied("Only the space's moderators may do this.")
    if write and not can_comment(user, post):
        raise PermissionDenied("This thread is locked, or you may only read it.")


def can_mark_answered(user: AnyUser, post: Post) -> bool:
    """The question's author or faculty of its network (and backbone staff)."""
    return (post.kind == Post.Kind.QUESTION and can_see_post(user, post)
            and (post.author_id == user.pk or can_moderate_post(user, post)))


# Resources: every member of the network reads the library; everyone but the funder adds.

def can_see_resources(user: AnyUser) -> bool:
    return access.is_network_member(user)


def can_add_resource(user: AnyUser) -> bool:
    return access.is_network_member(user) and not access.is_funder(user)


def can_edit_resource(user: AnyUser, resource: Resource) -> bool:
    """A new version: the person who added it, faculty of its network, backbone staff."""
    if access.is_backbone(user) or resource.created_by_id == user.pk:
        return True
    return bool(resource.network_id and resource.network_id in _member_ids(user)[2])


def require_resources(user: AnyUser, *, write: bool = False) -> None:
    if not can_see_resources(user):
        raise Http404
    if write and not can_add_resource(user):
        raise PermissionDenied("You may read the library, but not add to it.")


# Technical assistance.

def visible_ta_requests(user: AnyUser, qs: QuerySet[TARequest] | None = None
                        ) -> QuerySet[TARequest]:
    qs = TARequest.objects.all() if qs is None else qs
    if access.is_backbone(user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    teams, _, coached = _member_ids(user)
    return qs.filter(Q(team_id__in=teams) | Q(team__learning_network_id__in=coached))


def can_see_ta(user: AnyUser, request: TARequest) -> bool:
    if access.is_backbone(user):
        return True
    if not user.is_authenticated:
        return False
    teams, _, coached = _member_ids(user)
    return request.team_id in teams or request.team.learning_network_id in coached


def is_ta_staff(user: AnyUser, request: TARequest) -> bool:
    """Faculty of the request's network or backbone staff: the helping side."""
    return access.is_backbone(user) or (
        user.is_authenticated and request.team.learning_network_id in _member_ids(user)[2])


def is_ta_requester(user: AnyUser, request: TARequest) -> bool:
    return user.is_authenticated and request.team_id in _member_ids(user)[0]


def require_ta(user: AnyUser, request: TARequest, *, staff: bool = False,
               team: bool = False) -> None:
    if not can_see_ta(user, request):
        raise Http404
    if staff and not is_ta_staff(user, request):
        raise PermissionDenied("Only faculty and backbone staff may do this.")
    if team and not is_ta_requester(user, request):
        raise PermissionDenied("Only the requesting team may do this.")


def ta_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams on whose behalf this user may ask for help: their own."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).select_related(
        "jurisdiction", "learning_network")


def is_ta_faculty(user: AnyUser) -> bool:
    return bool(user.is_authenticated and _member_ids(user)[2])


# Events: faculty schedule their networks' events (EDIT_NETWORK_IMPROVEMENT on the
# network); only backbone staff schedule, edit or cancel network-wide ones.

def can_schedule_network_wide(user: AnyUser) -> bool:
    return access.is_backbone(user)
