"""Synthetic demo reporting data: every demo team's measures, 2012 through 2017.

EVERYTHING THIS MODULE WRITES IS SYNTHETIC. The values are random draws; no team
reported them. They are calibrated to real public figures so the charts look like real
data: state births and infant mortality, and national or state-extreme figures for the
other measures, all from ``shared/reference/data`` (file named beside each figure below).
Where no public figure exists the parameter is made up and says so.

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
import math
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coiin.network.models import (
    FacultyAssignment,
    Team,
    TeamMembership,
    User,
)

from . import services
from .catalog import default_measure_codes, load_catalog
from .models import DataValue, Goal, Measure, Stratum, Submission, SubmissionEvent, TeamMeasure
from .periods import Frequency, Period, periods_between

SEED = 20171231
FIRST_MONTH = dt.date(2012, 1, 1)
LAST_MONTH = dt.date(2017, 12, 1)
NOTE = "(synthetic demo)"
CHANGE_REASON = "synthetic demo data"
BASELINE_POINTS = 12  # the goal's baseline: the first 12 points of the team's series
RAMP_MONTHS = 9  # improvement builds up over this many months after the baseline year
GOAL_DUE = dt.date(2017, 9, 30)  # the national phase ran through September 2017 (NICHQ)

# -- real figures ------------------------------------------------------------------------
# Live births 2012-2017: nvss_live_births_by_state_2012_2021.csv (NVSS final counts).
# IMR 2014-2017: cdc_nchs_infant_mortality_by_state.csv (CDC/NCHS Stats of the States).
# {postal: ((births 2012..2017), (IMR 2014..2017) or None)}
STATE_FIGURES: dict[str, tuple[tuple[int, ...], tuple[float, ...] | None]] = {
    "AK": ((11187, 11446, 11392, 11282, 11209, 10445), (6.67, 6.91, 5.17, 5.74)),
    "AL": ((58448, 58167, 59422, 59657, 59151, 58941), (8.67, 8.31, 9.03, 7.38)),
    "AR": ((38347, 37832, 38511, 38886, 38274, 37520), (7.48, 7.53, 8.2, 8.1)),
    "AZ": ((86441, 85600, 86887, 85351, 84520, 81872), (6.1, 5.47, 5.32, 5.7)),
    "CA": ((503755, 494705, 502879, 491748, 488827, 471658), (4.32, 4.43, 4.22, 4.2)),
    "CO": ((65187, 65007, 65830, 66581, 66613, 64382), (4.79, 4.66, 4.76, 4.49)),
    "CT": ((36539, 36085, 36285, 35746, 36015, 35221), (4.82, 5.65, 4.78, 4.51)),
    "DC": ((9399, 9288, 9509, 9578, 9858, 9560), None),
    "DE": ((11023, 10831, 10972, 11166, 10992, 10855), (6.74, 9.13, 7.82, 6.26)),
    "FL": ((213148, 215407, 219991, 224269, 225022, 223630), (6.11, 6.24, 6.14, 6.1)),
    "GA": ((130280, 128748, 130946, 131404, 130042, 129243), (7.52, 7.79, 7.47, 7.18)),
    "HI": ((18980, 18987, 18550, 18420, 18059, 17517), (4.47, 5.65, 6.04, 5.42)),
    "IA": ((38702, 39094, 39687, 39482, 39403, 38430), (4.76, 4.23, 5.96, 5.31)),
    "ID": ((22963, 22383, 22876, 22827, 22482, 22181), (5.33, 4.69, 5.83, 4.55)),
    "IL": ((159160, 156931, 158556, 158116, 154445, 149390), (6.58, 6, 6.38, 6.12)),
    "IN": ((83227, 83102, 84080, 84040, 83091, 82170), (7.08, 7.31, 7.39, 7.22)),
    "KS": ((40341, 38839, 39223, 39154, 38053, 36519), (6.2, 5.95, 5.99, 6.02)),
    "KY": ((55758, 55686, 56170, 55971, 55449, 54752), (7.12, 6.7, 6.78, 6.59)),
    "LA": ((62642, 63201, 64497, 64692, 63178, 61018), (7.52, 7.56, 7.98, 7.06)),
    "MA": ((72439, 71788, 71908, 71492, 71317, 70702), (4.32, 4.32, 3.94, 3.66)),
    "MD": ((72883, 71953, 73921, 73616, 73136, 71641), (6.49, 6.59, 6.54, 6.43)),
    "ME": ((12798, 12776, 12698, 12607, 12705, 12298), (6.62, 6.58, 5.75, 5.85)),
    "MI": ((113091, 113489, 114375, 113312, 113315, 111426), (6.46, 6.52, 6.42, 6.78)),
    "MN": ((68772, 69159, 69904, 69834, 69749, 68595), (5.01, 5.17, 5.13, 4.8)),
    "MO": ((75446, 75296, 75360, 75061, 74705, 73034), (6.12, 6.49, 6.59, 6.26)),
    "MS": ((38669, 38634, 38736, 38394, 37928, 37357), (8.18, 9.45, 8.67, 8.73)),
    "MT": ((12118, 12377, 12432, 12583, 12282, 11799), (5.79, 5.8, 5.78, 5.51)),
    "NC": ((119831, 119002, 120975, 120843, 120779, 120125), (7.14, 7.35, 7.24, 7.03)),
    "ND": ((10106, 10599, 11359, 11314, 11383, 10737), (5.11, 7.16, 6.41, 4.38)),
    "NE": ((25942, 26095, 26794, 26679, 26589, 25821), (5.08, 5.7, 6.06, 5.54)),
    "NH": ((12352, 12396, 12302, 12433, 12267, 12116), (4.39, 4.1, 3.67, 4.21)),
    "NJ": ((104230, 102575, 103305, 103127, 102647, 101250), (4.39, 4.68, 4.03, 4.45)),
    "NM": ((27068, 26354, 26052, 25816, 24692, 23767), (5.22, 5.07, 6.16, 5.85)),
    "NV": ((34911, 35030, 35861, 36298, 36260, 35756), (5.52, 5.18, 5.76, 5.85)),
    "NY": ((240916, 236980, 238773, 237274, 234283, 229737), (4.62, 4.63, 4.51, 4.58)),
    "OH": ((138483, 138936, 139467, 139264, 138085, 136832), (6.88, 7.18, 7.43, 7.18)),
    "OK": ((52751, 53369, 53339, 53122, 52592, 50214), (8.21, 7.32, 7.47, 7.79)),
    "OR": ((45067, 45155, 45556, 45655, 45535, 43631), (5.09, 5.15, 4.7, 5.34)),
    "PA": ((142514, 140921, 142268, 141047, 139409, 137745), (5.89, 6.15, 6.15, 6.08)),
    "RI": ((10926, 10809, 10823, 10993, 10798, 10638), (4.43, 5.91, 5.56, 6.2)),
    "SC": ((57155, 56795, 57627, 58139, 57342, 57029), (6.44, 6.91, 7.01, 6.52)),
    "SD": ((12104, 12248, 12283, 12336, 12275, 12134), (5.7, 7.3, 4.89, 7.75)),
    "TN": ((80371, 79992, 81602, 81685, 80807, 81016), (6.87, 6.95, 7.35, 7.29)),
    "TX": ((382727, 387340, 399766, 403618, 398047, 382050), (5.85, 5.71, 5.72, 5.85)),
    "UT": ((51465, 50957, 51154, 50778, 50464, 48585), (4.91, 5.02, 5.43, 5.89)),
    "VA": ((103013, 102147, 103300, 103303, 102460, 100391), (5.65, 5.9, 5.85, 5.9)),
    "VT": ((6009, 5975, 6130, 5903, 5756, 5655), (4.57, 4.57, 3.47, 4.77)),
    "WA": ((87463, 86577, 88585, 88990, 90505, 87562), (4.48, 4.88, 4.32, 3.88)),
    "WI": ((67295, 66649, 67161, 67041, 66615, 64975), (5.72, 5.8, 6.3, 6.39)),
    "WV": ((20827, 20825, 20301, 19805, 19079, 18675), (6.95, 7.12, 7.23, 6.96)),
    "WY": ((7572, 7644, 7696, 7765, 7386, 6903), (6.37, 4.89, 5.01, 4.64)),
}
# SYNTHETIC: DC, the territories and the freely associated states have no rows in the
# reference IMR table (and the territories none in the births table): plausible made-up
# annual births and IMR, labelled as such.
SYNTHETIC_FIGURES: dict[str, tuple[int, float]] = {
    "DC": (0, 8.0), "PR": (30000, 7.0), "VI": (1200, 8.0), "GU": (3300, 9.0),
    "AS": (1000, 9.0), "MP": (800, 6.0), "FM": (2000, 20.0), "MH": (1300, 20.0),
    "PW": (250, 12.0),
}
# national_reference_figures.csv: US IMR (NVSR 64(9); NCHS Data Brief 295; NVSR 68(10)).
NATIONAL_IMR = {2012: 5.98, 2013: 5.96, 2014: 5.82, 2015: 5.90, 2016: 5.87, 2017: 5.79}
# national_reference_figures.csv: 2017 neonatal 3.85 and postneonatal 1.94 of 5.79.
NEONATAL_SHARE = 3.85 / (3.85 + 1.94)
# national_reference_figures.csv: 2010, SUIDs were 15 % of infant deaths.
SUID_SHARE = 0.15
# national_reference_figures.csv: preterm 9.57 (2014), 9.63 (2015), 9.93 (2017); 2016
# interpolated; 2012-2013 held at the 2014 level (no national figure in the file).
NATIONAL_PRETERM = {2012: 9.57, 2013: 9.57, 2014: 9.57, 2015: 9.63, 2016: 9.78, 2017: 9.93}
# march_of_dimes_2008_report_card_preterm_partial.csv (probably 2005 data, US 12.7): only
# the state spread is used, scaled to the national level of each year. The list stops at
# rank 27 (TN 14.7), so the missing states get 15.5 (SYNTHETIC, "worse than TN").
PRETERM_2005 = {
    "VT": 9.0, "OR": 10.2, "CT": 10.4, "NH": 10.5, "AK": 10.6, "WA": 10.6, "CA": 10.7,
    "ME": 10.7, "MN": 10.7, "MA": 11.3, "ID": 11.4, "MT": 11.4, "UT": 11.4, "WI": 11.4,
    "ND": 11.5, "SD": 11.5, "IA": 11.8, "PA": 11.9, "NY": 12.1, "RI": 12.1, "HI": 12.2,
    "KS": 12.2, "NE": 12.2, "CO": 12.3, "VA": 12.3, "MI": 12.5, "NJ": 12.5, "OH": 13.0,
    "IL": 13.1, "NM": 13.1, "OK": 13.1, "WY": 13.1, "AZ": 13.2, "AR": 13.3, "MD": 13.3,
    "MO": 13.3, "IN": 13.5, "GA": 13.6, "TX": 13.6, "NC": 13.7, "FL": 13.8, "NV": 13.9,
    "DE": 14.0, "WV": 14.4, "TN": 14.7, "KY": 15.5, "SC": 15.5, "LA": 15.5, "AL": 15.5,
    "MS": 15.5, "DC": 15.5, "PR": 15.5,
}
US_PRETERM_2005 = 12.7
# state_point_figures.csv: smoking during pregnancy 2016 (NCHS Data Brief 305), top and
# bottom 5; every other state is interpolated between them (see _spread).
SMOKING_LOW = {"CA": 1.6, "DC": 2.6, "UT": 3.0, "TX": 3.3, "HI": 3.6}
SMOKING_HIGH = {"WV": 25.1, "KY": 18.4, "MT": 16.5, "VT": 15.5, "MO": 15.3}
# state_point_figures.csv: PRAMS nonsupine sleep 2015 (MMWR 67(1)), WI lowest, LA highest;
# national 21.6 %, and 27.2 % (2009) -> 19.4 % (2015) in a 15-state panel: -1.3 points a year.
NONSUPINE_LOW = {"WI": 12.2}
NONSUPINE_HIGH = {"LA": 33.8}
NONSUPINE_TREND = -1.3
# national_reference_figures.csv: PRAMS 29 states 2016 (Hirai 2019).
SEPARATE_SURFACE_2016 = 0.318
NO_SOFT_BEDDING_2016 = 0.424
# national_reference_figures.csv: Leapfrog early elective delivery, national average.
EED = [(2010.5, 17.0), (2011.5, 14.0), (2012.5, 11.2), (2013.5, 4.6), (2016.5, 1.9)]
# state_point_figures.csv: Missouri, VLBW births delivered in level III centres 82.8 %;
# VLBW 1.5 % of births (national VLBW share about 1.4 %: SYNTHETIC choice).
VLBW_LEVEL_III = 0.828
VLBW_SHARE = 0.014
# state_point_figures.csv: Leapfrog 2016 NTSV cesarean, NM 17.1 % to LA 32.1 %.
NTSV_RANGE = (0.171, 0.321)

RACES = ["nh-white", "nh-black", "hispanic", "nh-asian-pi", "nh-aian", "other"]
# SYNTHETIC birth shares by race/ethnicity (rough, for strata only).
BASE_SHARES = [0.52, 0.14, 0.23, 0.06, 0.01, 0.04]
SHARE_OVERRIDES = {
    "DC": [0.30, 0.46, 0.17, 0.05, 0.0, 0.02], "PR": [0.01, 0.01, 0.97, 0.0, 0.0, 0.01],
    "VI": [0.10, 0.72, 0.16, 0.0, 0.0, 0.02], "HI": [0.20, 0.02, 0.17, 0.55, 0.0, 0.06],
    "NM": [0.25, 0.02, 0.58, 0.02, 0.12, 0.01], "CA": [0.27, 0.05, 0.47, 0.15, 0.0, 0.06],
    "TX": [0.33, 0.12, 0.48, 0.05, 0.0, 0.02], "MS": [0.50, 0.43, 0.04, 0.01, 0.0, 0.02],
    "LA": [0.50, 0.40, 0.07, 0.02, 0.0, 0.01], "GA": [0.44, 0.34, 0.15, 0.04, 0.0, 0.03],
    "AK": [0.55, 0.03, 0.08, 0.08, 0.22, 0.04], "SD": [0.73, 0.02, 0.06, 0.02, 0.15, 0.02],
    "VT": [0.93, 0.01, 0.02, 0.02, 0.0, 0.02], "ME": [0.91, 0.03, 0.02, 0.02, 0.01, 0.01],
}
PACIFIC = ["GU", "AS", "MP", "FM", "MH", "PW"]
for _code in PACIFIC:
    SHARE_OVERRIDES[_code] = [0.04, 0.01, 0.02, 0.92, 0.0, 0.01]
# Relative risks by race/ethnicity, normalised per state so the total keeps the state's
# rate. IMR: national_reference_figures.csv gives NH Black 10.97 against 5.79 (2017); the
# other groups are SYNTHETIC approximations. Nonsupine sleep: national_reference_figures
# (MMWR 67(1), 2015). Smoking: AI/AN 16.7 %, Asian 0.6 % against 7.2 % (Data Brief 305);
# the others SYNTHETIC. Preterm and Medicaid shares: SYNTHETIC.
RR = {
    "imr": [4.67 / 5.79, 10.97 / 5.79, 5.1 / 5.79, 3.8 / 5.79, 9.2 / 5.79, 1.0],
    "nonsupine": [16.1 / 21.6, 37.6 / 21.6, 26.5 / 21.6, 20.8 / 21.6, 19.8 / 21.6, 1.0],
    "smoking": [1.45, 0.8, 0.25, 0.6 / 7.2, 16.7 / 7.2, 1.0],
    "preterm": [0.9, 1.45, 0.97, 0.88, 1.15, 1.0],
    "postpartum": [1.05, 0.88, 0.95, 1.0, 0.85, 1.0],
    "flat": [1.0] * 6,
}
MEDICAID_SHARE = [0.30, 0.65, 0.60, 0.30, 0.65, 0.45]  # SYNTHETIC
QUARTER_WEIGHTS = [0.245, 0.245, 0.258, 0.252]  # SYNTHETIC: a mild summer birth peak

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


def _rng(*parts: object) -> np.random.Generator:
    key = "|".join(str(p) for p in parts)
    return np.random.default_rng([SEED, zlib.crc32(key.encode())])


def _years_index(year: int) -> int:
    return min(max(year, 2012), 2017) - 2012


# -- states ---------------------------------------------------------------------------


def _imr_2016_rank() -> list[str]:
    return sorted((c for c, (_b, imr) in STATE_FIGURES.items() if imr), key=lambda c:
                  STATE_FIGURES[c][1][2])  # type: ignore[index]


def _spread(low: dict[str, float], high: dict[str, float], gamma: float) -> dict[str, float]:
    """Known extremes, and every other state between them in order of its 2016 IMR.

    SYNTHETIC: IMR order is a stand-in for the missing full state tables; a power below
    or above 1 bends the spread so the middle lands near the national figure.
    """
    others = [c for c in _imr_2016_rank() if c not in low and c not in high]
    lo, hi = max(low.values()), min(high.values())
    out = dict(low) | dict(high)
    for i, code in enumerate(others):
        f = (i + 1) / (len(others) + 1)
        out[code] = round(lo + (hi - lo) * f ** gamma, 2)
    return out


SMOKING_2016 = _spread(SMOKING_LOW, SMOKING_HIGH, 1.6)
NONSUPINE_2015 = _spread(NONSUPINE_LOW, NONSUPINE_HIGH, 1.3)


@dataclass
class State:
    """A jurisdiction's demo parameters: real figures where there are any."""

    postal: str
    births_by_year: tuple[int, ...]
    imr_by_year: tuple[float, ...]
    shares: list[float]
    preterm_2005: float
    smoking: float  # % of births, 2016
    nonsupine_2015: float  # %
    size: float  # pilot-site volume factor

    def births(self, year: int) -> int:
        return self.births_by_year[_years_index(year)]

    def imr(self, year: int) -> float:
        return self.imr_by_year[_years_index(year)]

    def preterm(self, year: int) -> float:
        return self.preterm_2005 / US_PRETERM_2005 * NATIONAL_PRETERM[min(max(year, 2012), 2017)]

    def back_sleep(self, year: int) -> float:
        return 1 - max(self.nonsupine_2015 + NONSUPINE_TREND * (year - 2015), 5) / 100


