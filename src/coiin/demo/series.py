"""Synthetic demo reporting data, part two: how each measure's values are drawn for a team.

A team's plan (its state, its trajectory, the month it starts, its story) and each
measure's shape give the rows of every period; ``measures`` writes them. Pure apart from
the models it reads; every draw comes from a stream seeded per team and measure
(``figures.rng_for``).

**The story the data tell** (``story``, shared with the improvement work in
``improvement``, so the adoptions and the data agree). In each network one change idea
really works (``WORKS``): every improving team adopts it, at a month of its own (so
adoptions are staggered), and only from then do its data move, and only on the measures
the idea hangs from in the network's driver diagram (plus the outcome measures no idea
hangs from, which follow any real improvement). Other ideas (``NULLS``) are adopted by
teams whose data never move: they have no effect. Early elective deliveries (PT-EED)
follow the real national decline for every team alike, a secular trend that a team's own
chart after adopting an idea can read as success (most clearly for the teams that joined
in 2012, as the national rate fell fastest); estimated against teams that had not yet
adopted it, the idea shows no effect.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from coiin.measures.models import Measure
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Team

from .content import PACKAGES, Package
from .figures import (
    EED,
    MEDICAID_SHARE,
    NO_SOFT_BEDDING_2016,
    NTSV_RANGE,
    RACES,
    RR,
    SEPARATE_SURFACE_2016,
    SUID_SHARE,
    VLBW_LEVEL_III,
    VLBW_SHARE,
    State,
    Vitals,
    normalised,
    rng_for,
)

FIRST_MONTH = dt.date(2012, 1, 1)
LAST_MONTH = dt.date(2017, 12, 1)
BASELINE_POINTS = 12  # the goal's baseline: the first 12 points of the team's series
RAMP_MONTHS = 9  # improvement builds up over this many months after the baseline year

Row = tuple[str | None, Decimal | None, Decimal | None, Decimal | None]  # stratum, n, d, v
# A survey measure's row: stratum, None, None, the weighted estimate, its standard error and
# the unweighted respondents.
SurveyRow = tuple[str | None, None, None, Decimal, Decimal, int]


# The idea that works in each network: its measure is monthly (quarterly in preconception,
# whose measures are all quarterly or yearly), and no other idea adopted in the network
# hangs from it, so the teams that had not yet adopted it are a clean comparison.
WORKS = {"safe-sleep": "policy", "smoking-cessation": "five-as", "preconception": "larc",
         "social-determinants": "screening", "preterm-birth": "identify-17p",
         "risk-appropriate-care": "transfer"}
# Ideas adopted by teams whose data do not move, on measures no improving team moves.
NULLS = {"safe-sleep": ("discharge", "training"),
         "smoking-cessation": ("fax-referral", "incentives", "medicaid-coverage"),
         "preconception": ("postpartum-visit",),
         "social-determinants": ("home-visiting-sd", "housing", "eitc"),
         "preterm-birth": ("hard-stop", "scheduling", "payment-policy"),
         "risk-appropriate-care": ("designation", "feedback")}
# Months after its start when an improving team adopts the idea that works: a year of
# baseline first (two where the measure is quarterly), then a month of its own.
ADOPT_AFTER = {"preconception": 20}
ADOPT_SPREAD = 8


def idea_measures(pkg: Package) -> dict[str, set[str]]:
    """Each idea's measures: those of the drivers it hangs from and of their parents."""
    out: dict[str, set[str]] = {i.key: set() for i in pkg.ideas}
    for primary in pkg.drivers:
        for secondary in primary.secondaries:
            for key in secondary.ideas:
                out[key] |= {c for c in (primary.measure, secondary.measure) if c}
    return out


def driver_codes(pkg: Package) -> set[str]:
    return {c for p in pkg.drivers for c in
            (p.measure, *(s.measure for s in p.secondaries)) if c}


@dataclass(frozen=True)
class Story:
    """What happens to one team: the idea that moved its data (if any), the month after
    its start when it adopted it, and the measures that moved."""

    idea: str | None
    adopt_month: int
    moves: frozenset[str]


