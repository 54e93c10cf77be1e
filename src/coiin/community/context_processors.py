"""Header data for the community: the inbox's unread count (one query when signed in)."""

from __future__ import annotations

from django.http import HttpRequest

from coiin import access

from .notifications.services import unread_count


def community(request: HttpRequest) -> dict[str, object]:
    user = request.user
    member = access.is_network_member(user)
    return {"nav_community": member, "community_unread": unread_count(user) if member else 0}
