"""The home page ("My work"): where everyone lands after signing in, what it lists for
each role, and its fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coiin.community.ta import services as ta
from coiin.measures import services as reporting
from coiin.measures.catalog import default_measure_codes
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period
from coiin.network import services as network
from coiin.network.models import Team, TeamMembership

from ..conftest import PASSWORD

URL = "/my-work/"


@pytest.fixture
def month(settings):
    """Last month: ended, due or overdue, and open for a good while yet."""
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


@pytest.fixture
def reporting_team(team, chosen, month):
    team.joined_on = month.start - dt.timedelta(days=400)
    team.save()
    return team


def submission(team, period, status):
    return Submission.objects.create(team=team, frequency=period.frequency.value,
                                     period_start=period.start, status=status,
                                     submitted_at=timezone.now())


def test_signing_in_lands_on_my_work(client, data_lead):
    response = client.post(reverse("account_login"),
                           {"login": data_lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == URL


def test_the_menu_names_my_work_for_everyone_signed_in(as_persona, stranger):
    page = as_persona("stranger").get(URL)
    assert page.status_code == 200
    assert f'href="{URL}" aria-current="page">My work' in page.content.decode()
    assert "You have no place in the network yet" in page.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_data_lead_sees_due_periods_with_a_link_to_each_form(
        as_persona, reporting_team, data_lead, month):
    body = as_persona("data_lead").get(URL).content.decode()
    assert "Georgia · Safe Sleep" in body
    form = reverse("enter_data", args=["safe-sleep", "ga", month.label])
    assert f'href="{form}"' in body
    assert f"Enter data<span class=\"visually-hidden\"> for Georgia Safe Sleep, {month.display}" \
        in body


def test_submitted_and_ended_periods_are_not_due(as_persona, reporting_team, data_lead, month,
                                                 settings):
    submission(reporting_team, month, Submission.Status.SUBMITTED)
    body = as_persona("data_lead").get(URL).content.decode()
    assert reverse("enter_data", args=["safe-sleep", "ga", month.label]) not in body
    # A network that ended before the periods still open started asks for nothing.
    Submission.objects.all().delete()
    net = reporting_team.learning_network
    net.ends_on = month.start - dt.timedelta(days=150)
    net.save()
    body = as_persona("data_lead").get(URL).content.decode()
    assert "Data to report" not in body and "No period is due" in body


def test_overdue_periods_say_so(as_persona, reporting_team, data_lead, month, settings):
    settings.REPORTING_DUE_DAYS = 0  # due the day the period ends: overdue now
    body = as_persona("data_lead").get(URL).content.decode()
    assert "overdue" in body and "Data to report" in body


def test_faculty_sees_what_waits_for_review_and_backbone_what_waits_to_lock(
        client, reporting_team, faculty, backbone, outsider, other_team, month):
    submission(reporting_team, month, Submission.Status.SUBMITTED)
    submission(reporting_team, month.previous(), Submission.Status.REVIEWED)
    submission(other_team, month, Submission.Status.SUBMITTED)  # not faculty's network
    client.force_login(faculty)
    body = client.get(URL).content.decode()
    review = reverse("enter_data", args=["safe-sleep", "ga", month.label])
    assert f'href="{review}">Review' in body
    assert "Ohio" not in body.split("Reporting across")[0]
    assert "Reviewed, waiting to be locked" not in body
    client.force_login(backbone)
    body = client.get(URL).content.decode()
    lock = reverse("enter_data", args=["safe-sleep", "ga", month.previous().label])
    assert f'href="{lock}">Lock' in body
    assert "Waiting for your review" not in body
    # The network table: both networks, one submitted period waiting in each.
    assert "Reporting across the learning networks" in body


def test_ta_requests_waiting_on_me(client, reporting_team, data_lead, faculty):
    request = ta.open_request(team=reporting_team, by=data_lead, topic="Reading a shift",
                              description="Is this a shift?")
    client.force_login(faculty)
    body = client.get(URL).content.decode()
    assert "Reading a shift" in body
    assert ("assigned to you" in body) == (request.owner_id == faculty.pk)
    ta.set_status(request=request, by=faculty, status="waiting")
    client.force_login(data_lead)
    body = client.get(URL).content.decode()
    assert "Reading a shift" in body and "waiting on your team" in body


def _count(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def _grow(jurisdictions, networks, catalog, month, people, n):
    """n more teams in Safe Sleep, each with the given people on it, reporting its default
    measures, with a due period, a submitted one and a reviewed one."""
    codes = default_measure_codes("safe-sleep")
    free = [j for code, j in sorted(jurisdictions.items())
            if code not in {"GA", "OH"} and not j.teams.exists()][:n]
    for j in free:
        team = network.join_network(jurisdiction=j, learning_network=networks["safe-sleep"])
        team.joined_on = month.start - dt.timedelta(days=400)
        team.save()
        reporting.choose_measures(team=team, measures=[catalog[c] for c in codes])
        for user in people:
            network.add_member(team=team, user=user, role=TeamMembership.Role.DATA_LEAD)
        submission(team, month.previous(), Submission.Status.SUBMITTED)
        submission(team, month.previous().previous(), Submission.Status.REVIEWED)


@pytest.mark.parametrize("persona", ["data_lead", "faculty", "backbone", "funder"])
def test_the_number_of_queries_does_not_grow_with_teams_and_periods(
        client, request, persona, reporting_team, jurisdictions, networks, catalog, month,
        data_lead, faculty):
    user = request.getfixturevalue(persona)
    on_teams = [data_lead] if persona == "data_lead" else []
    _grow(jurisdictions, networks, catalog, month, on_teams, 1)
    before = _count(client, user)
    _grow(jurisdictions, networks, catalog, month, on_teams, 6)
    assert _count(client, user) == before
    # More periods per team (waiting for review, to lock, and drafts) change nothing either.
    earlier = month.previous().previous()
    for team in Team.objects.filter(learning_network__slug="safe-sleep"):
        period = earlier
        for status in (Submission.Status.SUBMITTED, Submission.Status.REVIEWED,
                       Submission.Status.DRAFT, Submission.Status.SUBMITTED):
            period = period.previous()
            submission(team, period, status)
    assert _count(client, user) == before


def test_the_funder_is_not_shown_requests_they_never_answer(client, funder, team):
    client.force_login(funder)
    body = client.get(URL).content.decode()
    assert "Requests waiting on you" not in body and "Coming up" in body


def test_signals_on_my_charts_and_what_changed_since_i_last_looked(
        client, reporting_team, catalog, data_lead, backbone):
    from coiin.charts.models import ChartSummary

    summary = ChartSummary.objects.create(
        scope=ChartSummary.Scope.TEAM, team=reporting_team, measure=catalog["SS-CRIB"],
        chart_type="p", signal_direction="improving", has_signal=True,
        computed_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(data_lead)
    body = client.get(URL).content.decode()  # the first visit: nothing to compare with
    assert "Signals on my team's charts" in body and "Improving" in body
    assert reverse("chart", args=["safe-sleep", "ga", "SS-CRIB"]) in body
    assert "changed since you last looked" not in body
    ChartSummary.objects.filter(pk=summary.pk).update(computed_at=timezone.now())
    body = client.get(URL).content.decode()
    assert "changed since you last looked" in body
    body = client.get(URL).content.decode()
    assert "changed since you last looked" not in body  # seen now
    client.force_login(backbone)  # follows the networks, on the national view
    assert "Signals on" not in client.get(URL).content.decode()
