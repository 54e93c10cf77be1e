"""Bright spots are cached per network and measure under a fingerprint of the data: page
views after the first build no chart; new data, a change of measures or a new adoption
status rebuild them. Counted in chart builds and queries, never in seconds."""

# ruff: noqa: F811 -- the mentoring fixtures are imported by name; pytest passes them in
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coiin.community.mentoring import services as mentoring
from coiin.improvement import services as improvement
from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from tests.community.mentoring.test_mentoring import (  # noqa: F401
    _mentoring_rows,
    catalog,
    crib,
    data_lead,
    idea,
    mentoring_rows,
    ms_lead,
    reference,
    team,
    teams,
)

# With test_mentoring.py, on one worker: the teams' data are made once for all three.
pytestmark = pytest.mark.xdist_group("mentoring")


@pytest.fixture
def builds(monkeypatch, teams):
    """Count the charts built (the expensive step) from here on, on an empty cache."""
    cache.clear()
    calls: list[str] = []
    real = mentoring.chart_for

    def counting(team, measure):
        calls.append(team.jurisdiction.postal_code)
        return real(team, measure)

    monkeypatch.setattr(mentoring, "chart_for", counting)
    yield calls
    cache.clear()


def test_repeated_views_build_no_chart_and_new_data_rebuilds(
        builds, teams, crib, data_lead, django_db_blocking=None):
    first = mentoring.suggestions_for(teams["MS"])
    assert sorted(builds) == ["GA", "MS", "TX"]
    assert [s.team for s in first] == [teams["GA"]]
    builds.clear()
    again = mentoring.suggestions_for(teams["MS"])
    assert builds == []
    assert [(s.team, s.held, s.since) for s in again] == [(s.team, s.held, s.since)
                                                           for s in first]
    # TX reports a new month: every team's assessment on the network is rebuilt.
    period = Period.parse("2017-01")
    sub = reporting.submission_for(teams["TX"], period)
    day = period.end + dt.timedelta(days=3)
    reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                          entries=[Entry(crib, period.label, numerator="46",
                                         denominator="50", confirm="ok")], today=day)
    reporting.submit(submission=sub, user=data_lead, today=day)
    mentoring.suggestions_for(teams["MS"])
    assert sorted(builds) == ["GA", "MS", "TX"]


def test_a_draft_being_typed_also_changes_the_fingerprint(teams, data_lead, crib):
    before = mentoring.data_version(teams["GA"].learning_network_id)
    period = Period.parse("2017-01")
    sub = reporting.submission_for(teams["GA"], period)
    reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                          entries=[Entry(crib, period.label, numerator="40",
                                         denominator="50", confirm="ok")],
                          today=period.end + dt.timedelta(days=3))
    assert mentoring.data_version(teams["GA"].learning_network_id) != before


def test_a_new_adoption_status_rebuilds(builds, teams, idea, data_lead):
    mentoring.suggestions_for(teams["MS"])
    builds.clear()
    improvement.set_status(team=teams["TX"], change_idea=idea, status="testing",
                           on=dt.date(2016, 3, 1), user=data_lead)
    mentoring.suggestions_for(teams["MS"])
    assert sorted(builds) == ["GA", "MS", "TX"]


def test_other_networks_data_leaves_the_cache_alone(builds, teams, other_team):
    mentoring.suggestions_for(teams["MS"])
    builds.clear()
    before = mentoring.data_version(teams["MS"].learning_network_id)
    reporting.submission_for(other_team, Period.parse("2017-01"))  # another network
    assert mentoring.data_version(teams["MS"].learning_network_id) == before
    mentoring.suggestions_for(teams["MS"])
    assert builds == []


def test_the_suggestions_page_runs_fewer_queries_once_cached(client, builds, teams, ms_lead):
    client.force_login(ms_lead)
    url = reverse("community:mentor_suggestions", args=[teams["MS"].pk])
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        html = client.get(url).content.decode()
    assert "Georgia" in html  # the same suggestion, from the cache
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert sorted(builds) == ["GA", "MS", "TX"]  # built once, for the first view only
