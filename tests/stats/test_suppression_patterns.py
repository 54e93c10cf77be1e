"""The faster search finds exactly the patterns the original one found.

``tests/data/suppression/patterns.json`` holds the patterns of random tables (2-way and
3-way, "auto" and "greedy") as the suppression code gave them before its LP calls were made
faster (see ``make_patterns.py`` beside it); speed work must not change a single cell.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coiin.stats.suppression import array_table, suppress

CASES = json.loads((Path(__file__).resolve().parents[1] / "data" / "suppression"
                    / "patterns.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: "x".join(
    str(d) for d in np.shape(c["counts"])) + "-" + c["method"])
def test_the_pattern_is_exactly_the_recorded_one(case):
    table = array_table(np.array(case["counts"]))
    result = suppress(table, method=case["method"])
    hidden = [i for i, k in enumerate(table.keys) if result.suppressed(k)]
    assert hidden == case["hidden"]
    assert result.method == case["used"]
    assert result.safe


def test_scipy_without_the_direct_highs_module_gives_the_same_patterns(monkeypatch):
    """Older scipy has no ``scipy.optimize._highspy``; ``linprog`` then solves the same LPs."""
    from coiin.stats.suppression import _highs

    monkeypatch.setattr(_highs, "_h", None)
    for case in CASES[:4] + CASES[12:13]:
        table = array_table(np.array(case["counts"]))
        result = suppress(table, method=case["method"])
        assert [i for i, k in enumerate(table.keys) if result.suppressed(k)] == case["hidden"]


def test_the_same_table_gives_the_same_pattern_every_time():
    """No state survives a call: the same table twice, with another one in between, gives
    the same pattern and the same proof (2-way "auto", 3-way "greedy")."""
    def run(case):
        table = array_table(np.array(case["counts"]))
        result = suppress(table, method=case["method"])
        return ([i for i, k in enumerate(table.keys) if result.suppressed(k)],
                {k: (iv.low, iv.high) for k, iv in result.intervals.items()})

    for case, other in ((CASES[11], CASES[24]), (CASES[25], CASES[7])):
        first = run(case)
        run(other)
        assert run(case) == first
        assert first[0] == case["hidden"]
