"""Stored chart summaries: after random changes through the services (edits, submits,
reviews, locks, reopens, imports, chart settings) every stored summary equals a fresh
``build`` of its series, and the refresh runs after commit."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import translation

from coiin.charts import services as chart_services
from coiin.charts.building import (
    Observation,
    build,
    signal_direction,
    sustained_improvement,
    teams_series,
)
from coiin.charts.models import ChartExclusion, ChartPhase, ChartSettings, ChartSummary
from coiin.charts.pooled import membership_phases
from coiin.charts.said import summary_text
from coiin.charts.summaries.compute import EXCLUDED, OUTSIDE, RUN
from coiin.charts.summaries.services import deferred, rebuild
from coiin.charts.vega import run_point_indexes
from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.measures.models import DataValue, Submission, TeamMeasure
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import Team, User
from tests.conftest import make_user, shared_rows

Scope = ChartSummary.Scope
START = {"monthly": Period.parse("2015-01"), "quarterly": Period.parse("2015-Q1")}


def _entry(measure, period, rng, level):
    if measure.type == "sampled":  # days to the postpartum visit of 2-5 sampled patients
        days = [rng.randint(int(level) - 40, int(level) - 10) for _ in range(rng.randint(2, 5))]
        return Entry(measure, period.label, measurements="; ".join(map(str, days)),
                     confirm="ok")
    if measure.type == "count":
        return Entry(measure, period.label, value=str(rng.randint(5, 30)), confirm="ok")
    den = rng.randint(40, 90) if measure.multiplier == 100 else rng.randint(300, 900)
    rate = level if measure.multiplier == 100 else level / 100
    num = sum(rng.random() < rate for _ in range(den))
    return Entry(measure, period.label, numerator=str(num), denominator=str(den), confirm="ok")


def _import(team, measure, periods, rng, user, level):
    rows = [reporting.ValueRow(i + 1, team, measure, p, None, _entry(measure, p, rng, level))
            for i, p in enumerate(periods)]
    reporting.import_values(rows=rows, user=user, check_closed=False)


def _submit(team, period, user):
    sub = Submission.objects.get(team=team, frequency=period.frequency.value,
                                 period_start=period.start)
    if sub.status == Submission.Status.DRAFT:
        reporting.submit(submission=sub, user=user, today=period.end + dt.timedelta(days=3))


def make_reported() -> SimpleNamespace:
    """Four teams in two networks: crib audits (p charts), infant mortality per 1,000
    (u charts), quitline enrolments (counts, XmR) and days to the postpartum visit of
    sampled patients (xbar charts), some series still run charts; reported by the backbone
    user. Made once for the module's tests, which follow one another on one worker (what a
    test writes, its random changes included, is rolled back after it)."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    rng = random.Random(19)  # noqa: S311 - test data
    plan = [("GA", "safe-sleep", ["SS-CRIB", "IMR", "PC-PPV-DAYS"], 20), ("TX", "safe-sleep",
            ["SS-CRIB", "IMR"], 16), ("AL", "safe-sleep", ["SS-CRIB"], 9),
            ("OH", "smoking-cessation", ["IMR", "SC-QUITLINE"], 14)]
    with deferred():
        teams = _report_plan(plan, jurisdictions, networks, catalog, backbone, rng)
    return SimpleNamespace(teams={code: t.pk for code, t in teams.items()}, backbone=backbone)


def _report_plan(plan, jurisdictions, networks, catalog, backbone, rng) -> dict[str, Team]:
    """Each team's periods imported, then submitted oldest first. The summaries are
    refreshed once when the caller's block ends, as a bulk writer's are: the same rows as
    after a refresh per submission (the tests then check them against fresh charts, and
    refresh after every one of their own changes)."""
    teams = {}
    for code, slug, measures, n in plan:
        team = network_services.join_network(jurisdiction=jurisdictions[code],
                                             learning_network=networks[slug],
                                             joined_on=dt.date(2014, 1, 1))
        reporting.choose_measures(team=team, measures=[catalog[c] for c in measures])
        reported_periods: set[Period] = set()
        for c in measures:
            m = catalog[c]
            periods = [START[m.frequency]]
            while len(periods) < n:
                periods.append(periods[-1].next())
            level = rng.uniform(55, 75)
            _import(team, m, periods, rng, backbone, level)
            reported_periods.update(periods)
        for p in sorted(reported_periods, key=lambda p: (p.frequency.value, p.start)):
            _submit(team, p, backbone)
        teams[code] = team
    return teams


_reported_rows, reported_rows = shared_rows("reported_rows", make_reported)
pytestmark = pytest.mark.xdist_group("chart-summaries")


