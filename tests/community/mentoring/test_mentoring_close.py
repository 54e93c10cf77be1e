"""Closing a mentor pairing: either team, with what was learned; the other team is told;
closed pairings go to the mentoring history and their lessons to "what works"."""

# ruff: noqa: F811 -- the mentoring fixtures are imported by name; pytest passes them in
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coiin.community.mentoring import services as mentoring
from coiin.community.mentoring.models import MentorPairing
from coiin.community.notifications.models import Notification
from coiin.network import services as network_services
from tests.community.mentoring.test_mentoring import (  # noqa: F401
    _mentoring_rows,
    catalog,
    crib,
    data_lead,
    idea,
    mentoring_rows,
    ms_lead,
    reference,
    team,
    teams,
)
from tests.conftest import make_user

# With test_mentoring.py, on one worker: the teams' data are made once for all three.
pytestmark = pytest.mark.xdist_group("mentoring")

LESSON = "Audit on night shifts too; share the results at the huddle."


@pytest.fixture
def ms_member(teams):
    user = make_user("milo.msmember@example.org")
    network_services.add_member(team=teams["MS"], user=user, role="member")
    return user


@pytest.fixture
def pairing(teams, crib, ms_lead, lead):
    """MS asked GA on the crib audit and GA's lead accepted."""
    row = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                         measure=crib, by=ms_lead, message="Help!")
    return mentoring.answer_request(pairing=row, by=lead, accept=True)


def test_the_mentee_closes_and_the_mentor_team_is_told(pairing, ms_lead, ms_member, lead,
                                                       member):
    Notification.objects.all().delete()
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=f"  {LESSON}  ")
    pairing.refresh_from_db()
    assert pairing.status == "closed" and pairing.learned == LESSON
    assert pairing.closed_by == ms_lead and pairing.closed_at is not None
    told = set(Notification.objects.filter(kind="mentoring").values_list("user", flat=True))
    # GA's members (lead, member; the data lead works on every team) but not MS-only ones.
    assert lead.pk in told and member.pk in told
    assert ms_lead.pk not in told and ms_member.pk not in told
    note = Notification.objects.get(user=lead)
    assert "closed the mentoring pairing" in note.text
    assert note.url == pairing.get_absolute_url()


def test_the_mentor_team_may_close_too(pairing, lead, ms_lead, ms_member, member):
    Notification.objects.all().delete()
    mentoring.close_pairing(pairing=pairing, by=member, learned=LESSON)
    told = set(Notification.objects.values_list("user", flat=True))
    assert {ms_lead.pk, ms_member.pk} <= told
    assert member.pk not in told and lead.pk not in told


def test_a_lesson_is_required_and_short(pairing, ms_lead):
    with pytest.raises(ValidationError) as exc:
        mentoring.close_pairing(pairing=pairing, by=ms_lead, learned="   ")
    assert "learned" in exc.value.message_dict
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        mentoring.close_pairing(pairing=pairing, by=ms_lead, learned="x" * 2001)
    pairing.refresh_from_db()
    assert pairing.status == "accepted" and pairing.closed_at is None


def test_closing_twice_a_declined_or_an_unanswered_request_is_refused(
        teams, crib, pairing, ms_lead, lead):
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=LESSON)
    with pytest.raises(ValidationError, match="already closed"):
        mentoring.close_pairing(pairing=pairing, by=ms_lead, learned="Again")
    asked = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                           measure=crib, by=ms_lead)
    with pytest.raises(ValidationError, match="not answered yet"):
        mentoring.close_pairing(pairing=asked, by=ms_lead, learned=LESSON)
    mentoring.answer_request(pairing=asked, by=lead, accept=False)
    with pytest.raises(ValidationError, match="declined"):
        mentoring.close_pairing(pairing=asked, by=ms_lead, learned=LESSON)
    asked.refresh_from_db()
    assert asked.status == "declined"


def test_faculty_and_outsiders_may_not_close(pairing, faculty, outsider):
    for person in (faculty, outsider):
        with pytest.raises(PermissionDenied):
            mentoring.close_pairing(pairing=pairing, by=person, learned=LESSON)


