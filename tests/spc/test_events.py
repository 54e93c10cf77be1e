"""g and t charts of an event log, against qicharts2's cabg deaths (tests/data/spc, copied
from the shared SPC reference: qic_g_cabg_surgeries_between_deaths and
qic_t_cabg_days_between_deaths), and the log's checks."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.spc import SPCInputError, default_event_chart, event_chart, gaps

from .reference import REF, assert_close, load_expected, read_csv


def _log() -> tuple[list[dt.date], list[float | None], list[dict]]:
    _, rows = read_csv(REF / "qic_g_cabg_surgeries_between_deaths.csv")
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    # Surgeries since the previous death, as a team would log births since the previous
    # event: the difference of the running surgery numbers (the case's dd column).
    counts = [None] + [float(int(b["surgery_no"]) - int(a["surgery_no"]))
                       for a, b in zip(rows, rows[1:], strict=False)]
    return dates, counts, rows


@pytest.mark.parametrize(("kind", "case"), [
    ("g", "qic_g_cabg_surgeries_between_deaths.expected.json"),
    ("t", "qic_t_cabg_days_between_deaths.expected.json")])
def test_event_log_charts_match_qicharts2(kind, case):
    dates, counts, rows = _log()
    assert counts[1:] == [float(r["dd"]) for r in rows[1:]]  # the case's own column
    chart = event_chart(kind, dates, counts)
    expected = load_expected(case)["computed"]
    assert len(chart.points) == len(expected["points"]) == 68
    for got, exp in zip(chart.to_dict()["points"], expected["points"], strict=True):
        where = f"{kind} event {exp['x']}"
        assert got["x"] == exp["x"]
        for key in ("y", "cl", "lcl", "ucl"):
            assert_close(got[key], exp[key], f"{where} {key}")
        assert got["sigma_signal"] is exp["sigma_signal"], where
    flagged = [i + 1 for i, p in enumerate(chart.points) if p.sigma_signal]
    assert flagged == expected["sigma_signal_points_1based"] == [25]
    runs = expected["runs_analysis"][0]
    assert (chart.runs[0].longest_run, chart.runs[0].n_crossings) == (
        runs["longest_run"], runs["n_crossings"])


def test_gaps_by_hand():
    d = [dt.date(2024, 1, 1), dt.date(2024, 1, 31), dt.date(2024, 1, 31),
         dt.date(2024, 3, 1)]
    found = gaps(d, [12, 250, None, 90])
    assert found.days == [None, 30.0, 0.0, 30.0]  # 2024 is a leap year: Feb has 29 days
    assert found.counts == [12.0, 250.0, None, 90.0]
    assert default_event_chart(found.counts) == "t"  # the third gap's births are unknown
    assert default_event_chart([None, 5, 7]) == "g"


def test_bad_logs_name_the_event():
    with pytest.raises(SPCInputError, match="event 2: 2024-01-01 is before event 1"):
        gaps([dt.date(2024, 2, 1), dt.date(2024, 1, 1)])
    with pytest.raises(SPCInputError, match="event 3: a negative count"):
        gaps([dt.date(2024, 1, 1)] * 3, [1, 2, -1])
    with pytest.raises(SPCInputError, match="at least two gaps"):
        event_chart("t", [dt.date(2024, 1, 1), dt.date(2024, 2, 1)])
    with pytest.raises(SPCInputError, match="g or t chart"):
        event_chart("p", [dt.date(2024, 1, 1)])


def test_events_on_one_day_are_half_a_day_apart_on_a_t_chart():
    d = [dt.date(2024, 1, 1), dt.date(2024, 1, 11), dt.date(2024, 1, 11),
         dt.date(2024, 1, 31)]
    chart = event_chart("t", d)
    assert [p.y for p in chart.points] == [None, 10.0, 0.5, 20.0]
    assert chart.warnings == ["events on the same day are taken as half a day apart"]
