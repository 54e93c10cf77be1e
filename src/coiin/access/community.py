"""The community: spaces, posts, the library, technical assistance and events.

* The network-wide space: every signed-in member of the network.
* A learning network's space: the members of its teams, its faculty, backbone staff and
  the funder (who reads only).
* A team's space: the team's members, its network's faculty and backbone staff.
* Anyone who may see a space writes in it, except the funder, and except in locked
  threads (moderators only).
* Faculty moderate their network's space and its teams' spaces (not the network-wide
  one); backbone staff moderate all. A post is moderated in its home space.
* Attachments and search results follow their post. A hidden post is seen by its home
  space's moderators only. A question's answer is marked by its author or a moderator.
* The library: every member reads it; everyone but the funder adds; a new version is
  added by whoever added the resource, faculty of its network and backbone staff.
* TA requests: seen by the team's members, the network's faculty and backbone staff;
  asked by the team's members, handled by the faculty and backbone staff, rated by the
  team.
* The public sees nothing of the community. For ``require``, someone who may see the
  space, post or request gets 403; anyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from coiin.community.models import Attachment, Post, PostSpace, Space
from coiin.community.resources.models import Resource
from coiin.community.ta.models import TARequest
from coiin.network.models import Team

from .actions import Action, AnyUser, Rule, Rules
from .roles import community_ids, is_backbone, is_funder, is_network_member, own_teams


def can_see_space(user: AnyUser, space: Space) -> bool:
    """VIEW_SPACE."""
    kinds = space.Kind
    if not is_network_member(user):
        return False
    if is_backbone(user) or space.kind == kinds.NETWORK_WIDE:
        return True
    if is_funder(user):
        return space.kind == kinds.LEARNING_NETWORK
    teams, team_networks, coached = community_ids(user)
    if space.kind == kinds.LEARNING_NETWORK:
        return space.network_id in team_networks | coached
    return space.team_id in teams or (
        space.team is not None and space.team.learning_network_id in coached)


def can_moderate_space(user: AnyUser, space: Space) -> bool:
    """MODERATE_SPACE."""
    if is_backbone(user):
        return True
    if not user.is_authenticated or space.kind == space.Kind.NETWORK_WIDE:
        return False
    return space.learning_network_id in community_ids(user)[2]


def post_spaces(post: Post) -> list[Space]:
    """The spaces a post is shown in (looked up once per post object)."""
    cached: list[Space] | None = getattr(post, "_spaces", None)
    if cached is None:
        cached = list(post.spaces.select_related("network", "team__jurisdiction",
                                                 "team__learning_network"))
        post._spaces = cached  # type: ignore[attr-defined]  # a cache on the object
    return cached


def can_see_post(user: AnyUser, post: Post) -> bool:
    """VIEW_POST: in a space the user sees; a hidden one only for its moderators."""
    if post.hidden and not can_moderate_space(user, post.space):
        return False
    return any(can_see_space(user, s) for s in post_spaces(post))


def _comments(user: AnyUser, post: Post) -> bool:
    if is_funder(user) or not can_see_post(user, post):
        return False
    return not post.locked or can_moderate_space(user, post.space)


def _marks_answer(user: AnyUser, post: Post) -> bool:
    return (post.kind == "question" and can_see_post(user, post)
            and (post.author_id == user.pk or can_moderate_space(user, post.space)))


def _edits_resource(user: AnyUser, resource: Resource) -> bool:
    if is_backbone(user) or (user.is_authenticated and resource.created_by_id == user.pk):
        return True
    return bool(resource.network_id and resource.network_id in community_ids(user)[2])


def can_see_ta_request(user: AnyUser, request: TARequest) -> bool:
    """VIEW_TA_REQUEST."""
    if is_backbone(user):
        return True
    teams, _, coached = community_ids(user)
    return request.team_id in teams or request.team.learning_network_id in coached


def _handles_ta(user: AnyUser, request: TARequest) -> bool:
    return is_backbone(user) or request.team.learning_network_id in community_ids(user)[2]


_MODERATORS_ONLY = "Only the space's moderators may do this."

RULES: Rules = {
    Action.VIEW_SPACE: Rule(can_see_space, needs=Space),
    Action.POST_IN_SPACE: Rule(lambda u, s: can_see_space(u, s) and not is_funder(u),
                               needs=Space,
                               refusal="You may read this space, but not post in it."),
    Action.MODERATE_SPACE: Rule(can_moderate_space, needs=Space, refusal=_MODERATORS_ONLY),
    Action.VIEW_POST: Rule(can_see_post, needs=Post),
    Action.COMMENT_ON_POST: Rule(_comments, needs=Post,
                                 refusal="This thread is locked, or you may only read it."),
    Action.MODERATE_POST: Rule(lambda u, p: can_moderate_space(u, p.space), needs=Post,
                               refusal=_MODERATORS_ONLY),
    Action.MARK_ANSWER: Rule(
        _marks_answer, needs=Post,
        refusal="Only the question's author or faculty may mark the answer."),
    Action.VIEW_ATTACHMENT: Rule(lambda u, a: can_see_post(u, a.post), needs=Attachment),
    Action.VIEW_RESOURCE: Rule(lambda u, _: is_network_member(u)),
    Action.ADD_RESOURCE: Rule(lambda u, _: is_network_member(u) and not is_funder(u),
                              refusal="You may read the library, but not add to it."),
    Action.EDIT_RESOURCE: Rule(
        _edits_resource, needs=Resource,
        refusal="Only whoever added it, the network's faculty and backbone staff "
                "may add a version."),
    Action.VIEW_TA_REQUEST: Rule(can_see_ta_request, needs=TARequest),
    Action.ASK_TA: Rule(lambda u, t: t.pk in community_ids(u)[0], needs=Team,
                        refusal="Only the team's members may ask for help for it."),
    Action.HANDLE_TA: Rule(_handles_ta, needs=TARequest,
                           refusal="Only faculty and backbone staff may do this."),
    Action.RATE_TA: Rule(lambda u, r: r.team_id in community_ids(u)[0], needs=TARequest,
                         refusal="Only the requesting team may do this."),
}

# For ``require``: who sees a community object at all (403 rather than 404).
SEES: dict[type, Any] = {
    Space: can_see_space,
    Post: can_see_post,
    Attachment: lambda u, a: can_see_post(u, a.post),
    TARequest: can_see_ta_request,
}


def visible_spaces(user: AnyUser) -> QuerySet[Space]:
    """The spaces this user may see (VIEW_SPACE), using the user's looked-up ids (with what
    their names in the reader's language need)."""
    spaces = Space.objects.select_related("network", "team__jurisdiction",
                                          "team__learning_network")
    if not is_network_member(user):
        return spaces.none()
    if is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if is_funder(user):
        return spaces.filter(wide | Q(kind=Space.Kind.LEARNING_NETWORK))
    teams, team_networks, coached = community_ids(user)
    return spaces.filter(
        wide
        | Q(kind=Space.Kind.LEARNING_NETWORK, network_id__in=team_networks | coached)
        | Q(kind=Space.Kind.TEAM, team_id__in=teams)
        | Q(kind=Space.Kind.TEAM, team__learning_network_id__in=coached)
    )


