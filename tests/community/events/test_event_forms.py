"""Scheduling, changing and cancelling events in the pages: who may, what is checked
(each error on its field, nothing stored), and what a cancellation does to the calendar,
the iCalendar feeds and the inboxes of the people who answered."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coiin.community.events import services as events
from coiin.community.events.models import EventDetail
from coiin.community.notifications.models import Notification
from coiin.improvement import services as improvement
from coiin.improvement.models import Event

NY = zoneinfo.ZoneInfo("America/New_York")
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NEW = reverse("community:event_new")


def next_july_ninth() -> dt.date:
    """A summer day safely ahead (daylight saving time everywhere in the US)."""
    today = timezone.now().date()
    return dt.date(today.year + 1, 7, 9)


def data(network, **changes) -> dict[str, object]:
    day = next_july_ninth()
    out = {"title": "Safe sleep webinar", "format": "webinar", "network": network.pk,
           "audience": "network", "starts_on": day.isoformat(), "starts_time": "14:00",
           "ends_time": "15:30", "ends_on": "", "time_zone": "America/Chicago",
           "location": "", "join_url": "https://example.org/zoom/42",
           "description": "Bring your audit forms."}
    out.update(changes)
    return out


@pytest.fixture
def webinar(team, faculty) -> EventDetail:
    day = next_july_ninth()
    start = dt.datetime(day.year, day.month, day.day, 13, 0, tzinfo=NY)
    return events.schedule_event(
        network=team.learning_network, by=faculty, format="webinar", title="Crib audits",
        starts_at=start, ends_at=start + dt.timedelta(hours=1),
        join_url="https://example.org/zoom/1")


@pytest.fixture
def wide_event(networks, backbone) -> EventDetail:
    day = next_july_ninth() + dt.timedelta(days=7)
    start = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=NY)
    return events.schedule_event(
        network=networks["safe-sleep"], by=backbone, format="learning_session",
        title="All-network session", starts_at=start, ends_at=start + dt.timedelta(hours=7),
        location="Atlanta", audience=EventDetail.Audience.EVERYONE)


# -- scheduling ---------------------------------------------------------------------------

def test_faculty_schedule_an_event_for_their_network(as_persona, team):
    client = as_persona("faculty")
    response = client.post(NEW, data(team.learning_network))
    detail = EventDetail.objects.select_related("event").get()
    assert response.status_code == 302 and response["Location"] == detail.get_absolute_url()
    day = next_july_ninth()
    # 2:00-3:30 pm Central daylight time is 19:00-20:30 UTC.
    assert detail.starts_at == dt.datetime(day.year, 7, 9, 19, 0, tzinfo=dt.UTC)
    assert detail.ends_at == dt.datetime(day.year, 7, 9, 20, 30, tzinfo=dt.UTC)
    assert detail.time_zone == "America/Chicago" and detail.format == "webinar"
    assert detail.audience == "network" and detail.join_url == "https://example.org/zoom/42"
    assert detail.event.learning_network == team.learning_network
    assert detail.event.kind == "webinar" and detail.event.starts == day
    assert detail.event.description == "Bring your audit forms."
    html = client.get(response["Location"]).content.decode()
    assert "is on the calendar" in html


def test_backbone_schedule_network_wide_events(as_persona, networks):
    client = as_persona("backbone")
    response = client.post(NEW, data(networks["smoking-cessation"], audience="everyone",
                                     format="learning_session", join_url="",
                                     location="Conference centre"))
    assert response.status_code == 302
    detail = EventDetail.objects.get()
    assert detail.audience == "everyone" and detail.location == "Conference centre"
    assert detail.event.learning_network == networks["smoking-cessation"]


def test_faculty_are_not_offered_network_wide_or_other_networks(as_persona, team, networks):
    client = as_persona("faculty")
    html = client.get(NEW).content.decode()
    assert 'name="audience"' not in html
    assert networks["smoking-cessation"].name not in html
    response = client.post(NEW, data(networks["smoking-cessation"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()
    # A network-wide audience posted anyway is not taken from faculty.
    client.post(NEW, data(team.learning_network, audience="everyone"))
    assert EventDetail.objects.get().audience == "network"


def test_the_service_refuses_network_wide_events_from_faculty(team, faculty):
    start = dt.datetime(2031, 7, 9, 14, tzinfo=NY)
    with pytest.raises(PermissionDenied):
        events.schedule_event(network=team.learning_network, by=faculty, format="webinar",
                              title="Wide", starts_at=start,
                              ends_at=start + dt.timedelta(hours=1), location="x",
                              audience=EventDetail.Audience.EVERYONE)


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("stranger", 404), ("member", 403), ("lead", 403),
    ("outsider", 403), ("funder", 403), ("faculty", 200), ("backbone", 200)])
def test_the_new_event_page_per_persona(as_persona, team, persona, status):
    assert as_persona(persona).get(NEW).status_code == status


def test_the_form_offers_us_zones_first_and_defaults_to_the_organisers(
        as_persona, team, faculty):
    client = as_persona("faculty")
    html = client.get(NEW).content.decode()
    assert '<option value="America/New_York" selected>' in html
    assert html.index("America/New_York") < html.index("America/Chicago") < html.index(
        "Pacific/Guam") < html.index("Europe/London")
    events.set_time_zone(user=faculty, time_zone="America/Denver")
    html = client.get(NEW).content.decode()
    assert '<option value="America/Denver" selected>' in html


def test_wrong_method_on_cancel_is_405(as_persona, webinar):
    client = as_persona("faculty")
    assert client.get(reverse("community:event_cancel", args=[webinar.pk])).status_code == 405


# -- validation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ends_time": "13:00"}, "ends_time", "The event ends before it starts"),
    ({"ends_time": "14:00"}, "ends_time", "The event ends before it starts"),
    ({"join_url": "http://example.org/zoom"}, "join_url", "must start with https://"),
    ({"join_url": "https://"}, "join_url", "not a web address"),
    ({"join_url": "", "location": ""}, "location", "a place, a join link, or both"),
    ({"title": ""}, "title", "This field is required"),
    ({"starts_on": "2031-02-30"}, "starts_on", "Enter a valid date"),
    ({"starts_time": "25:00"}, "starts_time", "Enter a valid time"),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice"),
    ({"ends_on": (next_july_ninth() + dt.timedelta(days=10)).isoformat()}, "ends_time",
     "at most 7 days"),
    ({"starts_on": "2031-03-09", "starts_time": "02:30", "ends_time": "04:00",
      "time_zone": "America/New_York"}, "starts_time", "does not exist on 9 Mar 2031"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(
        as_persona, team, changes, field, message):
    response = as_persona("faculty").post(NEW, data(team.learning_network, **changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "Nothing was saved" in response.content.decode()
    assert not Event.objects.exists() and not EventDetail.objects.exists()


def test_a_title_taken_that_day_is_refused_on_the_title(as_persona, team):
    client = as_persona("faculty")
    client.post(NEW, data(team.learning_network))
    response = client.post(NEW, data(team.learning_network, starts_time="16:00",
                                     ends_time="17:00"))
    assert response.status_code == 400
    assert "already has an event called" in response.context["form"].errors["title"][0]
    assert EventDetail.objects.count() == 1


def test_the_calendar_row_and_its_detail_are_stored_together_or_not_at_all(
        as_persona, team, monkeypatch):
    def fail(self, *args, **kwargs):
        raise ValidationError({"location": "Refused by the detail."})

    monkeypatch.setattr(EventDetail, "full_clean", fail)
    response = as_persona("faculty").post(NEW, data(team.learning_network, location="Room"))
    assert response.status_code == 400
    assert response.context["form"].errors["location"] == ["Refused by the detail."]
    assert not Event.objects.exists()


# -- editing ------------------------------------------------------------------------------

def test_the_edit_form_shows_the_times_in_the_zone_they_were_set_in(as_persona, webinar):
    response = as_persona("faculty").get(reverse("community:event_edit", args=[webinar.pk]))
    form = response.context["form"]
    assert form.initial["starts_time"] == dt.time(13, 0)
    assert form.initial["ends_time"] == dt.time(14, 0)
    assert form.initial["time_zone"] == "America/New_York"
    assert form.initial["join_url"] == "https://example.org/zoom/1"


def test_moving_an_event_tells_those_going_and_raises_the_sequence(
        as_persona, webinar, team, member, lead, data_lead):
    events.rsvp(detail=webinar, user=member, answer="going")
    events.rsvp(detail=webinar, user=lead, answer="not_going")
    client = as_persona("faculty")
    url = reverse("community:event_edit", args=[webinar.pk])
    response = client.post(url, data(team.learning_network, title="Crib audits, part 2"))
    assert response.status_code == 302
    webinar.refresh_from_db()
    webinar.event.refresh_from_db()
    assert webinar.event.title == "Crib audits, part 2" and webinar.sequence == 1
    assert webinar.starts_at.astimezone(CHICAGO).time() == dt.time(14, 0)
    note = Notification.objects.get(user=member)
    assert note.kind == "event" and "has moved" in note.text
    assert note.url == webinar.get_absolute_url()
    assert not Notification.objects.filter(user=lead).exists()  # not going: not told
    # Same time, new description: nobody is told again.
    client.post(url, data(team.learning_network, title="Crib audits, part 2",
                          description="New agenda"))
    assert Notification.objects.filter(user=member).count() == 1


@pytest.mark.parametrize(("persona", "status"), [
    ("stranger", 404), ("outsider", 404), ("member", 403), ("lead", 403), ("funder", 403),
    ("faculty", 200), ("backbone", 200)])
def test_the_edit_page_per_persona(as_persona, webinar, persona, status):
    url = reverse("community:event_edit", args=[webinar.pk])
    assert as_persona(persona).get(url).status_code == status


def test_only_backbone_change_network_wide_events(as_persona, wide_event):
    url = reverse("community:event_edit", args=[wide_event.pk])
    assert as_persona("faculty").get(url).status_code == 403
    assert as_persona("backbone").get(url).status_code == 200


def test_an_event_with_attendance_keeps_its_network(webinar, backbone, team, networks):
    improvement.record_attendance(event=webinar.event, team=team, attended=True)
    with pytest.raises(ValidationError) as exc:
        events.update_event(detail=webinar, by=backbone, network=networks["smoking-cessation"],
                            format="webinar", title="Moved", starts_at=webinar.starts_at,
                            ends_at=webinar.ends_at, join_url="https://example.org/z")
    assert "network" in exc.value.message_dict


# -- cancelling ---------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "status"), [
    ("stranger", 404), ("outsider", 404), ("member", 403), ("lead", 403), ("funder", 403)])
def test_who_may_not_cancel(as_persona, webinar, persona, status):
    url = reverse("community:event_cancel", args=[webinar.pk])
    assert as_persona(persona).post(url).status_code == status
    webinar.refresh_from_db()
    assert webinar.cancelled_at is None


def test_cancelling_tells_everyone_who_answered(as_persona, webinar, faculty, member, lead,
                                                data_lead):
    events.rsvp(detail=webinar, user=member, answer="going")
    events.rsvp(detail=webinar, user=lead, answer="not_going")
    events.rsvp(detail=webinar, user=faculty, answer="going")
    client = as_persona("faculty")
    response = client.post(reverse("community:event_cancel", args=[webinar.pk]))
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.is_cancelled and webinar.cancelled_by == faculty and webinar.sequence == 1
    told = set(Notification.objects.filter(kind="event").values_list("user_id", flat=True))
    assert told == {member.pk, lead.pk}  # the organiser is not told of their own act
    assert "Crib audits” is cancelled" in Notification.objects.get(user=member).text
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert "This event was cancelled" in html and "Cancel this event" not in html
    assert reverse("community:event_edit", args=[webinar.pk]) not in html


def test_cancelling_twice_or_after_the_event_is_refused(as_persona, webinar, team, faculty):
    client = as_persona("faculty")
    url = reverse("community:event_cancel", args=[webinar.pk])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 400
    assert "already cancelled" in response.content.decode()
    past_start = timezone.now() - dt.timedelta(days=3)
    past = events.schedule_event(network=team.learning_network, by=faculty,
                                 format="office_hours", title="Last week", location="Room 1",
                                 starts_at=past_start,
                                 ends_at=past_start + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="already taken place"):
        events.cancel_event(detail=past, by=faculty)


def test_a_cancelled_event_takes_no_answers_and_no_changes(as_persona, webinar, faculty,
                                                           member):
    events.cancel_event(detail=webinar, by=faculty)
    with pytest.raises(ValidationError, match="cancelled"):
        events.rsvp(detail=webinar, user=member, answer="going")
    response = as_persona("faculty").get(reverse("community:event_edit", args=[webinar.pk]))
    assert response.status_code == 302 and response["Location"] == webinar.get_absolute_url()


def test_cancelled_events_stay_on_the_calendars_marked(as_persona, webinar, faculty, team):
    events.cancel_event(detail=webinar, by=faculty)
    client = as_persona("member")
    html = client.get(reverse("community:events")).content.decode()
    assert "Crib audits" in html and "Cancelled" in html
    html = client.get(reverse("improvement:calendar",
                              args=[team.learning_network.slug])).content.decode()
    assert "Crib audits" in html and "status-cancelled" in html


def test_the_feed_says_cancelled_and_carries_the_sequence(client, webinar, faculty, member,
                                                          wide_event):
    events.rsvp(detail=webinar, user=member, answer="going")
    token = events.calendar_token(member).token
    feed = reverse("community:calendar_feed", args=[token])
    before = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        client.get(feed).content).walk("VEVENT")}
    assert str(before[f"{webinar.uid}@coiin"]["STATUS"]) == "CONFIRMED"
    assert int(before[f"{webinar.uid}@coiin"]["SEQUENCE"]) == 0
    events.cancel_event(detail=webinar, by=faculty)
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        client.get(feed).content).walk("VEVENT")}
    cancelled = after[f"{webinar.uid}@coiin"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: Crib audits")
    assert cancelled.decoded("DTSTART") == webinar.starts_at
    assert str(after[f"{wide_event.uid}@coiin"]["STATUS"]) == "CONFIRMED"
