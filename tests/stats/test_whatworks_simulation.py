"""A small fixed-seed version of the what-works validation (the full one, over 200
networks and against the old method, is bench/what_works_validation.py)."""

from __future__ import annotations

import numpy as np

from coiin.stats.whatworks import Verdict, build_panel, estimate_effect
from coiin.stats.whatworks.simulate import simulate_network

NETWORKS = 20


def test_simulated_networks_meet_the_targets_of_the_issue() -> None:
    """40–60 teams × 60–72 months, a secular trend; the true +8-point effect is called an
    improvement and covered, the nulls (at random, after a bad spell) are not called."""
    rng = np.random.default_rng(2024)
    improvement = {"effect": 0, "null_random": 0, "null_spike": 0}
    covered = 0
    for k in range(NETWORKS):
        net = simulate_network(rng)
        panel = build_panel(net.observations())
        for idea in improvement:
            e = estimate_effect(panel, net.adoption[idea], direction="up", n_boot=199, seed=k)
            improvement[idea] += e.verdict is Verdict.IMPROVEMENT
            if idea == "effect":
                assert e.ci_low is not None and e.ci_high is not None
                covered += e.ci_low <= net.effect <= e.ci_high
    assert improvement["effect"] >= 0.8 * NETWORKS
    assert covered >= 0.9 * NETWORKS
    assert improvement["null_random"] <= 0.05 * NETWORKS
    assert improvement["null_spike"] <= 0.05 * NETWORKS
