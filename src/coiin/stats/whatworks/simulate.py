"""Simulated networks with known effects, to validate the estimator (tests and bench/).

A network: 40–60 teams × 60–72 months of a proportion (numerator / denominator) whose good
direction is up, with a secular improvement shared by every team, team-specific drifts,
persistent month-to-month shocks and binomial noise. Three change ideas on that measure:

- ``effect``: adopted at random months by about 45 % of teams; raises the proportion by
  ``effect`` from the month of adoption on;
- ``null_random``: adopted the same way, no effect;
- ``null_spike``: no effect, adopted the month after a bad spell by chance: the team's rate
  fell more than two standard deviations (binomial and month-to-month) below its own
  expected level that month;
- ``null_spike_own_year``: no effect, adopted the month after the team's rate fell more than
  two standard deviations below the mean of its own previous 12 months. This also selects
  teams whose previous year was luckily good, i.e. a baseline biased the good way, which
  no difference-in-differences design can undo; it is reported separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Observation

IDEAS = ("effect", "null_random", "null_spike", "null_spike_own_year")


@dataclass
class Network:
    numerator: np.ndarray  # teams × months
    denominator: np.ndarray
    adoption: dict[str, dict[int, int | None]]  # idea -> team -> first month adopted
    effect: float

    @property
    def rate(self) -> np.ndarray:
        return self.numerator / self.denominator

    def observations(self) -> list[Observation]:
        n_teams, n_months = self.numerator.shape
        return [Observation(i, t, float(self.numerator[i, t]), float(self.denominator[i, t]))
                for i in range(n_teams) for t in range(n_months)]


def simulate_network(rng: np.random.Generator, *, effect: float = 0.08,
                     teams: int | None = None, months: int | None = None,
                     trend: float = 0.12) -> Network:
    """One network; ``trend`` is the secular rise over the whole span (all teams)."""
    n = int(teams if teams is not None else rng.integers(40, 61))
    t_len = int(months if months is not None else rng.integers(60, 73))
    t = np.arange(t_len) / t_len
    level = rng.uniform(0.3, 0.55, n)[:, None]
    drift = rng.normal(0, 0.03, n)[:, None] * t  # team-specific drift over the span
    shock = np.zeros((n, t_len))
    rho, sd = 0.5, 0.025
    shock[:, 0] = rng.normal(0, sd, n)
    for j in range(1, t_len):
        shock[:, j] = rho * shock[:, j - 1] + rng.normal(0, sd * np.sqrt(1 - rho**2), n)
    size = rng.lognormal(np.log(50), 0.6, n)[:, None]
    den = np.maximum(rng.poisson(size * np.ones((1, t_len))), 5).astype(float)

    def random_adoption() -> np.ndarray:
        when = rng.integers(12, t_len - 12, n).astype(float)
        when[rng.random(n) >= 0.45] = np.inf
        return when

    g_effect, g_null = random_adoption(), random_adoption()
    p = level + trend * t + drift + shock
    p = p + effect * (np.arange(t_len)[None, :] >= g_effect[:, None])
    num = rng.binomial(den.astype(np.int64), np.clip(p, 0.01, 0.99)).astype(float)
    rate = num / den
    expected = p - shock
    spread = np.sqrt(sd**2 + np.clip(expected, 0.01, 0.99) * (1 - expected) / den)
    g_spike = _first(rate < expected - 2 * spread, rng, t_len)
    g_own = _after_bad_year(rate, rng, t_len)
    adoption = {name: {i: (None if np.isinf(g[i]) else int(g[i])) for i in range(n)}
                for name, g in zip(IDEAS, (g_effect, g_null, g_spike, g_own), strict=True)}
    return Network(num, den, adoption, effect)


def _first(bad: np.ndarray, rng: np.random.Generator, t_len: int) -> np.ndarray:
    """The month after each team's first bad month (from month 12 to 13 months before the
    end), for 80 % of the teams that have one."""
    when = np.full(bad.shape[0], np.inf)
    window = bad[:, 12:t_len - 13]
    hit = window.any(axis=1) & (rng.random(bad.shape[0]) < 0.8)
    when[hit] = window[hit].argmax(axis=1) + 12 + 1
    return when


def _after_bad_year(rate: np.ndarray, rng: np.random.Generator, t_len: int) -> np.ndarray:
    """As ``_first``, a bad month being 2 SD below the mean of the team's previous 12."""
    bad = np.zeros(rate.shape, dtype=bool)
    for j in range(12, t_len):
        prev = rate[:, j - 12:j]
        bad[:, j] = rate[:, j] < prev.mean(axis=1) - 2 * prev.std(axis=1, ddof=1)
    return _first(bad, rng, t_len)