def visible_space_ids(user: AnyUser) -> list[int]:
    """Ids of the spaces this user may see (a short list: fine inside IN (...))."""
    return list(visible_spaces(user).values_list("pk", flat=True))


def visible_spaces_subquery(user: AnyUser) -> QuerySet[Space, Any]:
    """The same spaces as ``visible_spaces`` (their pks), written with joins instead of
    looked-up ids, for use inside another query (no extra queries of its own)."""
    spaces = Space.objects.all()
    if not is_network_member(user):
        return spaces.none()
    if is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if is_funder(user):
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


def visible_posts(user: AnyUser, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Posts in at least one space the user may see; hidden ones only for the moderators
    of their home space (VIEW_POST)."""
    posts = Post.objects.all() if posts is None else posts
    ids = visible_space_ids(user)
    if not ids:
        return posts.none()
    posts = posts.filter(Exists(PostSpace.objects.filter(post=OuterRef("pk"), space_id__in=ids)))
    if is_backbone(user):
        return posts
    moderated = [s.pk for s in Space.objects.filter(pk__in=ids).select_related("team")
                 if can_moderate_space(user, s)]
    return posts.filter(Q(hidden=False) | Q(space_id__in=moderated))


def visible_resources(user: AnyUser,
                      resources: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """The library (VIEW_RESOURCE): all of it for members of the network, else nothing."""
    resources = Resource.objects.all() if resources is None else resources
    return resources if is_network_member(user) else resources.none()


def visible_ta_requests(user: AnyUser,
                        requests: QuerySet[TARequest] | None = None) -> QuerySet[TARequest]:
    """TA requests this user may see (VIEW_TA_REQUEST)."""
    requests = TARequest.objects.all() if requests is None else requests
    if is_backbone(user):
        return requests
    if not (user.is_authenticated and user.is_active):
        return requests.none()
    teams, _, coached = community_ids(user)
    return requests.filter(Q(team_id__in=teams) | Q(team__learning_network_id__in=coached))


def ta_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams on whose behalf this user may ask for help (ASK_TA): their own."""
    return own_teams(user).select_related("jurisdiction", "learning_network")
