"""The community app's access checks: thin names over ``coiin.access``, which decides
(its Community section states the rules: who sees, writes in and moderates each kind of
space, posts, attachments, the library, technical assistance and events).

Outsiders get 404, those who may read but not do this 403.
"""

from __future__ import annotations

from coiin import access
from coiin.access import (
    Action,
    AnyUser,
    post_spaces,
    ta_teams,
    visible_posts,
    visible_resources,
    visible_space_ids,
    visible_spaces,
    visible_spaces_subquery,
    visible_ta_requests,
)

from .models import Post, Resource, Space, TARequest

__all__ = ["post_spaces", "ta_teams", "visible_posts", "visible_resources",
           "visible_space_ids", "visible_spaces", "visible_spaces_subquery",
           "visible_ta_requests"]


def _member_ids(user: AnyUser) -> tuple[set[int], set[int], set[int]]:
    """(team ids, networks of those teams, networks the user is faculty of), cached."""
    return access.community_ids(user)


# Spaces and posts.

def can_see_space(user: AnyUser, space: Space) -> bool:
    return access.can(user, Action.VIEW_SPACE, space)


def can_write_space(user: AnyUser, space: Space) -> bool:
    return access.can(user, Action.POST_IN_SPACE, space)


def can_moderate_space(user: AnyUser, space: Space) -> bool:
    return access.can(user, Action.MODERATE_SPACE, space)


def require_space(user: AnyUser, space: Space, *, write: bool = False) -> None:
    """404 unless the user may see the space; 403 if they may see but not write."""
    access.require(user, Action.VIEW_SPACE, space)
    if write:
        access.require(user, Action.POST_IN_SPACE, space)


def can_see_post(user: AnyUser, post: Post) -> bool:
    return access.can(user, Action.VIEW_POST, post)


def can_moderate_post(user: AnyUser, post: Post) -> bool:
    """Moderated in its home space."""
    return access.can(user, Action.MODERATE_POST, post)


def can_comment(user: AnyUser, post: Post) -> bool:
    return access.can(user, Action.COMMENT_ON_POST, post)


def can_mark_answered(user: AnyUser, post: Post) -> bool:
    """The question's author or a moderator of its home space."""
    return access.can(user, Action.MARK_ANSWER, post)


def require_post(user: AnyUser, post: Post, *, write: bool = False,
                 moderate: bool = False) -> None:
    access.require(user, Action.VIEW_POST, post)
    if moderate:
        access.require(user, Action.MODERATE_POST, post)
    if write:
        access.require(user, Action.COMMENT_ON_POST, post)


# Resources.

def can_see_resources(user: AnyUser) -> bool:
    return access.can(user, Action.VIEW_RESOURCE)


def can_add_resource(user: AnyUser) -> bool:
    return access.can(user, Action.ADD_RESOURCE)


def can_edit_resource(user: AnyUser, resource: Resource) -> bool:
    """A new version: the person who added it, faculty of its network, backbone staff."""
    return access.can(user, Action.EDIT_RESOURCE, resource)


def require_resources(user: AnyUser, *, write: bool = False) -> None:
    access.require(user, Action.VIEW_RESOURCE)
    if write:
        access.require(user, Action.ADD_RESOURCE)


# Technical assistance.

def can_see_ta(user: AnyUser, request: TARequest) -> bool:
    return access.can(user, Action.VIEW_TA_REQUEST, request)


def is_ta_staff(user: AnyUser, request: TARequest) -> bool:
    """Faculty of the request's network or backbone staff: the helping side."""
    return access.can(user, Action.HANDLE_TA, request)


def is_ta_requester(user: AnyUser, request: TARequest) -> bool:
    return access.can(user, Action.RATE_TA, request)


def require_ta(user: AnyUser, request: TARequest, *, staff: bool = False,
               team: bool = False) -> None:
    access.require(user, Action.VIEW_TA_REQUEST, request)
    if staff:
        access.require(user, Action.HANDLE_TA, request)
    if team:
        access.require(user, Action.RATE_TA, request)


def is_ta_faculty(user: AnyUser) -> bool:
    return access.is_faculty(user)


# Events: faculty schedule their networks' events (EDIT_NETWORK_IMPROVEMENT on the
# network); only backbone staff schedule, edit or cancel network-wide ones.

def can_schedule_network_wide(user: AnyUser) -> bool:
    return access.is_backbone(user)