def story(postal: str, slug: str, trajectory: str) -> Story:
    """One team's story, the same for its data (``Generator``) and its adoptions."""
    pkg = PACKAGES.get(slug)
    if pkg is None or trajectory == "steady":
        return Story(None, 0, frozenset())
    # Outcome measures no idea hangs from follow any real change of the team's.
    outcomes = {s for s in GENERATED if s not in driver_codes(pkg)}
    if trajectory == "worsening":
        return Story(None, 24, frozenset(outcomes))
    key = WORKS[slug]
    u = rng_for("story", postal, slug).random()
    month = ADOPT_AFTER.get(slug, BASELINE_POINTS - 1) + int(u * ADOPT_SPREAD)
    return Story(key, month, frozenset(idea_measures(pkg)[key] | outcomes))


@dataclass
class TeamPlan:
    team: Team
    state: State
    trajectory: str  # improving, steady, worsening
    start: dt.date  # the first month the team reports
    rng: np.random.Generator = field(repr=False, default=None)  # type: ignore[assignment]
    story: Story = field(default_factory=lambda: Story(None, 0, frozenset()))

    def effect(self, period: Period, code: str) -> float:
        """0 → 1: how much of the team's change shows in this period on this measure
        (improvement builds up over ``RAMP_MONTHS`` from the month of adoption)."""
        if code not in self.story.moves:
            return 0.0
        months = (period.start.year - self.start.year) * 12 + period.start.month \
            - self.start.month
        if self.trajectory == "improving":
            return min(max((months - self.story.adopt_month) / RAMP_MONTHS, 0.0), 1.0)
        if self.trajectory == "worsening":
            return -0.6 * min(max((months - self.story.adopt_month) / RAMP_MONTHS, 0.0), 1.0)
        return 0.0


def _d(x: float | int) -> Decimal:
    return Decimal(int(x)) if float(x).is_integer() else Decimal(str(round(float(x), 2)))


# PRAMS's weighting widens an estimate's interval over simple random sampling's by about
# this much in variance (its design effect), and it reports no estimate on fewer than 30
# respondents (CDC PRAMS data-release rules).
DESIGN_EFFECT = 1.5
MIN_RESPONDENTS = 30


def survey_rows(rows: list[Row]) -> list[Row]:
    """Counted respondents (stratum, yes, asked) as a survey (PRAMS, BRFSS) reports them:
    the weighted percentage with its standard error (synthetic: the design effect stands
    in for the weights) and the unweighted n; groups under ``MIN_RESPONDENTS`` are left
    out."""
    out: list[Row] = []
    for stratum, yes, asked, _value in rows:
        if yes is None or not asked or asked < MIN_RESPONDENTS:
            continue
        p = float(yes / asked)
        se = math.sqrt(p * (1 - p) / float(asked) * DESIGN_EFFECT) * 100
        out.append((stratum, None, None, _d(round(p * 100, 1)),  # type: ignore[arg-type]
                    _d(round(se, 2)), int(asked)))
    return out


def _clip(p: float) -> float:
    return min(max(p, 0.002), 0.995)


def _moved(p: float, lift: float, rel: bool, direction: str, effect: float) -> float:
    sign = -1 if direction == Measure.Direction.DOWN else 1
    if rel:
        return _clip(p * (1 + sign * lift * effect))
    return _clip(p + sign * lift * effect)


@dataclass(frozen=True)
class Shape:
    """How one measure's values are drawn for a team (see the module docstring)."""

    p: Callable[[TeamPlan, Period, float], float]  # (plan, period, team draw) -> share
    size: Callable[[TeamPlan, Period], float]  # expected denominator (or count)
    lift: float = 0.0  # change at full effect, in the good direction
    rel: bool = False  # lift relative to p rather than absolute
    spread: tuple[float, float] = (1.0, 1.0)  # team draw range


def _eed(period: Period) -> float:
    t = period.start.year + (period.start.month - 0.5) / 12
    for (t0, v0), (t1, v1) in zip(EED, EED[1:], strict=False):
        if t <= t1:
            w = (t - t0) / (t1 - t0)
            return math.exp(math.log(v0) * (1 - w) + math.log(v1) * w) / 100
    return EED[-1][1] / 100 * 0.95 ** (t - EED[-1][0])


def _monthly(n: float) -> Callable[[TeamPlan, Period], float]:
    return lambda plan, period: n * plan.state.size * period.frequency.months


def _births_share(share: float, floor: float = 1) -> Callable[[TeamPlan, Period], float]:
    return lambda plan, period: max(plan.state.births(period.start.year) / 12 * share,
                                    floor) * period.frequency.months


