"""Official figures by the mother's age group: WONDER's nine groups summed into the
catalog's three (over the races too), and every group compared with mothers aged 20-34
on a jurisdiction's equity page."""

from __future__ import annotations

import pytest

from coiin.measures.catalog import load_catalog
from coiin.vitals import services, strata
from coiin.vitals.models import Item

from .conftest import WONDER

HEADER = '"Notes"\t"State"\t"Age of Mother 9 Code"\t"Mother\'s Single Race 6"\t"Year Code"' \
         '\t"Deaths"\t"Births"'
# Ohio 2021 by age and race (made-up figures for the test).
ROWS = ['\t"Ohio"\t"15-19"\t"White"\t"2021"\t"30"\t"4000"',
        '\t"Ohio"\t"15-19"\t"Black or African American"\t"2021"\t"25"\t"2000"',
        '\t"Ohio"\t"20-24"\t"White"\t"2021"\t"100"\t"20000"',
        '\t"Ohio"\t"30-34"\t"White"\t"2021"\t"90"\t"30000"',
        '\t"Ohio"\t"35-39"\t"White"\t"2021"\t"50"\t"9000"',
        '\t"Ohio"\t"40-44"\t"White"\t"2021"\t"Suppressed"\t"2000"']


def test_the_sample_export_is_by_age_but_holds_no_whole_year(reference):
    """The WONDER sample in tests/data holds two months of California by age and race:
    too few for a year, so no yearly figure by age comes of it."""
    services.load_file(data=WONDER.read_bytes(), file_name=WONDER.name)
    assert strata.yearly_by_age(Item.INFANT_DEATHS, Item.BIRTHS) == ({}, {"CA": "California"})


def test_wonder_age_groups_are_summed_into_the_catalog_s_three(reference, write):
    services.load_file(data=write("ages.txt", HEADER, *ROWS).read_bytes(),
                       file_name="ages.txt")
    found, names = strata.yearly_by_age(Item.INFANT_DEATHS, Item.BIRTHS)
    assert names == {"OH": "Ohio"}
    assert {k: (c.events, c.denominator) for k, c in found.items()} == {
        ("OH", 2021, "Under 20"): (55, 6000),  # 15-19 over both races
        ("OH", 2021, "20–34"): (190, 50000),
        # 35 and over: 40-44's deaths were suppressed, so no figure for the group.
    }


def test_the_jurisdiction_page_compares_age_groups_with_mothers_aged_20_to_34(
        reference, write, jurisdictions, as_persona):
    load_catalog()
    services.load_file(data=write("ages.txt", HEADER, *ROWS).read_bytes(),
                       file_name="ages.txt")
    page = as_persona("backbone").get("/jurisdictions/oh/equity/?measure=IMR")
    ages = page.context["view"].ages
    assert ages.year == 2021 and ages.chosen_reference_label == "20–34"
    reference_row, young = ages.groups
    assert reference_row.reference and young.group == "under-20"
    assert young.ratio == pytest.approx((55 / 6000) / (190 / 50000))
    html = page.content.decode()
    assert "Every group against 20–34, 2021, by the mother" in html
