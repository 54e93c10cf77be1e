"""Technical assistance: routing by open load (ties by name), statuses, the clock, the
rating, and the queues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coiin.community.notifications.models import Notification
from coiin.community.ta import services as ta
from coiin.community.ta.models import TARequest
from coiin.network.models import FacultyAssignment
from tests.conftest import make_user

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def second_faculty(team):
    user = make_user("abe.adams@example.org")
    FacultyAssignment.objects.create(learning_network=team.learning_network, user=user)
    return user


def ask(team, by, topic="Help with run charts", now=T0):
    return ta.open_request(team=team, by=by, topic=topic, description="How do we read it?",
                           now=now)


def test_a_request_goes_to_the_least_loaded_faculty_ties_by_name(team, lead, faculty,
                                                                 second_faculty):
    first = ask(team, lead)
    assert first.owner == second_faculty  # Adams before Faculty: same load, ties by name
    assert first.status == "assigned"
    second = ask(team, lead)
    assert second.owner == faculty  # Adams has one open now
    third = ask(team, lead)
    assert third.owner == second_faculty
    assert Notification.objects.filter(user=faculty, kind="ta").count() == 1


def test_resolved_requests_do_not_count_as_load(team, lead, faculty, second_faculty):
    r = ask(team, lead)
    ta.set_status(request=r, by=second_faculty, status="resolved")
    assert ask(team, lead).owner == second_faculty


def test_without_faculty_a_request_waits_as_new(team, lead):
    assert ask(team, lead).status == "new"


def test_only_the_teams_members_may_ask(team, outsider, faculty):
    with pytest.raises(PermissionDenied):
        ask(team, outsider)
    with pytest.raises(PermissionDenied):
        ask(team, faculty)


def test_the_clock_runs_to_the_first_faculty_reply(team, lead, faculty):
    r = ask(team, lead)
    ta.reply(request=r, by=lead, body="More detail", now=T0 + dt.timedelta(hours=1))
    assert r.first_response_at is None
    ta.reply(request=r, by=faculty, body="Here is how", now=T0 + dt.timedelta(hours=5))
    ta.reply(request=r, by=faculty, body="And more", now=T0 + dt.timedelta(hours=7))
    r.refresh_from_db()
    assert r.response_time == dt.timedelta(hours=5)
    ta.set_status(request=r, by=faculty, status="resolved", now=T0 + dt.timedelta(days=2))
    r.refresh_from_db()
    assert r.resolution_time == dt.timedelta(days=2)


def test_statuses_move_on_and_a_team_reply_ends_waiting(team, lead, faculty):
    r = ask(team, lead)
    ta.set_status(request=r, by=faculty, status="waiting")
    assert r.status == "waiting"
    ta.reply(request=r, by=lead, body="Here is our data")
    r.refresh_from_db()
    assert r.status == "assigned"


def test_a_resolved_request_can_be_reopened_and_loses_its_rating(team, lead, faculty):
    r = ask(team, lead)
    ta.set_status(request=r, by=faculty, status="resolved")
    ta.rate(request=r, by=lead, rating=5, comment="Great")
    ta.set_status(request=r, by=lead, status="assigned")
    r.refresh_from_db()
    assert (r.status, r.rating, r.resolved_at) == ("assigned", None, None)


def test_only_the_requesting_team_rates_and_only_when_resolved(team, lead, member, faculty):
    r = ask(team, lead)
    with pytest.raises(ValidationError):
        ta.rate(request=r, by=lead, rating=4)
    ta.set_status(request=r, by=faculty, status="resolved")
    with pytest.raises(PermissionDenied):
        ta.rate(request=r, by=faculty, rating=5)
    ta.rate(request=r, by=member, rating=4, comment="Useful")
    assert TARequest.objects.get().rating == 4


def test_a_team_may_not_set_faculty_statuses(team, lead, faculty):
    r = ask(team, lead)
    with pytest.raises(PermissionDenied):
        ta.set_status(request=r, by=lead, status="waiting")


def test_backbone_reassigns_to_another_faculty_member(team, lead, faculty, second_faculty,
                                                      backbone, outsider):
    r = ask(team, lead)
    ta.assign(request=r, by=backbone, owner=faculty)
    assert r.owner == faculty
    with pytest.raises(ValidationError):
        ta.assign(request=r, by=backbone, owner=outsider)


def test_a_team_member_asks_through_the_page(as_persona, team, lead, faculty, catalog):
    response = as_persona("lead").post("/community/ta/", {
        "team": team.pk, "topic": "Baseline?", "description": "Which months?",
        "measure": catalog["SS-CRIB"].pk,
        "chart_url": "/networks/safe-sleep/ga/charts/SS-CRIB/"})
    r = TARequest.objects.get()
    assert response.status_code == 302 and response["Location"] == r.get_absolute_url()
    assert r.owner == faculty and r.measure == catalog["SS-CRIB"]


def test_the_faculty_queue_shows_theirs_with_ages(as_persona, team, lead, faculty):
    ask(team, lead, now=timezone.now() - dt.timedelta(days=3, hours=2))
    page = as_persona("faculty").get("/community/ta/").content.decode()
    assert "Assigned to me" in page and "Help with run charts" in page and "3 d 2 h" in page


def test_the_backbone_queue_shows_everything_and_the_load(as_persona, team, other_team, lead,
                                                          outsider, faculty, backbone):
    ask(team, lead, topic="Georgia asks")
    ask(other_team, outsider, topic="Ohio asks")
    page = as_persona("backbone").get("/community/ta/").content.decode()
    assert "The whole queue" in page and "Georgia asks" in page and "Ohio asks" in page
    assert "Open requests per faculty member" in page and "Fay Faculty" in page


@pytest.mark.parametrize("persona, status", [
    ("lead", 200), ("member", 200), ("faculty", 200), ("backbone", 200), ("outsider", 404),
    ("funder", 404), ("stranger", 404), ("anonymous", 302)])
def test_a_request_page_follows_the_policy(as_persona, team, lead, faculty, persona, status):
    r = ask(team, lead)
    assert as_persona(persona).get(r.get_absolute_url()).status_code == status


def test_an_outsider_may_not_reply(as_persona, team, lead, faculty, outsider):
    r = ask(team, lead)
    assert as_persona("outsider").post(f"/community/ta/{r.pk}/reply/",
                                       {"body": "hi"}).status_code == 404


def test_backbone_puts_a_request_back_in_the_queue(team, lead, faculty, backbone):
    r = ta.unassign(request=ask(team, lead), by=backbone)
    assert (r.owner, r.status) == (None, "new")
    with pytest.raises(PermissionDenied):
        ta.unassign(request=r, by=faculty)
