"""Synthetic demo reporting data, part one: the public figures it is calibrated to.

EVERYTHING THE DEMO WRITES IS SYNTHETIC except the annual totals of the states' vital
events where real ones exist: live births 2012-2017 (the states and DC) and infant deaths
2014-2017 (the 50 states) are the published counts, so the demo's annual infant mortality
is CDC's published rate; how they fall into quarters and race strata is SYNTHETIC. The
other parameters come from real public figures so the charts look like real data:
national or state-extreme figures for the other measures, all from
``shared/reference/data`` (file named beside each figure below). Where no public figure
exists the figure is made up and says so (SYNTHETIC). ``State`` and ``Vitals`` turn the
figures into per-jurisdiction parameters and quarterly vital events; ``series`` draws the
teams' values from them.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

SEED = 20171231

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
# Infant deaths 2014-2017: cdc_nchs_infant_mortality_by_state.csv (`infant_deaths`, the
# deaths behind the rates above). Divided by the births above they give CDC's published
# rate, to its 2 places, in all 200 state-years. {postal: (deaths 2014..2017)}
STATE_DEATHS: dict[str, tuple[int, ...]] = {
    "AK": (76, 78, 58, 60), "AL": (515, 496, 534, 435), "AR": (288, 293, 314, 304),
    "AZ": (530, 467, 450, 467), "CA": (2173, 2178, 2063, 1981), "CO": (315, 310, 317, 289),
    "CT": (175, 202, 172, 159), "DE": (74, 102, 86, 68), "FL": (1344, 1399, 1382, 1364),
    "GA": (985, 1024, 972, 928), "HI": (83, 104, 109, 95), "IA": (189, 167, 235, 204),
    "ID": (122, 107, 131, 101), "IL": (1043, 948, 985, 915), "IN": (595, 614, 614, 593),
    "KS": (243, 233, 228, 220), "KY": (400, 375, 376, 361), "LA": (485, 489, 504, 431),
    "MA": (311, 309, 281, 259), "MD": (480, 485, 478, 461), "ME": (84, 83, 73, 72),
    "MI": (739, 739, 727, 755), "MN": (350, 361, 358, 329), "MO": (461, 487, 492, 457),
    "MS": (317, 363, 329, 326), "MT": (72, 73, 71, 65), "NC": (864, 888, 874, 845),
    "ND": (58, 81, 73, 47), "NE": (136, 152, 161, 143), "NH": (54, 51, 45, 51),
    "NJ": (454, 483, 414, 451), "NM": (136, 131, 152, 139), "NV": (198, 188, 209, 209),
    "NY": (1102, 1098, 1056, 1053), "OH": (959, 1000, 1026, 983), "OK": (438, 389, 393, 391),
    "OR": (232, 235, 214, 233), "PA": (838, 867, 857, 837), "RI": (48, 65, 60, 66),
    "SC": (371, 402, 402, 372), "SD": (70, 90, 60, 94), "TN": (561, 568, 594, 591),
    "TX": (2337, 2305, 2277, 2236), "UT": (251, 255, 274, 286), "VA": (584, 610, 599, 592),
    "VT": (28, 27, 20, 27), "WA": (397, 434, 391, 340), "WI": (384, 389, 420, 415),
    "WV": (141, 141, 138, 130), "WY": (49, 38, 37, 32),
}
# SYNTHETIC: DC, the territories and the freely associated states have no rows in the
# reference IMR table (and the territories none in the births table): plausible made-up
# annual births and IMR, labelled as such. So are the states' 2012-2013 rates (make_state)
# and every infant death drawn from a rate (Vitals).
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


def rng_for(*parts: object) -> np.random.Generator:
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
    rng = rng_for("state", postal)
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


def normalised(rr: list[float], shares: list[float]) -> list[float]:
    mean = sum(r * s for r, s in zip(rr, shares, strict=True))
    return [r / mean for r in rr]


@dataclass
class VitalQuarter:
    births: list[int]  # by race
    deaths: list[int]  # by race
    neonatal: int


def real_deaths(postal: str, year: int) -> int | None:
    """The state's published infant deaths in the year, or None where there are none
    (2012-2013, DC, the territories): the demo's deaths there are SYNTHETIC."""
    deaths = STATE_DEATHS.get(postal)
    return deaths[year - 2014] if deaths is not None and 2014 <= year <= 2017 else None


class Vitals:
    """State vital events per quarter, drawn once per state-year so every team of a state
    sees the same.

    The annual totals are the real counts where there are any: births 2012-2017 (NVSS) for
    the states and DC, infant deaths 2014-2017 (CDC/NCHS) for the 50 states, so the demo's
    annual IMR is CDC's published rate. Elsewhere they are SYNTHETIC (made-up births for
    the territories; deaths a Poisson draw of births x the state's rate). The quarters and
    race strata are a SYNTHETIC split that keeps the totals exact: births by the quarter
    weights, then by the state's shares; deaths by one multinomial over the quarter x race
    cells, weighted by births x the relative risk, so a quarter's rate varies by chance as
    a real one does. Every split is seeded per state-year (``rng_for``): the same figures
    whatever else is drawn, in whatever order.
    """

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.years: dict[tuple[str, int], list[VitalQuarter]] = {}

    def state(self, postal: str) -> State:
        if postal not in self.states:
            self.states[postal] = make_state(postal)
        return self.states[postal]

    def quarter(self, postal: str, year: int, q: int) -> VitalQuarter:
        return self.year(postal, year)[q - 1]

    def year(self, postal: str, year: int) -> list[VitalQuarter]:
        if (postal, year) not in self.years:
            self.years[(postal, year)] = self._draw(postal, year)
        return self.years[(postal, year)]

    def _draw(self, postal: str, year: int) -> list[VitalQuarter]:
        st = self.state(postal)
        births_y = st.births(year)
        # Annual births divided over the quarters; the fourth takes the remainder.
        parts = [round(births_y * w) for w in QUARTER_WEIGHTS[:3]]
        parts.append(births_y - sum(parts))
        births = [[int(b) for b in rng_for("vital", postal, year, q).multinomial(
            parts[q - 1], st.shares)] for q in range(1, 5)]
        rng = rng_for("vital deaths", postal, year)
        rr = normalised(RR["imr"], st.shares)
        weights = [b * r for quarter in births for b, r in zip(quarter, rr, strict=True)]
        total = real_deaths(postal, year)
        if total is None:
            total = int(rng.poisson(sum(weights) * st.imr(year) / 1000))
        cells = [int(x) for x in rng.multinomial(total, [w / sum(weights) for w in weights])]
        room = [b for quarter in births for b in quarter]
        for i in range(len(cells)):  # a tiny stratum cannot lose more infants than it has
            if cells[i] > room[i]:
                j = max(range(len(cells)), key=lambda k: room[k] - cells[k])
                cells[j] += cells[i] - room[i]
                cells[i] = room[i]
        out = []
        for q in range(4):
            deaths = cells[q * len(RACES):(q + 1) * len(RACES)]
            out.append(VitalQuarter(births[q], deaths,
                                    int(rng.binomial(sum(deaths), NEONATAL_SHARE))))
        return out