def _uniform(lo: float, hi: float) -> Callable[[TeamPlan, Period, float], float]:
    return lambda plan, period, u: lo + (hi - lo) * u


SHAPES: dict[str, Shape] = {
    # Safe Sleep: pilot hospitals (monthly), PRAMS (yearly, see _prams).
    "SS-CRIB": Shape(_uniform(0.40, 0.60), _monthly(45), 0.30),
    "SS-EDU": Shape(_uniform(0.55, 0.72), _monthly(200), 0.20),
    "SS-TRAIN": Shape(_uniform(0.30, 0.55), _monthly(50), 0.35),
    # Smoking Cessation
    "SC-QUIT": Shape(_uniform(0.20, 0.30), lambda pl, pe: pl.state.births(pe.start.year) / 4
                     * pl.state.smoking / 100 * 1.35, 0.10),
    "SC-SCREEN": Shape(_uniform(0.70, 0.85), _monthly(160), 0.12),
    "SC-REFER": Shape(_uniform(0.30, 0.50), lambda pl, pe: max(
        160 * pl.state.size * pl.state.smoking / 100 * 1.3, 4), 0.30),
    "SC-QUITLINE": Shape(lambda pl, pe, u: 1.0, _births_share(0.003), 0.6, rel=True),
    # Preconception
    "PC-WELLWOMAN": Shape(_uniform(0.58, 0.72), lambda pl, pe: min(max(
        pl.state.births(pe.start.year) * 0.04, 800), 4000), 0.04),
    "PC-SPACING": Shape(_uniform(0.28, 0.36), _births_share(0.58), 0.03),
    "PC-CONTRACEPTION": Shape(_uniform(0.30, 0.42), _births_share(0.43), 0.12),
    "PC-ICC": Shape(_uniform(0.20, 0.40), _monthly(25), 0.20),
    # Social determinants
    "SD-HOMEVISIT": Shape(_uniform(0.10, 0.20), _births_share(0.05), 0.08),
    # Preterm birth
    "PT-EED": Shape(lambda pl, pe, u: _eed(pe) * (0.7 + 0.8 * u),
                    _births_share(0.25 * 0.08, 15), 0.5, rel=True),
    "PT-17P": Shape(_uniform(0.25, 0.40), lambda pl, pe: 6 + pl.state.births(
        pe.start.year) / 12 * 0.0015, 0.25),
    "PT-EARLYTERM": Shape(lambda pl, pe, u: 0.255 - 0.003 * (pe.start.year - 2014)
                          + 0.03 * (u - 0.5), _births_share(1.0), 0.02),
    "PT-NTSV": Shape(_uniform(*NTSV_RANGE), _births_share(0.30 * 0.08, 25)),
    # Risk-appropriate care
    "RA-VLBW": Shape(lambda pl, pe, u: min(VLBW_LEVEL_III * (0.88 + 0.22 * u), 0.95),
                     _births_share(VLBW_SHARE), 0.06),
    "RA-ANTENATAL": Shape(_uniform(0.55, 0.72), lambda pl, pe: max(
        pl.state.births(pe.start.year) / 12 * 0.003, 2), 0.15),
    "RA-POSTNATAL": Shape(_uniform(0.08, 0.18), _births_share(VLBW_SHARE)),
}
CUMULATIVE = {"SD-POLICIES": (0, 3, 0.12), "SD-PARTNERS": (5, 12, 0.2)}  # start, -, step p
VITAL_CODES = {"IMR", "NMR", "PNMR", "SUID", "SD-IMR-BLACK", "SD-BW-RATIO"}
STRATIFIED_BIRTHS = {  # quarterly birth-certificate measures drawn by race from births
    "PTB": ("preterm", 0.05, True), "SC-PREG": ("smoking", 0.25, True),
    "PC-POSTPARTUM": ("postpartum", 0.15, False),
}
PRAMS_CODES = {"SS-BACK": 0.04, "SS-SURFACE": 0.06, "SS-BEDDING": 0.06}
GENERATED = VITAL_CODES | set(SHAPES) | set(CUMULATIVE) | set(STRATIFIED_BIRTHS) \
    | set(PRAMS_CODES) | {"SD-SCREEN", "RA-LEVELS"}