@pytest.fixture
def reported(reported_rows) -> dict[str, Team]:
    """The four teams, read afresh for each test (a test may change its own instances)."""
    teams = Team.objects.in_bulk(reported_rows.teams.values())
    return {code: teams[pk] for code, pk in reported_rows.teams.items()}


@pytest.fixture
def backbone(reported_rows) -> User:
    return User.objects.get(pk=reported_rows.backbone.pk)


def _expected_team_series():
    """(team id, measure) -> observations, for every team series with shown data."""
    out = {}
    measures = {tm.measure_id: tm.measure for tm in TeamMeasure.objects.select_related(
        "measure")}
    for measure in measures.values():
        teams = list(Team.objects.all())
        for team_id, obs in teams_series(measure, teams).items():
            out[(team_id, measure)] = obs
    return out


def _pool(measure, team_ids):
    sums, counts = {}, defaultdict(int)
    teams = list(Team.objects.filter(pk__in=team_ids))
    for obs in teams_series(measure, teams).values():
        for o in obs:
            if o.numerator is not None and o.denominator:
                s = sums.setdefault(o.period, [0.0, 0.0])
                s[0] += o.numerator
                s[1] += o.denominator
                counts[o.period.start] += 1
    return [Observation(p, s[0], s[1], None, True) for p, s in sorted(sums.items())], counts


def _assert_same(stored: ChartSummary, tc, obs, counts=None):
    chart = tc.chart
    where = f"{stored.scope} {stored.measure.code} team {stored.team_id}"
    assert stored.n_observations == len(obs), where
    assert stored.problem == tc.problem, where
    assert stored.summary == tc.summary, where
    # What the sentences say, kept as message ids: worded in each reader's language.
    assert stored.said == tc.said and stored.said, where
    assert stored.text == tc.summary, where
    with translation.override("es"):
        assert stored.text == summary_text(tc.said), where
        if stored.said.get("parts"):
            assert stored.text != tc.summary, where
    if chart is None:
        assert stored.chart_type == "" and stored.points == [], where
        return
    assert stored.chart_type == tc.chart_type, where
    assert stored.n_points == len(chart.points), where
    assert stored.latest_period == tc.observations[-1].period.start, where
    assert stored.latest_value == pytest.approx(chart.points[-1].y, rel=1e-12), where
    for name, value in (("centre", chart.points[-1].cl), ("lcl", chart.points[-1].lcl),
                        ("ucl", chart.points[-1].ucl), ("first_centre", chart.points[0].cl)):
        got = getattr(stored, name)
        assert (got is None) == (value is None), (where, name)
        if value is not None:
            assert got == pytest.approx(value, rel=1e-12, abs=1e-12), (where, name)
    assert stored.signal_direction == (signal_direction(tc) or ""), where
    assert stored.sustained == sustained_improvement(tc), where
    assert stored.has_signal == (any(r.runs_signal for r in chart.runs)
                                 or any(p.sigma_signal for p in chart.points)), where
    runs = run_point_indexes(chart)
    for i, (row, p, o) in enumerate(zip(stored.points, chart.points, tc.observations,
                                        strict=True)):
        assert row[0] == o.period.start.isoformat(), where
        for got, value in zip(row[1:5], (p.y, p.cl, p.lcl, p.ucl), strict=True):
            assert (got is None) == (value is None), (where, i)
            if value is not None:
                assert got == pytest.approx(value, abs=1e-6), (where, i)
        code = (EXCLUDED if not p.include else OUTSIDE if p.sigma_signal
                else RUN if i in runs else 0)
        assert (row[5], row[6]) == (code, p.part), (where, i)
        assert (row[7], row[8]) == (o.numerator, o.denominator), (where, i)
        if counts is not None:
            assert row[9] == counts[o.period.start], (where, i)


