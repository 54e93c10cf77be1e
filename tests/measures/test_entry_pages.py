"""The team's data pages: the period list, the entry form, workflow buttons and history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from coiin.measures import changes, services
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry

from ..conftest import fixtures_from, georgia_safe_sleep, shared_rows


def load_georgia():
    """Georgia Safe Sleep with its network's measures and the personas who report, review
    and lock its data, as the suite's fixtures of the same names make them."""
    return georgia_safe_sleep("data_lead", "faculty", "backbone")


# Made once for the module's tests, which follow one another on one worker (what a test
# writes is rolled back after it); the suite's fixtures of the same names are these rows.
_georgia_rows, georgia_rows = shared_rows("georgia_rows", load_georgia)
pytestmark = pytest.mark.xdist_group("entry-pages")
globals().update(fixtures_from("georgia_rows", "reference", "catalog", "team", "chosen",
                               "data_lead", "faculty", "backbone"))


@pytest.fixture
def period(settings):
    """Last month: open for entry today."""
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


@pytest.fixture
def url(team, period, chosen):
    return f"/networks/safe-sleep/ga/data/{period.label}/"


def form_data(version=0, **values):
    data = {"version": str(version), "action": "save"}
    data.update({k.replace("__", "-"): v for k, v in values.items()})
    return data


