"""Synthetic demo reporting data: every demo team's measures, 2012 through 2017.

EVERYTHING THIS MODULE WRITES IS SYNTHETIC. The values are random draws (``series``); no
team reported them. They are calibrated to real public figures so the charts look like
real data (``figures``, which names the source of each figure); a state's quarterly births
and infant deaths add up to the published annual counts where there are any (births
2012-2017, infant deaths 2014-2017), so its annual IMR is CDC's published rate, but each
quarter and stratum is a synthetic share of them and is labelled like every other value.

How it is labelled: this docstring; every generated review assessment and workflow note
ends with ``(synthetic demo)``; every value's audit-history record carries the change
reason ``synthetic demo data``. Value comments stay empty so pages read like real data.

Loading is idempotent: a team-period (submission) that already exists is left alone,
with its values and events, so running the loader again adds nothing, and nothing that
someone entered by hand in the demo is overwritten. Goals are added only where the team
has none on that measure; a team's measures are chosen only if it has none yet.
Values come from per-state and per-team random streams seeded from ``SEED``, so the same
team gets the same numbers whatever else is loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coiin.charts.summaries import services as summaries
from coiin.measures import services
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.measures.models import (
    DataValue,
    Goal,
    Measure,
    Stratum,
    Submission,
    SubmissionEvent,
    TeamMeasure,
)
from coiin.measures.periods import Frequency, Period, periods_between
from coiin.network.models import (
    FacultyAssignment,
    Team,
    TeamMembership,
    User,
)

from . import plain
from .figures import SEED, rng_for
from .series import (
    BASELINE_POINTS,
    FIRST_MONTH,
    GENERATED,
    LAST_MONTH,
    SHAPES,
    STRATIFIED_BIRTHS,
    Generator,
    Row,
    TeamPlan,
)

NOTE = "(synthetic demo)"
CHANGE_REASON = "synthetic demo data"
GOAL_DUE = dt.date(2017, 9, 30)  # the national phase ran through September 2017 (NICHQ)

ASSESSMENTS = {
    "improving": [
        "{m}: a sustained shift in the right direction since the changes were adopted; "
        "keep testing how to spread them to the remaining sites.",
        "{m} keeps improving; the run chart shows a shift. Document the change ideas that "
        "worked for the change package.",
    ],
    "steady": [
        "{m}: common-cause variation around the baseline, no signal yet. Plan a new PDSA "
        "cycle and check that the change is being carried out as intended.",
        "{m} is stable. Consider a bigger change, or test the current one at another site.",
    ],
    "worsening": [
        "{m} has moved away from the goal for several months; the improvement coach will "
        "follow up with the team on what changed.",
    ],
}



# -- statuses and actors ----------------------------------------------------------------


def _main_frequency(measures: Iterable[Measure]) -> Frequency | None:
    freqs = {m.freq for m in measures}
    for f in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.YEARLY):
        if f in freqs:
            return f
    return None


DEMO_TEAM = ("GA", "safe-sleep")  # the demo logins' team: its last month is a draft


def team_key(team: Team) -> tuple[str, str]:
    return team.jurisdiction.postal_code, team.learning_network.slug


def trajectories(teams: list[Team]) -> dict[int, str]:
    """About a third of teams improve after their baseline year (at least a quarter of
    each network's, so that every network can show its idea that works), two get worse,
    the rest vary by common causes. Decided per team from the seed; the demo team
    improves."""
    out = {}
    draws = {team.pk: rng_for("trajectory", *team_key(team)).random() for team in teams}
    for team in teams:
        u = draws[team.pk]
        out[team.pk] = "improving" if u < 0.35 or team_key(team) == DEMO_TEAM else "steady"
    by_network: dict[int, list[Team]] = defaultdict(list)
    for team in teams:
        by_network[team.learning_network_id].append(team)
    for members in by_network.values():
        short = (len(members) + 3) // 4 - sum(out[t.pk] == "improving" for t in members)
        for team in sorted((t for t in members if out[t.pk] == "steady"),
                           key=lambda t: draws[t.pk])[:max(short, 0)]:
            out[team.pk] = "improving"
    steady = sorted((t for t in teams if out[t.pk] == "steady"), key=team_key)
    for team in random.Random(SEED).sample(steady, min(2, len(steady))):  # noqa: S311
        out[team.pk] = "worsening"
    return out


def recent_gaps(teams: list[Team], measures: dict[int, list[Measure]]
                ) -> dict[int, tuple[str, Period]]:
    """The handful of teams whose latest period is a draft or not started yet."""
    last = Period.containing(LAST_MONTH, Frequency.MONTHLY)
    candidates = sorted((t for t in teams if measures.get(t.pk) and team_key(t) != DEMO_TEAM),
                        key=team_key)
    picks = random.Random(SEED + 1).sample(candidates, min(5, len(candidates)))  # noqa: S311
    out = {}
    kinds = ["draft", "draft", "not_started", "not_started", "not_started"]
    demo = [t for t in teams if team_key(t) == DEMO_TEAM and measures.get(t.pk)]
    for team, kind in [*zip(picks, kinds, strict=False), *[(t, "draft") for t in demo]]:
        freq = _main_frequency(measures[team.pk])
        if freq is not None:
            out[team.pk] = (kind, Period.containing(last.start, freq))
    return out


def _status(period: Period, prompt: bool) -> str:
    """Mostly locked; the last few reviewed or submitted (sooner where ``prompt``)."""
    months_before_end = (LAST_MONTH.year - period.end.year) * 12 + LAST_MONTH.month \
        - period.end.month
    if months_before_end == 0:
        return Submission.Status.REVIEWED if prompt and period.frequency is \
            Frequency.QUARTERLY else Submission.Status.SUBMITTED
    if months_before_end <= (1 if prompt else 2):
        return Submission.Status.REVIEWED
    return Submission.Status.LOCKED


@dataclass
class Actors:
    data_leads: dict[int, User | None]
    leads: dict[int, User | None]
    faculty: dict[int, list[User]]
    backbone: list[User]

    @classmethod
    def load(cls) -> Actors:
        data_leads: dict[int, User | None] = {}
        leads: dict[int, User | None] = {}
        for m in TeamMembership.objects.filter(role__in=[
                TeamMembership.Role.DATA_LEAD, TeamMembership.Role.LEAD]).select_related(
                "user").order_by("user_id"):
            target = data_leads if m.role == TeamMembership.Role.DATA_LEAD else leads
            target.setdefault(m.team_id, m.user)
        faculty: dict[int, list[User]] = defaultdict(list)
        for f in FacultyAssignment.objects.select_related("user").order_by("user_id"):
            faculty[f.learning_network_id].append(f.user)
        backbone = list(User.objects.filter(network_role=User.NetworkRole.BACKBONE)
                        .order_by("pk"))
        return cls(data_leads, leads, dict(faculty), backbone)

    def entering(self, team: Team) -> User | None:
        return self.data_leads.get(team.pk) or self.leads.get(team.pk)

    def reviewer(self, team: Team, i: int) -> User | None:
        people = self.faculty.get(team.learning_network_id) or []
        return people[i % len(people)] if people else None

    def locker(self, i: int) -> User | None:
        return self.backbone[i % len(self.backbone)] if self.backbone else None


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 13 + rng.randrange(6), rng.randrange(60),
                       tzinfo=dt.UTC)


# -- the loader --------------------------------------------------------------------------


def choose_default_measures(teams: list[Team], catalog: dict[str, Measure]) -> None:
    """Teams without any measures yet get their network's default set."""
    have = set(TeamMeasure.objects.values_list("team_id", flat=True).distinct())
    for team in teams:
        if team.pk not in have:
            codes = default_measure_codes(team.learning_network.slug)
            services.choose_measures(team=team, measures=[catalog[c] for c in codes])


def active_measures(teams: list[Team]) -> dict[int, list[Measure]]:
    out: dict[int, list[Measure]] = defaultdict(list)
    for tm in TeamMeasure.objects.filter(team__in=teams, active=True).select_related(
            "measure").order_by("measure__code"):
        if tm.measure.code in GENERATED and tm.measure.type in (Measure.Type.RATIO,
                                                                Measure.Type.COUNT):
            out[tm.team_id].append(tm.measure)
    return dict(out)


def team_periods(team: Team, frequency: Frequency) -> list[Period]:
    start = max(FIRST_MONTH, team.joined_on.replace(day=1))
    first = Period.containing(start, frequency)
    last = Period.containing(LAST_MONTH, frequency)
    return periods_between(first, last) if first <= last else []


@dataclass
class Pending:
    submission: Submission
    events: list[SubmissionEvent]
    values: list[DataValue]
    entered_at: dt.datetime  # when the values were entered: their history date


def load_demo_data(log: Callable[[str], None] = print, teams: Iterable[Team] | None = None
                   ) -> dict[str, int]:
    """Load the synthetic reporting data for the demo teams (all, or those given).

    Precondition: the demo network is loaded (coiin.demo.network.load_demo). Returns how
    many rows of each kind were added (all zero on a second run).
    """
    started = timezone.now()
    # The values go in by the hundred, and each batch tells the stored chart summaries:
    # refreshing each measure once for them all, after the commit, is ~15x less work.
    with summaries.deferred(), transaction.atomic():
        catalog = load_catalog()
        team_list = list((Team.objects.filter(pk__in=[t.pk for t in teams]) if teams is not None
                          else Team.objects.all()).select_related(
            "jurisdiction", "learning_network").order_by("jurisdiction__postal_code",
                                                         "learning_network__position"))
        choose_default_measures(team_list, catalog)
        measures = active_measures(team_list)
        strata = {s.code: s for s in Stratum.objects.filter(kind=Stratum.Kind.RACE_ETHNICITY)}
        existing = set(Submission.objects.filter(team__in=team_list).values_list(
            "team_id", "frequency", "period_start"))
        actors = Actors.load()
        paths = trajectories(team_list)
        gaps = recent_gaps(team_list, measures)
        gen = Generator()
        pending: list[Pending] = []
        goals: list[Goal] = []
        have_goals = set(Goal.objects.filter(team__in=team_list).values_list("team_id",
                                                                             "measure_id"))
        for team in team_list:
            plan = gen.plan(team, paths[team.pk])
            pending += _team_rows(gen, plan, measures.get(team.pk, []), existing, strata,
                                  actors, gaps.get(team.pk))
            goals += _team_goals(plan, measures.get(team.pk, []), have_goals, actors)
        counts = _write(pending, goals)
    seconds = (timezone.now() - started).total_seconds()
    log(f"Demo reporting data (synthetic): {counts['submissions']} team-periods, "
        f"{counts['values']} values, {counts['events']} workflow events, {counts['goals']} "
        f"goals added for {len(team_list)} teams in {seconds:.1f} s.")
    return counts


def _team_rows(gen: Generator, plan: TeamPlan, measures: list[Measure],
               existing: set[tuple[int, str, dt.date]], strata: dict[str, Stratum],
               actors: Actors, gap: tuple[str, Period] | None) -> list[Pending]:
    team = plan.team
    by_freq: dict[Frequency, list[Measure]] = defaultdict(list)
    for m in measures:
        by_freq[m.freq].append(m)
    out = []
    for freq, ms in sorted(by_freq.items()):
        periods = team_periods(team, freq)
        skipped = gap[1] if gap is not None and gap[0] == "not_started" else None
        if all((team.pk, freq.value, p.start) in existing or p == skipped for p in periods):
            continue  # loaded already (a second run): its series need not be drawn again
        rows_by_measure = {m.code: gen.series(plan, m, periods) for m in ms}
        # Some faculty review sooner than others.
        prompt = random.Random(f"{SEED}|{team_key(team)}|{freq}").random() < 0.25  # noqa: S311
        for i, period in enumerate(periods):
            status = _status(period, prompt)
            wanted = ms
            if gap is not None and gap[1] == period:
                if gap[0] == "not_started":
                    continue
                status = Submission.Status.DRAFT
                wanted = ms[: max(1, (len(ms) + 1) // 2)]
            if (team.pk, freq.value, period.start) in existing:
                continue
            rng = random.Random(f"{SEED}|{team_key(team)}|{period}")  # noqa: S311
            out.append(_pending(plan, period, status, i, wanted, rows_by_measure, strata,
                                actors, rng))
    return out


def _pending(plan: TeamPlan, period: Period, status: str, i: int, measures: list[Measure],
             rows_by_measure: dict[str, list[list[Row]]], strata: dict[str, Stratum],
             actors: Actors, rng: random.Random) -> Pending:
    team = plan.team
    due = services.due_date(period)
    entered_on = period.end + dt.timedelta(days=rng.randrange(6, settings.REPORTING_DUE_DAYS + 8))
    submitted_at = _at(entered_on, rng)
    reviewed_at = submitted_at + dt.timedelta(days=rng.randrange(2, 21), hours=2)
    locked_at = reviewed_at + dt.timedelta(days=rng.randrange(7, 45), hours=1)
    # Foreign keys by id: tens of thousands of rows are made here, and setting a related
    # object costs more than the rest of a row.
    enterer = _pk(actors.entering(team))
    sub = Submission(team_id=team.pk, frequency=period.frequency.value,
                     period_start=period.start, status=status)
    events: list[SubmissionEvent] = []
    S = Submission.Status
    if status != S.DRAFT:
        sub.submitted_at, sub.submitted_by_id = submitted_at, enterer
        sub.is_final = status == S.LOCKED
        events.append(SubmissionEvent(at=submitted_at, by_id=enterer, action="submitted",
                                      from_status=S.DRAFT, to_status=S.SUBMITTED))
    if status in (S.REVIEWED, S.LOCKED):
        words = rng.choice(ASSESSMENTS[plan.trajectory])
        focus = measures[rng.randrange(len(measures))].name
        sub.assessment = f"{words.format(m=focus)} {NOTE}"
        sub.reviewed_at, sub.reviewed_by_id = reviewed_at, _pk(actors.reviewer(team, i))
        events.append(SubmissionEvent(at=reviewed_at, by_id=sub.reviewed_by_id, action="reviewed",
                                      from_status=S.SUBMITTED, to_status=S.REVIEWED,
                                      note=sub.assessment))
    if status == S.LOCKED:
        events.append(SubmissionEvent(at=locked_at, by_id=_pk(actors.locker(i)), action="locked",
                                      from_status=S.REVIEWED, to_status=S.LOCKED))
    if status == S.DRAFT:
        # Historical periods closed long ago; keep the demo drafts open so the data-entry
        # and submit pages can be tried, recorded as an exception like a real one.
        sub.open_until = max(timezone.localdate(), due) + dt.timedelta(days=365)
        events.append(SubmissionEvent(
            at=timezone.now(), by_id=_pk(actors.locker(0)), action="exception", from_status=S.DRAFT,
            to_status=S.DRAFT, note=f"open until {sub.open_until.isoformat()}: kept open for "
            f"trying out data entry {NOTE}"))
    sub.version = 1 + len(events)
    values = []
    entered_at = submitted_at - dt.timedelta(days=rng.randrange(1, 4))
    for m in measures:
        rows = rows_by_measure[m.code]
        if not rows:
            continue
        for stratum, num, den, val, *survey in rows[i]:
            # A survey estimate (synthetic) comes with its standard error and unweighted n.
            se, n = survey if survey else (None, None)
            values.append(DataValue(measure_id=m.pk,
                                    stratum_id=strata[stratum].pk if stratum else None,
                                    numerator=num, denominator=den, value=val,
                                    standard_error=se, sample_size=n, updated_by_id=enterer))
    return Pending(sub, events, values, entered_at)


def _pk(user: User | None) -> int | None:
    return user.pk if user is not None else None


def _team_goals(plan: TeamPlan, measures: list[Measure], have: set[tuple[int, int]],
                actors: Actors) -> list[Goal]:
    """A ≥10 % relative improvement goal on one or two of the team's process measures."""
    movable = {c for c, shape in SHAPES.items() if shape.lift} | {"SD-SCREEN"} \
        | set(STRATIFIED_BIRTHS)
    candidates = [m for m in measures
                  if m.direction != Measure.Direction.NONE and m.code in movable]
    candidates.sort(key=lambda m: (m.freq.months, m.code))
    count = 1 + int(rng_for("goals", *team_key(plan.team)).random() < 0.5)
    out = []
    for m in candidates[:count]:
        if (plan.team.pk, m.pk) in have:
            continue
        periods = team_periods(plan.team, m.freq)[:BASELINE_POINTS]
        if not periods:
            continue
        out.append(Goal(team=plan.team, measure=m, kind=Goal.Kind.RELATIVE,
                        value=Decimal(10), baseline_start=periods[0].start,
                        baseline_end=periods[-1].end, due=GOAL_DUE,
                        set_by=actors.leads.get(plan.team.pk)))
    return out


def _write(pending: list[Pending], goals: list[Goal]) -> dict[str, int]:
    subs = [p.submission for p in pending]
    plain.insert(subs)
    # Their ids, by their unique key: the loader's transaction holds the teams' periods.
    ids = {(team, freq, start): pk for pk, team, freq, start in Submission.objects.filter(
        team_id__in={s.team_id for s in subs}).values_list(
        "pk", "team_id", "frequency", "period_start")}
    for sub in subs:
        sub.pk = ids[(sub.team_id, sub.frequency, sub.period_start)]
    events, values = [], []
    entered_at = {}
    for p, sub in zip(pending, subs, strict=True):
        for e in p.events:
            e.submission_id = sub.pk
            events.append(e)
        for v in p.values:
            v.submission_id = sub.pk
            values.append(v)
        entered_at[sub.pk] = p.entered_at
    plain.insert(events)
    # With the audit history, like every other change to reported values.
    services.add_values(values=values, reason=CHANGE_REASON, entered_at=entered_at)
    Goal.objects.bulk_create(goals)
    return {"submissions": len(subs), "events": len(events), "values": len(values),
            "goals": len(goals)}
