"""Template helpers for the community pages."""

from __future__ import annotations

import datetime as dt

from django import template

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
