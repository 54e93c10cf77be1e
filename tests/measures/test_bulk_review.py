"""Bulk review from the status page: tick submitted periods, write one assessment, confirm,
and undo within ten minutes (back to submitted, the review marked superseded)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coiin.measures import services
from coiin.measures.models import Submission
from coiin.measures.periods import Period
from coiin.measures.views import data_url
from coiin.network import services as network_services
from coiin.network.models import FacultyAssignment
from tests.conftest import make_user

URL = "/data/status/?period=2015-03"
MARCH, APRIL = Period.parse("2015-03"), Period.parse("2015-04")


def period_of(team, status: str, period: Period = MARCH) -> Submission:
    return Submission.objects.create(team=team, frequency="monthly",
                                     period_start=period.start, status=status)


@pytest.fixture
def periods(team, chosen):
    """Georgia Safe Sleep: March and April 2015 submitted, May a draft."""
    return {"march": period_of(team, "submitted"), "april": period_of(team, "submitted", APRIL),
            "may": period_of(team, "draft", Period.parse("2015-05"))}


def post(client, periods, names, assessment="Steady; keep the audits going.", **extra):
    return client.post("/data/status/review/", {
        "submission": [str(periods[n].pk) for n in names], "assessment": assessment,
        "back": URL, **extra})


def test_faculty_tick_submitted_periods_on_the_status_page(client, faculty, periods):
    client.force_login(faculty)
    html = client.get(URL).content.decode()
    assert (f'form="bulk-review" name="submission" value="{periods["march"].pk}"' in html)
    assert "One assessment for the ticked periods (1 submitted)" in html
    assert "Review the ticked periods…" in html


def test_the_confirmation_lists_the_periods_and_changes_nothing(client, faculty, periods):
    client.force_login(faculty)
    response = post(client, periods, ["march", "april"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Review 2 periods?" in html and "Yes, review them" in html
    assert "Georgia · Safe Sleep · March 2015" in html and "April 2015" in html
    assert "Steady; keep the audits going." in html
    assert set(Submission.objects.values_list("status", flat=True)) == {"submitted", "draft"}


def test_confirmed_periods_are_reviewed_through_the_review_service(client, faculty, periods):
    client.force_login(faculty)
    response = post(client, periods, ["march", "april"], confirm="yes")
    assert response.status_code == 302 and response["Location"] == URL
    for name in ("march", "april"):
        sub = Submission.objects.get(pk=periods[name].pk)
        assert sub.status == "reviewed" and sub.reviewed_by == faculty
        assert sub.assessment == "Steady; keep the audits going."
        assert list(sub.events.values_list("action", flat=True)) == ["reviewed"]
    html = client.get(URL).content.decode()
    assert "Reviewed 2 periods." in html and "Undo the review" in html


def test_undo_returns_them_to_submitted_with_the_review_superseded(client, faculty, periods):
    client.force_login(faculty)
    post(client, periods, ["march", "april"], confirm="yes")
    client.post("/data/status/undo-review/", {"back": URL})
    march = Submission.objects.get(pk=periods["march"].pk)
    assert march.status == "submitted"
    assert list(march.events.values_list("action", flat=True)) == ["reviewed", "unreviewed"]
    assert "superseded" in march.events.last().note
    page = client.get(data_url(march.team, MARCH))  # says the old review is superseded
    assert page.status_code == 200 and page.context["review_superseded"] is True
    # Used up: a second undo does nothing.
    client.post("/data/status/undo-review/", {"back": URL})
    assert "Nothing to undo" in client.get(URL).content.decode()


def test_undo_is_refused_after_ten_minutes(client, faculty, periods):
    client.force_login(faculty)
    post(client, periods, ["march"], confirm="yes")
    session = client.session
    saved = session["coiin_bulk_reviewed"]
    saved["at"] = (timezone.now() - dt.timedelta(minutes=11)).isoformat()
    session["coiin_bulk_reviewed"] = saved
    session.save()
    client.post("/data/status/undo-review/", {"back": URL})
    assert Submission.objects.get(pk=periods["march"].pk).status == "reviewed"


def test_periods_not_submitted_are_skipped_and_named(client, faculty, periods):
    client.force_login(faculty)
    html = post(client, periods, ["march", "may"]).content.decode()
    assert "Review 1 period?" in html and "Skipped: not submitted" in html
    assert "May 2015 (draft)" in html
    post(client, periods, ["march", "may"], confirm="yes")
    assert Submission.objects.get(pk=periods["may"].pk).status == "draft"
    assert Submission.objects.get(pk=periods["march"].pk).status == "reviewed"
    html = client.get(URL).content.decode()
    assert "Not reviewed, as not submitted:" in html and "2015-05 (draft)" in html


def test_an_assessment_is_required(client, faculty, periods):
    client.force_login(faculty)
    post(client, periods, ["march"], assessment="  ", confirm="yes")
    assert Submission.objects.get(pk=periods["march"].pk).status == "submitted"
    assert "write an assessment" in client.get(URL).content.decode()


def test_a_team_member_cannot_review_in_bulk(client, member, data_lead, periods):
    for user in (member, data_lead):
        client.force_login(user)
        assert post(client, periods, ["march"], confirm="yes").status_code == 404
        assert client.post("/data/status/undo-review/", {"back": URL}).status_code in (302, 404)
    assert Submission.objects.get(pk=periods["march"].pk).status == "submitted"


def test_faculty_of_another_network_cannot_review_in_bulk(client, other_team, periods):
    coach = make_user("cora.coach@example.org")
    FacultyAssignment.objects.create(learning_network=other_team.learning_network, user=coach)
    client.force_login(coach)
    assert 'form="bulk-review"' not in client.get(URL).content.decode()
    html = post(client, periods, ["march"]).content.decode()
    assert "Yes, review them" not in html
    post(client, periods, ["march"], confirm="yes")
    assert Submission.objects.get(pk=periods["march"].pk).status == "submitted"
    assert not Submission.objects.get(pk=periods["march"].pk).events.exists()


def test_the_wrong_method_is_refused(client, faculty, periods):
    client.force_login(faculty)
    assert client.get("/data/status/review/").status_code == 405
    assert client.get("/data/status/undo-review/").status_code == 405


def test_the_review_ticks_cost_no_query_per_team(client, faculty, team, chosen, catalog,
                                                 jurisdictions, networks):
    period_of(team, "submitted")
    client.force_login(faculty)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    one = count()
    for postal in ("MS", "TN", "AL"):
        other = network_services.join_network(jurisdiction=jurisdictions[postal],
                                              learning_network=networks["safe-sleep"])
        services.choose_measures(team=other, measures=chosen)
        period_of(other, "submitted")
    assert client.get(URL).content.decode().count('form="bulk-review" name="submission"') == 4
    assert count() == one
