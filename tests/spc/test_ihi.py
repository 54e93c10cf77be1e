"""IHI run-chart rules against the hand-checked cases in reference/spc/ihi."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from coiin.spc import exact_runs_limits, ihi_rules, qic
from coiin.spc.rules_ihi import PERLA_TABLE

from .reference import IHI

CASE_FILES = sorted(IHI.glob("ihi0*.json"))


def _load(path: Path) -> tuple[dict[str, Any], list[float]]:
    case = json.loads(path.read_text(encoding="utf-8"))
    with (IHI / case["csv"]).open(newline="", encoding="utf-8") as fh:
        y = [float(r["y"]) for r in csv.DictReader(fh)]
    return case, y


def _shift_dicts(shifts: list[Any]) -> list[dict[str, Any]]:
    return [{"side": s.side, "span": list(s.span), "points_counted": s.points} for s in shifts]


def _trend_dicts(trends: list[Any]) -> list[dict[str, Any]]:
    return [{"direction": t.direction, "span": list(t.span), "points_counted": t.points}
            for t in trends]


def test_ihi_cases_present() -> None:
    assert len(CASE_FILES) == 9


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_ihi_case(path: Path) -> None:
    case, y = _load(path)
    assert y == case["y"]
    res = ihi_rules(y)
    assert res.n_useful == case["n_useful"]
    assert (res.n_above, res.n_below) == (case["n_above"], case["n_below"])
    assert res.runs == case["runs"]
    sig = case["signals"]

    if sig.get("status") == "insufficient data":
        assert res.status == "insufficient data" and not res.signal
        assert res.shifts == [] and res.trends == []
        off = ihi_rules(y, min_useful=0)
        alt = sig["if_minimum_disabled"]
        assert _shift_dicts(off.shifts) == alt["shift"]
        assert [
            {**d, "length_counted": len(d["points_counted"])} for d in _trend_dicts(off.trends)
        ] == alt["trend"]
        assert off.runs_verdict == "not applicable"
        return

    assert [
        {k: v for k, v in s.items() if k in ("side", "span", "points_counted")}
        for s in sig["shift"]
    ] == _shift_dicts(res.shifts)
    for s, mine in zip(sig["shift"], res.shifts, strict=True):
        assert s.get("median_points_inside_not_counted", []) == mine.skipped
        assert s["length_useful"] == len(mine.points)
    assert [
        {k: v for k, v in t.items() if k in ("direction", "span", "points_counted")}
        for t in sig["trend"]
    ] == _trend_dicts(res.trends)
    for t, mine in zip(sig["trend"], res.trends, strict=True):
        assert t.get("tied_points_ignored", []) == mine.ignored
    runs = sig["runs"]
    table = runs.get("table_mode", runs)
    assert (res.runs_verdict, res.runs_lower, res.runs_upper) == (
        table["verdict"], table["lower"], table["upper"]
    )
    if "exact_mode" in runs:
        ex = ihi_rules(y, runs_method="exact")
        exp = runs["exact_mode"]
        assert (ex.runs_verdict, ex.runs_lower, ex.runs_upper) == (
            exp["verdict"], exp["lower"], exp["upper"]
        )
    assert res.signal is case["any_signal"]
    limits = case["runs_limits"]["exact_se_2.5pct_each_tail"]
    assert list(exact_runs_limits(*limits["split"])) == [limits["lower"], limits["upper"]]


def test_runs_table_matches_published_and_exact() -> None:
    with (IHI / "ihi_runs_table.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 91
    for r in rows:
        n = int(r["n_useful"])
        if r["perla_lower"]:
            assert PERLA_TABLE[n] == (int(r["perla_lower"]), int(r["perla_upper"])), n
        else:
            assert n not in PERLA_TABLE
        n1, n2 = (int(v) for v in r["exact_split"].split("/"))
        assert exact_runs_limits(n1, n2) == (int(r["exact_lower"]), int(r["exact_upper"])), n


def test_qic_with_ihi_rules_reports_per_part() -> None:
    case, y = _load(IHI / "ihi01_shift_with_points_on_median.json")
    chart = qic(y, chart="run", rules="ihi")
    assert chart.ihi is not None and len(chart.ihi) == 1
    assert chart.ihi[0].shifts[0].span == (4, 11)
    d = chart.to_dict()
    assert d["ihi"][0]["shifts"][0]["points"] == [4, 6, 7, 9, 10, 11]
    assert "Shift: 6 points above the centre line from point 4 to point 11" in chart.summary


def test_beyond_table_falls_back_to_exact() -> None:
    y = [(-1) ** i * (1 + i % 3) for i in range(70)]
    res = ihi_rules(y)
    assert res.n_useful == 70
    assert res.runs_method.startswith("exact")
    assert (res.runs_lower, res.runs_upper) == (28, 44)
    assert res.runs_verdict == "too many"


def test_astronomical_points_on_control_charts() -> None:
    y = [10, 11, 9, 10, 12, 10, 9, 11, 10, 40, 10, 11, 9, 10]
    chart = qic(y, chart="i", rules="ihi")
    assert chart.ihi is not None
    assert chart.ihi[0].astronomical == [10]
    assert chart.ihi[0].signal
