"""The synthetic demo reporting data: complete, consistent, calibrated, idempotent."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from coiin.demo import measures as measures_demo
from coiin.demo import publication
from coiin.demo.figures import (
    STATE_DEATHS,
    STATE_FIGURES,
    SYNTHETIC_FIGURES,
    Vitals,
    real_deaths,
)
from coiin.demo.measures import (
    NOTE,
    load_demo_data,
    recent_gaps,
    team_periods,
    trajectories,
)
from coiin.demo.network import DemoLoader, choose_networks, load_reference
from coiin.measures.catalog import default_measure_codes
from coiin.measures.models import (
    DataValue,
    Goal,
    Measure,
    Submission,
    SubmissionEvent,
    TeamMeasure,
)
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry, check_entries
from coiin.network.models import Team, User
from coiin.reports.public.publication import Level, release
from coiin.spc import qic

from ..conftest import shared_rows

pytestmark = pytest.mark.xdist_group("demo-measures")

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
# A reduced network: a few real jurisdictions with the demo's real network choices.
SOME = ["GA", "MS", "VT", "GU", "OH", "CA", "NM", "WI", "PR", "TX"]


def quiet(_: str) -> None:
    pass


def load_some_teams() -> None:
    """The demo network's teams for a few jurisdictions, with their people, faculty and data."""
    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    spread = choose_networks(sorted(jurisdictions))
    for code in SOME:
        loader.jurisdiction_teams(jurisdictions[code], [networks[s] for s in spread[code]])
    loader.demo_logins(jurisdictions, networks, national)
    load_demo_data(log=quiet)


# The tests only read these teams' data (what one writes is rolled back after it): they are
# loaded once for the tests that follow one another asking for them.
_some_demo_rows, some_demo = shared_rows("some_demo", load_some_teams)


@pytest.fixture
def some_teams(some_demo) -> list[Team]:
    return list(Team.objects.select_related("jurisdiction", "learning_network"))


def snapshot() -> dict[str, object]:
    return {
        "team_measures": sorted(TeamMeasure.objects.values_list("team_id", "measure_id",
                                                                "active")),
        "submissions": sorted(Submission.objects.values_list(
            "pk", "team_id", "frequency", "period_start", "status", "version", "submitted_by",
            "reviewed_by", "assessment", "open_until")),
        "events": SubmissionEvent.objects.count(),
        "values": sorted(DataValue.objects.values_list(
            "pk", "submission_id", "measure_id", "stratum_id", "numerator", "denominator",
            "value")),
        "value_history": DataValue.history.count(),
        "measure_history": Measure.history.count(),
        "goals": sorted(Goal.objects.values_list("team_id", "measure_id", "kind", "value")),
    }


def chosen(team: Team) -> list[Measure]:
    return list(Measure.objects.filter(team_measures__team=team, team_measures__active=True))


def gaps_for(teams: list[Team]) -> dict[int, tuple[str, Period]]:
    return recent_gaps(teams, {t.pk: sorted(chosen(t), key=lambda m: m.code) for t in teams})


@pytest.mark.django_db
def test_the_full_demo_loads_and_a_second_run_adds_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--network-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = load_demo_data(log=quiet)
    before = snapshot()
    second = load_demo_data(log=quiet)

    assert first["submissions"] > 5000 and first["values"] > 30000
    assert first["goals"] >= Team.objects.count()
    assert second == {"submissions": 0, "events": 0, "values": 0, "goals": 0}
    assert snapshot() == before
    # Every team of the real demo network reports its network's default measures.
    for team in Team.objects.select_related("learning_network"):
        assert {m.code for m in chosen(team)} == set(
            default_measure_codes(team.learning_network.slug))


def test_every_team_reports_every_chosen_measure_from_its_start_through_2017(some_teams):
    gaps = gaps_for(some_teams)
    for team in some_teams:
        start = max(dt.date(2012, 1, 1), team.joined_on)
        for measure in chosen(team):
            periods = team_periods(team, measure.freq)
            assert periods[0] == Period.containing(start, measure.freq)
            assert periods[-1] == Period.containing(dt.date(2017, 12, 1), measure.freq)
            got = set(DataValue.objects.filter(
                submission__team=team, measure=measure, stratum=None,
            ).values_list("submission__frequency", "submission__period_start"))
            expected = {(measure.frequency, p.start) for p in periods}
            missing = expected - got
            if team.pk in gaps and missing:  # the latest period is a draft or not started
                assert missing == {(measure.frequency, gaps[team.pk][1].start)}
            else:
                assert not missing, f"{team} {measure.code} lacks {sorted(missing)[:3]}"
            assert got <= expected


