"""A fresh database, CDC's state infant deaths and NVSS births loaded by the command line:
the infant mortality rate computed from them reproduces CDC's published rate."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coiin.vitals.models import VitalFigure, VitalsLoad

from .conftest import CDC_CLEAN, CDC_RAW, NVSS, WONDER

# The 50 states and DC.
STATES_AND_DC = 51


def run(*args: str, stderr: StringIO | None = None) -> str:
    """``coiin vitals ARGS`` (in this process: a command run from argv closes the test's
    database connection when it ends)."""
    out = StringIO()
    call_command("vitals", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    """What the command says when it exits with code 2."""
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


@pytest.fixture
def loaded(reference):
    run("import", str(CDC_CLEAN))
    run("import", str(NVSS))


def rows(*args: str) -> list[dict]:
    return json.loads(run("rates", "--measure", "imr", "--by", "year", "--json", *args))["rows"]


def test_347_of_the_348_state_years_2014_to_2020_reproduce_cdcs_published_rate(loaded):
    compared = [r for r in rows() if 2014 <= int(r["period"]) <= 2020
                and r["rate"] is not None and r["published_rate"] is not None]
    # 50 states × 7 years (CDC's file has no DC), less Vermont 2019 and 2020, which CDC
    # published without a usable rate.
    assert len(compared) == 50 * 7 - 2 == 348
    disagree = [r for r in compared if not r["agrees"]]
    assert len(compared) - len(disagree) == 347
    assert disagree == [{"jurisdiction": "UT", "period": "2019", "deaths": 249,
                         "births": 46826, "rate": 5.32, "published_rate": 5.27,
                         "agrees": False}]
    assert all(abs(r["rate"] - r["published_rate"]) <= 0.0051 for r in compared
               if r["agrees"])


def test_the_rate_is_computed_from_the_stored_counts_not_copied(loaded):
    (ga,) = rows("--jurisdiction", "ga", "--year", "2018")
    figures = dict(VitalFigure.objects.filter(jurisdiction__postal_code="GA", year=2018)
                   .values_list("item", "value"))
    assert (ga["deaths"], ga["births"]) == (figures["infant_deaths"], figures["births"])
    expected = (Decimal(ga["deaths"]) * 1000 / Decimal(ga["births"])).quantize(Decimal("0.01"))
    assert Decimal(str(ga["rate"])) == expected
    VitalFigure.objects.filter(jurisdiction__postal_code="GA", year=2018,
                               item="births").update(value=100_000)  # test set-up only
    (changed,) = rows("--jurisdiction", "GA", "--year", "2018")
    assert changed["rate"] == round(ga["deaths"] / 100, 2)
    assert changed["published_rate"] == ga["published_rate"] and not changed["agrees"]


def test_cdc_deaths_and_nvss_births_are_preferred_to_wonders(loaded, write):
    run("import", str(write("w.txt", '"Notes"\t"State"\t"Year"\t"Deaths"\t"Births"',
                             '\t"Georgia"\t"2018"\t"1"\t"2"',
                             '\t"Georgia"\t"2022"\t"850"\t"125000"')))
    by_year = {r["period"]: r for r in rows("--jurisdiction", "GA")}
    assert (by_year["2018"]["deaths"], by_year["2018"]["agrees"]) == (889, True)
    # Where only WONDER has the year, its counts are used; it printed no rate here.
    assert by_year["2022"] == {"jurisdiction": "GA", "period": "2022", "deaths": 850,
                               "births": 125000, "rate": 6.8, "published_rate": None,
                               "agrees": None}


def test_rows_without_both_counts_or_a_published_rate_compare_nothing(loaded):
    by_key = {(r["jurisdiction"], r["period"]): r for r in rows()}
    assert by_key[("DC", "2018")]["deaths"] is None and by_key[("DC", "2018")]["agrees"] is None
    assert by_key[("GA", "2005")]["births"] is None and by_key[("GA", "2005")]["rate"] is None
    vt = by_key[("VT", "2019")]
    assert (vt["deaths"], vt["published_rate"], vt["agrees"]) == (15, None, None)
    assert vt["rate"] is not None
    years = {r["period"] for r in by_key.values() if r["jurisdiction"] == "DC"}
    assert len(years) == 10 and len({r["jurisdiction"] for r in by_key.values()}) \
        == STATES_AND_DC


def test_the_text_table_flags_the_disagreement(loaded):
    text = run("rates", "--jurisdiction", "UT")
    assert "UT   2019       249     46826    5.32       5.27  DISAGREES by 0.05" in text
    assert "6 of 7 published rates reproduced to within 0.005." in text


def test_the_command_line_loads_once_and_says_so_the_second_time(reference):
    err = StringIO()
    out = run("import", str(CDC_RAW), "--progress-every", "100", stderr=err)
    assert "added 400 figures, 0 already stored unchanged" in out
    assert err.getvalue().splitlines() == [
        "read 100 rows", "read 200 rows", "read 300 rows", "read 400 rows"]
    assert "already loaded" in run("import", str(CDC_RAW))
    assert VitalsLoad.objects.count() == 1 and VitalFigure.objects.count() == 400


def test_a_bad_file_exits_with_code_2_and_lists_its_problems(reference, write):
    path = write("bad.csv", "YEAR,STATE,RATE,DEATHS,URL", "2019,ZZ,7.2,918,/x",
                 "2019,GA,7.0,,/x")
    message = refused("import", str(path), "--source", "cdc-sos")
    assert "Nothing was loaded; fix these 2 problems" in message
    assert "bad.csv: line 2, column STATE: no jurisdiction" in message
    assert "bad.csv: line 3, column DEATHS: a rate with no deaths" in message
    assert not VitalFigure.objects.exists()


def test_a_dry_run_from_the_command_line_writes_nothing(reference):
    assert "Dry run, nothing written." in run("import", str(NVSS), "--dry-run")
    assert not VitalsLoad.objects.exists()


def test_an_unknown_jurisdiction_or_a_missing_file_exits_with_code_2(reference, tmp_path):
    assert refused("rates", "--jurisdiction", "QQ") == "No jurisdiction with the code QQ."
    assert refused("import", str(tmp_path / "none.csv")).startswith("Cannot read ")


@pytest.mark.parametrize(("path", "label"), [
    (CDC_RAW, "CDC/NCHS Stats of the States"), (CDC_CLEAN, "CDC/NCHS Stats of the States"),
    (NVSS, "NVSS live births by state"), (WONDER, "CDC WONDER linked birth / infant death")])
def test_the_command_line_detects_each_kind_of_file_by_its_header(reference, path, label):
    assert f"{path.name} ({label}" in run("import", str(path))


def test_the_command_speaks_the_language_asked_for(reference):
    spanish = run("import", str(NVSS), "--dry-run", "--language", "es")
    assert spanish.startswith("Prueba, nada se escribió. ")
    assert "filas; se agregarían" in spanish and "would add" not in spanish
    assert "rows; would add" in run("import", str(NVSS), "--dry-run", "--language", "en")