def assert_summaries_current():
    """Every stored summary equals a fresh build() of its series, and no series lacks one."""
    expected = _expected_team_series()
    stored = {(s.team_id, s.measure): s for s in ChartSummary.objects.filter(
        scope=Scope.TEAM).select_related("measure")}
    assert set(stored) == set(expected)
    for (team_id, measure), obs in expected.items():
        team = Team.objects.get(pk=team_id)
        tc = build(team, measure, obs, ChartSettings.objects.filter(
            team=team, measure=measure).first(),
            list(ChartPhase.objects.filter(team=team, measure=measure)),
            list(ChartExclusion.objects.filter(team=team, measure=measure)), spec=False)
        _assert_same(stored[(team_id, measure)], tc, obs)
    pools = ChartSummary.objects.filter(scope=Scope.NETWORK).select_related("measure")
    seen = set()
    for tm in TeamMeasure.objects.filter(active=True, measure__type="ratio").exclude(
            measure__multiplier=1).select_related("measure", "team"):
        key = (tm.team.learning_network_id, tm.measure)
        if key in seen:
            continue
        seen.add(key)
        team_ids = TeamMeasure.objects.filter(
            active=True, measure=tm.measure, team__learning_network_id=key[0]).values_list(
            "team_id", flat=True)
        obs, counts = _pool(tm.measure, team_ids)
        found = [p for p in pools if (p.learning_network_id, p.measure) == key]
        assert len(found) == (1 if obs else 0), key
        if obs:
            _assert_same(found[0], build(Team(), tm.measure, obs, phases=_phases(
                obs, counts, "teams"), spec=False), obs, counts)
    assert pools.count() == len([k for k in seen if _pool(k[1], TeamMeasure.objects.filter(
        active=True, measure=k[1], team__learning_network_id=k[0]).values_list(
        "team_id", flat=True))[0]])


def _phases(obs, counts, what):
    """A pool's new phases where the set pooled changes for good (charts.pooled)."""
    return membership_phases([(o.period.start, counts[o.period.start]) for o in obs], what)


def _national_reference(measure):
    """As the national view chose before summaries: a jurisdiction reporting the measure
    in several teams counts once, the team with the most data (first in team order)."""
    teams = list(Team.objects.filter(team_measures__measure=measure,
                                     team_measures__active=True))
    data = teams_series(measure, teams)
    best = {}
    for t in teams:
        current = best.get(t.jurisdiction_id)
        if current is None or len(data.get(t.pk, [])) > len(data.get(current.pk, [])):
            best[t.jurisdiction_id] = t
    return _pool(measure, [t.pk for t in best.values()])


def assert_national_current(catalog):
    for code in ("SS-CRIB", "IMR"):
        measure = catalog[code]
        obs, counts = _national_reference(measure)
        stored = ChartSummary.objects.get(scope=Scope.NATIONAL, measure=measure)
        _assert_same(stored, build(Team(), measure, obs, phases=_phases(
            obs, counts, "jurisdictions"), spec=False), obs, counts)


def _random_change(rng, teams, catalog, backbone):
    team = rng.choice(list(teams.values()))
    measure = rng.choice([tm.measure for tm in TeamMeasure.objects.filter(team=team)
                          .select_related("measure")])
    subs = list(Submission.objects.filter(team=team, frequency=measure.frequency,
                                          values__measure=measure).order_by("period_start"))
    sub = rng.choice(subs)
    today = sub.period.end + dt.timedelta(days=3)
    action = rng.choice(["edit", "review", "lock", "reopen", "submit", "settings", "import",
                         "phase", "exclude", "clear"])
    S = Submission.Status
    if action == "edit":
        if sub.status != S.DRAFT:
            sub = reporting.reopen(submission=sub, user=backbone, reason="correction")
        reporting.save_values(submission=sub, user=backbone, expected_version=sub.version,
                              entries=[_entry(measure, sub.period, rng, rng.uniform(40, 90))],
                              today=today)
        if rng.random() < 0.7:
            reporting.submit(submission=sub, user=backbone, today=today)
    elif action == "review" and sub.status == S.SUBMITTED:
        reporting.review(submission=sub, user=backbone, assessment="Looks right.")
    elif action == "lock" and sub.status == S.REVIEWED:
        reporting.lock(submission=sub, user=backbone)
    elif action == "reopen" and sub.status != S.DRAFT:
        reporting.reopen(submission=sub, user=backbone, reason="check")
    elif action == "submit" and sub.status == S.DRAFT:
        reporting.submit(submission=sub, user=backbone, today=today)
    elif action == "settings":
        if rng.random() < 0.5:
            chart_services.set_baseline(team=team, measure=measure, user=backbone,
                                        baseline_end=rng.choice(subs).period_start
                                        if rng.random() < 0.7 else None, reason="baseline")
        else:
            chart_services.set_rules(team=team, measure=measure, user=backbone,
                                     rules=rng.choice(["anhoej", "ihi", "mdc"]))
    elif action == "phase":
        phase = ChartPhase.objects.filter(team=team, measure=measure).first()
        if phase and rng.random() < 0.5:
            chart_services.remove_phase(phase=phase, user=backbone)
        else:
            chart_services.add_phase(team=team, measure=measure, user=backbone,
                                     starts=rng.choice(subs[1:]).period_start, reason="new")
    elif action == "exclude":
        ex = ChartExclusion.objects.filter(team=team, measure=measure).first()
        if ex and rng.random() < 0.5:
            chart_services.remove_exclusion(exclusion=ex, user=backbone)
        else:
            chart_services.add_exclusion(team=team, measure=measure, user=backbone,
                                         period_start=sub.period_start, reason="one-off")
    elif action == "import":
        last = subs[-1].period
        new = [last.next(), last.next().next()]
        _import(team, measure, new, rng, backbone, rng.uniform(40, 90))
        for p in new[:1]:
            _submit(team, p, backbone)
    elif action == "clear" and sub.status == S.DRAFT:
        reporting.save_values(submission=sub, user=backbone, expected_version=sub.version,
                              entries=[Entry(measure, sub.period.label)], today=today)
    return action


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_summaries_equal_fresh_charts_after_random_changes(seed, reported, catalog,
                                                                  backbone):
    assert_summaries_current()
    rng = random.Random(seed)  # noqa: S311 - test data
    done = [_random_change(rng, reported, catalog, backbone) for _ in range(40)]
    assert len(set(done)) >= 6  # the changes were varied
    assert_summaries_current()
    assert_national_current(catalog)
    before = {(s.scope, s.measure_id, s.team_id, s.learning_network_id): s.points
              for s in ChartSummary.objects.all()}
    rebuild()  # the command's work gives the same rows
    after = {(s.scope, s.measure_id, s.team_id, s.learning_network_id): s.points
             for s in ChartSummary.objects.all()}
    assert after == before


