"""Survey measures (PRAMS, BRFSS): a weighted estimate with its standard error or 95 % CI,
never a numerator and denominator, through every path that stores values."""

from __future__ import annotations

import csv
import io as stdio
from decimal import Decimal

import pytest
from django.utils import timezone

from coiin.measures import io, services
from coiin.measures.catalog import PRAMS
from coiin.measures.models import DataValue, Measure, Stratum
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry, check_entries

from .test_io_import import refused, run

SURVEY_HEADER = ",".join((*io.COLUMNS, *io.SURVEY_COLUMNS))


def survey_csv(*lines: str) -> bytes:
    return ("\n".join([SURVEY_HEADER, *lines]) + "\n").encode()


def issues(entry: Entry) -> list[tuple[str, str, str]]:
    return [(i.level, i.field, i.message) for i in check_entries([entry])]


def unsaved(code: str, data_source: str, **kw) -> Measure:
    """A catalog-like measure, not stored: the checks need no database."""
    return Measure(code=code, name=code, type="ratio", multiplier=100, unit="%",
                   data_source=data_source, **kw)


@pytest.fixture
def back() -> Measure:
    """As the catalog's SS-BACK: PRAMS, a percentage, by race and ethnicity."""
    return unsaved("SS-BACK", PRAMS, stratification="race_ethnicity", expected_min=40,
                   expected_max=100)


@pytest.fixture
def stored_back(catalog):
    return catalog["SS-BACK"]


# -- the checks ----------------------------------------------------------------------


def test_an_estimate_with_its_standard_error_or_interval_is_good(back):
    assert issues(Entry(back, "2015", value="78.4", standard_error="1.9")) == []
    assert issues(Entry(back, "2015", value="78.4", ci_lower="74.6", ci_upper="82.1",
                        sample_size="1,203")) == []


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"value": "78", "standard_error": "-1"}, "standard_error", "-1 is negative"),
    ({"value": "78", "ci_lower": "80", "ci_upper": "85"}, "ci_lower",
     "the 95 % CI 80–85 % does not contain the estimate 78 %"),
    ({"value": "88", "ci_lower": "80", "ci_upper": "85"}, "ci_upper",
     "the 95 % CI 80–85 % does not contain the estimate 88 %"),
    ({"value": "78", "ci_lower": "85", "ci_upper": "80"}, "ci_lower",
     "85 is above the upper end 80"),
    ({"value": "104", "standard_error": "2"}, "value", "the estimate 104 is outside 0–100 %"),
    ({"value": "78", "ci_lower": "74"}, "ci_upper",
     "is missing; give both ends of the 95 % CI"),
    ({"value": "78"}, "standard_error",
     "give the estimate's standard error or its 95 % CI (lower and upper)"),
    ({"standard_error": "2"}, "value", "the weighted estimate is missing"),
    ({"value": "78", "standard_error": "2", "sample_size": "10.5"}, "sample_size",
     "10.5 is not a whole number of respondents"),
    ({"numerator": "780", "denominator": "1000"}, "numerator",
     "SS-BACK is a survey measure: give its weighted estimate (value) with a standard "
     "error or 95 % CI, not a numerator and denominator"),
])
def test_survey_errors_name_the_field(back, given, field, message):
    assert ("error", field, message) in issues(Entry(back, "2015", **given))


def test_only_survey_measures_take_a_standard_error():
    crib = unsaved("SS-CRIB", "Hospital records")
    assert issues(Entry(crib, "2015-03", numerator="40", denominator="50",
                        standard_error="2")) == [
        ("error", "standard_error", "only survey measures have a standard error, confidence "
                                    "interval or unweighted n; SS-CRIB is not one")]


def test_a_strata_estimate_need_not_add_up_to_the_total(back):
    black = Stratum(kind=back.stratification, code="nh-black", label="Non-Hispanic Black")
    assert check_entries([Entry(back, "2015", value="80", standard_error="1"),
                          Entry(back, "2015", stratum=black, value="65",
                                standard_error="3")]) == []


def test_the_interval_is_the_one_given_or_196_standard_errors(back):
    given = DataValue(measure=back, value=Decimal("78"), ci_lower=Decimal("70"),
                      ci_upper=Decimal("81"))
    assert given.interval == (Decimal("70"), Decimal("81"))
    wald = DataValue(measure=back, value=Decimal("78"), standard_error=Decimal("2"))
    assert wald.interval == (Decimal("74.08"), Decimal("81.92"))
    # A percentage's interval stays within 0-100.
    high = DataValue(measure=back, value=Decimal("99"), standard_error=Decimal("2"))
    assert high.interval == (Decimal("95.08"), Decimal("100"))
    assert given.result == Decimal("78")


# -- the import and the export -------------------------------------------------------


