"""The e-mails a person whose profile says Spanish gets are wholly Spanish, subject and body:
the invitation to a team, the password reset and the data reminders, read with the English
detector of the page check (tests/spanish.py), whatever language the sender or the browser that
asked for them reads."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client

from coiin.measures.reminders import send_reminders
from coiin.network import services
from coiin.network.models import Team
from tests.conftest import make_user
from tests.spanish import english_words

DUE_SOON_DAY = dt.date(2026, 4, 25)  # March 2026 is due April 30 with 30 days to report
OVERDUE_DAY = dt.date(2026, 5, 5)


def english_in(message) -> list[str]:
    """The English lines of an e-mail's subject and body (and its HTML part, if any)."""
    texts = [message.subject, message.body]
    texts += [html.unescape(content) for content, kind in getattr(message, "alternatives", [])
              if kind == "text/html"]
    return [line for text in texts for line in text.splitlines() if english_words(line)]


@pytest.fixture
def spanish_member(team):
    """A person on another team who reads in Spanish: invited to Georgia's team too."""
    return make_user("sofia.santos@example.org", language="es")


def test_the_invitation_reaches_a_spanish_reader_in_spanish(
        team, lead, spanish_member, mailoutbox, django_capture_on_commit_callbacks):
    # The lead who invites reads in English: the invitation is in the invitee's language.
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(team=team, email=spanish_member.email, role="member",
                               invited_by=lead)
    [message] = mailoutbox
    assert "invita" in message.body
    assert not english_in(message), english_in(message)


def test_the_password_reset_reaches_a_spanish_reader_in_spanish(spanish_member, mailoutbox,
                                                                settings):
    settings.ACCOUNT_RATE_LIMITS = False
    # Asked for from a browser that reads English: the e-mail follows the person's profile.
    Client(headers={"accept-language": "en"}).post(
        "/accounts/password/reset/", {"email": spanish_member.email})
    [message] = mailoutbox
    assert "/accounts/password/reset/key/" in message.body
    assert not english_in(message), english_in(message)


def test_the_reminders_reach_a_spanish_reader_in_spanish(
        settings, team, chosen, data_lead, mailoutbox, django_capture_on_commit_callbacks):
    settings.REPORTING_DUE_DAYS, settings.REPORTING_GRACE_DAYS = 30, 14
    settings.REPORTING_REMINDER_DAYS = 7
    Team.objects.filter(pk=team.pk).update(joined_on=dt.date(2015, 1, 1))
    data_lead.language = "es"
    data_lead.save()
    for day in (DUE_SOON_DAY, OVERDUE_DAY):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders(today=day)
        assert mailoutbox
        for message in mailoutbox:
            assert message.to == [data_lead.email]
            assert not english_in(message), (day, english_in(message))
