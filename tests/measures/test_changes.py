"""Every writer of values tells the registered listeners which (team, measure) pairs
changed, once the transaction commits -- and nobody when it is rolled back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from coiin.measures import changes, services
from coiin.measures.models import DataValue
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

TODAY = dt.date(2015, 4, 10)


@pytest.fixture
def heard(monkeypatch):
    calls: list[frozenset[tuple[int, int]]] = []
    monkeypatch.setattr(changes, "_callbacks", [calls.append])
    return calls


@pytest.fixture
def march(team, chosen):
    return services.submission_for(team, Period.parse("2015-03"))


def save(march, user, catalog, num):
    services.save_values(submission=march, user=user, expected_version=march.version,
                         entries=[Entry(catalog["SS-CRIB"], "2015-03", numerator=num,
                                        denominator="50")], today=TODAY)


def test_saving_and_moving_a_period_notify_after_commit(
        march, data_lead, faculty, catalog, heard, django_capture_on_commit_callbacks):
    crib = (march.team_id, catalog["SS-CRIB"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        save(march, data_lead, catalog, "40")
    assert heard == [frozenset({crib})]
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission=march, user=data_lead, today=TODAY)
        services.review(submission=march, user=faculty, assessment="Steady.")
    assert heard[1:] == [frozenset({crib}), frozenset({crib})]


def test_an_unchanged_save_and_a_rolled_back_one_notify_nobody(
        march, data_lead, catalog, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save(march, data_lead, catalog, "40")
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        march.refresh_from_db()
        save(march, data_lead, catalog, "40")
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            march.refresh_from_db()
            save(march, data_lead, catalog, "41")
            raise RuntimeError("roll back")
    assert callbacks == [] and heard == []
    assert DataValue.objects.get().numerator == 40


def test_the_import_notifies_once_with_every_pair(team, chosen, catalog, backbone, heard,
                                                  django_capture_on_commit_callbacks):
    rows = [services.ValueRow(number=i + 2, team=team, measure=catalog[code],
                              period=Period.parse("2015-03"), stratum=None,
                              entry=Entry(catalog[code], "2015-03", numerator="4",
                                          denominator="5"))
            for i, code in enumerate(["SS-CRIB", "SS-EDU"])]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_values(rows=rows, user=backbone, check_closed=False)
    assert heard == [frozenset({(team.pk, catalog["SS-CRIB"].pk),
                                (team.pk, catalog["SS-EDU"].pk)})]


def test_registering_twice_keeps_one_callback(monkeypatch):
    monkeypatch.setattr(changes, "_callbacks", [])
    def listener(pairs):  # noqa: E306
        return None
    changes.on_values_changed(listener)
    changes.on_values_changed(listener)
    assert changes._callbacks == [listener]


def test_choosing_measures_notifies_the_pairs_taken_up_and_dropped(
        team, chosen, catalog, heard, django_capture_on_commit_callbacks):
    crib = catalog["SS-CRIB"]
    imr = next(m for m in catalog.values() if m not in chosen)  # a measure taken up
    assert crib in chosen
    kept = [m for m in chosen if m != crib]
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_measures(team=team, measures=[*kept, imr])
    assert heard == [frozenset({(team.pk, crib.pk), (team.pk, imr.pk)})]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_measures(team=team, measures=[*kept, imr])  # the same set again
    assert heard == []


def test_a_team_dropping_a_measure_leaves_the_pooled_summary(
        team, chosen, catalog, data_lead, django_capture_on_commit_callbacks):
    from coiin.charts.models import ChartSummary

    crib = catalog["SS-CRIB"]
    march = services.submission_for(team, Period.parse("2015-03"))
    save(march, data_lead, catalog, "40")
    services.submit(submission=march, user=data_lead, today=TODAY)
    pooled = ChartSummary.objects.filter(scope=ChartSummary.Scope.NETWORK, measure=crib)
    assert pooled.exists()
    services.choose_measures(team=team, measures=[m for m in chosen if m != crib])
    assert not pooled.exists()  # Georgia was the network's only team reporting it
