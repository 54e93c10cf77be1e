"""Regenerate patterns.json: suppression patterns of random tables, as a fixed record.

The file was first written by this script with the suppression code of commit 02a4f39, and
written again once, on purpose, when the choice of complementary cells changed: the pair LP
behind it is solved without presolve (ten times faster on a 60 x 12 x 3 table) and its lower
table pays a little more, so that of equally cheap pairs the one that moves fewer cells wins.
That changed 1 of the 27 patterns (a 12 x 6 x 3 table: 17 complementary cells instead of 16),
each new pattern passing the audit. ``tests/stats/test_suppression_patterns.py`` checks that
the current code still gives exactly these patterns. Rerun it only on purpose (a change of
the suppression rules or of the choice among equally cheap cells), never to make that test
pass:

    .venv/bin/python tests/data/suppression/make_patterns.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from coiin.stats.suppression import array_table, suppress  # noqa: E402

# (shape, seed, scale of the log-normal means, method); small tables exercise "auto" with its
# exact search, bigger ones the greedy search and its pruning (with its budget).
CASES = [
    *[((4, 3), s, 6.0, "auto") for s in range(6)],
    *[((6, 5), s, 8.0, "auto") for s in range(6)],
    *[((8, 6), s, 10.0, "greedy") for s in range(4)],
    *[((4, 3, 2), s, 10.0, "auto") for s in range(4)],
    *[((6, 4, 3), s, 14.0, "greedy") for s in range(4)],
    *[((12, 6, 3), s, 12.0, "greedy") for s in range(2)],
    ((20, 12), 1, 12.0, "greedy"),
]


def counts(shape: tuple[int, ...], seed: int, scale: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    means = rng.lognormal(np.log(scale), 1.0, size=shape[0])
    lam = means.reshape((-1,) + (1,) * (len(shape) - 1)) * np.ones(shape)
    if len(shape) == 3:
        lam = lam * rng.dirichlet(np.ones(shape[2]) * 3.0, size=shape[0])[:, None, :]
    return rng.poisson(lam)


def main() -> None:
    out = []
    for shape, seed, scale, method in CASES:
        c = counts(shape, seed, scale)
        table = array_table(c)
        res = suppress(table, method=method)
        hidden = [i for i, k in enumerate(table.keys) if res.suppressed(k)]
        out.append({"counts": c.tolist(), "method": method, "hidden": hidden,
                    "used": res.method})
        print(shape, seed, method, len(hidden), res.method, flush=True)
    (HERE / "patterns.json").write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
