"""Honest trend displays: a pooled series whose set of jurisdictions changes, or whose
year is reported only in part, is marked where that happens and says so in a sentence,
on the national dashboard and on the public site."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.network.models import User
from coiin.reports import membership
from coiin.reports.public import publication
from tests.conftest import make_user, shared_rows


def test_changes_are_found_where_the_count_differs_from_the_period_before():
    d = dt.date
    counts = [(d(2012, 1, 1), "2012-Q1", 12), (d(2012, 4, 1), "2012-Q2", 12),
              (d(2013, 1, 1), "2013-Q1", 27), (d(2014, 7, 1), "2014-Q3", 59),
              (d(2017, 10, 1), "2017-Q4", 40)]
    found = membership.changes(counts)
    assert [(c.label, c.before, c.after) for c in found] == [
        ("2013-Q1", 12, 27), ("2014-Q3", 27, 59), ("2017-Q4", 59, 40)]
    assert [m.text for m in membership.markers(found)] == [
        "12 → 27 jurisdictions", "27 → 59 jurisdictions", "59 → 40 jurisdictions"]
    assert membership.sentence(found, 12).startswith(
        "The jurisdictions summed change over time, so the series is not one population: it "
        "starts with 12, then 2013-Q1: 12 to 27; 2014-Q3: 27 to 59; 2017-Q4: 59 to 40.")
    assert membership.changes(counts[:2]) == [] and membership.sentence([], 12) == ""


def test_the_years_sentence_names_the_sizes_and_the_partial_years():
    rows = [membership.Year(2012, 12, []), membership.Year(2013, 27, []),
            membership.Year(2014, 59, ["CA", "VT"]), membership.Year(2015, 59, []),
            membership.Year(2017, 59, ["GA"])]
    text = membership.year_sentence(rows)
    assert text.startswith("The jurisdictions summed change as cohorts join: 12 in 2012, 27 "
                           "in 2013, 59 in 2014. Some jurisdictions reported only part of a "
                           "year (the year they joined, or a latest quarter not yet locked): "
                           "2014 (2 of 59), 2017 (1 of 59).")
    assert [(m.on.year, m.text) for m in membership.year_markers(rows)] == [
        (2013, "12 → 27 jurisdictions"), (2014, "27 → 59 jurisdictions"),
        (2017, "part-year")]
    assert membership.year_sentence([membership.Year(2015, 3, [])] * 2) == ""


def _lock(team, measure, label, user, deaths=24, births=3000):
    period = Period.parse(label)
    today = period.end + dt.timedelta(days=3)
    sub = reporting.submission_for(team, period)
    reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                          entries=[Entry(measure, label, numerator=str(deaths),
                                         denominator=str(births), confirm="test")],
                          today=today)
    sub = reporting.submit(submission=sub, user=user, today=today)
    sub = reporting.review(submission=sub, user=user, assessment="Checked.")
    reporting.lock(submission=sub, user=user)


def make_joined_later() -> SimpleNamespace:
    """Georgia reports IMR every quarter of 2014-2016; Alabama joins in July 2015.

    Made once for the tests that ask for ``joined_later``, which follow one another on one
    worker (what a test writes is rolled back after it); in those tests the backbone
    fixture is these rows' own, in the others it is made per test as always."""
    jurisdictions, networks = load_reference()
    measure = load_catalog()["IMR"]
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    team = services.join_network(jurisdiction=jurisdictions["GA"],
                                 learning_network=networks["safe-sleep"])
    al = services.join_network(jurisdiction=jurisdictions["AL"],
                               learning_network=networks["preterm-birth"])
    for t, start in ((team, dt.date(2014, 1, 1)), (al, dt.date(2015, 7, 1))):
        t.joined_on = start
        t.save()
        reporting.choose_measures(team=t, measures=[measure])
    for year in (2014, 2015, 2016):
        for q in (1, 2, 3, 4):
            _lock(team, measure, f"{year}-Q{q}", backbone)
            if (year, q) >= (2015, 3):
                _lock(al, measure, f"{year}-Q{q}", backbone, deaths=30, births=2500)
    return SimpleNamespace(measure=measure, backbone=backbone)


_joined_later_rows, joined_later_rows = shared_rows("joined_later_rows", make_joined_later)
pytestmark = pytest.mark.xdist_group("membership")


@pytest.fixture
def joined_later(joined_later_rows):
    return joined_later_rows.measure


@pytest.fixture
def backbone(request):
    """The backbone who locked the values in a test that asks for ``joined_later``, else
    the one tests/conftest.py makes for the test."""
    if "joined_later" in request.fixturenames:
        return request.getfixturevalue("joined_later_rows").backbone
    return request.getfixturevalue("backbone")  # the fixture this one overrides


def test_the_national_dashboard_marks_and_says_where_the_set_changes(joined_later,
                                                                      as_persona):
    response = as_persona("funder").get("/national/")
    page = response.content.decode()
    assert "it starts with 1, then 2015-Q3: 1 to 2." in page
    assert 'class="membership-note"' in page
    spec = response.context["specs"]["national-IMR"]
    # The set holds on both sides: the change starts a new phase, marked with its reason.
    phase = "New phase: 2 jurisdictions pooled, up from 1 as a cohort joined"
    marks = [layer for layer in spec["layer"] if "data" in layer
             and any(v.get("text") == phase for v in layer["data"]["values"])]
    assert marks and marks[0]["data"]["values"][0]["on"] == "2015-07-01"
    assert "The chart starts a new phase where the set pooled changes for good (2015-Q3: " \
           "2 jurisdictions pooled, up from 1 as a cohort joined)" in page