def test_team_data_page_lists_periods_and_measures(client, data_lead, team, chosen, period,
                                                   django_assert_max_num_queries):
    team.joined_on = dt.date(2014, 7, 1)
    team.save()
    client.force_login(data_lead)
    with django_assert_max_num_queries(15):
        response = client.get("/networks/safe-sleep/ga/data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Monthly measures" in html and "Yearly measures" in html
    assert period.display in html
    assert "Infants observed in a safe sleep environment" in html


def test_entry_form_shows_every_monthly_measure(client, data_lead, url):
    client.force_login(data_lead)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="m-SS-CRIB-num"' in html and 'name="m-SS-EDU-den"' in html
    assert 'name="m-IMR-num"' not in html  # quarterly: on its own form
    assert "Not started" in html


def test_saving_a_draft(client, data_lead, url, team, period):
    client.force_login(data_lead)
    response = client.post(url, form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"))
    assert response.status_code == 302
    value = DataValue.objects.get()
    assert (value.numerator, value.denominator, value.submission.status) == (40, 50, "draft")
    page = client.get(url).content.decode()
    assert "Saved Georgia · Safe Sleep" in page
    assert 'value="40"' in page


def test_an_error_is_shown_beside_its_field_and_nothing_is_saved(client, data_lead, url):
    client.force_login(data_lead)
    response = client.post(url, form_data(m__SS__CRIB__num="60", m__SS__CRIB__den="50",
                                          m__SS__EDU__num="5", m__SS__EDU__den="10"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved: fix 1 problem" in html
    assert "60 is more than the denominator 50" in html
    assert 'value="60"' in html  # what was typed is kept
    assert not DataValue.objects.exists()


def test_a_warning_is_kept_once_a_reason_is_given(client, data_lead, team, chosen, settings):
    settings.REPORTING_GRACE_DAYS = 60
    quarter = Period.containing(timezone.localdate(), Frequency.QUARTERLY).previous()
    url = f"/networks/safe-sleep/ga/data/{quarter.label}/"
    client.force_login(data_lead)
    response = client.post(url, form_data(m__IMR__num="40", m__IMR__den="1000"))
    assert response.status_code == 400
    assert "Confirm the warnings" in response.content.decode()
    response = client.post(url, form_data(m__IMR__num="40", m__IMR__den="1000",
                                          m__IMR__confirm="Verified with vital records"))
    assert response.status_code == 302
    assert DataValue.objects.get().warnings_confirmed == "Verified with vital records"


def test_a_stale_form_gets_a_conflict_showing_what_changed(client, data_lead, member, url):
    client.force_login(data_lead)
    client.post(url, form_data(0, m__SS__CRIB__num="40", m__SS__CRIB__den="50"))
    client.force_login(member)
    response = client.post(url, form_data(0, m__SS__CRIB__num="30", m__SS__CRIB__den="50"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved first" in html
    assert "Dara Data saved" in html
    assert DataValue.objects.get().numerator == 40
    assert 'name="version" value="1"' in html  # saving again replaces theirs knowingly


def test_submit_review_lock_through_the_pages(client, data_lead, faculty, backbone, url):
    client.force_login(data_lead)
    response = client.post(url, {**form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"),
                                 "action": "submit"})
    assert response.status_code == 302
    assert Submission.objects.get().status == "submitted"
    client.force_login(faculty)
    page = client.get(url).content.decode()
    assert "Mark reviewed" in page and 'name="m-SS-CRIB-num"' not in page
    client.post(url + "review/", {"assessment": "Good progress on crib audits."})
    assert Submission.objects.get().status == "reviewed"
    client.force_login(backbone)
    page = client.get(url).content.decode()
    assert "Lock period…" in page and "Yes, lock" in page  # asked first, then done
    client.post(url + "lock/")
    submission = Submission.objects.get()
    assert submission.status == "locked"
    page = client.get(url).content.decode()
    assert "Good progress on crib audits." in page
    assert "Locked" in page


def test_a_member_may_save_but_not_submit(client, member, url):
    client.force_login(member)
    client.post(url, {**form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"),
                      "action": "submit"})
    assert Submission.objects.get().status == "draft"
    assert DataValue.objects.count() == 1


def test_faculty_sees_no_drafts(client, data_lead, faculty, url):
    client.force_login(data_lead)
    client.post(url, form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"))
    client.force_login(faculty)
    assert client.get(url).status_code == 403
    assert client.post(url + "review/", {"assessment": "x"}).status_code == 404


@pytest.mark.parametrize(("name", "status"), [("outsider", 404), ("stranger", 404),
                                              ("funder", 403)])
def test_outsiders_cannot_enter_data(as_persona, name, status, url):
    client = as_persona(name)
    assert client.post(url, form_data(m__SS__CRIB__num="1", m__SS__CRIB__den="2")).status_code \
        == status
    assert not DataValue.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reopen_needs_a_reason_and_is_recorded(client, data_lead, faculty, url):
    client.force_login(data_lead)
    client.post(url, {**form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"),
                      "action": "submit"})
    client.force_login(faculty)
    client.post(url + "reopen/", {"reason": ""})
    assert Submission.objects.get().status == "submitted"
    client.post(url + "reopen/", {"reason": "Denominator excludes transfers"})
    submission = Submission.objects.get()
    assert submission.status == "draft"
    assert submission.events.last().note == "Denominator excludes transfers"


def test_a_closed_period_refuses_entry_until_an_exception(client, data_lead, backbone, team,
                                                          chosen, settings):
    settings.REPORTING_GRACE_DAYS = 0
    old = Period.parse("2015-03")
    url = f"/networks/safe-sleep/ga/data/{old.label}/"
    client.force_login(data_lead)
    response = client.post(url, form_data(m__SS__CRIB__num="1", m__SS__CRIB__den="2"),
                           follow=True)
    assert "closed on May 14, 2015" not in response.content.decode()  # grace 0: April 30
    assert "closed on April 30, 2015" in response.content.decode()
    assert not DataValue.objects.exists()
    client.force_login(backbone)
    until = timezone.localdate() + dt.timedelta(days=5)
    client.post(url + "exception/", {"until": until.isoformat(), "reason": "Outage"})
    client.force_login(data_lead)
    assert client.post(url, form_data(m__SS__CRIB__num="1", m__SS__CRIB__den="2")).status_code \
        == 302
    assert DataValue.objects.count() == 1


def test_history_page_shows_who_when_old_new_and_why(client, data_lead, lead, team, period,
                                                     chosen, catalog):
    submission = services.submission_for(team, period)
    for user, num, why in [(data_lead, "40", "first"), (lead, "42", "late sheets")]:
        services.save_values(submission=submission, user=user, expected_version=submission.version,
                             entries=[Entry(catalog["SS-CRIB"], period.label, numerator=num,
                                            denominator="50")], reason=why)
    client.force_login(lead)
    html = client.get(f"/networks/safe-sleep/ga/data/{period.label}/history/").content.decode()
    assert "numerator: 40 → 42" in html
    assert "late sheets" in html and "Lena Lead" in html and "Dara Data" in html


def test_unknown_period_label_is_404(client, data_lead, team, chosen):
    client.force_login(data_lead)
    assert client.get("/networks/safe-sleep/ga/data/2015-13/").status_code == 404


def test_choose_measures(client, lead, team, chosen, catalog):
    client.force_login(lead)
    page = client.get("/networks/safe-sleep/ga/data/measures/")
    assert page.status_code == 200
    response = client.post("/networks/safe-sleep/ga/data/measures/",
                           {"measures": [catalog["IMR"].pk, catalog["SS-BACK"].pk]})
    assert response.status_code == 302
    assert [m.code for m in services.team_measures(team)] == ["IMR", "SS-BACK"]


def test_members_cannot_choose_measures(client, member, team, chosen):
    client.force_login(member)
    assert client.get("/networks/safe-sleep/ga/data/measures/").status_code == 403


def test_catalog_and_measure_pages_are_public(client, catalog):
    html = client.get("/measures/").content.decode()
    assert "Infant mortality rate" in html and "Healthy People 2020 MICH-1.3" in html
    page = client.get("/measures/PT-EED/").content.decode()
    assert "The Joint Commission Perinatal Care measure PC-01" in page
    assert "Versions of this definition" in page


def test_team_data_page_shows_a_chosen_year(client, data_lead, team, chosen, catalog):
    team.joined_on = dt.date(2014, 7, 1)
    team.save()
    submission = services.submission_for(team, Period.parse("2015-03"))
    services.save_values(submission=submission, user=data_lead, expected_version=0,
                         entries=[Entry(catalog["SS-CRIB"], "2015-03", numerator="4",
                                        denominator="5")], today=dt.date(2015, 4, 2))
    client.force_login(data_lead)
    html = client.get("/networks/safe-sleep/ga/data/?year=2015").content.decode()
    assert "March 2015" in html and "1 of 2" in html
    assert "June 2014" not in html
    html2014 = client.get("/networks/safe-sleep/ga/data/?year=2014").content.decode()
    assert "July 2014" in html2014 and "June 2014" not in html2014


def test_faculty_adds_a_custom_measure_to_their_network(client, faculty, catalog, networks):
    client.force_login(faculty)
    assert "Add a custom measure" in client.get("/measures/").content.decode()
    response = client.post("/networks/safe-sleep/measures/new/", {
        "code": "SS-NAP", "name": "Naps observed in safe position", "level": "innovation",
        "type": "ratio", "multiplier": "100", "unit": "%",
        "numerator_definition": "Naps observed safe", "denominator_definition": "Naps observed",
        "direction": "up", "frequency": "monthly", "data_source": "Program records",
        "source": "Defined by the Georgia team"})
    assert response.status_code == 302
    measure = catalog["SS-CRIB"].__class__.objects.get(code="SS-NAP")
    assert measure.is_custom and measure.learning_network == networks["safe-sleep"]
    assert measure.created_by == faculty
    assert measure.history.count() == 1


def test_a_custom_ratio_needs_its_definitions(client, backbone, catalog):
    client.force_login(backbone)
    response = client.post("/networks/safe-sleep/measures/new/", {
        "code": "SS-X", "name": "X", "level": "innovation", "type": "ratio",
        "multiplier": "100", "direction": "up", "frequency": "monthly",
        "data_source": "Program records", "source": "team"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"numerator_definition",
                                                    "denominator_definition"}


@pytest.mark.parametrize(("name", "status"), [("lead", 403), ("outsider", 403),
                                              ("stranger", 404)])
def test_only_faculty_and_backbone_add_measures(as_persona, name, status, catalog, faculty):
    # A lead or another team's lead is a network member (403); a stranger is not (404).
    assert as_persona(name).get("/networks/safe-sleep/measures/new/").status_code == status


def test_a_lead_sets_a_ten_percent_relative_goal(client, lead, team, chosen, catalog):
    client.force_login(lead)
    response = client.post("/networks/safe-sleep/ga/data/goals/", {
        "measure": catalog["SS-CRIB"].pk, "kind": "relative", "value": "10",
        "baseline_start": "2014-07-01", "baseline_end": "2015-06-30"})
    assert response.status_code == 302
    goal = team.goals.get()
    assert goal.describe() == "≥10 % relative improvement over baseline"
    page = client.get("/networks/safe-sleep/ga/data/").content.decode()
    assert "≥10 % relative improvement over baseline" in page


def test_a_goal_form_names_its_bad_fields(client, lead, team, chosen, catalog):
    client.force_login(lead)
    response = client.post("/networks/safe-sleep/ga/data/goals/", {
        "measure": catalog["PT-EED"].pk, "kind": "relative", "value": "250",
        "baseline_start": "2015-06-30", "baseline_end": "2014-07-01"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"measure", "value", "baseline_end"}


def test_a_read_only_period_sends_every_result(client, data_lead, faculty, team, chosen,
                                               catalog, period, url):
    """The server writes each stored result into the read-only page (entry.js keeps it;
    tests/browser/test_read_only_results.py checks that in Chromium)."""
    submission = services.submission_for(team, period)
    services.save_values(submission=submission, user=data_lead, expected_version=0, entries=[
        Entry(catalog["SS-CRIB"], period.label, numerator="30", denominator="42"),
        Entry(catalog["SS-EDU"], period.label, numerator="31", denominator="35")])
    services.submit(submission=submission, user=data_lead)
    for user in (faculty, data_lead):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert 'class="in-num"' not in html
        assert re.findall(r'<output class="result">([^<]*)</output>', html) == [
            "71.43", "88.57"]


def test_a_reopened_periods_old_review_is_marked_superseded(client, data_lead, faculty, url):
    client.force_login(data_lead)
    client.post(url, {**form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"),
                      "action": "submit"})
    client.force_login(faculty)
    client.post(url + "review/", {"assessment": "Strong month."})
    page = client.get(url).content.decode()
    assert "Strong month." in page and "Superseded" not in page
    client.post(url + "reopen/", {"reason": "A late correction from one hospital."})
    client.force_login(data_lead)  # a draft again: the team's, until submitted
    page = client.get(url).content.decode()
    assert "Strong month." in page
    assert "<strong>Superseded:</strong> this review was of the values before the period " \
           "was reopened" in page
    assert 'class="assessment superseded"' in page


def test_each_row_shows_its_recent_results_and_where_this_period_falls(
        client, data_lead, team, chosen, catalog, period, url):
    team.joined_on = period.start - dt.timedelta(days=400)
    team.save()
    earlier = period
    for num in ("20", "24", "28"):
        earlier = earlier.previous()
        sub = services.submission_for(team, earlier)
        services.save_values(submission=sub, user=data_lead, expected_version=0, entries=[
            Entry(catalog["SS-CRIB"], earlier.label, numerator=num, denominator="40")],
            today=earlier.end + dt.timedelta(days=1))
        Submission.objects.filter(pk=sub.pk).update(status=Submission.Status.LOCKED)
    client.force_login(data_lead)
    html = client.get(url).content.decode()
    assert html.count('<svg class="spark"') == 1  # SS-CRIB has history; SS-EDU none
    # Read from the stored chart, which heard of only two locked months when it was
    # last refreshed (the status was changed behind the services' back).
    assert 'aria-label="Earlier results from 50 to 60"' in html
    assert '<polyline class="centre"' in html  # the run chart's median
    changes.values_changed([(team.pk, catalog["SS-CRIB"].pk)])  # as locking would tell
    html = client.get(url).content.decode()
    assert 'aria-label="Earlier results from 50 to 70"' in html
    assert '<polyline class="centre" points="0.0,12.0 44.0,12.0 88.0,12.0"/>' in html
    assert 'class="now none"' in html  # nothing entered for this period yet
    client.post(url, form_data(m__SS__CRIB__num="36", m__SS__CRIB__den="40"))
    html = client.get(url).content.decode()
    assert 'class="now out"' in html  # 90 % is above every earlier month


@pytest.mark.parametrize("measure", ["SS-CRIB", "1e3", "-1", "99999999999999999999"])
def test_a_goal_for_a_measure_that_is_not_an_id_is_refused_by_the_form(client, lead, team,
                                                                      chosen, measure):
    client.force_login(lead)
    response = client.post("/networks/safe-sleep/ga/data/goals/", {
        "measure": measure, "kind": "relative", "value": "10",
        "baseline_start": "2014-07-01", "baseline_end": "2015-06-30"})
    assert response.status_code == 400
    assert "measure" in response.context["form"].errors
    assert not team.goals.exists()


def test_final_and_provisional_are_explained_where_shown(client, data_lead, url):
    client.force_login(data_lead)
    client.post(url, {**form_data(m__SS__CRIB__num="40", m__SS__CRIB__den="50"),
                      "action": "submit"})
    assert "provisional data: the team may still correct these figures" in \
        client.get(url).content.decode()
    Submission.objects.update(is_final=True)
    assert "final data: the team expects no later corrections" in \
        client.get(url).content.decode()
