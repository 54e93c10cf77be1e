"""Where a pooled chart starts a new phase: a change in the set pooled that lasts, not a
period one jurisdiction skipped or a latest period not everyone has reported yet."""

from __future__ import annotations

import datetime as dt

from coiin.charts.pooled import membership_phases


def _quarters(counts: list[int]) -> list[tuple[dt.date, int]]:
    """Quarters from 2012-Q3 with these numbers pooled."""
    return [
        (dt.date(2012 + (6 + 3 * k) // 12, (6 + 3 * k) % 12 + 1, 1), n)
        for k, n in enumerate(counts)
    ]


def test_a_lasting_change_starts_a_phase_with_its_reason():
    counts = _quarters([13] * 4 + [19] * 4 + [59] * 13 + [40])
    phases = membership_phases(counts)
    assert [(p.starts, p.reason) for p in phases] == [
        (dt.date(2013, 7, 1), "19 jurisdictions pooled, up from 13 as a cohort joined"),
        (dt.date(2014, 7, 1), "59 jurisdictions pooled, up from 19 as a cohort joined"),
    ]


def test_a_skipped_period_a_short_first_phase_and_a_partial_latest_one_start_none():
    assert membership_phases(_quarters([5] * 6 + [4] + [5] * 6)) == []  # one period short
    assert membership_phases(_quarters([5] * 2 + [9] * 10)) == []  # too few before
    assert membership_phases(_quarters([9] * 10 + [7] * 3)) == []  # not reported yet
    (phase,) = membership_phases(_quarters([9] * 5 + [7] * 5), "teams")
    assert phase.reason == "7 teams pooled, down from 9"