def test_each_submission_holds_only_measures_of_its_own_frequency(some_teams):
    assert DataValue.objects.exists()
    assert not DataValue.objects.exclude(measure__frequency=F("submission__frequency")).exists()


def test_strata_add_up_to_the_total(some_teams):
    totals: dict[tuple[int, int], tuple] = {}
    parts: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for v in DataValue.objects.filter(measure__stratification="race_ethnicity",
                                      measure__strata_sum_to_total=True).select_related(
                                          "measure"):
        if v.measure.is_survey:
            continue  # weighted estimates: a stratum's is not a part of the total's
        key = (v.submission_id, v.measure_id)
        if v.stratum_id is None:
            totals[key] = (v.numerator, v.denominator)
        else:
            parts[key].append((v.numerator, v.denominator))
    assert totals and len(parts) == len(totals)
    for key, (num, den) in totals.items():
        assert sum(p[0] for p in parts[key]) == num
        assert sum(p[1] for p in parts[key]) == den
        assert len(parts[key]) >= 2


def test_values_pass_the_validation_checks_without_errors(some_teams):
    by_submission: dict[int, list[Entry]] = defaultdict(list)
    for v in DataValue.objects.select_related("measure", "stratum", "submission"):
        by_submission[v.submission_id].append(Entry(
            measure=v.measure, period_label=v.submission.period.label, stratum=v.stratum,
            numerator=v.numerator, denominator=v.denominator, value=v.value,
            standard_error=v.standard_error, ci_lower=v.ci_lower, ci_upper=v.ci_upper,
            sample_size=v.sample_size))
    errors = [i for entries in by_submission.values() for i in check_entries(entries)
              if i.level == "error"]
    assert by_submission and errors == []


def test_survey_measures_hold_synthetic_estimates_with_standard_errors(some_teams):
    values = [v for v in DataValue.objects.select_related("measure") if v.measure.is_survey]
    assert {v.measure.code for v in values} >= {"SS-BACK", "PC-WELLWOMAN"}
    for v in values:
        assert v.numerator is None and v.denominator is None
        assert 0 <= v.value <= 100 and v.standard_error > 0 and v.sample_size >= 30
        low, high = v.interval
        assert low < v.value < high
    ids = [v.pk for v in values[:50]]
    assert set(DataValue.history.filter(id__in=ids).values_list(
        "history_change_reason", flat=True)) == {"synthetic demo data"}


def test_improving_teams_show_a_shift_the_run_chart_rules_detect(some_teams):
    paths = trajectories(some_teams)
    signals: dict[str, list[bool]] = defaultdict(list)
    for team in some_teams:
        for measure in chosen(team):
            if measure.frequency != Frequency.MONTHLY or measure.code not in (
                    "SS-CRIB", "SC-SCREEN", "SD-SCREEN", "RA-ANTENATAL", "PT-17P"):
                continue
            rows = list(DataValue.objects.filter(
                submission__team=team, measure=measure, stratum=None,
                submission__status__in=Submission.SHOWN_STATUSES,
            ).order_by("submission__period_start").values_list("numerator", "denominator"))
            chart = qic([float(n) for n, _ in rows], [float(d) for _, d in rows], chart="p")
            signals[paths[team.pk]].append(any(r.runs_signal for r in chart.runs))
    assert sum(signals["improving"]) >= 3
    # Most teams without a real change show only common-cause variation.
    assert sum(signals["steady"]) <= len(signals["steady"]) // 3


def test_a_state_reports_the_same_infant_mortality_to_each_of_its_networks(some_teams):
    ga = [t for t in some_teams if t.jurisdiction.postal_code == "GA"]
    assert len(ga) >= 2
    series = [
        list(DataValue.objects.filter(submission__team=t, measure__code="IMR", stratum=None,
                                      submission__period_start__gte=dt.date(2014, 7, 1))
             .order_by("submission__period_start").values_list("numerator", "denominator"))
        for t in ga
    ]
    assert all(s == series[0] for s in series)


