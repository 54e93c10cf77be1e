"""Reminders: once before a period is due and once when overdue, to the data leads."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coiin.measures import services
from coiin.measures.models import Reminder, Submission
from coiin.measures.periods import Period
from coiin.measures.reminders import ReminderError, reminders_due, send_reminders
from coiin.measures.validation import Entry
from coiin.network.models import Team

# With data due 30 days after a period ends: March 2026 and Q1 2026 are due April 30.
DUE_SOON_DAY = dt.date(2026, 4, 25)
OVERDUE_DAY = dt.date(2026, 5, 5)  # after April 30, before the close on May 14
MARCH = Period.parse("2026-03")

urlpatterns: list = []  # a site without the data-entry page, for the missing-route test


@pytest.fixture(autouse=True)
def _reporting_days(settings):
    settings.REPORTING_DUE_DAYS = 30
    settings.REPORTING_GRACE_DAYS = 14
    settings.REPORTING_REMINDER_DAYS = 7
    settings.SITE_URL = "https://coiin.example.org"


@pytest.fixture
def reporting_team(team, chosen) -> Team:
    Team.objects.filter(pk=team.pk).update(joined_on=dt.date(2015, 1, 1))
    team.refresh_from_db()
    return team


def send(today, capture, **kwargs):
    with capture(execute=True):
        return send_reminders(today=today, **kwargs)


def test_data_leads_get_one_email_per_team_period_before_it_is_due(
        reporting_team, data_lead, lead, member, mailoutbox,
        django_capture_on_commit_callbacks):
    sent = send(DUE_SOON_DAY, django_capture_on_commit_callbacks)

    assert sorted(s.period.label for s in sent) == ["2026-03", "2026-Q1"]
    assert len(mailoutbox) == 2
    march = next(m for m in mailoutbox if "March 2026" in m.subject)
    assert march.to == [data_lead.email]
    assert "due" in march.subject and "April 30, 2026" in march.subject
    assert "Crib audit" in march.body or "crib audit" in march.body
    assert "SS-CRIB" in march.body and "SS-EDU" in march.body
    assert "IMR" not in march.body  # quarterly: in the other e-mail
    link = "https://coiin.example.org" + reverse(
        "enter_data", args=["safe-sleep", "ga", "2026-03"])
    assert link in march.body
    reminder = Reminder.objects.get(submission__team=reporting_team,
                                    submission__period_start=MARCH.start,
                                    submission__frequency="monthly")
    assert reminder.kind == Reminder.Kind.DUE_SOON
    assert reminder.recipients == data_lead.email


def test_running_again_sends_nothing_more(reporting_team, data_lead, mailoutbox,
                                         django_capture_on_commit_callbacks):
    send(DUE_SOON_DAY, django_capture_on_commit_callbacks)
    again = send(DUE_SOON_DAY + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert again == []
    assert len(mailoutbox) == 2
    assert Reminder.objects.count() == 2


def test_an_overdue_period_gets_one_more_reminder_while_it_is_open(
        reporting_team, data_lead, mailoutbox, django_capture_on_commit_callbacks):
    send(DUE_SOON_DAY, django_capture_on_commit_callbacks)
    overdue = send(OVERDUE_DAY, django_capture_on_commit_callbacks)
    later = send(OVERDUE_DAY + dt.timedelta(days=3), django_capture_on_commit_callbacks)
    closed = send(dt.date(2026, 5, 20), django_capture_on_commit_callbacks)

    assert {(s.period.label, s.kind) for s in overdue} == {
        ("2026-03", Reminder.Kind.OVERDUE), ("2026-Q1", Reminder.Kind.OVERDUE)}
    assert later == []
    assert closed == []
    assert len(mailoutbox) == 4
    assert "were due on April 30, 2026" in mailoutbox[2].body
    assert "closes on May 14, 2026" in mailoutbox[2].body


def test_no_reminder_before_the_reminder_window(reporting_team, data_lead, mailoutbox):
    assert reminders_due(dt.date(2026, 4, 22)) == []


def test_a_submitted_period_gets_no_reminder(reporting_team, chosen, data_lead, mailoutbox,
                                            django_capture_on_commit_callbacks):
    submission = services.submission_for(reporting_team, MARCH)
    crib = next(m for m in chosen if m.code == "SS-CRIB")
    entries = [Entry(measure=crib, period_label="2026-03", numerator="30", denominator="40")]
    services.check(submission, entries)
    services.write_values(submission=submission, user=data_lead, entries=entries)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)

    sent = send(OVERDUE_DAY, django_capture_on_commit_callbacks)

    assert [s.period.label for s in sent] == ["2026-Q1"]
    assert not Reminder.objects.filter(submission=submission).exists()


def test_teams_without_a_data_lead_remind_their_leads(reporting_team, lead, member, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    send(DUE_SOON_DAY, django_capture_on_commit_callbacks)

    assert {tuple(m.to) for m in mailoutbox} == {(lead.email,)}


def test_a_team_with_nobody_to_write_to_is_skipped_and_reminded_later(
        reporting_team, member, mailoutbox, django_capture_on_commit_callbacks, data_lead):
    reporting_team.memberships.filter(user=data_lead).delete()
    assert send(DUE_SOON_DAY, django_capture_on_commit_callbacks) == []
    assert not Reminder.objects.exists()


def test_a_dry_run_sends_and_records_nothing(reporting_team, data_lead, mailoutbox,
                                            django_capture_on_commit_callbacks):
    planned = send(DUE_SOON_DAY, django_capture_on_commit_callbacks, dry_run=True)

    assert len(planned) == 2
    assert mailoutbox == []
    assert not Reminder.objects.exists()
    assert not Submission.objects.exists()


def test_a_team_that_joined_later_is_not_reminded_about_earlier_periods(
        team, chosen, data_lead, mailoutbox):
    Team.objects.filter(pk=team.pk).update(joined_on=dt.date(2026, 4, 1))
    assert reminders_due(DUE_SOON_DAY) == []


def test_an_exception_keeps_an_old_period_open_for_overdue_reminders(
        reporting_team, data_lead, mailoutbox, django_capture_on_commit_callbacks):
    old = services.submission_for(reporting_team, Period.parse("2025-06"))
    Submission.objects.filter(pk=old.pk).update(open_until=dt.date(2026, 6, 30))

    sent = send(OVERDUE_DAY, django_capture_on_commit_callbacks)

    assert ("2025-06", Reminder.Kind.OVERDUE) in {(s.period.label, s.kind) for s in sent}


def test_the_command_lists_what_it_sends_and_honours_dry_run(
        reporting_team, data_lead, mailoutbox, django_capture_on_commit_callbacks):
    out = StringIO()
    call_command("send_reminders", "--today", "2026-04-25", "--dry-run", stdout=out)
    assert "would send due soon: Georgia · Safe Sleep, March 2026" in out.getvalue()
    assert "2 reminders would be sent." in out.getvalue()
    assert mailoutbox == []

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-04-25", stdout=out)
    assert "2 reminders sent." in out.getvalue()
    assert len(mailoutbox) == 2


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--today", "25/04/2026")


@pytest.mark.urls("tests.measures.test_reminders")
def test_a_missing_data_entry_route_raises_a_clear_error(reporting_team, data_lead,
                                                        mailoutbox):
    with pytest.raises(ReminderError, match="enter_data"):
        send_reminders(today=DUE_SOON_DAY)
    assert not Reminder.objects.exists()