def make_state(postal: str) -> State:
    rng = _rng("state", postal)
    if postal in STATE_FIGURES and STATE_FIGURES[postal][1] is not None:
        births, imr_real = STATE_FIGURES[postal]
        assert imr_real is not None
        # 2012-2013: the state's 2014-2015 level moved by the national trend.
        anchor = (imr_real[0] + imr_real[1]) / (NATIONAL_IMR[2014] + NATIONAL_IMR[2015])
        imr = (anchor * NATIONAL_IMR[2012], anchor * NATIONAL_IMR[2013], *imr_real)
    else:
        annual, rate = SYNTHETIC_FIGURES[postal]
        births = STATE_FIGURES[postal][0] if postal in STATE_FIGURES else (annual,) * 6
        imr = tuple(rate * NATIONAL_IMR[y] / NATIONAL_IMR[2014] for y in range(2012, 2018))
    base = SHARE_OVERRIDES.get(postal, BASE_SHARES)
    noisy = [max(s * math.exp(rng.normal(0, 0.15)), 0.002) for s in base]
    shares = [s / sum(noisy) for s in noisy]
    return State(
        postal=postal, births_by_year=tuple(births), imr_by_year=tuple(imr), shares=shares,
        preterm_2005=PRETERM_2005.get(postal, US_PRETERM_2005),
        smoking=SMOKING_2016.get(postal, 2.0),  # SYNTHETIC 2 % for the territories
        nonsupine_2015=NONSUPINE_2015.get(postal, 21.6),  # national for the territories
        size=min(max(math.sqrt(births[2] / 60000), 0.35), 2.5),
    )