def _nvss_births() -> dict[tuple[str, int], int]:
    with open(REFERENCE / "nvss_live_births_by_state_2012_2021.csv", newline="") as fh:
        return {(r["state_postal"], int(r["year"])): int(r["live_births"])
                for r in csv.DictReader(fh)}


def _cdc_2014_2017() -> dict[tuple[str, int], tuple[int, str]]:
    """CDC's infant deaths and published rate (as printed) per state-year 2014-2017."""
    with open(REFERENCE / "cdc_nchs_infant_mortality_by_state.csv", newline="") as fh:
        return {(r["state_postal"], int(r["year"])): (int(r["infant_deaths"]),
                                                      f"{float(r['imr_per_1000_live_births']):.2f}")
                for r in csv.DictReader(fh)
                if 2014 <= int(r["year"]) <= 2017 and r["imr_per_1000_live_births"]}


def test_the_demo_s_annual_infant_mortality_is_cdc_s_published_rate_in_every_state_year():
    """The four quarters of every state-year 2014-2017 with a published rate hold NVSS's
    births and CDC's infant deaths, so their rate is CDC's to its two places. No state-year
    is an exception: CDC's own deaths over NVSS's births give its rate in all 200."""
    births, cdc = _nvss_births(), _cdc_2014_2017()
    vitals = Vitals()
    assert len(cdc) == 200
    for (postal, year), (deaths, rate) in cdc.items():
        quarters = vitals.year(postal, year)
        d = sum(sum(q.deaths) for q in quarters)
        b = sum(sum(q.births) for q in quarters)
        assert (d, b) == (deaths, births[(postal, year)]), (postal, year)
        assert f"{d / b * 1000:.2f}" == rate, (postal, year)
        assert f"{round(Decimal(d * 1000) / Decimal(b), 2):.2f}" == rate, (postal, year)


def test_the_demo_s_vital_events_are_possible_and_drawn_the_same_every_time():
    every = sorted(set(STATE_FIGURES) | set(SYNTHETIC_FIGURES))
    first, second = Vitals(), Vitals()
    for postal in every:
        for year in range(2012, 2018):
            quarters = first.year(postal, year)
            assert [second.quarter(postal, year, q) for q in range(4, 0, -1)] == \
                quarters[::-1]
            for q in quarters:
                assert all(0 <= d <= b for d, b in zip(q.deaths, q.births, strict=True))
                assert 0 <= q.neonatal <= sum(q.deaths)
            if real_deaths(postal, year) is None:  # SYNTHETIC: drawn from the state's rate
                deaths = sum(sum(q.deaths) for q in quarters)
                expected = first.state(postal).imr(year) * first.state(postal).births(year) / 1000
                assert abs(deaths - expected) < 5 * expected ** 0.5 + 3, (postal, year)
    assert real_deaths("GA", 2016) == 972 and real_deaths("GA", 2013) is None
    assert real_deaths("DC", 2016) is None and real_deaths("PR", 2016) is None


# The public site's annual figures sum a state's locked quarters, so a year the demo's
# teams report only in part is a partial year there: the 2014 cohort (here VT and CA)
# joined in July 2014, and the last quarter of 2017 is still in review, not locked.
PARTIAL_ON_THE_PUBLIC_SITE = {("VT", 2014), ("CA", 2014)} | {
    (p, 2017) for p in SOME if p in STATE_FIGURES}


def test_the_public_infant_mortality_is_cdc_s_published_rate_for_every_full_year(some_teams):
    publication.publish_demo(log=quiet)
    rows = release(Measure.objects.get(code="IMR")).csv_rows(Level.JURISDICTION)
    public = {(r[2], int(r[4])): (r[5], r[7], r[9]) for r in rows
              if r[4] != "all years" and not r[11]}
    births, cdc = _nvss_births(), _cdc_2014_2017()
    partial = set()
    for (postal, year), (deaths, rate) in cdc.items():
        if postal not in SOME:
            continue
        n, d, shown = public[(postal, year)]
        if int(d) < births[(postal, year)]:
            partial.add((postal, year))
            continue
        assert (int(n), int(d), shown) == (deaths, births[(postal, year)], rate), (postal, year)
    assert partial == PARTIAL_ON_THE_PUBLIC_SITE


