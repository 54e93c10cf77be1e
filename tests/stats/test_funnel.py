"""Funnel-plot limits, curves, classification and over-dispersion."""

from __future__ import annotations

import numpy as np
import pytest

from coiin.stats.funnel import (
    classify,
    funnel_curve,
    funnel_limits,
    overdispersion,
    pooled_target,
    z_value,
)


def test_z_values_for_the_two_usual_levels() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


def test_pooled_target_is_total_numerator_over_total_denominator() -> None:
    assert pooled_target([1, 9], [10, 90]) == pytest.approx(0.1)
    assert pooled_target([1, 9, np.nan], [10, 90, 50]) == pytest.approx(0.1)


def test_normal_proportion_limits_match_hand_computation() -> None:
    # p = 0.1, n = 100: se = sqrt(0.1 * 0.9 / 100) = 0.03.
    lim = funnel_limits([100], 0.1)
    assert lim.lower[0.95][0] == pytest.approx(0.1 - 1.959964 * 0.03, abs=1e-6)
    assert lim.upper[0.95][0] == pytest.approx(0.15879892, abs=1e-6)
    assert lim.lower[0.998][0] == pytest.approx(0.00729304, abs=1e-6)
    assert lim.upper[0.998][0] == pytest.approx(0.19270696, abs=1e-6)


def test_limits_are_clipped_to_zero_and_one() -> None:
    lim = funnel_limits([10, 4], 0.1)
    assert lim.lower[0.998].tolist() == [0.0, 0.0]
    high = funnel_limits([5], 0.9)
    assert high.upper[0.998][0] == 1.0
    pct = funnel_limits([5], 90.0, multiplier=100)
    assert pct.upper[0.998][0] == 100.0


def test_rate_limits_per_thousand_match_hand_computation() -> None:
    # 5 per 1,000 births, 2,000 births: se = sqrt(0.005 / 2000) per birth.
    lim = funnel_limits([2000], 5.0, kind="rate", multiplier=1000)
    assert lim.lower[0.95][0] == pytest.approx(1.90102481, abs=1e-6)
    assert lim.upper[0.95][0] == pytest.approx(8.09897519, abs=1e-6)
    assert funnel_limits([50], 5.0, kind="rate", multiplier=1000).lower[0.95][0] == 0.0


def test_exact_limits_are_close_to_normal_ones_for_large_n() -> None:
    n = np.array([20_000.0, 100_000.0])
    exact = funnel_limits(n, 0.1, method="exact")
    normal = funnel_limits(n, 0.1)
    for level in (0.95, 0.998):
        np.testing.assert_allclose(exact.lower[level], normal.lower[level], rtol=0.01)
        np.testing.assert_allclose(exact.upper[level], normal.upper[level], rtol=0.01)
    rate_exact = funnel_limits(n, 6.0, kind="rate", multiplier=1000, method="exact")
    rate_normal = funnel_limits(n, 6.0, kind="rate", multiplier=1000)
    np.testing.assert_allclose(rate_exact.upper[0.95], rate_normal.upper[0.95], rtol=0.01)


def test_exact_limit_interpolates_between_counts() -> None:
    # Binomial(20, 0.3): P(R <= 9) = 0.952038, P(R <= 8) = 0.886669, so the 97.5 % point
    # lies past 9: r = 10 (P = 0.982855), alpha = (0.982855 - 0.975) / (0.982855 - 0.952038).
    lim = funnel_limits([20], 0.3, levels=(0.95,), method="exact")
    alpha = (0.98285549 - 0.975) / (0.98285549 - 0.95203810)
    assert lim.upper[0.95][0] == pytest.approx((10 - alpha) / 20, abs=1e-6)


def test_curve_spans_the_range_and_narrows() -> None:
    curve = funnel_curve(10, 10_000, points=50, target=0.2)
    assert curve.n[0] == pytest.approx(10)
    assert curve.n[-1] == pytest.approx(10_000)
    assert len(curve.n) == 50
    width = curve.upper[0.95] - curve.lower[0.95]
    assert np.all(np.diff(width) < 0)


def test_classify_names_the_widest_limit_crossed() -> None:
    # n = 100, p = 0.1: 95 % limits 0.041..0.159, 99.8 % limits 0.0073..0.1927.
    labels = classify([0.10, 0.17, 0.25, 0.03, 0.005, 0.15879], [100] * 6, 0.1)
    assert labels == ["inside", "above 95%", "above 99.8%", "below 95%", "below 99.8%",
                      "inside"]


def test_overdispersion_is_about_one_without_and_large_with_extra_variation() -> None:
    rng = np.random.default_rng(0)
    n = rng.integers(200, 2000, size=400)
    plain = rng.binomial(n, 0.1)
    assert overdispersion(plain, n, winsor=0.0) == pytest.approx(1.0, abs=0.2)
    # Pulling in the tails shrinks phi below 1 without over-dispersion (about 0.68 at 10 %).
    assert 0.5 < overdispersion(plain, n) < 0.9
    spread = rng.binomial(n, np.clip(rng.normal(0.1, 0.03, size=n.size), 0.01, 0.5))
    phi = overdispersion(spread, n)
    assert phi > 3
    wide = funnel_limits([500], 0.1, phi=phi)
    narrow = funnel_limits([500], 0.1)
    assert wide.upper[0.95][0] - 0.1 == pytest.approx((narrow.upper[0.95][0] - 0.1)
                                                      * np.sqrt(phi))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        funnel_limits([0], 0.1)
    with pytest.raises(ValueError, match="proportion target"):
        funnel_limits([10], 1.5)
    with pytest.raises(ValueError, match="normal limits only"):
        funnel_limits([10], 0.1, method="exact", phi=2.0)
