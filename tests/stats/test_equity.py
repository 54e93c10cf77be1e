"""Rate ratios and differences against a reference group, their intervals, and
empirical-Bayes stabilised rates: hand-computed cases and a simulation with known truth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coiin.stats import equity

Z = 1.959963984540054  # the normal quantile at 0.975


def test_a_hand_computed_ratio_and_difference():
    # Group: 30 deaths in 10,000 births = 3.0 per 1,000; reference: 20 in 20,000 = 1.0.
    # Ratio 3.0 / 1.0 = 3; se(log RR) = sqrt(1/30 + 1/20) = sqrt(0.0833...) = 0.288675;
    # 3 x exp(-/+ 1.959964 x 0.288675) = 3 x exp(-/+ 0.565792) = 1.70373 and 5.28253.
    # Difference 3.0 - 1.0 = 2.0 per 1,000; se = sqrt(30/10,000^2 + 20/20,000^2) x 1,000
    # = sqrt(3e-7 + 0.5e-7) x 1,000 = 0.591608; 2 -/+ 1.959964 x 0.591608 = 0.84047, 3.15953.
    ref, black = equity.compare({"white": (20, 20_000), "black": (30, 10_000)}, "white")
    assert ref.reference and ref.ratio == 1.0 and ref.difference == 0.0 and ref.rate == 1.0
    assert black.group == "black" and black.rate == pytest.approx(3.0)
    assert black.ratio == pytest.approx(3.0)
    assert (black.ratio_lower, black.ratio_upper) == (pytest.approx(1.703729, abs=1e-6),
                                                      pytest.approx(5.282530, abs=1e-6))
    assert black.difference == pytest.approx(2.0)
    assert (black.difference_lower, black.difference_upper) == (
        pytest.approx(0.840470, abs=1e-6), pytest.approx(3.159530, abs=1e-6))
    assert not black.corrected and not black.few_events and not ref.few_events
    assert equity.rate_ratio(30, 10_000, 20, 20_000)[0] == pytest.approx(3.0)


def test_the_interval_is_symmetric_on_the_log_scale():
    c = equity.compare({"r": (120, 40_000), "g": (45, 9_000)}, "r")[1]
    assert math.log(c.ratio) - math.log(c.ratio_lower) == pytest.approx(
        math.log(c.ratio_upper) - math.log(c.ratio))
    assert c.ratio_lower < c.ratio < c.ratio_upper


def test_zero_events_in_a_group_give_a_ratio_of_zero_and_corrected_intervals():
    # 0 deaths in 2,000 births against 40 in 10,000 (4.0 per 1,000). Ratio 0. Interval
    # with 0.5 for the zero: log((0.5/2,000) / (40/10,000)) = log(0.0625) = -2.772589,
    # se = sqrt(1/0.5 + 1/40) = sqrt(2.025) = 1.423025, x 1.959964 = 2.789078;
    # upper exp(-2.772589 + 2.789078) = exp(0.016488) = 1.016626; the lower limit is 0, the
    # estimate itself (the corrected exp(-5.561666) = 0.003842 would exclude it).
    # Difference -4.0; se = sqrt(0.5/2,000^2 + 40/10,000^2) x 1,000
    # = sqrt(1.25e-7 + 4e-7) x 1,000 = 0.724569; -4 -/+ 1.959964 x 0.724569 = -4 -/+ 1.420129.
    c = equity.compare({"ref": (40, 10_000), "small": (0, 2_000)}, "ref")[1]
    assert c.ratio == 0.0 and c.corrected and c.few_events
    assert c.ratio_lower == 0.0
    assert c.ratio_upper == pytest.approx(1.016626, abs=1e-6)
    assert c.difference == pytest.approx(-4.0)
    assert (c.difference_lower, c.difference_upper) == (
        pytest.approx(-5.420129, abs=1e-6), pytest.approx(-2.579871, abs=1e-6))


def test_a_reference_without_events_gives_no_ratio_but_a_difference():
    ref, c = equity.compare({"ref": (0, 1_000), "g": (5, 1_000)}, "ref")
    assert ref.few_events and c.ratio is None and c.ratio_lower is None
    assert c.difference == pytest.approx(5.0) and c.corrected
    assert c.difference_lower < 5.0 < c.difference_upper


def test_bad_input_is_refused_with_the_group_named():
    with pytest.raises(ValueError, match="reference group 'x'"):
        equity.compare({"a": (1, 10)}, "x")
    with pytest.raises(ValueError, match="b: events cannot be negative"):
        equity.compare({"a": (1, 10), "b": (-1, 10)}, "a")
    with pytest.raises(ValueError, match="a: the denominator must be positive"):
        equity.compare({"a": (1, 0), "b": (1, 10)}, "a")
    # A compared group with no denominator is left out rather than refused.
    assert [c.group for c in equity.compare({"a": (1, 10), "b": (0, 0)}, "a")] == ["a"]


def test_a_hand_computed_empirical_bayes_case():
    # Rates 2/1,000, 30/5,000, 68/4,000 = 0.002, 0.006, 0.017; m = 100/10,000 = 0.01.
    # s2 = (1,000 x 0.008^2 + 5,000 x 0.004^2 + 4,000 x 0.007^2) / 10,000
    #    = (0.064 + 0.08 + 0.196) / 10,000 = 3.4e-5; mean n = 3,333.3, m / mean n = 3e-6;
    # A = 3.1e-5. C = A / (A + m/n): 3.1/4.1 = 0.756098, 31/33 = 0.939394, 31/33.5 =
    # 0.925373. EB = m + C (r - m): 3.951220, 6.242424, 16.477612 per 1,000.
    out = equity.stabilise([2, 30, 68], [1_000, 5_000, 4_000])
    assert [o.raw for o in out] == pytest.approx([2.0, 6.0, 17.0])
    assert [o.weight for o in out] == pytest.approx([0.756098, 0.939394, 0.925373], abs=1e-6)
    assert [o.stabilised for o in out] == pytest.approx([3.951220, 6.242424, 16.477612],
                                                        abs=1e-6)
    assert [o.few_events for o in out] == [True, False, False]


def test_groups_no_more_different_than_chance_are_shrunk_to_the_mean():
    out = equity.stabilise([10, 20, 30], [1_000, 2_000, 3_000])
    assert all(o.stabilised == pytest.approx(10.0) and o.weight == 0 for o in out)
    assert equity.stabilise([], []) == []
    assert [o.stabilised for o in equity.stabilise([0, 0], [10, 20])] == [0.0, 0.0]


def _coverage(rate_g: float, n_g: int, rate_r: float, n_r: int, reps: int,
              seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    true_ratio, true_diff = rate_g / rate_r, (rate_g - rate_r) * 1000
    hit_ratio = hit_diff = 0
    for a, b in zip(rng.poisson(rate_g * n_g, reps), rng.poisson(rate_r * n_r, reps),
                    strict=True):
        c = equity.compare({"r": (int(b), n_r), "g": (int(a), n_g)}, "r")[1]
        hit_ratio += c.ratio_lower <= true_ratio <= c.ratio_upper
        hit_diff += c.difference_lower <= true_diff <= c.difference_upper
    return hit_ratio / reps, hit_diff / reps


def test_the_intervals_cover_the_truth_95_times_in_100():
    """A Black:White-like comparison: 11 per 1,000 in 12,000 births (132 expected deaths)
    against 5 per 1,000 in 30,000 (150). 4,000 draws: coverage within 0.935-0.965 (the
    binomial standard error of a 95 % rate over 4,000 draws is 0.0034)."""
    ratio, diff = _coverage(0.011, 12_000, 0.005, 30_000, 4_000, seed=15)
    print(f"\ncoverage, about 130 events a group: ratio {ratio:.3f}, difference {diff:.3f}")
    assert 0.935 <= ratio <= 0.965
    assert 0.935 <= diff <= 0.965


def test_the_intervals_still_cover_about_95_in_100_with_few_events():
    """A small state: 11 per 1,000 in 2,000 births (22 expected) against 5 per 1,000 in
    3,000 (15). The Wald intervals are approximate here; coverage within 0.92-0.98."""
    ratio, diff = _coverage(0.011, 2_000, 0.005, 3_000, 4_000, seed=16)
    print(f"\ncoverage, about 15-22 events a group: ratio {ratio:.3f}, difference {diff:.3f}")
    assert 0.92 <= ratio <= 0.98
    assert 0.92 <= diff <= 0.98