def test_the_batch_engine_and_build_give_the_same_summary(reported, catalog):
    """Default-chart p and u series go through the batch engine; the same series with a
    settings row that changes nothing goes through build(): both store the same."""
    from coiin.charts.summaries.compute import Series, summarise_series

    for code in ("SS-CRIB", "IMR"):
        measure = catalog[code]
        series = teams_series(measure, list(Team.objects.all()))
        batch = summarise_series(measure, [Series(obs) for obs in series.values()])
        assert any(f["chart_type"] in ("p", "u") for f in batch)
        forced = summarise_series(measure, [Series(obs, exclusions=[ChartExclusion(
            period_start=dt.date(1990, 1, 1))]) for obs in series.values()])
        for a, b in zip(batch, forced, strict=True):
            assert a.keys() == b.keys()
            for k in a:
                if isinstance(a[k], float):
                    assert a[k] == pytest.approx(b[k], rel=1e-12), k
                else:
                    assert a[k] == b[k], k


def test_refresh_runs_after_commit_and_not_on_rollback(reported, catalog, backbone,
                                                       monkeypatch,
                                                       django_capture_on_commit_callbacks):
    from django.db import transaction

    from coiin.measures import changes

    monkeypatch.setattr(changes, "transaction", transaction)  # the real after-commit path
    team, measure = reported["GA"], catalog["SS-CRIB"]
    stored = ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=measure)
    sub = Submission.objects.get(team=team, frequency="monthly", period_start=dt.date(2016, 8, 1))
    with django_capture_on_commit_callbacks(execute=False) as pending:
        reporting.reopen(submission=sub, user=backbone, reason="a correction")
    stored.refresh_from_db()
    assert stored.latest_period == dt.date(2016, 8, 1)  # not yet: nothing committed
    assert pending
    for callback in pending:
        callback()
    stored = ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=measure)
    assert stored.latest_period == dt.date(2016, 7, 1) and stored.n_observations == 19
    assert_summaries_current()


def test_every_trigger_refreshes(reported, catalog, backbone):
    team, measure = reported["TX"], catalog["SS-CRIB"]

    def current():
        return ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=measure)

    def pool():
        return ChartSummary.objects.get(scope=Scope.NETWORK, measure=measure,
                                        learning_network=team.learning_network)

    sub = Submission.objects.get(team=team, frequency="monthly", period_start=dt.date(2016, 4, 1))
    reporting.review(submission=sub, user=backbone, assessment="ok")
    reporting.lock(submission=Submission.objects.get(pk=sub.pk), user=backbone)
    sub = reporting.reopen(submission=Submission.objects.get(pk=sub.pk), user=backbone,
                           reason="typo")
    assert current().latest_period == dt.date(2016, 3, 1)
    assert pool().points[-1][9] == 1  # only Georgia left in April 2016
    reporting.save_values(submission=sub, user=backbone, expected_version=sub.version,
                          entries=[Entry(measure, "2016-04", numerator="40", denominator="40",
                                         confirm="ok")], today=dt.date(2016, 5, 3))
    reporting.submit(submission=sub, user=backbone, today=dt.date(2016, 5, 3))
    assert current().latest_value == pytest.approx(100.0)
    chart_services.add_phase(team=team, measure=measure, starts=dt.date(2015, 9, 1),
                             user=backbone, reason="new crib programme")
    assert {row[6] for row in current().points} == {1, 2}
    chart_services.set_rules(team=team, measure=measure, rules="ihi", user=backbone)
    _import(team, measure, [Period.parse("2016-05")], random.Random(1), backbone, 60)
    _submit(team, Period.parse("2016-05"), backbone)
    assert current().latest_period == dt.date(2016, 5, 1)
    assert_summaries_current()


