"""Property tests (hypothesis) for the SPC engine."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coiin.spc import p_chart_batch, qic, runs_analysis, runs_analysis_batch, u_chart_batch

settings.register_profile("spc", deadline=None, max_examples=60)
settings.load_profile("spc")

MONTHS = [dt.date(2020, m, 1) for m in range(1, 13)] + [dt.date(2021, m, 1) for m in range(1, 13)]


@st.composite
def chart_data(draw: st.DrawFn, chart: str) -> dict[str, Any]:
    """Random rows for a chart type: y (and n), with dates that repeat for subgroup charts."""
    if chart in ("xbar", "s"):
        groups = draw(st.integers(3, 10))
        sizes = draw(st.lists(st.integers(2, 5), min_size=groups, max_size=groups))
        x = [MONTHS[g] for g, k in enumerate(sizes) for _ in range(k)]
        y = draw(st.lists(st.floats(-50, 50, allow_nan=False), min_size=len(x),
                          max_size=len(x)))
        return {"y": y, "x": x}
    size = draw(st.integers(3, 24))
    x = MONTHS[:size]
    if chart in ("p", "pp", "u", "up"):
        n = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size))
        if chart in ("p", "pp"):
            y = [draw(st.integers(0, k)) for k in n]
        else:
            y = draw(st.lists(st.integers(0, 300), min_size=size, max_size=size))
        return {"y": y, "n": n, "x": x}
    if chart == "t":
        y = draw(st.lists(st.floats(0.1, 1000), min_size=size, max_size=size))
    elif chart in ("c", "g"):
        y = draw(st.lists(st.integers(0, 60), min_size=size, max_size=size))
    else:
        y = draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=size, max_size=size))
    return {"y": y, "x": x}


CHARTS = ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"]
any_chart = st.sampled_from(CHARTS).flatmap(lambda c: st.tuples(st.just(c), chart_data(c)))


def _le(a: float, b: float) -> bool:
    return a <= b + 1e-9 * max(1.0, abs(a), abs(b))


@given(any_chart)
def test_limits_contain_the_centre_line(case: tuple[str, dict[str, Any]]) -> None:
    chart, data = case
    res = qic(chart=chart, **data)
    for p in res.points:
        assert p.cl is not None
        lines = [v for v in (p.lcl, p.lcl_2s, p.cl, p.ucl_2s, p.ucl) if v is not None]
        if p.lcl is not None and p.ucl is not None:
            assert all(_le(a, b) for a, b in itertools.pairwise(lines)), (chart, p)


@given(st.sampled_from(["p", "pp"]).flatmap(lambda c: st.tuples(st.just(c), chart_data(c))))
def test_p_limits_stay_within_0_and_1(case: tuple[str, dict[str, Any]]) -> None:
    chart, data = case
    for p in qic(chart=chart, **data).points:
        for v in (p.lcl, p.ucl, p.lcl_2s, p.ucl_2s, p.cl):
            assert v is None or 0.0 <= v <= 1.0


@given(any_chart, st.sampled_from([0.01, 7, 100, 1000, 12345.6]))
def test_multiply_scales_every_line(case: tuple[str, dict[str, Any]], m: float) -> None:
    chart, data = case
    base = qic(chart=chart, **data)
    scaled = qic(chart=chart, multiply=m, **data)
    for a, b in zip(base.points, scaled.points, strict=True):
        for key in ("y", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s"):
            va, vb = getattr(a, key), getattr(b, key)
            assert (va is None) == (vb is None)
            if va is not None:
                assert math.isclose(vb, va * m, rel_tol=1e-12, abs_tol=1e-300)
        assert a.sigma_signal == b.sigma_signal
    assert [r.to_dict() for r in base.runs] == [r.to_dict() for r in scaled.runs]


@given(
    st.sampled_from(["i", "run", "p", "u", "c", "xbar", "s", "g"]),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 40), st.integers(40, 90)),
             min_size=8, max_size=40),
    st.randoms(use_true_random=False),
)
def test_permuting_rows_with_the_same_x_changes_nothing(
    chart: str, rows: list[tuple[int, int, int]], rnd: random.Random
) -> None:
    if len({r[0] for r in rows}) < 3 or (chart in ("xbar", "s") and len(rows) == len(
        {r[0] for r in rows}
    )):
        return
    # Reorder only within each x: positions taken by an x keep holding rows of that x.
    by_x: dict[int, list[tuple[int, int, int]]] = {}
    for r in rows:
        by_x.setdefault(r[0], []).append(r)
    for group in by_x.values():
        rnd.shuffle(group)
    taken = {k: iter(v) for k, v in by_x.items()}
    shuffled = [next(taken[r[0]]) for r in rows]

    def run(rs: list[tuple[int, int, int]]) -> dict[str, object]:
        x = [MONTHS[r[0]].isoformat() for r in rs]
        y = [r[1] for r in rs]
        n = [r[2] for r in rs] if chart in ("p", "u") else None
        return qic(y, n, x, chart=chart).to_dict()

    assert run(rows) == run(shuffled)


def _brute_force(y: list[float], cl: float) -> tuple[int, int, int]:
    signs = [1 if v > cl else -1 for v in y if not math.isnan(v) and v != cl]
    if not signs:
        return 0, 0, 0
    runs = [len(list(g)) for _, g in itertools.groupby(signs)]
    return len(signs), max(runs), len(runs) - 1


values = st.lists(
    st.one_of(st.integers(-3, 3).map(float), st.just(math.nan)), min_size=0, max_size=40
)


@given(values, st.sampled_from([-1.0, 0.0, 0.5, 1.0]))
def test_runs_statistics_match_brute_force(y: list[float], cl: float) -> None:
    yv = np.array(y, dtype=float)
    res = runs_analysis(yv, np.full(yv.size, cl), np.ones(yv.size, dtype=bool))
    n_useful, longest, crossings = _brute_force(y, cl)
    assert (res.n_useful, res.longest_run, res.n_crossings) == (n_useful, longest, crossings)
    assert res.n_obs == len(y)
    if yv.size:
        nu, lr, lrm, nc, ncm, sig, _ = runs_analysis_batch(yv[None, :], np.array([cl]))
        assert (nu[0], lr[0], nc[0]) == (n_useful, longest, crossings)
        if n_useful:
            assert (lrm[0], ncm[0], bool(sig[0])) == (
                res.longest_run_max, res.n_crossings_min, res.runs_signal
            )


@given(st.lists(st.lists(st.integers(0, 30), min_size=12, max_size=12), min_size=1,
                max_size=6))
def test_batch_p_and_u_charts_equal_single_charts(ys: list[list[int]]) -> None:
    y = np.array(ys, dtype=float)
    n = np.full_like(y, 30.0)
    n[:, ::3] = 45.0
    for batch, chart in ((p_chart_batch(y, n), "p"), (u_chart_batch(y, n), "u")):
        for s in range(y.shape[0]):
            if y[s].sum() == 0:
                continue
            single = qic(y[s], n[s], chart=chart)
            assert math.isclose(batch.cl[s], single.points[0].cl or 0.0, rel_tol=1e-12)
            np.testing.assert_allclose(batch.ucl[s], single.array("ucl"), rtol=1e-12)
            np.testing.assert_allclose(batch.lcl[s], single.array("lcl"), rtol=1e-12,
                                       atol=1e-15)
            assert list(batch.sigma_signal[s]) == [p.sigma_signal for p in single.points]
            r = single.runs[0]
            assert (batch.longest_run[s], batch.n_crossings[s], bool(batch.runs_signal[s])) == (
                r.longest_run, r.n_crossings, r.runs_signal
            )
