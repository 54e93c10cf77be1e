"""Reporting periods parse, print and step as people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.measures.periods import Frequency, Period, PeriodError, periods_between


@pytest.mark.parametrize(("label", "start", "frequency", "end"), [
    ("2015-03", dt.date(2015, 3, 1), Frequency.MONTHLY, dt.date(2015, 3, 31)),
    ("2016-02", dt.date(2016, 2, 1), Frequency.MONTHLY, dt.date(2016, 2, 29)),
    ("2015-Q1", dt.date(2015, 1, 1), Frequency.QUARTERLY, dt.date(2015, 3, 31)),
    ("2015-q4", dt.date(2015, 10, 1), Frequency.QUARTERLY, dt.date(2015, 12, 31)),
    ("2015-H2", dt.date(2015, 7, 1), Frequency.HALF_YEARLY, dt.date(2015, 12, 31)),
    ("2015", dt.date(2015, 1, 1), Frequency.YEARLY, dt.date(2015, 12, 31)),
])
def test_labels_parse_and_round_trip(label, start, frequency, end):
    period = Period.parse(label)
    assert (period.start, period.frequency, period.end) == (start, frequency, end)
    assert period.label == label.upper() if "q" in label else period.label == label


@pytest.mark.parametrize("label", ["2015-13", "2015-00", "2015-Q5", "2015-H3", "15-03", "",
                                   "March 2015", "2015/03"])
def test_bad_labels_say_what_is_expected(label):
    with pytest.raises(PeriodError, match="use 2015-03 \\(month\\), 2015-Q1"):
        Period.parse(label)


def test_a_period_must_start_on_its_boundary():
    with pytest.raises(PeriodError, match="does not start a quarterly period"):
        Period(dt.date(2015, 2, 1), Frequency.QUARTERLY)


def test_next_previous_and_ranges():
    assert Period.parse("2015-12").next().label == "2016-01"
    assert Period.parse("2016-Q1").previous().label == "2015-Q4"
    labels = [p.label for p in periods_between(Period.parse("2015-Q3"), Period.parse("2016-Q2"))]
    assert labels == ["2015-Q3", "2015-Q4", "2016-Q1", "2016-Q2"]


def test_containing_and_due_dates():
    period = Period.containing(dt.date(2017, 5, 17), Frequency.QUARTERLY)
    assert period.label == "2017-Q2"
    assert period.due_date(30) == dt.date(2017, 7, 30)


def test_display_names():
    assert Period.parse("2015-03").display == "March 2015"
    assert Period.parse("2015-Q1").display == "Q1 2015"
    assert Period.parse("2015").display == "2015"
