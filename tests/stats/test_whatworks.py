"""coiin.stats.whatworks: effects against comparison teams, their reasons, and BH."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from coiin.stats.whatworks import (
    Estimate,
    Observation,
    Verdict,
    adjust_for_many,
    build_panel,
    estimate_effect,
)


def panel(y: np.ndarray) -> list[Observation]:
    return [Observation(f"T{i}", 100 + t, value=float(y[i, t]))
            for i in range(y.shape[0]) for t in range(y.shape[1]) if not np.isnan(y[i, t])]


def staggered(seed: int = 0, *, teams: int = 24, periods: int = 48, effect: float = 0.0,
              noise: float = 0.02, adopters: int = 10) -> tuple[np.ndarray, dict[str, int]]:
    """Team levels + a shared rising trend + noise; ``adopters`` teams adopt at staggered
    periods 14..33 and gain ``effect`` from then on."""
    rng = np.random.default_rng(seed)
    y = (rng.uniform(0.3, 0.6, (teams, 1)) + 0.004 * np.arange(periods)
         + rng.normal(0, noise, (teams, periods)))
    when = {f"T{i}": 14 + (2 * i) % 20 for i in range(adopters)}
    for i in range(adopters):
        y[i, when[f"T{i}"]:] += effect
    return y, {k: 100 + v for k, v in when.items()}


def test_a_known_effect_is_estimated_with_an_interval_covering_it() -> None:
    y, adoption = staggered(seed=2, effect=0.1)
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.estimate == pytest.approx(0.1, abs=0.01)
    assert e.ci_low is not None and e.ci_high is not None
    assert e.ci_low < 0.1 < e.ci_high and e.ci_low > 0
    assert e.verdict is Verdict.IMPROVEMENT
    assert e.adopters == 10 and e.comparison == 22  # 14 never adopt; 8 adopt later
    assert e.sustained is True and e.sustained_estimate == pytest.approx(0.1, abs=0.015)
    assert e.pretrend_p is not None and e.pretrend_p > 0.05
    points = {p.event_time: p for p in e.event_study}
    assert min(points) == -12 and max(points) == 24
    for t, p in points.items():
        assert p.ci_low <= p.estimate <= p.ci_high
        assert p.estimate == pytest.approx(0.1 if t >= 0 else 0.0, abs=0.03)
    assert points[0].adopters == 10
    assert "10 adopting, 22 comparison teams" in e.reason


def test_data_without_noise_give_the_effect_and_finite_intervals() -> None:
    y, adoption = staggered(effect=0.1, noise=0.0)
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.estimate == pytest.approx(0.1, abs=1e-12)
    assert e.verdict is Verdict.IMPROVEMENT
    for p in e.event_study:
        assert np.isfinite([p.estimate, p.ci_low, p.ci_high]).all()


def test_direction_decides_improvement_or_worsening() -> None:
    y, adoption = staggered(effect=-0.1)
    assert estimate_effect(panel(y), adoption, direction="down").verdict is Verdict.IMPROVEMENT
    worse = estimate_effect(panel(y), adoption, direction="up")
    assert worse.verdict is Verdict.WORSENING and worse.sustained is False


def test_no_effect_gives_no_evidence() -> None:
    y, adoption = staggered(seed=3, effect=0.0)
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.NO_EVIDENCE
    assert e.ci_low is not None and e.ci_high is not None and e.ci_low < 0 < e.ci_high
    assert e.p_value is not None and e.p_value > 0.05


def test_a_shared_trend_is_not_credited_to_the_idea() -> None:
    # Every team improves 0.5 points a month; before/after within adopters would call it.
    y, adoption = staggered(seed=4, effect=0.0)
    y = y + 0.005 * np.arange(y.shape[1])
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.NO_EVIDENCE


def test_matches_group_time_effects_computed_by_hand() -> None:
    """With a one-period baseline and nothing skipped, ATT(g, t) is the classic
    difference in differences against teams not yet adopted at t."""
    rng = np.random.default_rng(7)
    y = rng.normal(0, 1, (8, 6))
    adoption = {"T0": 102, "T1": 102, "T2": 104, "T3": 104, "T4": 105}
    e = estimate_effect(panel(y), adoption, direction="up", leads=0, lags=3, baseline=1,
                        skip=0, min_pre=1, n_boot=0)
    g = {0: 2, 1: 2, 2: 4, 3: 4, 4: 5}
    cohort = {2: [0, 1], 4: [2, 3], 5: [4]}

    def att(gg: int, t: int) -> float | None:
        later = [j for j in range(8) if g.get(j, 99) > max(t, gg - 1)]
        if len(later) < 3:
            return None
        d = y[:, t] - y[:, gg - 1]
        return float(d[cohort[gg]].mean() - d[later].mean())

    cells = [(gg, t) for gg in cohort for t in range(gg, min(gg + 4, 6))]
    kept = [(gg, t, att(gg, t)) for gg, t in cells]
    kept = [(gg, t, a) for gg, t, a in kept if a is not None]
    overall = (sum(len(cohort[gg]) * a for gg, _, a in kept)
               / sum(len(cohort[gg]) for gg, _, _ in kept))
    assert e.estimate == pytest.approx(overall, abs=1e-12)
    at0 = [(len(cohort[gg]), a) for gg, t, a in kept if t == gg]
    point0 = next(p for p in e.event_study if p.event_time == 0)
    assert point0.estimate == pytest.approx(sum(n * a for n, a in at0) / sum(n for n, _ in at0),
                                            abs=1e-12)


def test_too_few_leads_for_the_pretrend_test_is_not_enough_data() -> None:
    y, adoption = staggered(effect=0.1)
    e = estimate_effect(panel(y), adoption, direction="up", leads=6)
    assert e.verdict is Verdict.NOT_ENOUGH_DATA and e.pretrend_p is None
    assert e.reason.startswith("Too few periods before adoption to test whether adopters were "
                               "already moving differently from comparison teams: 1 of the 1 "
                               "3-period spans from -6 to -4 periods before adoption could be "
                               "compared; 2 are needed. Adopting teams changed by +0.1")


def test_too_few_adopters_is_not_enough_data_and_says_how_many() -> None:
    y, adoption = staggered(effect=0.1, adopters=2)
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.NOT_ENOUGH_DATA
    assert e.estimate is None and e.event_study == ()
    assert "2 adopting teams can be compared; 3 are needed" in e.reason


def test_adopting_before_a_baseline_is_said() -> None:
    y, adoption = staggered(effect=0.1, adopters=4)
    adoption.update({"T0": 102, "T1": 103})  # 2 and 3 periods in: no baseline
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.NOT_ENOUGH_DATA
    assert "2 adopting teams" in e.reason
    assert "2 adopted with fewer than 3 periods reported" in e.reason


def test_too_few_comparison_teams_is_not_enough_data() -> None:
    y, _ = staggered(teams=6, adopters=0)
    adoption = {f"T{i}": 120 for i in range(4)}  # all but two adopt at once
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.NOT_ENOUGH_DATA
    assert e.reason == ("Not enough comparison teams: after adoption, at most 2 teams had not "
                        "(yet) adopted; 3 are needed.")


def test_adopters_already_improving_before_adoption_is_a_pretrend() -> None:
    y, adoption = staggered(seed=5, effect=0.0, noise=0.01)
    for i in range(10):  # adopters rise a point a month faster, all along
        y[i] += 0.01 * np.arange(y.shape[1])
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.verdict is Verdict.PRETREND
    assert e.pretrend_p is not None and e.pretrend_p < 0.01
    assert "cannot be attributed" in e.reason


def test_a_bad_spell_just_before_adoption_is_not_credited() -> None:
    """Teams adopt right after a bad month; they drift back by chance. The baseline leaves
    out the periods just before adoption, so the recovery is not an effect."""
    y, adoption = staggered(seed=8, effect=0.0, noise=0.01)
    before = estimate_effect(panel(y), adoption, direction="up")
    for i in range(10):
        y[i, adoption[f"T{i}"] - 100 - 1] -= 0.15
    e = estimate_effect(panel(y), adoption, direction="up")
    assert e.estimate == pytest.approx(before.estimate, abs=1e-12)
    assert e.verdict is Verdict.NO_EVIDENCE
    assert e.transition_p is not None and e.transition_p < 0.001
    assert "just before adopting" in e.reason
    naive = estimate_effect(panel(y), adoption, direction="up", baseline=1, skip=0, min_pre=1)
    # A baseline of the single period before adoption credits the recovery (its pre-trend
    # test sees the dip).
    assert naive.estimate is not None and naive.estimate > 0.1


def test_proportions_are_rates_per_team_period_and_gaps_are_allowed() -> None:
    y, adoption = staggered(effect=0.08)
    obs = [Observation(f"T{i}", 100 + t, numerator=float(y[i, t] * 200), denominator=200.0)
           for i in range(y.shape[0]) for t in range(y.shape[1]) if (i + t) % 7]
    obs.append(Observation("T0", 99, numerator=0.0, denominator=0.0))  # no denominator
    e = estimate_effect(obs, adoption, direction="up")
    assert e.estimate == pytest.approx(0.08, abs=0.015)
    assert e.verdict is Verdict.IMPROVEMENT


def test_teams_only_in_the_adoptions_are_ignored_and_duplicates_refused() -> None:
    y, adoption = staggered(effect=0.1)
    obs = panel(y)
    with_stranger = estimate_effect(obs, {**adoption, "nobody": 120}, direction="up")
    assert with_stranger == estimate_effect(obs, adoption, direction="up")
    with pytest.raises(ValueError, match="two observations for period 105"):
        build_panel([*obs, Observation("T1", 105, value=0.5)])
    with pytest.raises(ValueError, match="direction"):
        estimate_effect(obs, adoption, direction="sideways")  # type: ignore[arg-type]


def test_a_shared_panel_gives_the_same_estimate() -> None:
    y, adoption = staggered(effect=0.1)
    obs = panel(y)
    assert estimate_effect(build_panel(obs), adoption, direction="up") == estimate_effect(
        obs, adoption, direction="up")


def _est(p: float | None, verdict: Verdict) -> Estimate:
    return Estimate(0.1, 0.01, 0.2, 0.05, p, 5, 10, 0.5, verdict, "Reason.", None, ())


def test_benjamini_hochberg_demotes_what_does_not_survive_many_tests() -> None:
    estimates = [_est(0.04, Verdict.IMPROVEMENT), _est(0.001, Verdict.IMPROVEMENT),
                 _est(None, Verdict.NOT_ENOUGH_DATA), _est(0.5, Verdict.NO_EVIDENCE),
                 _est(0.03, Verdict.WORSENING)]
    out = adjust_for_many(estimates)
    assert [e.q_value for e in out] == pytest.approx([0.04 * 4 / 3, 0.004, None, 0.5,
                                                      0.04 * 4 / 3])
    assert [e.verdict for e in out] == [Verdict.NO_EVIDENCE, Verdict.IMPROVEMENT,
                                        Verdict.NOT_ENOUGH_DATA, Verdict.NO_EVIDENCE,
                                        Verdict.NO_EVIDENCE]
    assert "Benjamini–Hochberg" in out[0].reason and "0.053" in out[0].reason
    assert out[1].reason == "Reason."
    assert estimates[0].verdict is Verdict.IMPROVEMENT  # inputs untouched
    assert dataclasses.replace(out[1], q_value=None) == estimates[1]
    assert adjust_for_many([]) == []


def test_one_estimate_alone_is_not_demoted() -> None:
    (e,) = adjust_for_many([_est(0.04, Verdict.IMPROVEMENT)])
    assert e.verdict is Verdict.IMPROVEMENT and e.q_value == pytest.approx(0.04)
