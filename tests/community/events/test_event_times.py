"""Event times read the same everywhere: local time with the zone's abbreviation, on the
community's event pages and the improvement calendar, in each reader's own zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from coiin.community.events import services as events
from coiin.community.events import times as eventtimes

NY = zoneinfo.ZoneInfo("America/New_York")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def at(y, m, d, h, mi=0, zone=NY) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=zone)


@pytest.mark.parametrize(("starts", "ends", "zone", "year", "expected"), [
    (at(2024, 3, 12, 14), at(2024, 3, 12, 15, 30), NY, 2024,
     "Tue 12 Mar, 2:00–3:30 pm EDT"),
    (at(2024, 3, 12, 14), at(2024, 3, 12, 15, 30), NY, 2025,
     "Tue 12 Mar 2024, 2:00–3:30 pm EDT"),
    (at(2024, 1, 9, 11, 30), at(2024, 1, 9, 13), NY, 2024,
     "Tue 9 Jan, 11:30 am–1:00 pm EST"),
    (at(2024, 1, 9, 11, 30), at(2024, 1, 9, 13), LA, 2024,
     "Tue 9 Jan, 8:30–10:00 am PST"),
    (at(2024, 6, 4, 9), at(2024, 6, 5, 17), NY, 2024,
     "Tue 4 Jun, 9:00 am – Wed 5 Jun, 5:00 pm EDT"),
    # Across the change to daylight saving time: each end keeps its own abbreviation.
    (at(2024, 3, 9, 9), at(2024, 3, 11, 17), NY, 2024,
     "Sat 9 Mar, 9:00 am EST – Mon 11 Mar, 5:00 pm EDT"),
    (at(2024, 7, 1, 0), at(2024, 7, 1, 0, 45), NY, 2024, "Mon 1 Jul, 12:00–12:45 am EDT"),
])
def test_span(starts, ends, zone, year, expected):
    assert eventtimes.span(starts, ends, zone, this_year=year) == expected


def test_a_clock_time_skipped_by_daylight_saving_is_refused():
    with pytest.raises(ValueError, match="does not exist"):
        eventtimes.from_local(dt.date(2024, 3, 10), dt.time(2, 30), NY)
    # 1:30 am on the day the clocks go back happens twice: the first (EDT) is taken.
    first = eventtimes.from_local(dt.date(2024, 11, 3), dt.time(1, 30), NY)
    assert first.utcoffset() == dt.timedelta(hours=-4)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        eventtimes.span(dt.datetime(2024, 1, 1, 9), at(2024, 1, 1, 10), NY)  # noqa: DTZ001


@pytest.fixture
def session(team, faculty):
    """Tue 9 Jul 2030, 2:00-3:30 pm in New York."""
    return events.schedule_event(
        network=team.learning_network, by=faculty, format="webinar",
        title="Webinar on crib audits", starts_at=at(2030, 7, 9, 14),
        ends_at=at(2030, 7, 9, 15, 30), join_url="https://example.org/w")


def test_the_improvement_calendar_and_event_page_show_local_times(as_persona, session,
                                                                   team, member):
    client = as_persona("member")
    calendar = reverse("improvement:calendar", args=[team.learning_network.slug])
    html = client.get(calendar).content.decode()
    assert "Tue 9 Jul 2030, 2:00–3:30 pm EDT" in html
    html = client.get(session.event.get_absolute_url()).content.decode()
    assert "Tue 9 Jul 2030, 2:00–3:30 pm EDT" in html
    assert session.get_absolute_url() in html  # on to RSVPs, place and materials
    events.set_time_zone(user=member, time_zone="America/Los_Angeles")
    for url in (calendar, session.event.get_absolute_url(), session.get_absolute_url(),
                reverse("community:events")):
        html = client.get(url).content.decode()
        assert "Tue 9 Jul 2030, 11:00 am–12:30 pm PDT" in html, url


def test_whole_day_calendar_entries_keep_their_dates(as_persona, team):
    from coiin.improvement import services as improvement

    improvement.save_event(network=team.learning_network, kind="action_period",
                           title="Action period 3", starts=dt.date(2030, 8, 1),
                           ends=dt.date(2030, 10, 31))
    html = as_persona("member").get(reverse(
        "improvement:calendar", args=[team.learning_network.slug])).content.decode()
    assert "Action period 3" in html and "Thu 1 Aug 2030 – Thu 31 Oct 2030" in html


def test_the_improvement_calendar_query_count_does_not_grow_with_events(
        as_persona, team, faculty, django_assert_max_num_queries):
    client = as_persona("member")
    url = reverse("improvement:calendar", args=[team.learning_network.slug])
    for i in range(2):
        events.schedule_event(network=team.learning_network, by=faculty, format="webinar",
                              title=f"Webinar {i}", starts_at=at(2030, 7, 9 + i, 14),
                              ends_at=at(2030, 7, 9 + i, 15), location="Room")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for i in range(2, 12):
        events.schedule_event(network=team.learning_network, by=faculty, format="webinar",
                              title=f"Webinar {i}", starts_at=at(2030, 7, 9 + i, 14),
                              ends_at=at(2030, 7, 9 + i, 15), location="Room")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
