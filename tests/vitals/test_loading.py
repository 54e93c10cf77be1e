"""Loading official figures: all or nothing, idempotent, every bad row listed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coiin.vitals import services
from coiin.vitals.models import Item, SourceKind, Status, VitalFigure, VitalsLoad

from .conftest import CDC_CLEAN, CDC_RAW, NVSS, WONDER

RAW_HEADER = "YEAR,STATE,RATE,DEATHS,URL"


def load(path, **kwargs):
    return services.load_file(data=path.read_bytes(), file_name=path.name, **kwargs)


def refused(path, **kwargs) -> list[str]:
    """The problems a refused load lists, after checking it stored nothing."""
    before = (VitalFigure.objects.count(), VitalsLoad.objects.count())
    with pytest.raises(services.LoadRefused) as caught:
        load(path, **kwargs)
    assert (VitalFigure.objects.count(), VitalsLoad.objects.count()) == before
    return caught.value.problems


def test_the_cdc_file_stores_one_infant_death_count_per_state_year(reference):
    result = load(CDC_CLEAN)
    assert (result.source, result.rows, result.added, result.unchanged) == (
        SourceKind.CDC_SOS, 400, 400, 0)
    ga = VitalFigure.objects.get(jurisdiction__postal_code="GA", year=2018)
    assert (ga.item, ga.value, ga.published_rate, ga.rate_unit, ga.status) == (
        Item.INFANT_DEATHS, 889, Decimal("7.05"), "per_1000_live_births", Status.FINAL)
    assert ga.load == result.load and ga.load.row_count == 400
    assert len(ga.load.sha256) == 64 and ga.load.file_name == CDC_CLEAN.name


def test_vermont_rates_cdc_did_not_publish_are_stored_as_unreliable_without_a_rate(
        reference):
    load(CDC_RAW)
    vt = {f.year: f for f in VitalFigure.objects.filter(jurisdiction__postal_code="VT")}
    assert (vt[2019].value, vt[2019].published_rate, vt[2019].unreliable) == (15, None, True)
    # Published as "0" with 18 deaths: CDC's way of not showing a rate.
    assert (vt[2020].value, vt[2020].published_rate, vt[2020].unreliable) == (18, None, True)
    assert (vt[2016].value, vt[2016].published_rate, vt[2016].unreliable) == (
        20, Decimal("3.47"), False)


def test_loading_the_same_file_twice_changes_nothing_and_says_so(reference):
    first = load(NVSS)
    second = load(NVSS)
    assert second.already_loaded and second.load == first.load
    assert "already loaded" in second.summary() and "nothing changed" in second.summary()
    assert VitalsLoad.objects.count() == 1
    assert VitalFigure.objects.count() == 510


def test_the_raw_and_cleaned_cdc_files_hold_the_same_figures(reference):
    load(CDC_CLEAN)
    again = load(CDC_RAW)
    assert (again.added, again.unchanged) == (0, 400)
    assert VitalFigure.objects.count() == 400
    assert VitalsLoad.objects.count() == 2  # the second file is on record as confirming


def test_a_figure_that_differs_from_a_stored_one_refuses_the_file_listing_each(
        reference, write):
    load(CDC_CLEAN)
    lines = CDC_RAW.read_text().splitlines()
    changed = [line.replace(",403,", ",404,") if line.startswith("2020,AL,") else
               line.replace(",5.07,", ",5.08,") if line.startswith("2020,AK,") else line
               for line in lines]
    problems = refused(write("im_state_table_revised.csv", *changed))
    assert problems == [
        "im_state_table_revised.csv: line 2: AL 2020 infant_deaths: the file says 404, rate "
        "6.99 (final); cdc_nchs_infant_mortality_by_state.csv (loaded "
        f"{VitalsLoad.objects.get().loaded_at:%Y-%m-%d}) says 403, rate 6.99 (final)",
        "im_state_table_revised.csv: line 3: AK 2020 infant_deaths: the file says 48, rate "
        "5.08 (final); cdc_nchs_infant_mortality_by_state.csv (loaded "
        f"{VitalsLoad.objects.get().loaded_at:%Y-%m-%d}) says 48, rate 5.07 (final)",
    ]


def test_a_malformed_file_changes_nothing_and_lists_every_problem(reference, write):
    load(NVSS)
    path = write(
        "bad.csv", RAW_HEADER,
        "2019,GA,7.2,918,/ga.htm",
        "2019,TX,5.4,,/tx.htm",  # a rate with no deaths
        "2019,ZZ,5.0,300,/zz.htm",  # no such state
        "2019,GA,7.3,925,/ga.htm",  # GA 2019 again, with another figure
        "2019,OH,6.9,9x2,/oh.htm",  # not a number
        "20l9,OH,six,,/oh.htm",  # a bad year, a bad rate and no deaths
        "2019,FL,6.0,1300",  # a field short
        "2019,NY,4.4,1000,/ny.htm",  # a good row: not stored either
    )
    assert refused(path) == [
        "bad.csv: line 3, column DEATHS: a rate with no deaths",
        "bad.csv: line 4, column STATE: no jurisdiction with the code, name or FIPS code 'ZZ'",
        "bad.csv: line 5: GA 2019 infant_deaths is also on line 2 with a different figure "
        "(925, rate 7.3 here, 918, rate 7.2 there)",
        "bad.csv: line 6, column DEATHS: '9x2' is not a whole number",
        "bad.csv: line 7, column YEAR: '20l9' is not a year",
        "bad.csv: line 7, column RATE: 'six' is not a number",
        "bad.csv: line 7, column DEATHS: a rate with no deaths",
        "bad.csv: line 8: 4 fields where the header has 5",
    ]


def test_a_file_with_wrong_columns_is_refused_whole(reference, write):
    header = "YEAR,STATE,RATE,DEATH,URL"
    path = write("cols.csv", header, "2019,GA,7.2,918,/ga.htm")
    assert refused(path) == [
        "cols.csv: line 1: not a file this loader knows: expected the columns "
        "YEAR,STATE,RATE,DEATHS,URL or year,state_postal,state_name,state_fips,infant_deaths,"
        "imr_per_1000_live_births,rate_note,cdc_state_page (CDC Stats of the States), "
        "year,state_postal,state_name,state_fips,live_births (NVSS births), or a "
        "tab-separated CDC WONDER export starting with Notes; found "
        "'YEAR,STATE,RATE,DEATH,URL'"]
    assert refused(path, source="cdc-sos") == [
        "cols.csv: line 1: wrong columns for cdc-sos: expected YEAR,STATE,RATE,DEATHS,URL; "
        "missing DEATHS; unexpected DEATH"]
    assert refused(NVSS, source="cdc-sos")[0].startswith(
        "nvss_live_births_by_state_2012_2021.csv: line 1: wrong columns for cdc-sos")


def test_the_cleaned_form_must_name_the_same_state_three_ways(reference, write):
    path = write("clean.csv", CDC_CLEAN.read_text().splitlines()[0],
                 "2019,GA,Georgia,13,918,7.2,,/ga",
                 "2019,GA,Alabama,13,918,7.2,,/ga")
    assert refused(path) == ["clean.csv: line 3, column state_name: 'Alabama' is not GA"]


def test_a_rate_of_zero_with_twenty_or_more_deaths_is_a_problem(reference, write):
    path = write("zero.csv", RAW_HEADER, "2019,GA,0,918,/ga.htm", "2019,CT,7.0,0,/ct.htm")
    assert refused(path) == ["zero.csv: line 2, column RATE: a rate of 0 with 918 deaths",
                             "zero.csv: line 3, column RATE: a rate of 7.0 with 0 deaths"]


def test_a_rate_with_more_than_four_decimal_places_is_a_problem(reference, write):
    path = write("fine.csv", RAW_HEADER, "2019,GA,7.12345,918,/ga.htm")
    assert refused(path) == [
        "fine.csv: line 2, column RATE: '7.12345': a rate is kept to 4 decimal places, "
        "below 100,000,000"]


def test_each_kind_of_source_keeps_its_own_figure_for_a_key(reference, write):
    load(write("sos.csv", RAW_HEADER, "2019,GA,7.2,918,/ga.htm"))
    other = load(write("w.txt", '"Notes"\t"State"\t"Year"\t"Deaths"\t"Births"',
                       '\t"Georgia"\t"2019"\t"921"\t"126000"'))
    assert other.added == 2  # WONDER's own count beside CDC's: no conflict between kinds
    assert sorted(VitalFigure.objects.filter(item="infant_deaths").values_list(
        "source_kind", "value")) == [("cdc-sos", 918), ("wonder", 921)]


def test_states_are_found_by_postal_code_name_or_fips_code(reference, write):
    header = NVSS.read_text().splitlines()[0]
    load(write("births.csv", header, "2019,DC,District of Columbia,11,9000",
               "2019,pr,,72,21000"))
    assert dict(VitalFigure.objects.values_list("jurisdiction__postal_code", "value")) == {
        "DC": 9000, "PR": 21000}
    wonder = write("w.txt", '"Notes"\t"State"\t"Year"\t"Deaths"\t"Births"',
                   '\t"Guam"\t"2019"\t"25"\t"2900"', '\t"66"\t"2018"\t"20"\t"3000"')
    assert load(wonder).added == 4
    assert VitalFigure.objects.filter(jurisdiction__postal_code="GU").count() == 4


def test_a_dry_run_checks_everything_and_writes_nothing(reference):
    result = load(CDC_CLEAN, dry_run=True)
    assert (result.dry_run, result.added, result.load) == (True, 400, None)
    assert "would add 400" in result.summary()
    assert not VitalFigure.objects.exists() and not VitalsLoad.objects.exists()


def test_progress_is_reported_every_n_rows(reference):
    seen: list[int] = []
    load(CDC_CLEAN, progress=seen.append, every=150)
    assert seen == [150, 300, 400]


def test_a_wonder_export_stores_monthly_strata_with_its_flags(reference):
    result = load(WONDER)
    assert (result.source, result.rows, result.added) == (SourceKind.WONDER, 8, 16)
    figures = VitalFigure.objects.filter(source_kind="wonder", year=2021)
    jan = figures.get(month=1, mother_age="30-34", mother_race="White", item="infant_deaths")
    assert (jan.value, jan.published_rate, jan.unreliable, jan.status) == (
        35, Decimal("4.83"), False, Status.FINAL)
    young = figures.get(month=1, mother_age="20-24", item="infant_deaths")
    assert (young.value, young.unreliable) == (17, True)
    hidden = figures.filter(mother_age="15")
    assert {(f.item, f.value, f.suppressed) for f in hidden} == {
        ("infant_deaths", None, True), ("births", None, True)}
    # The Total row is WONDER's own sum: not stored.
    assert not figures.filter(mother_race="", mother_age="").exists()
    # WONDER's printed rate is reproduced by the stored counts.
    for deaths in figures.filter(item="infant_deaths", suppressed=False):
        births = figures.get(item="births", month=deaths.month, mother_age=deaths.mother_age,
                             mother_race=deaths.mother_race)
        assert abs(Decimal(deaths.value * 1000) / births.value - deaths.published_rate) \
            <= Decimal("0.005")


def test_a_malformed_wonder_export_lists_its_problems(reference, write):
    header = '"Notes"\t"State Code"\t"Year of Death Code"\t"Month Code"\t"Deaths"\t"Births"' \
             '\t"Death Rate"'
    path = write("w.txt", header,
                 '\t"06"\t"2021"\t"2021/13"\t"12"\t"4000"\t"3.00 (Unreliable)"',
                 '\t"06"\t"2021"\t"2021/02"\t"1.5"\t"4000"\t"0.38"',
                 '\t"99"\t"2021"\t"2021/03"\t"12"\t"4000"\t"3.00 (Unreliable)"',
                 '\t"06"\t"2021"\t"2021/04"\t"12"\t"4000"\t"about three"',
                 '"---"', '"Dataset: Linked Birth / Infant Death Records, Provisional"')
    assert refused(path) == [
        "w.txt: line 2, column Month Code: '2021/13' is not a month (YYYY/MM)",
        "w.txt: line 3, column Deaths: '1.5' is not a whole number",
        "w.txt: line 4, column State Code: no jurisdiction with the code, name or FIPS code "
        "'99'",
        "w.txt: line 5, column Death Rate: 'about three' is not a number",
    ]
    assert refused(write("w2.txt", '"Notes"\t"State"\t"Deaths"', '\t"GA"\t"3"')) == [
        "w2.txt: line 1: wrong columns for a WONDER export: missing a Year column, Births"]


def test_a_provisional_wonder_export_stores_provisional_figures(reference, write):
    path = write("p.txt", '"Notes"\t"State"\t"Year"\t"Deaths"\t"Births"',
                 '\t"Ohio"\t"2023"\t"800"\t"127000"', '"---"',
                 '"Dataset: Linked Birth / Infant Death Records, Provisional 2023"')
    load(path)
    assert set(VitalFigure.objects.values_list("status", flat=True)) == {Status.PROVISIONAL}


def test_a_file_that_is_not_utf8_is_refused(reference, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"YEAR,STATE,RATE,DEATHS,URL\n2019,GA,7.2,918,/g\xe9\n")
    assert refused(path) == ["latin1.csv: not UTF-8 text (byte 46)"]


def test_a_load_racing_another_for_the_same_figures_is_refused_whole(reference, monkeypatch):
    load(CDC_CLEAN)
    # As if the other load committed after this one compared: every figure looks new.
    monkeypatch.setattr(services, "_compare", lambda parsed, **_: (parsed.figures, 0, [], []))
    assert refused(CDC_RAW) == [
        f"{CDC_RAW.name}: another load of these figures finished while this one ran; load "
        "the file again to compare with it"]


def test_the_summary_is_in_the_reader_s_language(reference):
    from django.utils import translation

    result = load(CDC_CLEAN, dry_run=True)
    with translation.override("en"):
        assert result.summary().endswith(
            ": 400 rows; would add 400 figures, 0 already stored unchanged.")
    with translation.override("es"):
        spanish = result.summary()
    assert "400 filas; se agregarían 400 cifras, 0 ya guardadas sin cambios." in spanish
    assert "would add" not in spanish
    stored = load(CDC_CLEAN)
    with translation.override("es"):
        again = load(CDC_CLEAN).summary()
    assert again.startswith(f"{stored.file_name} ya se había cargado el ")
    assert again.endswith("; nada cambió.")
