"""iCalendar (RFC 5545) text, written by hand: no Django import, tested by parsing it back.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 sequence); text values
escape backslash, semicolon, comma and newlines; times are UTC with a trailing Z.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//CoIIN//Community calendar//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts: dt.datetime  # aware
    ends: dt.datetime  # aware
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    status: str = ""  # an attendee's answer, shown in the description and as PARTSTAT
    cancelled: bool = False  # STATUS:CANCELLED (calendar apps strike it through)
    sequence: int = 0  # raised on every change so calendar apps take the new version


def escape(text: str) -> str:
    """A TEXT value: backslash first, then ; and , and newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets; continuations start with a
    space (which counts toward the 75)."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


_PARTSTAT = {"going": "ACCEPTED", "maybe": "TENTATIVE", "not_going": "DECLINED"}


def calendar(events: Iterable[CalendarEvent], *, name: str, now: dt.datetime) -> str:
    """The whole VCALENDAR text (CRLF line endings, folded)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    stamp = utc(now)
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}",
                  f"DTSTART:{utc(e.starts)}", f"DTEND:{utc(e.ends)}",
                  f"SEQUENCE:{e.sequence}",
                  f"STATUS:{'CANCELLED' if e.cancelled else 'CONFIRMED'}",
                  f"SUMMARY:{escape(e.summary)}"]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        if e.location:
            lines.append(f"LOCATION:{escape(e.location)}")
        if e.status in _PARTSTAT:
            lines.append(f"X-COIIN-RSVP:{_PARTSTAT[e.status]}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
