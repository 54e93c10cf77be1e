"""A learning network's life span: periods after its end are not due, not overdue, not
reminded about; the period list opens on the latest period that is open or due and offers
"Enter data" only where data can still be entered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coiin.measures.due import due_periods, last_due_period
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period
from coiin.measures.reminders import reminders_due

DATA = "/networks/safe-sleep/ga/data/"


@pytest.fixture
def ended(team, chosen):
    """Georgia Safe Sleep, in a network that ran from 2014 to the end of 2017."""
    team.joined_on = dt.date(2014, 7, 1)
    team.save()
    net = team.learning_network
    net.ends_on = dt.date(2017, 12, 31)
    net.save()
    return team


def test_periods_after_the_end_are_not_due_and_the_last_one_is(ended, settings):
    settings.REPORTING_GRACE_DAYS = 14
    # January 20, 2018: December 2017 is due (it started before the end).
    due = due_periods([ended], dt.date(2018, 1, 20))
    assert {d.period.label for d in due} >= {"2017-12"}
    # Years later nothing is due, and nothing after the end ever is.
    assert due_periods([ended], dt.date(2026, 12, 3)) == []
    assert last_due_period(ended, Frequency.MONTHLY, dt.date(2026, 12, 3)).label == "2017-12"
    assert last_due_period(ended, Frequency.QUARTERLY, dt.date(2026, 12, 3)).label == "2017-Q4"


def test_no_reminder_after_the_end(ended, data_lead):
    assert reminders_due(dt.date(2018, 1, 25))  # December 2017 is due soon
    ended.learning_network.ends_on = dt.date(2017, 11, 30)
    ended.learning_network.save()
    assert not [r for r in reminders_due(dt.date(2018, 1, 25)) if r.period.label == "2017-12"]


def test_the_period_list_of_an_ended_network_opens_on_its_last_year(client, ended, data_lead):
    client.force_login(data_lead)
    html = client.get(DATA).content.decode()
    assert 'href="?year=2017" aria-current="true"' in html
    assert f'href="?year={timezone.localdate().year}"' not in html  # no year after the end
    assert "December 2017" in html
    assert "overdue" not in html
    # Every period closed long ago: it can be viewed, not entered.
    assert "Enter data" not in html and ">View<" in html
    assert "network ended on December 31, 2017: later periods are not due" in html


def test_a_running_network_opens_on_the_latest_period_and_offers_entry_while_open(
        client, team, chosen, data_lead, settings):
    settings.REPORTING_GRACE_DAYS = 60
    team.joined_on = dt.date(2014, 7, 1)
    team.save()
    last = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    Submission.objects.create(team=team, frequency="monthly", period_start=dt.date(2017, 3, 1),
                              status=Submission.Status.LOCKED)
    client.force_login(data_lead)
    html = client.get(DATA).content.decode()
    assert f'href="?year={last.start.year}" aria-current="true"' in html
    assert f"Enter data<span class=\"visually-hidden\"> for {last.display}" in html
    old = client.get(DATA + "?year=2016").content.decode()
    assert "Enter data" not in old  # closed, not submitted: nothing can be entered
