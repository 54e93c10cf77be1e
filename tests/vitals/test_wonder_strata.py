"""CDC WONDER exports by the mother's race and Hispanic origin land on the platform's
race/ethnicity strata (several rows summed into one where they share it); an unknown label
refuses the file; an export by month is summed into years for the yearly rates."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from coiin.vitals import services, wonder_strata
from coiin.vitals.models import MOTHER_RACES, VitalFigure, VitalsLoad

HEADER = ('"Notes"\t"State"\t"Year"\t"Mother\'s Bridged Race"\t"Mother\'s Hispanic Origin"'
          '\t"Deaths"\t"Births"\t"Death Rate"')


def row(race: str, origin: str, deaths: str, births: str, rate: str = "") -> str:
    return f'\t"Georgia"\t"2019"\t"{race}"\t"{origin}"\t{deaths}\t{births}\t"{rate}"'


def load(write, *lines: str):
    path = write("w.txt", *lines)
    return services.load_file(data=path.read_bytes(), file_name=path.name)


def test_race_and_hispanic_origin_map_onto_the_strata(reference, write):
    load(write, HEADER,
         row("White", "Hispanic or Latino", "40", "9000"),
         row("Black or African American", "Hispanic or Latino", "5", "600"),
         row("White", "Not Hispanic or Latino", "180", "50000", "3.60"),
         row("Black or African American", "Not Hispanic or Latino", "400", "40000", "10.00"),
         row("Asian or Pacific Islander", "Not Hispanic or Latino", "12", "3000",
             "4.00 (Unreliable)"),
         row("American Indian or Alaska Native", "Not Hispanic or Latino", "Suppressed",
             "300"),
         row("White", "Unknown or Not Stated", "3", "500"),
         '"Total"\t"Georgia"\t"2019"\t\t\t640\t103400\t"6.19"',
         '"---"', '"Dataset: Linked Birth / Infant Death Records, 2017-2021"')
    got = {(f.mother_race, f.item): (f.value, f.suppressed, f.published_rate)
           for f in VitalFigure.objects.filter(jurisdiction__postal_code="GA")}
    labels = {label for _, label in MOTHER_RACES}
    assert {race for race, _ in got} == labels
    # Hispanic White and Hispanic Black mothers summed; a sum has no printed rate.
    assert got[("Hispanic", "infant_deaths")] == (45, False, None)
    assert got[("Hispanic", "births")] == (9600, False, None)
    assert str(got[("Non-Hispanic White", "infant_deaths")][2]) == "3.6000"
    assert got[("Non-Hispanic Black", "infant_deaths")][:2] == (400, False)
    assert got[("Non-Hispanic Asian/Pacific Islander", "births")][:2] == (3000, False)
    assert got[("Non-Hispanic American Indian/Alaska Native", "infant_deaths")][:2] == (None, True)
    assert got[("Other or unknown", "infant_deaths")][:2] == (3, False)
    few = VitalFigure.objects.get(mother_race="Hispanic", item="infant_deaths")
    assert not few.unreliable  # 45 deaths
    assert not VitalFigure.objects.filter(mother_race="").exists()  # WONDER's total


def test_an_unknown_label_refuses_the_file_naming_line_and_column(reference, write):
    with pytest.raises(services.LoadRefused) as caught:
        load(write, HEADER, row("White", "Not Hispanic or Latino", "180", "50000"),
             row("Martian", "Not Hispanic or Latino", "1", "10"),
             row("White", "Maybe", "1", "10"))
    assert caught.value.problems == [
        "w.txt: line 3, column Mother's Bridged Race: 'Martian' is not a race WONDER gives "
        "(one of " + ", ".join(wonder_strata.RACES) + ")",
        "w.txt: line 4, column Mother's Hispanic Origin: 'Maybe' is not a Hispanic origin "
        "WONDER gives (one of Hispanic or Latino, Not Hispanic or Latino, Unknown or Not "
        "Stated)"]
    assert not VitalsLoad.objects.exists()


def test_an_export_by_month_is_summed_into_its_year(reference, write):
    lines = ['"Notes"\t"State"\t"Year"\t"Month Code"\t"Deaths"\t"Births"']
    lines += [f'\t"Ohio"\t"2022"\t"2022/{m:02d}"\t{60 + m}\t{10_000 + m}' for m in range(1, 13)]
    lines += [f'\t"Ohio"\t"2023"\t"2023/{m:02d}"\t70\t10000' for m in range(1, 12)]
    load(write, *lines)
    out = StringIO()
    call_command("vitals", "rates", "--measure", "imr", "--by", "year", "--json",
                 "--jurisdiction", "OH", stdout=out, stderr=StringIO())
    rows = json.loads(out.getvalue())["rows"]
    # 12 months: 61 + ... + 72 = 798 deaths, 120,078 births; 798 / 120,078 x 1,000 = 6.65.
    # 2023 has 11 months only: no yearly figure.
    assert rows == [{"jurisdiction": "OH", "period": "2022", "deaths": 798,
                     "births": 120078, "rate": 6.65, "published_rate": None,
                     "agrees": None}]
