"""Public API behaviour: input handling, errors, summaries, MDC and runcharter options."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from coiin.spc import (
    SPCInputError,
    p_chart_batch,
    qic,
    runcharter_signals,
    runs_analysis,
)


def months(k: int, start: int = 2015) -> list[dt.date]:
    return [dt.date(start + i // 12, i % 12 + 1, 1) for i in range(k)]


def test_error_is_a_value_error_with_location() -> None:
    with pytest.raises(SPCInputError) as info:
        qic([3, 4, -1, 5], chart="c")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.row, err.field) == (3, "y")
    assert str(err) == "row 3: y is -1; a c chart needs counts that are not negative"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": [5, 12, 3], "n": [10, 10, 10], "chart": "p"},
         "row 2: y (12) is above n (10); a proportion cannot exceed 1"),
        ({"y": [5, 0, 3], "chart": "t"},
         "row 2: y is 0; a t chart needs times between events above 0"),
        ({"y": [5, 4, 3], "n": [10, -1, 10], "chart": "u"},
         "row 2: n is -1; denominators cannot be negative"),
        ({"y": [5, 4, 3], "n": [10, 0, 10], "chart": "u"}, "row 2: n is 0 but y is 4"),
        ({"y": [1, 2, 3], "chart": "i", "freeze": 4},
         "freeze = 4 is longer than the series (3 subgroups)"),
        ({"y": [1], "chart": "i"},
         "an i chart needs at least 2 non-missing baseline points, got 1"),
        ({"y": [1, 2, 3, 4], "chart": "i", "part": [2, 3], "exclude": [3, 4]},
         "an i chart needs at least 2 non-missing baseline points in part 2, got 0"),
        ({"y": [1, 2, 3], "chart": "xbar"},
         "an xbar chart needs at least one baseline subgroup with 2 or more values"),
        ({"y": [1, 2, 3], "chart": "i", "part": 3},
         "part: 3 is the last subgroup; a part boundary must leave points after it"),
        ({"y": [1, 2, 3], "chart": "i", "exclude": [0]}, "exclude: subgroup 0 is outside 1..3"),
        ({"y": [1, 2, 3], "chart": "zz"}, "unknown chart 'zz'"),
        ({"y": [1, 2, "x"], "chart": "i"}, "row 3: y is 'x', not a number"),
        ({"y": [1, 2, 3], "x": ["2020-01-01", None, "2020-03-01"], "chart": "i"},
         "row 2: x is missing"),
        ({"y": list(range(20)), "chart": "i", "rules": "mdc", "freeze": 10},
         "freeze (fix_after_n_points) must be at least 12"),
        ({"y": list(range(20)), "chart": "i", "freeze": 5, "part": 10},
         "freeze and part cannot be combined"),
        ({"y": [1, 2, 3], "chart": "c", "n": [1, 1, 1]}, "a c chart takes no denominators"),
    ],
)
def test_invalid_input_messages(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SPCInputError, match=None) as info:
        qic(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_rows_with_the_same_x_are_aggregated() -> None:
    x = ["2020-02-01", "2020-01-01", "2020-02-01", "2020-01-01"]
    chart = qic([1, 2, 3, 4], [10, 10, 20, 10], x, chart="p")
    assert [p.x for p in chart.points] == [dt.date(2020, 1, 1), dt.date(2020, 2, 1)]
    assert [p.y for p in chart.points] == [6 / 20, 4 / 30]
    assert [p.n for p in chart.points] == [20, 30]
    assert chart.points[0].cl == pytest.approx(10 / 50)


def test_subgroup_charts_use_individual_values() -> None:
    x = [1, 1, 1, 2, 2, 2, 3, 3, 3]
    y = [1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 1.0, 2.0]
    xbar = qic(y, x=x, chart="xbar")
    assert [p.y for p in xbar.points] == [2.0, 4.0, 1.0]
    assert xbar.points[0].cl == pytest.approx(7 / 3)
    s = qic(y, x=x, chart="s")
    assert [p.y for p in s.points] == pytest.approx([1.0, 2.0, 1.0])


def test_missing_values_are_allowed() -> None:
    y = [5.0, None, 7.0, math.nan, 6.0, 8.0, 5.0, 7.0]
    chart = qic(y, chart="i")
    assert chart.points[1].y is None and chart.points[3].y is None
    assert chart.points[1].cl == pytest.approx(38 / 6)
    # Missing values produce missing moving ranges, which are dropped: MRs are |6-8|, |8-5|,
    # |5-7|, so sigma = (2 + 3 + 2) / 3 / 1.128.
    assert chart.points[0].ucl == pytest.approx(38 / 6 + 3 * (7 / 3) / 1.128)
    assert chart.runs[0].n_obs == 8 and chart.runs[0].n_useful == 6
    json.dumps(chart.to_dict(), allow_nan=False)


def test_dates_as_date_objects_and_summary_wording() -> None:
    y = [10, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 15, 16, 15, 17, 16, 15, 16, 17, 15]
    chart = qic(y, x=months(len(y)), chart="i", direction="increase")
    assert chart.points[0].to_dict()["x"] == "2015-01-01"
    assert chart.summary.startswith(
        "Upward shift (improvement): 9 points above the centre line from 2016-01 "
        "(after 12 points below it from 2015-01); too few crossings of the centre line"
    )
    assert chart.summary.endswith(
        "2 points above the upper limit (2016-04 and 2016-08; improvement)"
    )
    calm = qic([5, 6, 5, 4, 6, 5, 4, 6, 5, 6, 4, 5], x=months(12), chart="i")
    assert calm.summary == (
        "Random variation around the centre line (no long runs, enough crossings); "
        "no points outside the limits"
    )


def test_summary_mentions_points_outside_limits() -> None:
    y = [10, 11, 9, 10, 12, 10, 9, 11, 10, 40, 10, 11, 9, 10, 11, 10]
    chart = qic(y, x=[f"2020-{m:02d}-15" for m in range(1, 13)] + [
        f"2021-{m:02d}-15" for m in range(1, 5)], chart="i")
    assert "1 point above the upper limit (2020-10-15)" in chart.summary


def test_labels_make_a_funnel_plot_without_runs_signals() -> None:
    y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    labels = [f"unit {chr(65 + i)}" for i in range(20)]
    chart = qic(y, [100] * 20, labels, chart="u")
    assert chart.funnel and chart.x_kind == "label"
    assert chart.runs[0].longest_run == 10 and chart.runs[0].runs_signal is False
    assert [p.x for p in chart.points] == labels  # order of first appearance
    assert qic(y, [100] * 20, labels, chart="u", funnel=False).runs[0].runs_signal is True


def test_freeze_exclude_and_part_flags() -> None:
    y = list(range(1, 21))
    chart = qic(y, chart="i", freeze=10, exclude=[3])
    assert [p.baseline for p in chart.points] == [True] * 10 + [False] * 10
    assert [p.include for p in chart.points] == [i != 2 for i in range(20)]
    assert chart.points[0].cl == pytest.approx((55 - 3) / 9)
    parts = qic(y, chart="run", part=[5, 12])
    assert [p.part for p in parts.points] == [1] * 5 + [2] * 7 + [3] * 8
    assert [r.part for r in parts.runs] == [1, 2, 3]
    assert [parts.points[i].cl for i in (0, 5, 12)] == [3, 9, 16.5]


def test_mdc_rules_on_other_charts_and_defaults() -> None:
    y = [10, 12, 9, 11, 10, 8, 12, 9, 11, 10, 9, 11, 14, 15, 14, 15, 14, 15, 14, 15]
    chart = qic(y, x=months(20), chart="c", rules="mdc")
    assert chart.direction == "increase"
    assert chart.points[-1].special_cause_type == "7 Points Above CL"
    assert chart.variation == "special_cause_improvement"
    assert chart.assurance is None
    d = chart.to_dict()
    assert list(d) == ["chart", "points", "runs", "summary", "variation", "assurance"]
    assert list(d["points"][0])[-2:] == ["special_cause_flag", "point_type"]


def test_mdc_rebase_with_fixed_baseline_per_part() -> None:
    y = [float(v % 5) for v in range(40)]
    chart = qic(y, chart="i", rules="mdc", part=[20], freeze=12)
    assert [p.baseline for p in chart.points[18:34]] == [False, False] + [True] * 12 + [
        False, False]
    assert chart.warnings == []


def test_run_chart_on_the_median_points_dropped() -> None:
    chart = qic([3, 5, 5, 7, 5, 2, 8, 9, 5, 1, 6, 4])
    (r,) = chart.runs
    assert (r.n_obs, r.n_useful, r.longest_run, r.n_crossings) == (12, 8, 2, 6)
    assert chart.to_dict()["runs"][0] == {
        "part": 1, "n_obs": 12, "n_useful": 8, "longest_run": 2, "longest_run_max": 6,
        "n_crossings": 6, "n_crossings_min": 1, "runs_signal": False,
    }


def test_runs_analysis_all_on_centre_line() -> None:
    res = runs_analysis(np.ones(5), np.ones(5), np.ones(5, dtype=bool))
    assert (res.n_useful, res.longest_run_max, res.runs_signal) == (0, None, False)


def test_batch_validation_names_series_and_point() -> None:
    y = np.array([[1.0, 2.0], [3.0, 9.0]])
    n = np.array([[5.0, 5.0], [5.0, 5.0]])
    with pytest.raises(SPCInputError, match="series 2, point 2: y is above n"):
        p_chart_batch(y, n)


def test_runcharter_basic_rebase() -> None:
    y = [5, 6, 5, 4, 6, 5, 4, 5, 6] + [9] * 9 + [9, 10, 11]
    segs = runcharter_signals(y, months(len(y)), med_rows=9, runlength=9)
    assert [s.run_type for s in segs] == ["baseline", "sustained"]
    assert segs[0].median == 5 and segs[1].median == 9
    assert segs[1].start == dt.date(2015, 10, 1) and segs[1].end == dt.date(2016, 6, 1)
    assert segs[0].extend_to == segs[1].start
    assert runcharter_signals(y, months(len(y)), med_rows=9, direction="below")[0].run_type == (
        "baseline"
    )
    with pytest.raises(SPCInputError, match="direction must be one of"):
        runcharter_signals(y, direction="sideways")