@pytest.mark.parametrize(("persona", "status"), [
    ("stranger", 404), ("outsider", 404), ("faculty", 403), ("funder", 403),
    ("member", 302), ("backbone", 302)])
def test_the_close_page_per_persona(as_persona, pairing, persona, status):
    response = as_persona(persona).post(reverse("community:pairing_close", args=[pairing.pk]),
                                        {"learned": LESSON})
    assert response.status_code == status
    pairing.refresh_from_db()
    assert (pairing.status == "closed") == (status == 302)


def test_the_pairing_page_closes_with_a_form_and_shows_errors(client, pairing, ms_lead):
    client.force_login(ms_lead)
    url = reverse("community:pairing_close", args=[pairing.pk])
    assert client.get(url).status_code == 405
    html = client.get(pairing.get_absolute_url()).content.decode()
    assert "Close the pairing" in html and url in html
    response = client.post(url, {"learned": ""})
    assert response.status_code == 400
    assert "Say in a few sentences what the two teams learned" in response.content.decode()
    response = client.post(url, {"learned": LESSON})
    assert response.status_code == 302
    html = client.get(pairing.get_absolute_url()).content.decode()
    assert "What we learned" in html and LESSON in html and "Close the pairing" not in html
    response = client.post(url, {"learned": "Again"})
    assert response.status_code == 400
    assert "already closed" in response.content.decode()


def test_closed_pairings_are_in_the_teams_mentoring_history(client, pairing, ms_lead):
    client.force_login(ms_lead)
    html = client.get(reverse("community:mentoring")).content.decode()
    history = html[html.index("<h2>History</h2>"):]
    assert "No closed or declined pairings yet." in history
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=LESSON)
    html = client.get(reverse("community:mentoring")).content.decode()
    current, history = html.split("<h2>History</h2>")
    assert "None under way." in current
    assert LESSON in history and "Closed" in history


def test_lessons_appear_in_what_works_with_their_change_idea(
        client, pairing, ms_lead, idea, faculty, outsider):
    url = reverse("improvement:network_what_works", args=["safe-sleep"])
    client.force_login(faculty)
    assert LESSON not in client.get(url).content.decode()
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=LESSON)
    html = client.get(url).content.decode()
    card = html[html.index(f'id="idea-{idea.pk}"'):]
    assert "What peer mentoring on this idea taught" in card and LESSON in card
    assert "Georgia mentored Mississippi" in card
    # Team names follow who may see each team's data, as the adoptions above do.
    client.force_login(ms_lead)
    assert "A team mentored Mississippi" in client.get(url).content.decode()
    client.force_login(outsider)
    html = client.get(url).content.decode()
    assert LESSON in html and "A team mentored another team" in html
    assert "Georgia mentored" not in html


def test_lessons_of_pairings_without_a_change_idea_are_shown_apart(
        client, pairing, ms_lead):
    pairing.change_ideas.clear()
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=LESSON)
    client.force_login(ms_lead)
    html = client.get(reverse("improvement:network_what_works",
                              args=["safe-sleep"])).content.decode()
    assert "What other peer mentoring taught" in html
    assert LESSON in html[html.index('id="mentoring-lessons"'):]


def test_an_open_pairing_is_not_a_lesson_yet(pairing, idea):
    from coiin.improvement import whatworks

    (result,) = [r for r in whatworks.what_works([idea.learning_network])
                 if r.idea == idea]
    assert result.lessons == []
    assert MentorPairing.objects.get().status == "accepted"


def test_the_public_change_idea_page_keeps_pairings_inside_the_network(
        client, pairing, ms_lead, idea, faculty, outsider):
    pairing.change_ideas.add(idea)
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned=LESSON)
    url = reverse("improvement:idea", args=["safe-sleep", idea.pk])
    html = client.get(url).content.decode()  # the change package is public
    assert "Peer mentoring on this idea" not in html and LESSON not in html
    client.force_login(faculty)
    html = client.get(url).content.decode()
    assert "Georgia mentored Mississippi" in html and LESSON in html
    assert pairing.get_absolute_url() in html
    client.force_login(outsider)  # a member of another network's team
    html = client.get(url).content.decode()
    assert "A team mentored A team" in html and "Georgia" not in html
    assert pairing.get_absolute_url() not in html
