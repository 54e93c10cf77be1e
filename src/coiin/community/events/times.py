"""Event times for people: "Tue 12 Mar, 2:00–3:30 pm EDT", and the time-zone choices.

Pure (no Django): one formatter used by every page that shows an event's time, so the
community and improvement calendars read the same.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

# The zones of the US states, DC and the territories and freely associated states, first
# in the time-zone select; every other IANA zone follows.
US_ZONES: list[tuple[str, str]] = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Mountain, no daylight saving (Arizona)"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico, US Virgin Islands)"),
    ("Pacific/Guam", "Chamorro (Guam, Northern Mariana Islands)"),
    ("Pacific/Pago_Pago", "Samoa (American Samoa)"),
    ("Pacific/Palau", "Palau"),
    ("Pacific/Majuro", "Marshall Islands"),
    ("Pacific/Chuuk", "Micronesia (Chuuk, Yap)"),
    ("Pacific/Pohnpei", "Micronesia (Pohnpei, Kosrae)"),
]
_SKIP_PREFIXES = ("Etc/", "posix/", "right/", "SystemV/", "US/")


@cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: US zones first, then the rest of the world."""
    known = zone_names()
    us = [(name, f"{label} — {name}") for name, label in US_ZONES if name in known]
    listed = {name for name, _ in us}
    others = sorted(n for n in known if "/" in n and n not in listed
                    and not n.startswith(_SKIP_PREFIXES))
    return [("United States", us), ("Other time zones", [(n, n) for n in others + ["UTC"]])]


def is_zone(name: str) -> bool:
    return name in zone_names() or name == "UTC"


def _clock(moment: dt.datetime, *, meridiem: bool = True) -> str:
    hour = moment.hour % 12 or 12
    text = f"{hour}:{moment.minute:02d}"
    return f"{text} {'am' if moment.hour < 12 else 'pm'}" if meridiem else text


def _day(moment: dt.datetime, this_year: int | None) -> str:
    text = f"{moment:%a} {moment.day} {moment:%b}"
    return text if moment.year == this_year else f"{text} {moment.year}"


def local(moment: dt.datetime, zone: zoneinfo.ZoneInfo | str) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("event times must be aware")
    return moment.astimezone(zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone)


def span(starts: dt.datetime, ends: dt.datetime, zone: zoneinfo.ZoneInfo | str, *,
         this_year: int | None = None) -> str:
    """When an event happens, in ``zone`` with its abbreviation.

    Same day: "Tue 12 Mar, 2:00–3:30 pm EDT" (the am/pm once when both share it);
    across days: "Tue 12 Mar, 9:00 am – Wed 13 Mar, 5:00 pm EDT". The year is shown
    unless it is ``this_year``; an abbreviation that changes (daylight saving) is shown
    at both ends.
    """
    a, b = local(starts, zone), local(ends, zone)
    za, zb = a.strftime("%Z"), b.strftime("%Z")
    if a.date() == b.date():
        same = (a.hour < 12) == (b.hour < 12) and za == zb
        first = _clock(a, meridiem=not same) + ("" if za == zb else f" {za}")
        return f"{_day(a, this_year)}, {first}–{_clock(b)} {zb}"
    first = _clock(a) + ("" if za == zb else f" {za}")
    return f"{_day(a, this_year)}, {first} – {_day(b, this_year)}, {_clock(b)} {zb}"


def from_local(day: dt.date, clock: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The aware moment of a wall-clock time. Raises ValueError when the clock time does
    not exist that day (skipped when the clocks go forward). A time that happens twice
    (clocks go back) is taken at its first occurrence."""
    moment = dt.datetime.combine(day, clock).replace(tzinfo=zone, fold=0)
    back = moment.astimezone(dt.UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValueError(f"{_clock(moment)} does not exist on {day.day} {day:%b %Y} in {zone.key}: "
                         "the clocks go forward then.")
    return moment