def _normalised(rr: list[float], shares: list[float]) -> list[float]:
    mean = sum(r * s for r, s in zip(rr, shares, strict=True))
    return [r / mean for r in rr]


@dataclass
class VitalQuarter:
    births: list[int]  # by race
    deaths: list[int]  # by race
    neonatal: int


class Vitals:
    """State vital events per quarter, drawn once so every team of a state sees the same."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.quarters: dict[tuple[str, int, int], VitalQuarter] = {}

    def state(self, postal: str) -> State:
        if postal not in self.states:
            self.states[postal] = make_state(postal)
        return self.states[postal]

    def quarter(self, postal: str, year: int, q: int) -> VitalQuarter:
        key = (postal, year, q)
        if key not in self.quarters:
            st = self.state(postal)
            rng = _rng("vital", postal, year, q)
            births_y = st.births(year)
            # Annual births divided over the quarters; the fourth takes the remainder.
            parts = [round(births_y * w) for w in QUARTER_WEIGHTS[:3]]
            parts.append(births_y - sum(parts))
            total = parts[q - 1]
            births = [int(b) for b in rng.multinomial(total, st.shares)]
            rr = _normalised(RR["imr"], st.shares)
            rate = st.imr(year) / 1000
            deaths = [int(rng.poisson(b * rate * r)) for b, r in zip(births, rr, strict=True)]
            neonatal = int(rng.binomial(sum(deaths), NEONATAL_SHARE))
            self.quarters[key] = VitalQuarter(births, deaths, neonatal)
        return self.quarters[key]

    def year(self, postal: str, year: int) -> list[VitalQuarter]:
        return [self.quarter(postal, year, q) for q in range(1, 5)]


# -- teams ----------------------------------------------------------------------------

Row = tuple[str | None, Decimal | None, Decimal | None, Decimal | None]  # stratum, n, d, v


@dataclass
class TeamPlan:
    team: Team
    state: State
    trajectory: str  # improving, steady, worsening
    start: dt.date  # the first month the team reports
    rng: np.random.Generator = field(repr=False, default=None)  # type: ignore[assignment]

    def effect(self, period: Period) -> float:
        """0 → 1: how much of the team's change shows in this period."""
        months = (period.start.year - self.start.year) * 12 + period.start.month \
            - self.start.month
        if self.trajectory == "improving":
            return min(max((months - BASELINE_POINTS) / RAMP_MONTHS, 0.0), 1.0)
        if self.trajectory == "worsening":
            return -0.6 * min(max((months - 24) / RAMP_MONTHS, 0.0), 1.0)
        return 0.0


