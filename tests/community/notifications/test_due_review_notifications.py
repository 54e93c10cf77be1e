"""Due dates and data reviews in the inbox: sent by the measures app after commit, once per
team-period (due) or per workflow step (review), to the people concerned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coiin.community.notifications import services as notifications
from coiin.community.notifications.models import Notification
from coiin.measures import services as reporting
from coiin.measures.models import Reminder
from coiin.measures.periods import Period
from coiin.measures.reminders import send_reminders
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import FacultyAssignment, Team, TeamMembership
from tests.conftest import make_user

DUE_SOON_DAY = dt.date(2026, 4, 25)  # March 2026 is due April 30
OVERDUE_DAY = dt.date(2026, 5, 5)
TODAY = dt.date(2015, 4, 10)  # March 2015 is open (due April 30, closes May 14)


@pytest.fixture(autouse=True)
def _reporting_days(settings):
    settings.REPORTING_DUE_DAYS = 30
    settings.REPORTING_GRACE_DAYS = 14
    settings.REPORTING_REMINDER_DAYS = 7


@pytest.fixture
def reporting_team(team, chosen) -> Team:
    Team.objects.filter(pk=team.pk).update(joined_on=dt.date(2015, 1, 1))
    team.refresh_from_db()
    return team


def inbox(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk"))


def remind(today, capture, **kwargs):
    with capture(execute=True):
        return send_reminders(today=today, **kwargs)


class TestDue:
    def test_the_data_leads_hear_once_per_team_period(
            self, reporting_team, data_lead, lead, member, django_capture_on_commit_callbacks):
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        notes = inbox(data_lead, Notification.Kind.DUE)
        assert sorted(n.text for n in notes) == [
            f"{reporting_team}: March 2026 data are due on April 30, 2026",
            f"{reporting_team}: Q1 2026 data are due on April 30, 2026"]
        march = next(n for n in notes if "March" in n.text)
        assert march.url == reverse("enter_data", args=["safe-sleep", "ga", "2026-03"])
        assert march.source.period == Period.parse("2026-03")
        # The team lead and members are not the data leads: nothing for them.
        assert not inbox(lead, Notification.Kind.DUE) and not inbox(member,
                                                                      Notification.Kind.DUE)

    def test_running_again_or_reaching_overdue_adds_nothing(
            self, reporting_team, data_lead, django_capture_on_commit_callbacks):
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        sent = remind(OVERDUE_DAY, django_capture_on_commit_callbacks)
        assert sent, "the overdue reminder e-mails still go"
        assert len(inbox(data_lead, Notification.Kind.DUE)) == 2  # March and Q1, once each

    def test_a_period_first_seen_overdue_says_so(self, reporting_team, data_lead,
                                                 django_capture_on_commit_callbacks):
        remind(OVERDUE_DAY, django_capture_on_commit_callbacks)
        texts = [n.text for n in inbox(data_lead, Notification.Kind.DUE)]
        assert f"{reporting_team}: March 2026 data were due on April 30, 2026" in texts

    def test_the_service_itself_is_idempotent(self, reporting_team, data_lead):
        submission = reporting.submission_for(reporting_team, Period.parse("2026-03"))
        first = notifications.period_due(submission=submission, kind="due_soon",
                                         due=dt.date(2026, 4, 30))
        again = notifications.period_due(submission=submission, kind="overdue",
                                         due=dt.date(2026, 4, 30))
        assert len(first) == 1 and again == []
        assert Notification.objects.filter(kind=Notification.Kind.DUE).count() == 1

    def test_without_a_data_lead_the_team_lead_hears(self, reporting_team, lead,
                                                     django_capture_on_commit_callbacks):
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        assert len(inbox(lead, Notification.Kind.DUE)) == 2

    def test_a_dry_run_notifies_nobody(self, reporting_team, data_lead,
                                       django_capture_on_commit_callbacks):
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks, dry_run=True)
        assert not Notification.objects.exists()

    def test_a_deactivated_data_lead_is_skipped(self, reporting_team, data_lead, lead,
                                                django_capture_on_commit_callbacks):
        data_lead.is_active = False
        data_lead.save(update_fields=["is_active"])
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        assert not inbox(data_lead, Notification.Kind.DUE)
        assert len(inbox(lead, Notification.Kind.DUE)) == 2


@pytest.fixture
def march(team, chosen, data_lead, catalog):
    submission = reporting.submission_for(team, Period.parse("2015-03"))
    reporting.save_values(submission=submission, user=data_lead, expected_version=0,
                          entries=[Entry(catalog["SS-CRIB"], "2015-03", numerator="40",
                                         denominator="50")], today=TODAY)
    return submission


def submit(march, user, capture):
    with capture(execute=True):
        return reporting.submit(submission=march, user=user, today=TODAY)


class TestReview:
    def test_submitting_tells_the_networks_faculty(
            self, march, data_lead, faculty, outsider, networks,
            django_capture_on_commit_callbacks):
        other_faculty = make_user("ola.other@example.org")
        FacultyAssignment.objects.create(learning_network=networks["smoking-cessation"],
                                         user=other_faculty)
        submit(march, data_lead, django_capture_on_commit_callbacks)
        [note] = inbox(faculty, Notification.Kind.REVIEW)
        assert note.text == f"Dara Data submitted {march.team}, March 2015 for review"
        assert note.url == reverse("enter_data", args=["safe-sleep", "ga", "2015-03"])
        assert not inbox(other_faculty, Notification.Kind.REVIEW)  # another network
        assert not inbox(data_lead, Notification.Kind.REVIEW)  # the one who submitted

    def test_an_accepted_review_tells_the_submitter_and_the_data_leads(
            self, march, lead, data_lead, member, faculty, django_capture_on_commit_callbacks):
        submitted = submit(march, lead, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            reporting.review(submission=submitted, user=faculty,
                             assessment="Steady at 80 %; try night audits next.")
        expected = (f"Fay Faculty reviewed {march.team}, March 2015: “Steady at 80 %; try "
                    "night audits next.”")
        assert [n.text for n in inbox(lead, Notification.Kind.REVIEW)] == [expected]
        assert [n.text for n in inbox(data_lead, Notification.Kind.REVIEW)] == [expected]
        assert not inbox(member, Notification.Kind.REVIEW)
        assert [n.text for n in inbox(faculty, Notification.Kind.REVIEW)] == [
            f"Lena Lead submitted {march.team}, March 2015 for review"]  # not its own review

    def test_returning_with_comments_tells_them_too(self, march, data_lead, faculty,
                                                    django_capture_on_commit_callbacks):
        submitted = submit(march, data_lead, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            reporting.reopen(submission=submitted, user=faculty,
                             reason="The denominator looks like last month's.")
        [note] = inbox(data_lead, Notification.Kind.REVIEW)  # submitter and data lead: once
        assert note.text == (f"Fay Faculty returned {march.team}, March 2015 with comments: "
                             "“The denominator looks like last month's.”")

    def test_each_step_is_told_once_even_if_the_signal_repeats(self, march, data_lead,
                                                               faculty):
        submitted = reporting.submit(submission=march, user=data_lead, today=TODAY)
        event = submitted.events.get(action="submitted")
        for _ in range(2):
            notifications.submission_moved(submission=submitted, action="submitted",
                                           by=data_lead, event=event)
        assert len(inbox(faculty, Notification.Kind.REVIEW)) == 1

    def test_nothing_is_told_when_the_step_is_rolled_back(self, march, data_lead, faculty,
                                                          django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    reporting.submit(submission=march, user=data_lead, today=TODAY)
                    raise RuntimeError("something later in the request failed")
            except RuntimeError:
                pass
        assert not Notification.objects.exists()

    def test_a_failing_inbox_never_breaks_the_reporting_step(
            self, march, data_lead, faculty, monkeypatch, django_capture_on_commit_callbacks):
        def broken(**kwargs):
            raise RuntimeError("inbox down")

        monkeypatch.setattr(notifications, "submission_moved", broken)
        submitted = submit(march, data_lead, django_capture_on_commit_callbacks)
        assert submitted.status == "submitted" and not Notification.objects.exists()


class TestSettings:
    def test_due_and_review_items_wait_for_the_digest_and_are_never_emailed_at_once(
            self, march, data_lead, faculty, mailoutbox, django_capture_on_commit_callbacks):
        prefs = notifications.preferences_for(faculty)
        assert prefs.email_mentions and prefs.email_ta  # wants immediate e-mail for those
        submit(march, data_lead, django_capture_on_commit_callbacks)
        assert inbox(faculty, Notification.Kind.REVIEW) and mailoutbox == []
        with django_capture_on_commit_callbacks(execute=True):
            notifications.send_digests(now=dt.datetime(2015, 4, 11, 12, tzinfo=dt.UTC),
                                       log=lambda _: None)
        [digest] = [m for m in mailoutbox if m.to == [faculty.email]]
        assert f"Dara Data submitted {march.team}, March 2015 for review" in digest.body

    def test_someone_whose_digest_is_off_gets_no_email_but_keeps_the_inbox_item(
            self, march, data_lead, faculty, mailoutbox, django_capture_on_commit_callbacks):
        prefs = notifications.preferences_for(faculty)
        prefs.digest = prefs.Digest.OFF
        prefs.save(update_fields=["digest"])
        submit(march, data_lead, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            notifications.send_digests(now=dt.datetime(2015, 4, 11, 12, tzinfo=dt.UTC),
                                       log=lambda _: None)
        assert not [m for m in mailoutbox if m.to == [faculty.email]]
        assert len(inbox(faculty, Notification.Kind.REVIEW)) == 1

    def test_the_inbox_page_lists_them(self, as_persona, march, data_lead, faculty,
                                       django_capture_on_commit_callbacks):
        submit(march, data_lead, django_capture_on_commit_callbacks)
        page = as_persona("faculty").get("/community/inbox/").content.decode()
        assert "Review" in page and "submitted" in page and "March 2015" in page


def test_membership_roles_decide_who_is_a_data_lead(team, lead, member):
    """Promote a member to data lead: from then on they, not the team lead, hear."""
    TeamMembership.objects.filter(team=team, user=member).update(
        role=TeamMembership.Role.DATA_LEAD)
    assert notifications._data_leads(team) == [member]


class TestInTheReadersLanguage:
    """Each item is worded in its reader's language (their profile's), English otherwise."""

    def test_a_spanish_data_lead_reads_the_due_date_in_spanish(
            self, reporting_team, data_lead, lead, django_capture_on_commit_callbacks):
        data_lead.language = "es"
        data_lead.save(update_fields=["language"])
        remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        texts = sorted(n.text for n in inbox(data_lead, Notification.Kind.DUE))
        assert texts == [  # the network's name too is in Spanish
            "Georgia · Sueño seguro: Q1 2026: los datos vencen el 30 de abril de 2026",
            "Georgia · Sueño seguro: marzo de 2026: los datos vencen el 30 de abril de 2026"]
        assert not any("are due on" in t for t in texts)

    def test_a_spanish_reviewer_reads_the_step_in_spanish_an_english_one_in_english(
            self, march, data_lead, faculty, django_capture_on_commit_callbacks):
        other = make_user("ola.other@example.org")
        FacultyAssignment.objects.create(learning_network=march.team.learning_network,
                                         user=other)
        faculty.language = "es"
        faculty.save(update_fields=["language"])
        submit(march, data_lead, django_capture_on_commit_callbacks)
        [spanish] = inbox(faculty, Notification.Kind.REVIEW)
        [english] = inbox(other, Notification.Kind.REVIEW)
        assert spanish.text == "Dara Data envió Georgia · Sueño seguro, marzo de 2015 para revisión"
        assert english.text == f"Dara Data submitted {march.team}, March 2015 for review"


class TestCost:
    """Wording each item and each e-mail in its reader's language costs no query: the
    languages are read with the recipients, so more recipients means no more queries."""

    def test_reminders_cost_the_same_for_one_data_lead_or_four(
            self, reporting_team, data_lead, mailoutbox, django_capture_on_commit_callbacks,
            django_assert_max_num_queries):
        def again() -> int:
            Reminder.objects.all().delete()
            Notification.objects.all().delete()
            mailoutbox.clear()
            with CaptureQueriesContext(connection) as queries:
                remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
            return len(queries)

        again()  # the first run makes the team-periods' rows
        one = again()
        for i, language in enumerate(["es", "", "es"]):
            network_services.add_member(team=reporting_team,
                                        user=make_user(f"dl{i}.more@example.org",
                                                       language=language),
                                        role=TeamMembership.Role.DATA_LEAD)
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        mailoutbox.clear()
        with django_assert_max_num_queries(one):
            remind(DUE_SOON_DAY, django_capture_on_commit_callbacks)
        assert Notification.objects.filter(kind=Notification.Kind.DUE).count() == 4 * 2
        spanish = [m for m in mailoutbox if "vencen" in m.subject]
        assert sorted(len(m.to) for m in spanish) == [2, 2]  # March and Q1, to the two
        assert {n.text.split(": ")[-1] for n in Notification.objects.filter(
            user__email="dl0.more@example.org")} == {"los datos vencen el 30 de abril de 2026"}

    def test_a_submission_costs_the_same_for_one_reviewer_or_four(
            self, march, data_lead, faculty, django_capture_on_commit_callbacks):
        def submitted() -> int:
            Notification.objects.all().delete()
            with CaptureQueriesContext(connection) as queries:
                notifications.submission_moved(submission=march, action="submitted",
                                               by=data_lead, event=event)
            return len(queries)

        submission = reporting.submit(submission=march, user=data_lead, today=TODAY)
        event = submission.events.get(action="submitted")
        submitted()
        one = submitted()
        for i in range(3):
            FacultyAssignment.objects.create(
                learning_network=march.team.learning_network,
                user=make_user(f"rev{i}.more@example.org", language="es" if i else ""))
        assert submitted() <= one
        assert Notification.objects.filter(kind=Notification.Kind.REVIEW).count() == 4