def test_the_import_stores_estimates_and_lists_every_bad_row(chosen):
    assert refused(survey_csv(
        "GA,safe-sleep,SS-BACK,2015,,,78.4,,,-1,,,",
        "GA,safe-sleep,SS-BACK,2015,,,78.4,nh-black,,,80,85,",
        "GA,safe-sleep,SS-BACK,2016,780,1000,,,,,,,",
        "GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,2,,,",
    )) == [
        "row 2, standard_error: -1 is negative",
        "row 3, ci_lower: the 95 % CI 80–85 % does not contain the estimate 78.4 %",
        "row 4, numerator: SS-BACK is a survey measure: give its weighted estimate (value) "
        "with a standard error or 95 % CI, not a numerator and denominator",
        "row 5, standard_error: only survey measures have a standard error, confidence "
        "interval or unweighted n; SS-CRIB is not one",
    ]
    assert not DataValue.objects.exists()
    data = survey_csv("GA,safe-sleep,SS-BACK,2015,,,78.4,,,1.9,,,1203",
                      "GA,safe-sleep,SS-BACK,2015,,,64.1,nh-black,,,58.2,70.0,")
    assert run(data).created == 2
    total = DataValue.objects.get(stratum=None)
    assert (total.value, total.standard_error, total.sample_size) == (
        Decimal("78.4"), Decimal("1.9"), 1203)
    black = DataValue.objects.get(stratum__code="nh-black")
    assert (black.ci_lower, black.ci_upper, black.standard_error) == (
        Decimal("58.2"), Decimal("70.0"), None)
    assert run(data).unchanged == 2  # the same again changes nothing
    # A changed interval is a change.
    assert run(survey_csv("GA,safe-sleep,SS-BACK,2015,,,78.4,,,2.1,,,1203")).changed == 1
    assert DataValue.objects.get(stratum=None).standard_error == Decimal("2.1")


def test_the_export_carries_the_estimates_and_imports_back(chosen):
    run(survey_csv("GA,safe-sleep,SS-BACK,2015,,,78.4,,,1.9,74.7,82.1,1203"))
    out = stdio.StringIO()
    io.write_csv(io.export_rows(io.submissions_in()), out)
    rows = list(csv.DictReader(stdio.StringIO(out.getvalue())))
    assert [(r["value"], r["standard_error"], r["ci_lower"], r["ci_upper"], r["sample_size"],
             r["numerator"]) for r in rows] == [("78.4", "1.9", "74.7", "82.1", "1203", "")]
    DataValue.objects.all().delete()
    assert run(out.getvalue().encode()).created == 1
    assert DataValue.objects.get().ci_upper == Decimal("82.1")


# -- the entry form ------------------------------------------------------------------


@pytest.fixture
def year(settings):
    settings.REPORTING_GRACE_DAYS = 800
    return Period.containing(timezone.localdate(), Frequency.YEARLY).previous()


def test_the_entry_form_asks_a_survey_measure_for_its_estimate_and_interval(
        client, data_lead, chosen, year):
    client.force_login(data_lead)
    url = f"/networks/safe-sleep/ga/data/{year.label}/"
    html = client.get(url).content.decode()
    assert 'name="m-SS-BACK-val"' in html and 'name="m-SS-BACK-se"' in html
    assert 'name="m-SS-BACK-lo"' in html and 'name="m-SS-BACK-hi"' in html
    assert 'name="m-SS-BACK-num"' not in html  # no numerator for a weighted estimate
    assert 'name="m-SUID-num"' in html
    bad = client.post(url, {"version": "0", "action": "save", "m-SS-BACK-val": "78",
                            "m-SS-BACK-lo": "80", "m-SS-BACK-hi": "85"})
    assert bad.status_code == 400
    assert "does not contain the estimate 78 %" in bad.content.decode()
    assert not DataValue.objects.exists()
    good = client.post(url, {"version": "0", "action": "save", "m-SS-BACK-val": "78",
                             "m-SS-BACK-lo": "74", "m-SS-BACK-hi": "82",
                             "m-SS-BACK-n": "950"})
    assert good.status_code == 302
    value = DataValue.objects.get()
    assert (value.value, value.ci_lower, value.ci_upper, value.sample_size,
            value.numerator) == (Decimal("78"), Decimal("74"), Decimal("82"), 950, None)
    assert 'value="74"' in client.get(url).content.decode()


def test_a_page_save_keeps_the_history_of_an_estimate(team, data_lead, chosen, stored_back,
                                                     year):
    back = stored_back
    sub = services.submission_for(team, year)
    services.save_values(submission=sub, user=data_lead, expected_version=0, today=year.end,
                         entries=[Entry(back, year.label, value="78", standard_error="2")])
    sub.refresh_from_db()
    services.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                         today=year.end,
                         entries=[Entry(back, year.label, value="78", standard_error="2.5")])
    history = DataValue.history.order_by("history_date")
    assert [(h.history_type, h.standard_error) for h in history] == [
        ("+", Decimal("2")), ("~", Decimal("2.5"))]


def test_the_catalog_says_which_measures_are_survey_based(client, catalog):
    html = client.get("/measures/").content.decode()
    row = html[html.index("Infants placed to sleep on their backs"):]
    assert "SS-BACK · survey-based" in row[:400]
    assert "SS-CRIB · survey-based" not in html
    page = client.get("/measures/PC-WELLWOMAN/").content.decode()
    assert "Survey-based" in page and "weighted estimate" in page
    assert "Survey-based" not in client.get("/measures/SS-CRIB/").content.decode()


def test_the_import_template_has_the_survey_columns_filled_from_what_is_stored(
        client, data_lead, team, chosen):
    run(survey_csv("GA,safe-sleep,SS-BACK,2015,,,78.4,,,1.9,,,1203"))
    client.force_login(data_lead)
    body = client.get(f"/data/import/template/?team={team.pk}&period=2015").content.decode()
    rows = list(csv.DictReader(stdio.StringIO(body)))
    assert tuple(rows[0]) == (*io.COLUMNS, *io.SURVEY_COLUMNS)
    back = next(r for r in rows if r["measure"] == "SS-BACK" and not r["stratum"])
    assert (back["value"], back["standard_error"], back["sample_size"], back["numerator"]) == (
        "78.4", "1.9", "1203", "")
