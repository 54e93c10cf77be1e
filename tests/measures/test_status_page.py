"""The backbone's reporting-status page: who sees it, what it counts, filters and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coiin.measures import services
from coiin.measures.catalog import default_measure_codes
from coiin.measures.models import Reminder, Submission
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import Team

from ..conftest import fixtures_from, georgia_safe_sleep, shared_rows

DEC = Period.parse("2017-12")
AFTER = dt.date(2018, 1, 10)  # while December 2017 is still open
URL = reverse("reporting_status") + "?period=2017-12&frequency=monthly"


def enter(team, user, catalog, codes):
    submission = services.submission_for(team, DEC)
    entries = [Entry(measure=catalog[c], period_label=DEC.label, numerator="30",
                     denominator="40") for c in codes]
    services.check(submission, entries)
    services.write_values(submission=submission, user=user, entries=entries)
    return submission


def give_measures(team, catalog):
    services.choose_measures(team=team, measures=[
        catalog[c] for c in default_measure_codes(team.learning_network.slug)])


def load_statuses() -> SimpleNamespace:
    """GA Safe Sleep submitted (1 of 2 monthly measures); OH Smoking not started;
    MS Safe Sleep a draft; TN Safe Sleep reviewed, with a reminder. With what the suite's
    fixtures of the same names make (tests/conftest.py): reference, catalog, team, chosen,
    other_team, data_lead, faculty, backbone."""
    rows = georgia_safe_sleep("data_lead", "faculty", "backbone")
    jurisdictions, networks = rows.reference
    catalog, team, data_lead = rows.catalog, rows.team, rows.data_lead
    rows.other_team = other_team = network_services.join_network(
        jurisdiction=jurisdictions["OH"], learning_network=networks["smoking-cessation"])
    give_measures(other_team, catalog)
    ga = enter(team, data_lead, catalog, ["SS-CRIB"])
    services.submit(submission=ga, user=data_lead, today=AFTER)
    ms = network_services.join_network(jurisdiction=jurisdictions["MS"],
                                       learning_network=networks["safe-sleep"],
                                       joined_on=dt.date(2014, 7, 1))
    give_measures(ms, catalog)
    enter(ms, data_lead, catalog, ["SS-CRIB", "SS-EDU"])
    tn = network_services.join_network(jurisdiction=jurisdictions["TN"],
                                       learning_network=networks["safe-sleep"])
    give_measures(tn, catalog)
    sub = services.submit(submission=enter(tn, data_lead, catalog, ["SS-CRIB", "SS-EDU"]),
                          user=data_lead, today=AFTER)
    services.review(submission=sub, user=rows.faculty, assessment="Looks steady.")
    Reminder.objects.create(submission=sub, kind=Reminder.Kind.DUE_SOON,
                            recipients=data_lead.email)
    rows.statuses = {"ga": team, "oh": other_team, "ms": ms, "tn": tn}
    return rows


# The four teams' statuses are made once for the module's tests, which follow one another on
# one worker (what a test writes is rolled back after it); the suite's fixtures of the same
# names are these rows.
_status_rows, status_rows = shared_rows("status_rows", load_statuses)
pytestmark = pytest.mark.xdist_group("reporting-status")
globals().update(fixtures_from("status_rows", "reference", "catalog", "team", "chosen",
                               "other_team", "data_lead", "faculty", "backbone"))


@pytest.fixture
def statuses(status_rows) -> dict[str, Team]:
    return dict(status_rows.statuses)


def rows_of(response) -> dict[str, str]:
    return {f"{r.team.jurisdiction.postal_code} {r.team.learning_network.slug}": r.status
            for r in response.context["rows"]}


@pytest.mark.parametrize("persona", ["stranger", "member", "data_lead", "lead", "outsider"])
def test_team_people_and_strangers_get_404(statuses, as_persona, persona):
    assert as_persona(persona).get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(statuses, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_posting_is_not_allowed(statuses, as_persona):
    assert as_persona("backbone").post(URL).status_code == 405


def test_backbone_sees_every_team_with_its_status_and_counts(statuses, as_persona,
                                                            data_lead):
    response = as_persona("backbone").get(URL)

    assert response.status_code == 200
    assert rows_of(response) == {
        "GA safe-sleep": "submitted", "MS safe-sleep": "draft", "TN safe-sleep": "reviewed",
        "OH smoking-cessation": "not_started"}
    chips = {value: count for value, _label, count, _q in response.context["chips"]}
    assert chips == {"not_started": 1, "draft": 1, "submitted": 1, "reviewed": 1, "locked": 0}
    ga = next(r for r in response.context["rows"] if r.team == statuses["ga"])
    assert (ga.entered, ga.due_count) == (1, 2)
    body = response.content.decode()
    assert "1 of 2" in body and data_lead.display_name in body
    assert "overdue" in body  # December 2017 was due long ago; OH and MS have not submitted
    assert "Due soon" in body  # TN's reminder


def test_the_funder_sees_every_team(statuses, as_persona):
    assert len(rows_of(as_persona("funder").get(URL))) == 4


def test_faculty_see_only_their_networks_teams(statuses, as_persona):
    response = as_persona("faculty").get(URL)

    assert response.status_code == 200
    assert set(rows_of(response)) == {"GA safe-sleep", "MS safe-sleep", "TN safe-sleep"}
    assert [n.slug for n in response.context["networks"]] == ["safe-sleep"]


def test_filters_by_network_and_by_status(statuses, as_persona):
    client = as_persona("backbone")

    by_network = client.get(URL + "&network=smoking-cessation")
    by_status = client.get(URL + "&status=draft")

    assert rows_of(by_network) == {"OH smoking-cessation": "not_started"}
    assert rows_of(by_status) == {"MS safe-sleep": "draft"}
    # The counts still cover every status, so the chips can be switched.
    assert sum(c for *_x, c, _q in by_status.context["chips"]) == 4


def test_another_frequency_lists_the_teams_reporting_it(statuses, as_persona):
    response = as_persona("backbone").get(
        reverse("reporting_status") + "?period=2017-12&frequency=quarterly")

    assert response.context["period"] == Period.parse("2017-Q4")
    assert set(rows_of(response).values()) == {"not_started"}
    assert len(rows_of(response)) == 4  # everyone reports the quarterly IMR


def test_a_nonsense_period_is_404(statuses, as_persona):
    assert as_persona("backbone").get(
        reverse("reporting_status") + "?period=someday").status_code == 404


def test_the_default_period_is_the_latest_one_reported(statuses, as_persona):
    response = as_persona("backbone").get(reverse("reporting_status"))
    assert response.context["period"] == DEC


def test_csv_download_has_the_table(statuses, as_persona, data_lead):
    response = as_persona("backbone").get(URL + "&format=csv")

    assert response["Content-Type"].startswith("text/csv")
    assert "reporting-status-2017-12.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_team = {(r["postal_code"], r["learning_network"]): r for r in rows}
    assert len(rows) == 4
    ga = by_team[("GA", "safe-sleep")]
    assert (ga["status"], ga["values_entered"], ga["measures_due"]) == ("submitted", "1", "2")
    assert ga["submitted_by"] == data_lead.display_name and ga["overdue"] == "no"
    assert by_team[("OH", "smoking-cessation")]["overdue"] == "yes"
    assert by_team[("TN", "safe-sleep")]["reminders_sent"].startswith("due_soon ")


def test_faculty_csv_holds_only_their_teams(statuses, as_persona):
    response = as_persona("faculty").get(URL + "&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["learning_network"] for r in rows} == {"safe-sleep"}


def test_queries_do_not_grow_with_the_number_of_teams(
        statuses, as_persona, catalog, jurisdictions, networks, data_lead,
        django_assert_max_num_queries, django_assert_num_queries):
    client = as_persona("backbone")
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for code in ["AL", "AR", "FL", "KY", "LA", "NC", "SC", "TX"]:
        team = network_services.join_network(jurisdiction=jurisdictions[code],
                                             learning_network=networks["safe-sleep"])
        give_measures(team, catalog)
        enter(team, data_lead, catalog, ["SS-CRIB"])
    assert Team.objects.count() == 12
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["rows"]) == 12
    with django_assert_max_num_queries(10):
        client.get(URL + "&format=csv")


def test_the_period_is_picked_from_a_list_not_typed(client, backbone, team, chosen):
    client.force_login(backbone)
    html = client.get("/data/status/?period=2015-03").content.decode()
    assert '<select id="period" name="period">' in html
    assert '<option value="2015-03" selected>March 2015</option>' in html
    last = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    assert f'<option value="{last.label}">{last.display}</option>' in html


def test_backbone_locks_reviewed_periods_in_bulk_and_may_undo(client, backbone, faculty, team,
                                                              chosen):
    period = Period.parse("2015-03")
    reviewed = Submission.objects.create(team=team, frequency="monthly",
                                         period_start=period.start, status="reviewed")
    url = "/data/status/?period=2015-03"
    client.force_login(faculty)  # faculty see the page, but lock nothing
    assert 'name="submission"' not in client.get(url).content.decode()
    client.force_login(backbone)
    html = client.get(url).content.decode()
    assert f'name="submission" value="{reviewed.pk}" checked' in html
    assert "Lock the ticked periods (1 reviewed)…" in html and "Yes, lock them" in html
    response = client.post("/data/status/lock/", {"submission": [str(reviewed.pk)],
                                                  "back": url})
    assert response.status_code == 302 and response["Location"] == url
    reviewed.refresh_from_db()
    assert reviewed.status == "locked"
    html = client.get(url).content.decode()
    assert "Locked 1 period." in html and "1 period locked." in html and ">Undo<" in html
    client.post("/data/status/undo-lock/", {"back": url})
    reviewed.refresh_from_db()
    assert reviewed.status == "reviewed"
    assert list(reviewed.events.values_list("action", flat=True)) == ["locked", "unlocked"]
    # The undo is used up.
    client.post("/data/status/undo-lock/", {"back": url})
    assert "Nothing to undo" in client.get(url).content.decode()


def test_faculty_cannot_lock_in_bulk(client, faculty, team, chosen):
    reviewed = Submission.objects.create(team=team, frequency="monthly",
                                         period_start=Period.parse("2015-03").start,
                                         status="reviewed")
    client.force_login(faculty)
    client.post("/data/status/lock/", {"submission": [str(reviewed.pk)]})
    reviewed.refresh_from_db()
    assert reviewed.status == "reviewed"
