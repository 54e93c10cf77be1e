"""Every validation rule: errors block, warnings ask for a reason; messages say where."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coiin.measures.models import Stratum
from coiin.measures.validation import Entry, check_entries


def issues_for(entries, history=None):
    return [(i.level, i.field, str(i)) for i in check_entries(entries, history)]


@pytest.fixture
def back(catalog):
    return catalog["PC-POSTPARTUM"]


def test_a_good_proportion_has_no_issues(back):
    assert issues_for([Entry(back, "2015", numerator="780", denominator="1,000")]) == []


def test_numerator_above_denominator_is_an_error_naming_measure_period_and_field(back):
    assert issues_for([Entry(back, "2015", numerator="120", denominator="100")]) == [
        ("error", "numerator",
         "PC-POSTPARTUM 2015, numerator: 120 is more than the denominator 100")]


def test_rates_may_have_numerators_above_denominators(catalog):
    ratio = catalog["SD-BW-RATIO"]
    assert issues_for([Entry(ratio, "2015", numerator="11.2", denominator="4.9")]) == []


@pytest.mark.parametrize(("num", "den", "field", "message"), [
    ("", "100", "numerator", "is missing"),
    ("5", "", "denominator", "is missing"),
    ("-1", "100", "numerator", "-1 is negative"),
    ("5", "0", "denominator", "0 must be more than 0"),
    ("five", "100", "numerator", "'five' is not a number"),
    ("5", "NaN", "denominator", "'NaN' is not a number"),
])
def test_ratio_errors(back, num, den, field, message):
    got = issues_for([Entry(back, "2015", numerator=num, denominator=den)])
    assert ("error", field, f"PC-POSTPARTUM 2015, {field}: {message}") in got


def test_a_ratio_wants_numerator_and_denominator_not_a_value(back):
    assert issues_for([Entry(back, "2015", value="78")]) == [
        ("error", "value",
         "PC-POSTPARTUM 2015, value: give the numerator and denominator, not a value")]


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("12", True), ("12.0", True),
                                           ("2.5", False), ("-3", False)])
def test_counts_are_whole_numbers_of_zero_or_more(catalog, value, ok):
    got = issues_for([Entry(catalog["SC-QUITLINE"], "2015-03", value=value)])
    assert (got == []) is ok
    if not ok:
        assert got[0][2].endswith("is not a whole number of 0 or more")


def test_blank_entries_are_fine(back):
    assert issues_for([Entry(back, "2015")]) == []


def test_out_of_range_is_a_warning(catalog):
    imr = catalog["IMR"]
    got = issues_for([Entry(imr, "2015-Q1", numerator="40", denominator="1000")])
    assert got == [("warning", "value", "IMR 2015-Q1, value: 40 per 1,000 live births is "
                    "outside the expected range 0 to 25")]


def test_a_sudden_jump_against_the_teams_history_is_a_warning(back):
    history = {("PC-POSTPARTUM", ""): [70.0, 72.0, 71.0, 73.0, 72.0]}
    got = issues_for([Entry(back, "2016", numerator="95", denominator="100")], history)
    assert got == [("warning", "value",
                    "PC-POSTPARTUM 2016, value: 95 % is a sudden jump from this "
                    "team's recent values (mean 71.6 %)")]
    assert issues_for([Entry(back, "2016", numerator="74", denominator="100")], history) == []


def test_strata_must_add_up_to_the_total(catalog):
    back = catalog["PC-POSTPARTUM"]
    black = Stratum.objects.get(kind="race_ethnicity", code="nh-black")
    white = Stratum.objects.get(kind="race_ethnicity", code="nh-white")
    entries = [
        Entry(back, "2015", numerator="80", denominator="100"),
        Entry(back, "2015", stratum=black, numerator="30", denominator="40"),
        Entry(back, "2015", stratum=white, numerator="45", denominator="60"),
    ]
    assert issues_for(entries) == [
        ("error", "numerator",
         "PC-POSTPARTUM 2015, numerator: the strata add up to 75, not the total 80"),
    ]
    entries[0].numerator = "75"
    assert issues_for(entries) == []


def test_strata_on_an_unstratified_measure_are_refused(catalog):
    black = Stratum.objects.get(kind="race_ethnicity", code="nh-black")
    got = issues_for([Entry(catalog["SS-CRIB"], "2015-03", stratum=black, numerator="1",
                            denominator="2")])
    assert got == [("error", "stratum", "SS-CRIB 2015-03 [Non-Hispanic Black], stratum: "
                    "SS-CRIB is not reported by stratum")]


def test_categorical_answers_must_be_allowed(catalog):
    measure = catalog["SS-CRIB"]
    measure.type, measure.categories = "categorical", ["Yes", "No"]
    assert issues_for([Entry(measure, "2015-03", text="Yes")]) == []
    assert issues_for([Entry(measure, "2015-03", text="Maybe")])[0][2].endswith(
        "'Maybe' is not one of: Yes, No")


def test_parsed_numbers_are_left_on_the_entry(back):
    entry = Entry(back, "2015", numerator="1,234", denominator="2000")
    check_entries([entry])
    assert entry.parsed == {"numerator": Decimal("1234"), "denominator": Decimal("2000"),
                            "value": None, "standard_error": None, "ci_lower": None,
                            "ci_upper": None, "sample_size": None}


def test_row_numbers_appear_in_import_messages(back):
    got = check_entries([Entry(back, "2015", numerator="9", denominator="5", row=7)])
    assert str(got[0]) == "row 7, PC-POSTPARTUM 2015, numerator: 9 is more than the denominator 5"