def test_rebuild_command_for_one_network(reported, catalog):

    ChartSummary.objects.all().delete()
    call_command("rebuild_summaries", "--network", "smoking-cessation")
    assert set(ChartSummary.objects.filter(scope=Scope.TEAM).values_list(
        "team__jurisdiction__postal_code", flat=True)) == {"OH"}
    call_command("rebuild_summaries")
    assert_summaries_current()
    assert DataValue.objects.exists()


def test_deferred_refreshes_gather_every_change_and_refresh_once(monkeypatch):
    from coiin.charts.summaries import services as summaries

    calls: list[set[tuple[int, int]]] = []
    monkeypatch.setattr(summaries, "refresh", lambda pairs: calls.append(set(pairs)))
    with summaries.deferred() as pending:
        summaries.refresh_after_change({(1, 2)})
        with summaries.deferred():  # an inner block leaves the refresh to the outer one
            summaries.refresh_after_change({(1, 2), (3, 4)})
        assert calls == [] and pending == {(1, 2), (3, 4)}
    assert calls == [{(1, 2), (3, 4)}]
    summaries.refresh_after_change({(5, 6)})  # no longer deferred
    assert calls[-1] == {(5, 6)}


def test_a_sampled_measure_is_summarised_on_its_xbar_or_chosen_s_chart(reported, catalog,
                                                                        backbone):
    """Dashboards read summaries: a sampled measure's has its latest mean, centre line and
    signals, as the chart page draws them (xbar, or the s chart once chosen)."""
    measure, team = catalog["PC-PPV-DAYS"], reported["GA"]
    stored = ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=measure)
    tc = build(team, measure, [], spec=False)
    assert stored.chart_type == tc.chart_type == "xbar" and stored.n_points == 20
    assert stored.latest_value == pytest.approx(tc.chart.points[-1].y)
    assert stored.centre == pytest.approx(tc.chart.points[-1].cl) and stored.ucl is not None
    assert stored.summary == tc.summary
    chart_services.set_chart_type(team=team, measure=measure, chart_type="s", user=backbone,
                                  reason="the spread matters")
    stored = ChartSummary.objects.get(scope=Scope.TEAM, team=team, measure=measure)
    assert stored.chart_type == "s"
    assert stored.centre == pytest.approx(build(team, measure, [], ChartSettings.objects.get(
        team=team, measure=measure), spec=False).chart.points[-1].cl)
    assert not ChartSummary.objects.filter(measure=measure).exclude(scope=Scope.TEAM).exists()


def test_stored_sentences_do_not_depend_on_the_language_of_the_refresh(reported, catalog):
    """A refresh made in a Spanish reader's request stores the same sentences as one made
    by the rebuild command: every reader of a summary is shown the same stored text."""

    def stored():
        return sorted(ChartSummary.objects.values_list(
            "scope", "measure", "team", "learning_network", "unit", "summary", "problem"))

    rebuild()
    english = stored()
    assert any(row[5].startswith("Only random variation") for row in english)
    with translation.override("es"):
        rebuild()
    assert stored() == english
    said = sorted(ChartSummary.objects.values_list("pk", "said"))
    assert said and all(s for _, s in said)
    with translation.override("es"):
        spanish = [s.text for s in ChartSummary.objects.all()]
    assert any(t.startswith("Solo variación aleatoria") for t in spanish)
    assert not any(t.startswith("Only random variation") for t in spanish)


def test_rebuild_fills_the_message_ids_of_rows_stored_before_they_were_kept(reported,
                                                                           catalog):
    ChartSummary.objects.update(said={})
    with translation.override("es"):  # old rows: the English sentence they kept
        assert {s.text for s in ChartSummary.objects.all()} == set(
            ChartSummary.objects.values_list("summary", flat=True))
    call_command("rebuild_summaries")
    assert not ChartSummary.objects.filter(said={}).exists()
