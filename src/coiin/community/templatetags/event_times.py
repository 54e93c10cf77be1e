"""``{% event_when detail %}``: an event's time in the reader's zone, one way everywhere.

Used by the community's event pages and the improvement calendar. The zone is the
template's ``zone`` when the view gives one, else the signed-in reader's (looked up once
per request).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.utils import dateformat, timezone, translation

from ..events import times

register = template.Library()


def reader_zone(context: template.Context) -> zoneinfo.ZoneInfo:
    zone = context.get("zone")
    if isinstance(zone, zoneinfo.ZoneInfo):
        return zone
    request = context.get("request")
    if request is None:
        return zoneinfo.ZoneInfo("America/New_York")
    cached = getattr(request, "_coiin_event_zone", None)
    if cached is None:
        from ..events.services import viewer_zone

        cached = viewer_zone(request.user)
        request._coiin_event_zone = cached
    return cached


@register.simple_tag(takes_context=True)
def event_when(context: template.Context, detail) -> str:
    """"Tue 12 Mar, 2:00–3:30 pm EDT" for an ``EventDetail`` ("" for none)."""
    if detail is None or not getattr(detail, "starts_at", None):
        return ""
    zone = reader_zone(context)
    this_year = timezone.now().astimezone(zone).year
    if (translation.get_language() or "en").startswith("en"):
        return times.span(detail.starts_at, detail.ends_at, zone, this_year=this_year)
    return span_in_language(detail.starts_at, detail.ends_at, zone, this_year=this_year)


def span_in_language(starts: dt.datetime, ends: dt.datetime, zone: zoneinfo.ZoneInfo, *,
                     this_year: int) -> str:
    """``times.span`` in the active language: its day and month names, a 24-hour clock
    ("sáb 19 dic, 13:00–14:00 EST")."""
    a, b = times.local(starts, zone), times.local(ends, zone)
    za, zb = a.strftime("%Z"), b.strftime("%Z")

    def day(moment: dt.datetime) -> str:
        text = dateformat.format(moment, "D j M")
        return text if moment.year == this_year else f"{text} {moment.year}"

    first = dateformat.format(a, "G:i") + ("" if za == zb else f" {za}")
    if a.date() == b.date():
        return f"{day(a)}, {first}–{dateformat.format(b, 'G:i')} {zb}"
    return f"{day(a)}, {first} – {day(b)}, {dateformat.format(b, 'G:i')} {zb}"