def test_the_workflow_trail_looks_real_and_says_it_is_synthetic(some_teams):
    statuses = Counter(Submission.objects.values_list("status", flat=True))
    assert statuses["locked"] > 0.8 * sum(statuses.values())
    assert statuses["reviewed"] and statuses["submitted"] and statuses["draft"]
    locked = Submission.objects.filter(status="locked").first()
    assert [e.action for e in locked.events.all()] == ["submitted", "reviewed", "locked"]
    by = {e.action: e.by for e in locked.events.all()}
    assert by["submitted"].memberships.filter(team=locked.team).exists()
    assert by["reviewed"].faculty_roles.filter(
        learning_network=locked.team.learning_network).exists()
    assert by["locked"].network_role == User.NetworkRole.BACKBONE
    assert locked.assessment.endswith(NOTE) and locked.is_final
    assert not SubmissionEvent.objects.exclude(note="").exclude(note__endswith=NOTE).exists()
    # Every value has its audit record, marked as synthetic.
    assert DataValue.history.count() == DataValue.objects.count()
    assert set(DataValue.history.values_list("history_change_reason", flat=True)) == {
        measures_demo.CHANGE_REASON}
    assert not DataValue.objects.exclude(comment="").exists()


def test_the_demo_team_has_an_open_draft_and_a_few_teams_have_not_started(some_teams):
    gaps = gaps_for(some_teams)
    ga = next(t for t in some_teams if (t.jurisdiction.postal_code, t.learning_network.slug)
              == ("GA", "safe-sleep"))
    draft = Submission.objects.get(team=ga, frequency="monthly", period_start=dt.date(2017, 12, 1))
    assert draft.status == Submission.Status.DRAFT
    assert draft.open_until > timezone.localdate()
    monthly = [m for m in chosen(ga) if m.frequency == "monthly"]
    assert 0 < draft.values.filter(stratum=None).count() < len(monthly) + 1
    not_started = [(t, p) for t, (kind, p) in gaps.items() if kind == "not_started"]
    assert not_started
    for team_id, period in not_started:
        assert not Submission.objects.filter(team_id=team_id, frequency=period.frequency.value,
                                             period_start=period.start).exists()


def test_goals_ask_for_ten_percent_improvement_over_the_first_twelve_points(some_teams):
    for team in some_teams:
        goals = list(Goal.objects.filter(team=team).select_related("measure"))
        assert 1 <= len(goals) <= 2
        for goal in goals:
            periods = team_periods(team, goal.measure.freq)
            assert goal.kind == Goal.Kind.RELATIVE and goal.value == 10
            assert goal.baseline_start == periods[0].start
            assert goal.baseline_end == periods[11].end
            assert goal.measure.direction != Measure.Direction.NONE


def test_embedded_figures_match_the_shared_reference_files():
    with open(REFERENCE / "nvss_live_births_by_state_2012_2021.csv", newline="") as fh:
        births = {(r["state_postal"], int(r["year"])): int(r["live_births"])
                  for r in csv.DictReader(fh)}
    with open(REFERENCE / "cdc_nchs_infant_mortality_by_state.csv", newline="") as fh:
        imr = {(r["state_postal"], int(r["year"])): float(r["imr_per_1000_live_births"])
               for r in csv.DictReader(fh) if r["imr_per_1000_live_births"]}
    for postal, (b, rates) in STATE_FIGURES.items():
        assert b == tuple(births[(postal, y)] for y in range(2012, 2018))
        if rates is not None:
            assert rates == tuple(imr[(postal, y)] for y in range(2014, 2018))
    cdc = _cdc_2014_2017()
    assert set(STATE_DEATHS) == {p for p, (_b, rates) in STATE_FIGURES.items() if rates}
    for postal, deaths in STATE_DEATHS.items():
        assert deaths == tuple(cdc[(postal, y)][0] for y in range(2014, 2018))
