"""Events: scheduling, RSVP rules, time-zone display, attendance, materials and the
iCalendar feeds (parsed back with the ``icalendar`` package)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coiin.community.events import ical
from coiin.community.events import services as events
from coiin.community.events.models import RSVP, EventDetail
from coiin.improvement.models import Attendance

NY = zoneinfo.ZoneInfo("America/New_York")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def soon(days: int = 10, hour: int = 14) -> dt.datetime:
    """A future 2 pm in New York (aware)."""
    day = timezone.now().astimezone(NY).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=NY)


@pytest.fixture
def webinar(team, faculty) -> EventDetail:
    start = soon()
    return events.schedule_event(
        network=team.learning_network, by=faculty, format="webinar",
        title="Safe sleep, hospitals; cribs, audits \\ more", starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        description="Line one,\nline two; with a very long sentence that goes on and on so "
        "that the folded description needs several lines in the calendar file — ✓ ünïcödé.",
        location="Zoom, room 3; bring slides", join_url="https://example.org/zoom/123")


@pytest.fixture
def wide_event(networks, backbone) -> EventDetail:
    start = soon(20)
    return events.schedule_event(
        network=networks["smoking-cessation"], by=backbone, format="learning_session",
        title="All-network learning session", starts_at=start,
        ends_at=start + dt.timedelta(hours=6), audience=EventDetail.Audience.EVERYONE)


@pytest.fixture
def other_event(other_team, backbone) -> EventDetail:
    start = soon(5)
    return events.schedule_event(
        network=other_team.learning_network, by=backbone, format="office_hours",
        title="Smoking cessation office hours", starts_at=start,
        ends_at=start + dt.timedelta(minutes=45))


# -- scheduling ---------------------------------------------------------------------------

def test_times_are_stored_in_utc_and_the_calendar_row_is_improvements(webinar):
    assert webinar.starts_at.utcoffset() == dt.timedelta(0)
    assert webinar.starts_at == soon()
    assert webinar.event.starts == webinar.starts_at.date()
    assert webinar.event.kind == "webinar"


def test_naive_times_are_refused(team, faculty):
    with pytest.raises(ValidationError):
        events.schedule_event(network=team.learning_network, by=faculty, format="webinar",
                              title="x", starts_at=dt.datetime(2030, 1, 1, 14),  # noqa: DTZ001
                              ends_at=dt.datetime(2030, 1, 1, 15))  # noqa: DTZ001


def test_only_faculty_and_backbone_schedule(team, lead):
    with pytest.raises(PermissionDenied):
        events.schedule_event(network=team.learning_network, by=lead, format="webinar",
                              title="x", starts_at=soon(), ends_at=soon(hour=15))


# -- RSVP ---------------------------------------------------------------------------------

def test_one_rsvp_per_person_which_may_change(webinar, member):
    events.rsvp(detail=webinar, user=member, answer="maybe")
    events.rsvp(detail=webinar, user=member, answer="going")
    assert list(RSVP.objects.values_list("answer", flat=True)) == ["going"]
    assert events.rsvp_counts(webinar) == {"going": 1, "maybe": 0, "not_going": 0}


def test_rsvp_needs_a_known_answer(webinar, member):
    with pytest.raises(ValidationError):
        events.rsvp(detail=webinar, user=member, answer="perhaps")


def test_outsider_cannot_rsvp_to_another_networks_event(webinar, outsider):
    with pytest.raises(PermissionDenied):
        events.rsvp(detail=webinar, user=outsider, answer="going")


def test_everyone_may_rsvp_to_a_network_wide_event(wide_event, member, outsider):
    events.rsvp(detail=wide_event, user=member, answer="going")
    events.rsvp(detail=wide_event, user=outsider, answer="not_going")
    assert wide_event.rsvps.count() == 2


def test_rsvps_close_when_the_event_starts(team, backbone, member):
    start = timezone.now() - dt.timedelta(minutes=5)
    live = events.schedule_event(network=team.learning_network, by=backbone,
                                 format="webinar", title="Now", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        events.rsvp(detail=live, user=member, answer="going")


def test_rsvp_page(as_persona, webinar, member):
    client = as_persona("member")
    url = reverse("community:event_rsvp", args=[webinar.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"answer": "going"})
    assert response.status_code == 302
    assert RSVP.objects.get(user=member).answer == "going"
    assert "Going 1" in client.get(webinar.get_absolute_url()).content.decode()


# -- who sees events ------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("stranger", 404), ("outsider", 404), ("member", 200),
    ("lead", 200), ("faculty", 200), ("backbone", 200), ("funder", 200)])
def test_event_page_per_persona(as_persona, webinar, persona, status):
    assert as_persona(persona).get(webinar.get_absolute_url()).status_code == status


def test_the_list_shows_own_networks_and_network_wide_events_only(
        as_persona, webinar, wide_event, other_event):
    html = as_persona("member").get(reverse("community:events")).content.decode()
    assert webinar.event.title.split(";")[0] in html
    assert "All-network learning session" in html
    assert "Smoking cessation office hours" not in html


def test_read_only_member_may_not_record_attendance(as_persona, webinar, team):
    response = as_persona("member").post(
        reverse("community:event_attendance", args=[webinar.pk]), {"team": team.pk})
    assert response.status_code == 403


# -- time zones ---------------------------------------------------------------------------

def test_times_show_in_the_viewers_zone(as_persona, webinar, member):
    client = as_persona("member")
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert "2:00–3:00 pm E" in html  # EST or EDT: the default zone is New York
    events.set_time_zone(user=member, time_zone="America/Los_Angeles")
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert "11:00 am–12:00 pm P" in html and "America/Los_Angeles" in html


def test_an_unknown_zone_is_refused(member):
    with pytest.raises(ValidationError):
        events.set_time_zone(user=member, time_zone="Mars/Olympus_Mons")


# -- afterwards ---------------------------------------------------------------------------

def test_attendance_is_improvements_attendance_and_only_after_the_start(
        webinar, team, faculty, backbone):
    with pytest.raises(ValidationError):
        events.record_attendance(detail=webinar, team=team, attended=True, by=faculty)
    start = timezone.now() - dt.timedelta(days=2)
    past = events.schedule_event(network=team.learning_network, by=backbone,
                                 format="learning_session", title="LS1", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=3))
    events.record_attendance(detail=past, team=team, attended=True, who="Lena", by=faculty)
    assert Attendance.objects.get(event=past.event, team=team).who == "Lena"


def test_materials_are_links_or_checked_files(as_persona, webinar, faculty):
    client = as_persona("faculty")
    url = reverse("community:event_materials", args=[webinar.pk])
    client.post(url, {"kind": "recording", "title": "Recording",
                      "url": "https://example.org/rec"})
    pdf = SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(url, {"kind": "slides", "title": "Slides", "file": pdf})
    bad = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert client.post(url, {"kind": "slides", "title": "Bad", "file": bad}).status_code == 400
    kinds = sorted(webinar.materials.values_list("kind", flat=True))
    assert kinds == ["recording", "slides"]
    slides = webinar.materials.get(kind="slides")
    assert client.get(slides.get_absolute_url()).status_code == 200


# -- iCalendar ----------------------------------------------------------------------------

def test_ical_text_escaping_and_folding():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 80
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_feed_parses_back_with_times_escaping_and_rsvp(client, webinar, member):
    events.rsvp(detail=webinar, user=member, answer="maybe")
    token = events.calendar_token(member).token
    response = client.get(reverse("community:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART") == webinar.starts_at
    assert vevent.decoded("DTSTART").tzinfo is not None
    assert b"DTSTART:" + webinar.starts_at.strftime("%Y%m%dT%H%M%SZ").encode() in raw
    assert str(vevent["SUMMARY"]).startswith("Safe sleep, hospitals; cribs, audits \\ more")
    assert str(vevent["LOCATION"]) == "Zoom, room 3; bring slides"
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Your RSVP: Maybe.\n\nLine one,\nline two;")
    assert description.endswith("✓ ünïcödé.")
    assert str(vevent["URL"]).endswith(webinar.get_absolute_url())
    assert str(vevent["UID"]).endswith("@coiin") and "DTSTAMP" in vevent


def test_the_feed_speaks_the_persons_language(client, webinar, member, faculty):
    member.language = "es"
    member.save(update_fields=["language"])
    events.rsvp(detail=webinar, user=member, answer="going")
    events.cancel_event(detail=webinar, by=faculty)
    token = events.calendar_token(member).token
    cal = icalendar.Calendar.from_ical(
        client.get(reverse("community:calendar_feed", args=[token])).content)
    assert str(cal["X-WR-CALNAME"]) == "Eventos de CoIIN"
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]).startswith("Cancelado: Safe sleep, hospitals")
    assert str(vevent["DESCRIPTION"]).startswith("Su respuesta: ")


def test_the_person_feed_has_their_networks_and_network_wide_events(
        client, webinar, wide_event, other_event, member):
    token = events.calendar_token(member).token
    cal = icalendar.Calendar.from_ical(
        client.get(reverse("community:calendar_feed", args=[token])).content)
    titles = {str(v["SUMMARY"]) for v in cal.walk("VEVENT")}
    assert len(titles) == 2
    assert not any("office hours" in t for t in titles)


def test_the_network_feed_has_only_that_network(client, webinar, wide_event, member, team):
    token = events.calendar_token(member).token
    url = reverse("community:network_calendar_feed", args=[token, team.learning_network.slug])
    cal = icalendar.Calendar.from_ical(client.get(url).content)
    assert len(cal.walk("VEVENT")) == 1


def test_a_network_feed_of_another_network_is_404(client, member, networks):
    token = events.calendar_token(member).token
    url = reverse("community:network_calendar_feed", args=[token, "smoking-cessation"])
    assert client.get(url).status_code == 404


def test_wrong_and_rotated_tokens_are_404(client, webinar, member):
    old = events.calendar_token(member).token
    assert client.get(reverse("community:calendar_feed", args=["nope"])).status_code == 404
    new = events.rotate_calendar_token(user=member).token
    assert new != old
    assert client.get(reverse("community:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("community:calendar_feed", args=[new])).status_code == 200


def test_calendar_page_rotates_the_token(as_persona, member):
    client = as_persona("member")
    old = events.calendar_token(member).token
    assert old in client.get(reverse("community:calendar")).content.decode()
    client.post(reverse("community:calendar"), {"action": "rotate"})
    assert events.calendar_token(member).token != old


def test_the_list_page_query_count_does_not_grow_with_events(
        as_persona, team, backbone, member, django_assert_max_num_queries):
    for day in range(1, 8):
        start = soon(day)
        detail = events.schedule_event(network=team.learning_network, by=backbone,
                                       format="webinar", title=f"W{day}", starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1))
        events.rsvp(detail=detail, user=member, answer="going")
    client = as_persona("member")
    with django_assert_max_num_queries(14):
        html = client.get(reverse("community:events")).content.decode()
    assert html.count("Going") >= 7


def test_wrong_method_on_the_feed_is_405(client, member):
    token = events.calendar_token(member).token
    assert client.post(reverse("community:calendar_feed", args=[token])).status_code == 405
