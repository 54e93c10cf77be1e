"""Pooling survey estimates births-weighted: a hand-computed case and the edges."""

from __future__ import annotations

import pytest

from coiin.stats import survey
from coiin.stats.survey import Estimate


def test_two_jurisdictions_pooled_by_hand():
    # A: 80.0 % (SE 2.0) for 30,000 births; B: 70.0 % (SE 3.0) for 10,000 births.
    # Weights 0.75 and 0.25: 0.75 x 80 + 0.25 x 70 = 77.50 %.
    # SE = sqrt(0.75² x 2² + 0.25² x 3²) = sqrt(2.25 + 0.5625) = sqrt(2.8125) = 1.68.
    # 95 % CI 77.5 -/+ 1.959964 x 1.677051 = 77.5 -/+ 3.286961: 74.21 to 80.79.
    p = survey.pool([Estimate(80.0, 2.0, 30_000), Estimate(70.0, 3.0, 10_000)])
    assert round(p.estimate, 2) == 77.50
    assert round(p.se, 2) == 1.68
    assert (round(p.lower, 2), round(p.upper, 2)) == (74.21, 80.79)
    assert p.count == 2 and p.births == 40_000


def test_an_interval_given_stands_for_its_standard_error():
    # 74.08 to 81.92 is 78 -/+ 1.96 x 2.
    assert survey.se_from_interval(74.08, 81.92) == pytest.approx(2.0, abs=1e-3)
    with pytest.raises(ValueError, match="backwards"):
        survey.se_from_interval(5, 4)


def test_one_jurisdiction_pools_to_itself_and_a_percentage_stays_within_100():
    p = survey.pool([Estimate(99.0, 1.0, 500)])
    assert (p.estimate, p.se, p.upper) == (99.0, 1.0, 100.0)
    assert p.lower == pytest.approx(99.0 - 1.959964, abs=1e-6)


def test_no_births_no_weight():
    with pytest.raises(ValueError, match="births must be positive"):
        survey.pool([Estimate(50.0, 1.0, 0)])
    with pytest.raises(ValueError, match="no estimates"):
        survey.pool([])
