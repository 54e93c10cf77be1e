"""Benchmark: P charts with Anhøj runs analysis for many series (default 10,000 x 60 points).

Times the vectorised coiin.spc.p_chart_batch against a pure-Python loop over the same series,
in the same run, checks that both agree, and prints series per second and the speed ratio.

    .venv/bin/python bench/spc.py [--series 10000] [--points 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

try:
    from coiin.spc import n_crossings_min, p_chart_batch, qic
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from coiin.spc import n_crossings_min, p_chart_batch, qic


def make_series(series: int, points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random numerators and denominators, with a shift in a fifth of the series."""
    rng = np.random.default_rng(seed)
    n = rng.integers(20, 400, size=(series, points)).astype(float)
    p = rng.uniform(0.02, 0.4, size=(series, 1)) * np.ones((1, points))
    shifted = rng.random(series) < 0.2
    p[shifted, points // 2 :] *= 1.5
    y = rng.binomial(n.astype(np.int64), np.clip(p, 0, 1)).astype(float)
    return y, n


def p_chart_python(y: list[float], n: list[float]) -> tuple[float, list[float], list[float], bool]:
    """One P chart with Anhøj rules in plain Python (the baseline the batch API must beat)."""
    cl = sum(y) / sum(n)
    lcl, ucl = [], []
    for k in n:
        s = math.sqrt(cl * (1 - cl) / k)
        lcl.append(max(0.0, cl - 3 * s))
        ucl.append(min(1.0, cl + 3 * s))
    signs = []
    for a, b in zip(y, n, strict=True):
        d = a / b - cl
        if d != 0:
            signs.append(1 if d > 0 else -1)
    longest = run = crossings = 0
    for i, s in enumerate(signs):
        if i and s != signs[i - 1]:
            crossings += 1
            run = 1
        else:
            run += 1
        longest = max(longest, run)
    useful = len(signs)
    signal = useful > 0 and (
        longest > round(math.log2(useful)) + 3 or crossings < n_crossings_min(useful)
    )
    return cl, lcl, ucl, signal


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=10_000, help="number of series (default 10000)")
    ap.add_argument("--points", type=int, default=60, help="points per series (default 60)")
    ap.add_argument("--repeat", type=int, default=3, help="timed repeats, best is kept")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    y, n = make_series(args.series, args.points, args.seed)
    p_chart_batch(y[:10], n[:10])  # warm caches (critical-value tables) outside the timing

    batch_times = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        res = p_chart_batch(y, n)
        batch_times.append(time.perf_counter() - t0)
    t_batch = min(batch_times)

    yl, nl = y.tolist(), n.tolist()
    t0 = time.perf_counter()
    py = [p_chart_python(a, b) for a, b in zip(yl, nl, strict=True)]
    t_python = time.perf_counter() - t0

    # Both must agree before the timings mean anything.
    assert np.allclose(res.cl, [r[0] for r in py], rtol=1e-12)
    assert np.allclose(res.ucl, [r[2] for r in py], rtol=1e-12)
    assert list(res.runs_signal) == [r[3] for r in py]

    # The full single-chart API (summary, validation, per-point objects) on a sample, for scale.
    sample = min(args.series, 500)
    t0 = time.perf_counter()
    for i in range(sample):
        qic(y[i], n[i], chart="p")
    t_qic = (time.perf_counter() - t0) / sample

    s = args.series
    print(f"p charts, Anhøj rules: {s} series x {args.points} points, one core")
    print(f"batch (numpy):  {t_batch:8.4f} s  {s / t_batch:12,.0f} series/s")
    print(f"pure Python:    {t_python:8.4f} s  {s / t_python:12,.0f} series/s")
    print(f"speed-up:       {t_python / t_batch:8.1f} x  (batch vs pure-Python loop)")
    print(f"qic() per chart: {t_qic * 1e3:7.3f} ms {1 / t_qic:12,.0f} series/s "
          f"(full single-chart API, {sample} series)")
    print(f"runs signals:   {int(res.runs_signal.sum())} of {s}; "
          f"sigma signals in {int(res.sigma_signal.any(axis=1).sum())} series")
    print(f"target (10,000 series < 1 s): {'met' if s / t_batch >= 10_000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