def _d(x: float | int) -> Decimal:
    return Decimal(int(x)) if float(x).is_integer() else Decimal(str(round(float(x), 2)))


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
        return TeamPlan(team, state, trajectory, start)

    def series(self, plan: TeamPlan, measure: Measure, periods: list[Period]
               ) -> list[list[Row]]:
        code = measure.code
        rng = _rng("team", plan.team.jurisdiction.postal_code, plan.team.learning_network.slug,
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
                                       plan.effect(p)), RR["flat"]) for p in periods]
        shape = SHAPES.get(code)
        if shape is None:  # a measure the demo has no model for (e.g. a custom one)
            return []
        u = rng.random()
        out = []
        for p in periods:
            size = shape.size(plan, p)
            if measure.type == Measure.Type.COUNT:
                mean = size * (1 + shape.lift * plan.effect(p))
                out.append([(None, None, None, _d(rng.poisson(max(mean, 0.5))))])
                continue
            prob = _moved(shape.p(plan, p, u), shape.lift, shape.rel, measure.direction,
                          plan.effect(p))
            den = max(int(rng.poisson(max(size, 1))), 1)
            out.append([(None, _d(rng.binomial(den, prob)), _d(den), None)])
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
            rng = _rng("suid", postal, year)
            share = SUID_SHARE * (0.8 + 0.45 * _rng("suid", postal).random())
            return [(None, _d(rng.binomial(total_d, share)), _d(total_b), None)]
        black_b, black_d = max(births[1], 1), deaths[1]
        if code == "SD-IMR-BLACK":
            return [(None, _d(black_d), _d(black_b), None)]
        # SD-BW-RATIO: Black IMR over White IMR. Where a small state has no White deaths
        # in the year the ratio would be undefined, the expected White rate stands in.
        rr = _normalised(RR["imr"], plan.state.shares)
        white = deaths[0] / births[0] * 1000 if deaths[0] and births[0] else \
            plan.state.imr(year) * rr[0]
        black = black_d / black_b * 1000
        return [(None, _d(round(black, 2)), _d(round(white, 2)), None)]

    def _split(self, rng: np.random.Generator, plan: TeamPlan, den: int, p: float,
               rr: list[float]) -> list[Row]:
        """A total and its race strata: denominators split by the state's shares."""
        shares = plan.state.shares
        dens = [int(x) for x in rng.multinomial(den, [s / sum(shares) for s in shares])]
        ratios = _normalised(rr, plan.state.shares)
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
            base = 0.5 + 0.12 * _rng("pp", st.postal).random()
            dens = [int(rng.binomial(b, m)) for b, m in zip(vq.births, MEDICAID_SHARE,
                                                            strict=True)]
        else:
            base = st.preterm(year) / 100 if kind == "preterm" else st.smoking / 100
            dens = list(vq.births)
        p = _moved(base, lift, rel, measure.direction, plan.effect(period))
        ratios = _normalised(RR[kind], st.shares)
        nums = [int(rng.binomial(d, _clip(p * r))) if d else 0
                for d, r in zip(dens, ratios, strict=True)]
        rows: list[Row] = [(None, _d(sum(nums)), _d(sum(dens)), None)]
        if measure.stratification:
            rows += [(RACES[i], _d(nums[i]), _d(dens[i]), None) for i in range(6) if dens[i]]
        return rows

    def _prams(self, plan: TeamPlan, measure: Measure, period: Period,
               rng: np.random.Generator) -> list[Row]:
        st, year = plan.state, period.start.year
        respondents = int(min(max(st.births(year) * 0.015, 300), 2000) * (0.9 + 0.2 *
                                                                         rng.random()))
        back = st.back_sleep(year)
        effect = plan.effect(period)
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
                step = 0.08 + 0.25 * max(plan.effect(p), 0)
                have = min(hospitals, have + int(rng.binomial(hospitals - have, step / 3)))
                out.append([(None, _d(have), _d(hospitals), None)])
            return out
        lo, hi, step_p = CUMULATIVE[measure.code]
        have = int(rng.integers(lo, hi + 1))
        for p in periods:
            have += int(rng.random() < step_p + 0.25 * max(plan.effect(p), 0))
            out.append([(None, None, None, _d(have))])
        return out


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
    """About a third of teams improve after their baseline year, two get worse, the rest
    vary by common causes. Decided per team from the seed; the demo team improves."""
    out = {}
    for team in teams:
        u = _rng("trajectory", *team_key(team)).random()
        out[team.pk] = "improving" if u < 0.35 or team_key(team) == DEMO_TEAM else "steady"
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

    Precondition: the demo network is loaded (coiin.network.demo.load_demo). Returns how
    many rows of each kind were added (all zero on a second run).
    """
    started = timezone.now()
    with transaction.atomic():
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
    enterer = actors.entering(team)
    sub = Submission(team=team, frequency=period.frequency.value, period_start=period.start,
                     status=status)
    events: list[SubmissionEvent] = []
    S = Submission.Status
    if status != S.DRAFT:
        sub.submitted_at, sub.submitted_by = submitted_at, enterer
        sub.is_final = status == S.LOCKED
        events.append(SubmissionEvent(at=submitted_at, by=enterer, action="submitted",
                                      from_status=S.DRAFT, to_status=S.SUBMITTED))
    if status in (S.REVIEWED, S.LOCKED):
        words = rng.choice(ASSESSMENTS[plan.trajectory])
        focus = measures[rng.randrange(len(measures))].name
        sub.assessment = f"{words.format(m=focus)} {NOTE}"
        sub.reviewed_at, sub.reviewed_by = reviewed_at, actors.reviewer(team, i)
        events.append(SubmissionEvent(at=reviewed_at, by=sub.reviewed_by, action="reviewed",
                                      from_status=S.SUBMITTED, to_status=S.REVIEWED,
                                      note=sub.assessment))
    if status == S.LOCKED:
        events.append(SubmissionEvent(at=locked_at, by=actors.locker(i), action="locked",
                                      from_status=S.REVIEWED, to_status=S.LOCKED))
    if status == S.DRAFT:
        # Historical periods closed long ago; keep the demo drafts open so the data-entry
        # and submit pages can be tried, recorded as an exception like a real one.
        sub.open_until = max(timezone.localdate(), due) + dt.timedelta(days=365)
        events.append(SubmissionEvent(
            at=timezone.now(), by=actors.locker(0), action="exception", from_status=S.DRAFT,
            to_status=S.DRAFT, note=f"open until {sub.open_until.isoformat()}: kept open for "
            f"trying out data entry {NOTE}"))
    sub.version = 1 + len(events)
    values = []
    entered_at = submitted_at - dt.timedelta(days=rng.randrange(1, 4))
    for m in measures:
        rows = rows_by_measure[m.code]
        if not rows:
            continue
        for stratum, num, den, val in rows[i]:
            values.append(DataValue(measure=m, stratum=strata[stratum] if stratum else None,
                                    numerator=num, denominator=den, value=val,
                                    updated_by=enterer))
    return Pending(sub, events, values, entered_at)


def _team_goals(plan: TeamPlan, measures: list[Measure], have: set[tuple[int, int]],
                actors: Actors) -> list[Goal]:
    """A ≥10 % relative improvement goal on one or two of the team's process measures."""
    movable = {c for c, shape in SHAPES.items() if shape.lift} | {"SD-SCREEN"} \
        | set(STRATIFIED_BIRTHS)
    candidates = [m for m in measures
                  if m.direction != Measure.Direction.NONE and m.code in movable]
    candidates.sort(key=lambda m: (m.freq.months, m.code))
    count = 1 + int(_rng("goals", *team_key(plan.team)).random() < 0.5)
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
    subs = Submission.objects.bulk_create([p.submission for p in pending], batch_size=2000)
    events, values = [], []
    entered_at = {}
    for p, sub in zip(pending, subs, strict=True):
        for e in p.events:
            e.submission = sub
            events.append(e)
        for v in p.values:
            v.submission = sub
            values.append(v)
        entered_at[sub.pk] = p.entered_at
    SubmissionEvent.objects.bulk_create(events, batch_size=2000)
    # With the audit history, like every other change to reported values.
    services.add_values(values=values, reason=CHANGE_REASON, entered_at=entered_at)
    Goal.objects.bulk_create(goals)
    return {"submissions": len(subs), "events": len(events), "values": len(values),
            "goals": len(goals)}
