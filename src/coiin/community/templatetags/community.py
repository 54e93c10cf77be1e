"""Template helpers for the community pages."""

from __future__ import annotations

import datetime as dt

from django import template

from coiin import access
from coiin.access import Action

from ..notifications.services import unread_count

register = template.Library()


@register.inclusion_tag("community/_nav.html", takes_context=True)
def community_nav(context) -> dict[str, object]:
    request = context["request"]
    return {"request": request, "unread": unread_count(request.user),
            "current": request.resolver_match.url_name if request.resolver_match else ""}


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A short age or clock: 3 d 4 h, 5 h 10 min, 12 min."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


@register.filter
def age(value: dt.datetime, now: dt.datetime) -> dt.timedelta:
    return now - value


@register.inclusion_tag("community/_pairings_for_idea.html", takes_context=True)
def pairings_for_idea(context, idea) -> dict[str, object]:
    """What works: the mentor pairings that passed on this change idea.
    Use on the change-idea page: {% load community %}{% pairings_for_idea idea %}.
    Pairings name teams and what they learned, which stays inside the network: the
    change package itself is public, so visitors and strangers see no pairings."""
    from coiin.community.mentoring.services import pairings_for_change_idea

    request = context.get("request")
    if request is None or not access.is_network_member(request.user):
        return {"pairings": []}
    user = request.user

    def name(team) -> str:  # as on "what works": teams whose data the reader may not see
        return (team.jurisdiction.name if access.can(user, access.Action.VIEW_DATA, team)
                else "A team")

    return {"pairings": [{"pairing": p, "mentor": name(p.mentor), "mentee": name(p.mentee),
                          "link": access.can(user, Action.VIEW_PAIRING, p)}
                         for p in pairings_for_change_idea(idea)]}
