"""Pooling team series into a network series, and the Katz rate-ratio interval."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coiin.stats.aggregate import pool, ratio


def test_pool_leaves_a_team_out_of_the_period_it_did_not_report() -> None:
    nan = math.nan
    num = [[1, 2, 4], [3, nan, 5], [5, 6, nan]]
    den = [[10, 20, 40], [30, 40, 50], [50, 60, nan]]
    pooled = pool(num, den, multiplier=1000)
    assert pooled.numerator.tolist() == [9, 8, 9]
    assert pooled.denominator.tolist() == [90, 80, 90]  # team 2's 40 is not in period 2
    assert pooled.contributors.tolist() == [3, 2, 2]
    np.testing.assert_allclose(pooled.rate, [100.0, 100.0, 100.0])


def test_a_period_nobody_reported_has_no_rate() -> None:
    pooled = pool([[np.nan, 1]], [[10, 10]])
    assert pooled.contributors.tolist() == [0, 1]
    assert math.isnan(pooled.rate[0])
    assert pooled.rate[1] == pytest.approx(0.1)


def test_pool_refuses_misaligned_arrays() -> None:
    with pytest.raises(ValueError, match="differ in shape"):
        pool([[1, 2]], [[1, 2, 3]])


def test_katz_interval_matches_hand_computation() -> None:
    # 30 deaths in 4,000 births vs 20 in 5,000: RR = 0.0075 / 0.004 = 1.875;
    # se = sqrt(1/30 - 1/4000 + 1/20 - 1/5000) = 0.287895.
    rr = ratio(30, 4000, 20, 5000)
    assert rr.ratio == pytest.approx(1.875)
    assert rr.lower == pytest.approx(1.066461, abs=1e-5)
    assert rr.upper == pytest.approx(3.296535, abs=1e-5)
    assert rr.level == 0.95
    wider = ratio(30, 4000, 20, 5000, level=0.99)
    assert wider.lower < rr.lower and wider.upper > rr.upper


def test_zero_events_give_no_interval() -> None:
    rr = ratio(0, 1000, 5, 1000)
    assert rr.ratio == 0.0
    assert math.isnan(rr.lower) and math.isnan(rr.upper)
    with pytest.raises(ValueError):
        ratio(5, 0, 5, 100)