def test_the_public_national_chart_marks_the_change_and_the_part_year(joined_later,
                                                                       backbone, client):
    publication.publish(measure=joined_later, level="national", user=backbone)
    response = client.get("/public/measures/IMR/")
    page = response.content.decode()
    assert ("The jurisdictions summed change as cohorts join: 1 in 2014, 2 in 2015. Some "
            "jurisdictions reported only part of a year (the year they joined, or a latest "
            "quarter not yet locked): 2015 (1 of 2).") in page
    spec = next(iter(response.context["specs"].values()))
    texts = [v.get("text") for layer in spec["layer"] if "data" in layer
             for v in layer["data"]["values"]]
    assert "1 → 2 jurisdictions" in texts


def test_a_jurisdiction_s_public_chart_marks_its_part_year(joined_later, backbone, client):
    publication.publish(measure=joined_later, level="jurisdiction", user=backbone)
    page = client.get("/public/jurisdictions/al/").content.decode()
    assert "2015 (1 of 1)" in page
    page = client.get("/public/jurisdictions/ga/").content.decode()
    assert 'class="membership-note"' not in page  # every year whole, one jurisdiction


def test_the_network_dashboard_marks_where_its_set_of_teams_changes(
        team, jurisdictions, networks, catalog, backbone, as_persona):
    """Safe Sleep: Georgia reports IMR from 2014, Alabama joins in 2015."""
    measure = catalog["IMR"]
    al = services.join_network(jurisdiction=jurisdictions["AL"],
                               learning_network=networks["safe-sleep"])
    for t, start in ((team, dt.date(2014, 1, 1)), (al, dt.date(2015, 1, 1))):
        t.joined_on = start
        t.save()
        reporting.choose_measures(team=t, measures=[measure])
    for year in (2014, 2015):
        for q in (1, 2, 3, 4):
            _lock(team, measure, f"{year}-Q{q}", backbone)
            if year == 2015:
                _lock(al, measure, f"{year}-Q{q}", backbone, deaths=30, births=2500)
    response = as_persona("funder").get("/networks/safe-sleep/charts/?measure=IMR")
    page = response.content.decode()
    assert "The teams summed change over time, so the series is not one population: it " \
           "starts with 1, then 2015-Q1: 1 to 2." in page
    texts = [v.get("text") for layer in response.context["specs"]["pooled"]["layer"]
             if "data" in layer for v in layer["data"]["values"]]
    assert "New phase: 2 teams pooled, up from 1" in texts
    assert response.context["view"].pooled.phases[0].starts == dt.date(2015, 1, 1)


def test_the_reports_pooled_chart_marks_the_change_and_says_it(catalog):
    from coiin.charts.building import Observation
    from coiin.network.models import LearningNetwork
    from coiin.reports.documents.common import membership_note, pooled_chart

    imr = catalog["IMR"]
    q = [Period.parse(f"2015-Q{i}") for i in (1, 2, 3)]
    by_team = {1: [Observation(p, 3, 1000, None, True) for p in q],
               2: [Observation(p, 5, 900, None, True) for p in q[1:]]}
    chart, teams = pooled_chart(LearningNetwork(name="National"), imr, by_team,
                                "jurisdictions")
    assert teams == {"2015-Q1": 1, "2015-Q2": 2, "2015-Q3": 2}
    texts = [v.get("text") for layer in chart.spec["layer"] if "data" in layer
             for v in layer["data"]["values"]]
    assert "1 → 2 jurisdictions" in texts
    assert "it starts with 1, then 2015-Q2: 1 to 2." in membership_note(teams, "jurisdictions")
    assert membership_note({"2015-Q1": 2, "2015-Q2": 2}) == ""


def test_the_reports_pooled_chart_starts_a_phase_where_the_set_changes_for_good(catalog):
    from coiin.charts.building import Observation
    from coiin.network.models import LearningNetwork
    from coiin.reports.documents.common import membership_note, pooled_chart

    imr = catalog["IMR"]
    q = [Period.parse(f"{y}-Q{i}") for y in (2014, 2015) for i in (1, 2, 3, 4)]
    by_team = {1: [Observation(p, 30, 5000, None, True) for p in q],
               2: [Observation(p, 20, 5000, None, True) for p in q[4:]]}
    chart, teams = pooled_chart(LearningNetwork(name="National"), imr, by_team,
                                "jurisdictions")
    assert [p.reason for p in chart.phases] == [
        "2 jurisdictions pooled, up from 1 as a cohort joined"]
    assert max(p.part for p in chart.chart.points) == 2
    assert "deterioration" not in chart.detail and "worse" not in chart.summary
    note = membership_note(teams, "jurisdictions", imr)
    assert note.endswith("The chart starts a new phase where the set pooled changes for good "
                         "(2015-Q1: 2 jurisdictions pooled, up from 1 as a cohort joined): "
                         "each set is judged against its own centre line and limits, never "
                         "against a line drawn mostly from another set.")