class Generator:
    """Draws every team's rows, period by period; pure apart from the models it reads."""

    def __init__(self) -> None:
        self.vitals = Vitals()

    def plan(self, team: Team, trajectory: str) -> TeamPlan:
        start = max(FIRST_MONTH, team.joined_on.replace(day=1))
        state = self.vitals.state(team.jurisdiction.postal_code)
        return TeamPlan(team, state, trajectory, start, story=story(
            team.jurisdiction.postal_code, team.learning_network.slug, trajectory))

    def series(self, plan: TeamPlan, measure: Measure, periods: list[Period]
               ) -> list[list[Row]]:
        code = measure.code
        rng = rng_for("team", plan.team.jurisdiction.postal_code, plan.team.learning_network.slug,
                   code)
        if code in VITAL_CODES:
            return [self._vital(plan, code, p) for p in periods]
        if code in STRATIFIED_BIRTHS:
            return [self._by_race_births(plan, measure, p, rng) for p in periods]
        if code in PRAMS_CODES:
            return [self._prams(plan, measure, p, rng) for p in periods]
        if code in CUMULATIVE or code == "RA-LEVELS":
            return self._cumulative(plan, measure, periods, rng)
        if code == "SD-SCREEN":
            u = rng.random()
            return [self._split(rng, plan, int(max(rng.poisson(200 * plan.state.size), 1)),
                                _moved(0.15 + 0.2 * u, 0.4, False, measure.direction,
                                       plan.effect(p, code)), RR["flat"]) for p in periods]
        shape = SHAPES.get(code)
        if shape is None:  # a measure the demo has no model for (e.g. a custom one)
            return []
        u = rng.random()
        out = []
        for p in periods:
            size = shape.size(plan, p)
            if measure.type == Measure.Type.COUNT:
                mean = size * (1 + shape.lift * plan.effect(p, code))
                out.append([(None, None, None, _d(rng.poisson(max(mean, 0.5))))])
                continue
            prob = _moved(shape.p(plan, p, u), shape.lift, shape.rel, measure.direction,
                          plan.effect(p, code))
            den = max(int(rng.poisson(max(size, 1))), 1)
            rows: list[Row] = [(None, _d(rng.binomial(den, prob)), _d(den), None)]
            # A survey measure (BRFSS): its respondents told as a weighted estimate.
            out.append(survey_rows(rows) if measure.is_survey else rows)
        return out

    def _vital(self, plan: TeamPlan, code: str, period: Period) -> list[Row]:
        postal, year = plan.state.postal, period.start.year
        if period.frequency is Frequency.QUARTERLY:
            quarters = [self.vitals.quarter(postal, year, (period.start.month - 1) // 3 + 1)]
        else:
            quarters = self.vitals.year(postal, year)
        births = [sum(q.births[i] for q in quarters) for i in range(6)]
        deaths = [sum(q.deaths[i] for q in quarters) for i in range(6)]
        neonatal = sum(q.neonatal for q in quarters)
        total_b, total_d = sum(births), sum(deaths)
        if code == "IMR":
            rows: list[Row] = [(None, _d(total_d), _d(total_b), None)]
            rows += [(RACES[i], _d(deaths[i]), _d(births[i]), None)
                     for i in range(6) if births[i] > 0]
            return rows
        if code == "NMR":
            return [(None, _d(neonatal), _d(total_b), None)]
        if code == "PNMR":
            return [(None, _d(total_d - neonatal), _d(total_b), None)]
        if code == "SUID":
            rng = rng_for("suid", postal, year)
            share = SUID_SHARE * (0.8 + 0.45 * rng_for("suid", postal).random())
            return [(None, _d(rng.binomial(total_d, share)), _d(total_b), None)]
        black_b, black_d = max(births[1], 1), deaths[1]
        if code == "SD-IMR-BLACK":
            return [(None, _d(black_d), _d(black_b), None)]
        # SD-BW-RATIO: Black IMR over White IMR. Where a small state has no White deaths
        # in the year the ratio would be undefined, the expected White rate stands in.
        rr = normalised(RR["imr"], plan.state.shares)
        white = deaths[0] / births[0] * 1000 if deaths[0] and births[0] else \
            plan.state.imr(year) * rr[0]
        black = black_d / black_b * 1000
        return [(None, _d(round(black, 2)), _d(round(white, 2)), None)]

    def _split(self, rng: np.random.Generator, plan: TeamPlan, den: int, p: float,
               rr: list[float]) -> list[Row]:
        """A total and its race strata: denominators split by the state's shares."""
        shares = plan.state.shares
        dens = [int(x) for x in rng.multinomial(den, [s / sum(shares) for s in shares])]
        ratios = normalised(rr, plan.state.shares)
        nums = [int(rng.binomial(d, _clip(p * r))) if d else 0
                for d, r in zip(dens, ratios, strict=True)]
        rows: list[Row] = [(None, _d(sum(nums)), _d(sum(dens)), None)]
        rows += [(RACES[i], _d(nums[i]), _d(dens[i]), None) for i in range(6) if dens[i]]
        return rows

    def _by_race_births(self, plan: TeamPlan, measure: Measure, period: Period,
                        rng: np.random.Generator) -> list[Row]:
        kind, lift, rel = STRATIFIED_BIRTHS[measure.code]
        st, year = plan.state, period.start.year
        vq = self.vitals.quarter(st.postal, year, (period.start.month - 1) // 3 + 1)
        if measure.code == "PC-POSTPARTUM":
            base = 0.5 + 0.12 * rng_for("pp", st.postal).random()
            dens = [int(rng.binomial(b, m)) for b, m in zip(vq.births, MEDICAID_SHARE,
                                                            strict=True)]
        else:
            base = st.preterm(year) / 100 if kind == "preterm" else st.smoking / 100
            dens = list(vq.births)
        p = _moved(base, lift, rel, measure.direction, plan.effect(period, measure.code))
        ratios = normalised(RR[kind], st.shares)
        nums = [int(rng.binomial(d, _clip(p * r))) if d else 0
                for d, r in zip(dens, ratios, strict=True)]
        rows: list[Row] = [(None, _d(sum(nums)), _d(sum(dens)), None)]
        if measure.stratification:
            rows += [(RACES[i], _d(nums[i]), _d(dens[i]), None) for i in range(6) if dens[i]]
        return rows

    def _prams(self, plan: TeamPlan, measure: Measure, period: Period,
               rng: np.random.Generator) -> list[Row]:
        """PRAMS estimates with their standard errors (synthetic): drawn as respondents
        counted, then told as a survey tells them (see ``survey_rows``)."""
        return survey_rows(self._prams_counts(plan, measure, period, rng))

    def _prams_counts(self, plan: TeamPlan, measure: Measure, period: Period,
                      rng: np.random.Generator) -> list[Row]:
        st, year = plan.state, period.start.year
        respondents = int(min(max(st.births(year) * 0.015, 300), 2000) * (0.9 + 0.2 *
                                                                         rng.random()))
        back = st.back_sleep(year)
        effect = plan.effect(period, measure.code)
        if measure.code == "SS-BACK":
            # Nonsupine by race (real national ratios); back = 1 - nonsupine.
            nonsupine = _moved(1 - back, PRAMS_CODES["SS-BACK"], False, "down", effect)
            rows = self._split(rng, plan, respondents, nonsupine, RR["nonsupine"])
            return [(s, _d(d - n), _d(d), None) for s, n, d, _v in rows]  # type: ignore[operator]
        base = SEPARATE_SURFACE_2016 if measure.code == "SS-SURFACE" else NO_SOFT_BEDDING_2016
        p = base + (back - 0.78) * 0.8 + 0.012 * (year - 2016)
        p = _moved(p, PRAMS_CODES[measure.code], False, measure.direction, effect)
        return [(None, _d(rng.binomial(respondents, p)), _d(respondents), None)]

    def _cumulative(self, plan: TeamPlan, measure: Measure, periods: list[Period],
                    rng: np.random.Generator) -> list[list[Row]]:
        """Counts of things in place (policies, partners, designated hospitals) only grow."""
        out = []
        if measure.code == "RA-LEVELS":
            hospitals = max(2, round(plan.state.births(2014) / 1300))
            have = int(hospitals * (0.1 + 0.4 * rng.random()))
            for p in periods:
                step = 0.08 + 0.25 * max(plan.effect(p, measure.code), 0)
                have = min(hospitals, have + int(rng.binomial(hospitals - have, step / 3)))
                out.append([(None, _d(have), _d(hospitals), None)])
            return out
        lo, hi, step_p = CUMULATIVE[measure.code]
        have = int(rng.integers(lo, hi + 1))
        for p in periods:
            have += int(rng.random() < step_p + 0.25 * max(plan.effect(p, measure.code), 0))
            out.append([(None, None, None, _d(have))])
        return out
