"""Validation by simulation: the what-works estimator against the old per-team chart reading.

Simulates ``--networks`` networks (coiin.stats.whatworks.simulate: 40–60 teams × 60–72 months
of a proportion with a secular improvement; one idea with a known +8-point effect, one null
adopted at random, one null adopted right after a bad spell) and prints, for each idea, how
often each method calls it an improvement, and for the new method how often its interval
covers the truth. The old method (coiin.improvement.whatworks.assess) reads each adopting
team's own P chart split at adoption and has no interval; an idea counts as "called an
improvement" by it when most of its adopters get "sustained improvement", which is how its
ranking reads. Targets (issue 14): true effect called an improvement in ≥ 80 %, covered in
≥ 90 %; each null called an improvement in ≤ 5 %.

    nice -n 10 .venv/bin/python bench/what_works_validation.py [--networks 200] [--seed 14]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

try:
    from coiin.stats.whatworks import Verdict, estimate_effect
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from coiin.stats.whatworks import Verdict, estimate_effect
from coiin.improvement.whatworks import Verdict as OldVerdict
from coiin.improvement.whatworks import assess
from coiin.measures.periods import Frequency, Period
from coiin.stats.whatworks.simulate import IDEAS, Network, simulate_network

START = dt.date(2012, 1, 1)


def old_method(net: Network, adoption: dict, periods: list[Period]) -> tuple[bool, float]:
    """(most adopters read as sustained improvement, share of adopters read so)."""
    verdicts = []
    for team, g in adoption.items():
        if g is None or g >= len(periods):
            continue
        out = assess(periods, list(net.numerator[team]), list(net.denominator[team]),
                     adopted_on=periods[g].start, direction="up", chart="p")
        if out.verdict is not OldVerdict.NOT_ENOUGH:
            verdicts.append(out.verdict)
    if not verdicts:
        return False, float("nan")
    share = sum(v is OldVerdict.SUSTAINED for v in verdicts) / len(verdicts)
    return share > 0.5, share


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", type=int, default=200)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--n-boot", type=int, default=999)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    new: dict[str, Counter[str]] = {i: Counter() for i in IDEAS}
    covered: Counter[str] = Counter()
    old_called: Counter[str] = Counter()
    old_share: dict[str, list[float]] = {i: [] for i in IDEAS}
    estimates: dict[str, list[float]] = {i: [] for i in IDEAS}
    wall, cpu = time.perf_counter(), time.process_time()
    for k in range(args.networks):
        net = simulate_network(rng)
        obs = net.observations()
        months = net.numerator.shape[1]
        periods = [Period(dt.date(2012 + m // 12, m % 12 + 1, 1), Frequency.MONTHLY)
                   for m in range(months)]
        for idea in IDEAS:
            truth = net.effect if idea == "effect" else 0.0
            e = estimate_effect(obs, net.adoption[idea], direction="up", n_boot=args.n_boot,
                                seed=k)
            new[idea][e.verdict] += 1
            if e.estimate is not None:
                estimates[idea].append(e.estimate)
                assert e.ci_low is not None and e.ci_high is not None
                covered[idea] += e.ci_low <= truth <= e.ci_high
            called, share = old_method(net, net.adoption[idea], periods)
            old_called[idea] += called
            old_share[idea].append(share)
    n = args.networks
    print(f"{n} simulated networks (seed {args.seed}); new = group-time effects against "
          f"not-yet-adopted teams, old = each adopter's own chart")
    print(f"{'idea':<21}{'truth':>6}{'new: improvement':>18}{'covers':>8}{'worsening':>11}"
          f"{'pretrend':>10}{'no evid.':>10}{'n.e.d.':>8}{'mean est':>10}"
          f"{'old: improvement':>18}{'old: adopters sust.':>21}")
    for idea in IDEAS:
        c = new[idea]
        truth = net.effect if idea == "effect" else 0.0
        print(f"{idea:<21}{truth:>6.2f}{c[Verdict.IMPROVEMENT] / n:>18.1%}"
              f"{covered[idea] / n:>8.1%}{c[Verdict.WORSENING] / n:>11.1%}"
              f"{c[Verdict.PRETREND] / n:>10.1%}{c[Verdict.NO_EVIDENCE] / n:>10.1%}"
              f"{c[Verdict.NOT_ENOUGH_DATA] / n:>8.1%}{np.mean(estimates[idea]):>10.4f}"
              f"{old_called[idea] / n:>18.1%}{np.nanmean(old_share[idea]):>21.1%}")
    ok = (new["effect"][Verdict.IMPROVEMENT] / n >= 0.80 and covered["effect"] / n >= 0.90
          and all(new[i][Verdict.IMPROVEMENT] / n <= 0.05 for i in IDEAS[1:]))
    print(f"targets (improvement ≥ 80 %, coverage ≥ 90 %, nulls ≤ 5 %): "
          f"{'met' if ok else 'NOT met'}; {time.perf_counter() - wall:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
