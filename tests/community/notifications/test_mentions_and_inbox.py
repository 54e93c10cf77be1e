"""@mentions notify the people who may see the post; the inbox counts and clears them;
immediate e-mail goes out after commit, only if wanted, with one-click unsubscribe."""

from __future__ import annotations

from django.core import mail

from coiin.community import services
from coiin.community.notifications import services as notifications
from coiin.community.notifications.models import Notification
from tests.community.conftest import post_in


def test_a_mention_notifies_the_person_and_links_them(lead, faculty, team_space,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_in(team_space, lead, body="What do you think, @fay.faculty?")
    note = Notification.objects.get(user=faculty)
    assert note.kind == "mention" and note.url == post.get_absolute_url()
    assert 'class="mention"' in post.body_html and list(post.mentions.all()) == [faculty]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [faculty.email]


def test_the_first_last_handle_works_too(lead, faculty, team_space):
    post = post_in(team_space, lead, body="Thanks @Fay.Faculty")
    assert list(post.mentions.all()) == [faculty]


def test_someone_who_cannot_see_the_space_is_neither_linked_nor_notified(
        lead, outsider, team_space, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_in(team_space, lead, body="Hey @otto.outsider, look")
    assert "mention" not in post.body_html and "@otto.outsider" in post.body_html
    assert not Notification.objects.filter(user=outsider).exists()
    assert mail.outbox == []


def test_mentioning_yourself_notifies_nobody(lead, team_space):
    post_in(team_space, lead, body="Note to self @lena.lead")
    assert not Notification.objects.exists()


def test_a_mention_in_a_comment_replaces_the_reply_notice(lead, member, faculty, team_space):
    post = post_in(team_space, member)
    services.add_comment(post=post, author=lead, body="@max.member and @fay.faculty: see")
    assert list(Notification.objects.filter(user=member).values_list("kind", flat=True)) == [
        "mention"]
    assert Notification.objects.get(user=faculty).kind == "mention"


def test_no_immediate_mail_when_the_person_does_not_want_it(
        lead, faculty, team_space, django_capture_on_commit_callbacks):
    prefs = notifications.preferences_for(faculty)
    prefs.email_mentions = False
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_in(team_space, lead, body="@fay.faculty hello")
    assert Notification.objects.filter(user=faculty).exists() and mail.outbox == []


def test_no_mail_leaves_before_the_transaction_commits(lead, faculty, team_space,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_in(team_space, lead, body="@fay.faculty hello")
    assert mail.outbox == [] and len(callbacks) == 1


def test_immediate_mail_carries_one_click_unsubscribe(lead, faculty, team_space, settings,
                                                      django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://coiin.example"
    with django_capture_on_commit_callbacks(execute=True):
        post_in(team_space, lead, body="@fay.faculty hello")
    message = mail.outbox[0]
    token = notifications.preferences_for(faculty).token
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<https://coiin.example/community/unsubscribe/{token}/>, <mailto:")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://coiin.example/community/settings/" in message.body


def test_the_inbox_shows_unread_items_and_marks_them_read(as_persona, lead, faculty,
                                                          team_space):
    post_in(team_space, lead, title="Q1", body="@fay.faculty one")
    post_in(team_space, lead, title="Q2", body="@fay.faculty two")
    client = as_persona("faculty")
    page = client.get("/community/inbox/").content.decode()
    assert "2 unread" in page and "mentioned you in the post “Q1”" in page
    first = Notification.objects.filter(user=faculty).order_by("pk").first()
    response = client.get(f"/community/inbox/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == first.url
    assert notifications.unread_count(faculty) == 1
    client.post("/community/inbox/read/")
    assert notifications.unread_count(faculty) == 0


def test_nobody_opens_someone_elses_notification(as_persona, lead, faculty, member,
                                                 team_space):
    post_in(team_space, lead, body="@fay.faculty one")
    note = Notification.objects.get(user=faculty)
    assert as_persona("member").get(f"/community/inbox/{note.pk}/").status_code == 404
    as_persona("member").post("/community/inbox/read/", {"notification": note.pk})
    note.refresh_from_db()
    assert note.read_at is None


def test_the_unread_badge_is_on_community_pages(as_persona, lead, faculty, team_space):
    post_in(team_space, lead, body="@fay.faculty one")
    page = as_persona("faculty").get("/community/").content.decode()
    assert 'aria-label="1 unread"' in page


def test_the_context_processor_counts_unread(rf, lead, faculty, team_space, stranger):
    from coiin.community.context_processors import community

    post_in(team_space, lead, body="@fay.faculty one")
    request = rf.get("/")
    request.user = faculty
    assert community(request) == {"nav_community": True, "community_unread": 1}
    request.user = stranger
    assert community(request) == {"nav_community": False, "community_unread": 0}
