"""The e-mail digest: ranked, capped, once per person per period, with one-click
unsubscribe; and the unsubscribe page itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coiin.community import services
from coiin.community.notifications import services as notifications
from coiin.community.notifications.models import DigestRun, NotificationPreference
from tests.community.conftest import post_in

MONDAY = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def only_member(member, lead, faculty, backbone):
    """Everybody's digest off but the member's, so the outbox holds one person's mail."""
    for person in (lead, faculty, backbone):
        prefs = notifications.preferences_for(person)
        prefs.digest = "off"
        prefs.save()
    return member


def run(now=MONDAY, capture=None):
    with capture(execute=True):
        return notifications.send_digests(now=now, log=lambda s: None)


def test_digest_ranks_mentions_then_team_then_network_then_network_wide(
        only_member, lead, faculty, team_space, network_space, wide,
        django_capture_on_commit_callbacks):
    earlier = MONDAY - dt.timedelta(hours=3)
    post_in(wide, faculty, title="Wide news", created_at=earlier)
    post_in(network_space, faculty, title="Network news", created_at=earlier)
    post_in(team_space, lead, title="Team news", created_at=earlier)
    post_in(wide, lead, title="Mention", body="@max.member look", created_at=earlier)
    run(capture=django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    order = [body.index(s) for s in ("mentioned you", "Team news", "Network news",
                                     "Wide news")]
    assert order == sorted(order)


def test_digest_is_capped_with_and_n_more(only_member, lead, team_space, settings,
                                          django_capture_on_commit_callbacks):
    settings.COMMUNITY_DIGEST_CAP = 10
    for i in range(13):
        post_in(team_space, lead, title=f"Post {i}", created_at=MONDAY - dt.timedelta(hours=i))
    run(capture=django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert body.count("\n- ") == 10 and "...and 3 more:" in body
    assert "13 new items" in mail.outbox[0].subject


def test_running_twice_sends_one_digest_per_period(only_member, lead, team_space,
                                                   django_capture_on_commit_callbacks):
    post_in(team_space, lead, title="News", created_at=MONDAY - dt.timedelta(hours=1))
    run(capture=django_capture_on_commit_callbacks)
    post_in(team_space, lead, title="More news", created_at=MONDAY + dt.timedelta(hours=1))
    run(now=MONDAY + dt.timedelta(hours=2), capture=django_capture_on_commit_callbacks)
    run(now=MONDAY + dt.timedelta(days=3), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert DigestRun.objects.filter(user=only_member).count() == 1
    # Next ISO week: a new period, and only what is new since the last digest.
    run(now=MONDAY + dt.timedelta(days=7), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "More news" in mail.outbox[1].body and "- Idea: News " not in mail.outbox[1].body


def test_a_run_interrupted_after_commit_never_sends_twice(only_member, lead, team_space,
                                                          django_capture_on_commit_callbacks):
    post_in(team_space, lead, title="News", created_at=MONDAY - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        notifications.send_digests(now=MONDAY, log=lambda s: None)  # "crashed" before send
    run(capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 0 and DigestRun.objects.count() == 1


def test_daily_digests_are_daily(only_member, lead, team_space,
                                 django_capture_on_commit_callbacks):
    prefs = notifications.preferences_for(only_member)
    prefs.digest = "daily"
    prefs.save()
    post_in(team_space, lead, title="One", created_at=MONDAY - dt.timedelta(hours=1))
    run(capture=django_capture_on_commit_callbacks)
    post_in(team_space, lead, title="Two", created_at=MONDAY + dt.timedelta(hours=20))
    run(now=MONDAY + dt.timedelta(days=1), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_nothing_new_means_no_mail(only_member, django_capture_on_commit_callbacks):
    run(capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_digest_carries_unsubscribe_headers_and_the_settings_link(
        only_member, lead, team_space, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://coiin.example"
    post_in(team_space, lead, title="News", created_at=MONDAY - dt.timedelta(hours=1))
    run(capture=django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<https://coiin.example/community/unsubscribe/" in message.extra_headers[
        "List-Unsubscribe"]
    assert "https://coiin.example/community/settings/" in message.body


def test_digest_items_are_marked_so_they_are_not_sent_again(
        only_member, lead, team_space, django_capture_on_commit_callbacks):
    post_in(team_space, lead, body="@max.member hi", created_at=MONDAY - dt.timedelta(hours=1))
    run(capture=django_capture_on_commit_callbacks)
    assert only_member.notifications.get().digested_at is not None


def test_the_command_takes_a_moment(only_member, lead, team_space,
                                    django_capture_on_commit_callbacks, capsys):
    post_in(team_space, lead, title="News", created_at=MONDAY - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--now", "2025-03-03T12:00:00+00:00")
        call_command("send_digests", "--now", "2025-03-03T13:00:00+00:00")
    out = capsys.readouterr().out
    assert "1 digest sent." in out and "0 digests sent." in out and len(mail.outbox) == 1


class TestUnsubscribe:
    def test_one_click_post_works_without_signing_in(self, client, member):
        prefs = notifications.preferences_for(member)
        response = client.post(f"/community/unsubscribe/{prefs.token}/",
                               {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        prefs.refresh_from_db()
        assert (prefs.digest, prefs.email_mentions, prefs.email_ta) == ("off", False, False)

    def test_get_only_asks_to_confirm(self, client, member):
        prefs = notifications.preferences_for(member)
        page = client.get(f"/community/unsubscribe/{prefs.token}/").content.decode()
        assert "Unsubscribe</button>" in page
        prefs.refresh_from_db()
        assert prefs.digest == "weekly"

    def test_an_unknown_token_changes_nothing(self, client, member):
        assert client.post("/community/unsubscribe/nope/").status_code == 404


def test_settings_page_saves_the_choice(as_persona, member):
    client = as_persona("member")
    assert "Weekly" in client.get("/community/settings/").content.decode()
    client.post("/community/settings/", {"digest": "daily", "email_ta": "on"})
    prefs = NotificationPreference.objects.get(user=member)
    assert (prefs.digest, prefs.email_mentions, prefs.email_ta) == ("daily", False, True)


def test_weekly_is_the_default(member):
    assert notifications.preferences_for(member).digest == "weekly"
    assert notifications.period_key("weekly", MONDAY) == "2025-W10"
    assert notifications.period_key("daily", timezone.localtime(MONDAY)) == "2025-03-03"


def test_services_are_importable_for_other_apps():
    assert callable(services.ensure_spaces) and callable(notifications.notify)
