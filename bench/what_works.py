"""Benchmark: what-works estimates for whole networks, against drawing their SPC charts.

Section 1 (estimator): 6 networks × 35 change ideas × 60 teams × 72 months of a proportion
(coiin.stats.whatworks.simulate; each idea adopted at random months by about 45 % of teams),
one estimate per idea with its interval, event study (−12 … +24, simultaneous band, 999
bootstrap draws) and pre-trend test, then the Benjamini–Hochberg adjustment per network;
against the baseline measured in the same run: the same 360 teams' P charts with Anhøj runs
analysis by the vectorised batch engine the stored chart summaries use
(coiin.spc.p_chart_batch, one call per network). Prints wall and CPU seconds (best of
--repeat) and the ratio.

    nice -n 10 .venv/bin/python bench/what_works.py [--repeat 3] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

try:
    from coiin.spc import p_chart_batch
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from coiin.spc import p_chart_batch
from coiin.stats.whatworks import adjust_for_many, build_panel, estimate_effect
from coiin.stats.whatworks.simulate import Network, simulate_network

NETWORKS, IDEAS, TEAMS, MONTHS = 6, 35, 60, 72


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs, and the last result."""
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, out


def make_networks(seed: int) -> list[tuple[Network, list[dict[Any, int | None]]]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(NETWORKS):
        net = simulate_network(rng, teams=TEAMS, months=MONTHS)
        ideas = []
        for _ in range(IDEAS):
            when = rng.integers(12, MONTHS - 12, TEAMS)
            adopted = rng.random(TEAMS) < 0.45
            ideas.append({i: int(when[i]) if adopted[i] else None for i in range(TEAMS)})
        out.append((net, ideas))
    return out


def section_estimator(args: argparse.Namespace) -> None:
    networks = make_networks(args.seed)
    # One panel per network, shared by its 35 ideas (as a page does for one measure).
    observations = [build_panel(net.observations()) for net, _ in networks]

    def estimate_all() -> list[Any]:
        return [adjust_for_many([estimate_effect(obs, a, direction="up") for a in ideas])
                for obs, (_, ideas) in zip(observations, networks, strict=True)]

    def charts() -> list[Any]:
        return [p_chart_batch(net.numerator, net.denominator) for net, _ in networks]

    c_wall, c_cpu, _ = best_of(args.repeat, charts)
    e_wall, e_cpu, results = best_of(args.repeat, estimate_all)
    n = NETWORKS * IDEAS
    verdicts = [e.verdict for net in results for e in net]
    print(f"estimator: {NETWORKS} networks × {IDEAS} ideas × {TEAMS} teams × {MONTHS} months, "
          f"999 bootstrap draws each (best of {args.repeat})")
    print(f"{'':<34}{'wall s':>10}{'CPU s':>10}{'per item ms (CPU)':>20}")
    print(f"{'SPC charts (p_chart_batch, 360)':<34}{c_wall:>10.4f}{c_cpu:>10.4f}"
          f"{c_cpu / (NETWORKS * TEAMS) * 1000:>20.3f}")
    print(f"{'what-works estimates (' + str(n) + ')':<34}{e_wall:>10.3f}{e_cpu:>10.3f}"
          f"{e_cpu / n * 1000:>20.2f}")
    print(f"ratio estimates / charts: {e_wall / c_wall:.0f} × wall, "
          f"{e_cpu / max(c_cpu, 1e-9):.0f} × CPU; per network (35 estimates): "
          f"{e_wall / NETWORKS:.3f} s wall, {e_cpu / NETWORKS:.3f} s CPU")
    print("verdicts: " + ", ".join(f"{v} {verdicts.count(v)}" for v in sorted(set(verdicts))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    section_estimator(args)
    # Section 2 (the /what-works/ page on the demo, warm) goes here.
    return 0


if __name__ == "__main__":
    sys.exit(main())
