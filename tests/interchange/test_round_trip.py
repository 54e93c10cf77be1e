"""Export a team's values as FHIR, DHIS2 JSON and ADX, import each into a database without
them: the same values, strata and statuses; a second import changes nothing."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport

from coiin.interchange import exporting, formats
from coiin.measures import io_formats
from coiin.measures.io import submissions_in

from .conftest import ROWS, snapshot

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


@pytest.mark.parametrize("name", ["fhir", "dhis2-json", "adx"])
def test_an_export_imports_into_a_fresh_database_as_it_was_and_a_second_time_changes_nothing(
        name, exported, world):
    fmt = io_formats.FORMATS[name]
    data, before = exported(lambda: fmt.write(submissions_in(team=world)))
    assert io_formats.detect(data) is fmt
    assert snapshot(world) == (set(), {})

    first = fmt.read(data, f"export.{fmt.suffix}")
    assert (first.created, first.changed, first.deleted) == (len(ROWS), 0, 0)
    assert first.statuses_moved == 5  # every period but the draft
    assert snapshot(world) == before

    again = fmt.read(data, f"export.{fmt.suffix}")
    assert (again.created, again.changed, again.deleted) == (0, 0, 0)
    assert again.unchanged == len(ROWS)
    # A DHIS2 document registers the completed periods only; FHIR says pending too.
    assert (again.statuses_moved, again.statuses_kept) == (0, 6 if name == "fhir" else 5)
    assert again.import_summary()["importCount"] == {"imported": 0, "updated": 0,
                                                     "ignored": len(ROWS), "deleted": 0}
    assert snapshot(world) == before


def test_every_resource_written_validates_as_fhir(exported, world):
    data, _ = exported(lambda: exporting.write_fhir(submissions_in(team=world)))
    bundle = json.loads(data)
    Bundle.model_validate(bundle)
    reports = [e["resource"] for e in bundle["entry"]]
    for r in reports:
        MeasureReport.model_validate(r)
    by_id = {r["id"]: r for r in reports}
    imr = by_id["GA-safe-sleep-IMR-2017-Q4"]
    assert imr["status"] == "complete" and imr["period"] == {"start": "2017-10-01",
                                                             "end": "2017-12-31"}
    group = imr["group"][0]
    assert [p["count"] for p in group["population"]] == [60, 9000]
    assert group["measureScore"]["value"] == 6.6667
    strata = group["stratifier"][0]["stratum"]
    assert [s["value"]["coding"][0]["code"] for s in strata] == ["nh-white", "nh-black",
                                                                 "hispanic"]
    assert by_id["GA-safe-sleep-SS-CRIB-2018-01"]["status"] == "pending"


def test_the_catalog_is_written_as_fhir_measures(world):
    bundle = exporting.measures_bundle()
    Bundle.model_validate(bundle)
    by_id = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    imr = by_id["IMR"]
    assert imr["scoring"]["coding"][0]["code"] == "ratio"  # per 1,000: not a proportion
    assert imr["improvementNotation"]["coding"][0]["code"] == "decrease"
    assert [p["code"]["coding"][0]["code"] for p in imr["group"][0]["population"]] == [
        "numerator", "denominator"]
    assert "stratifier" in imr["group"][0]
    assert by_id["SS-CRIB"]["scoring"]["coding"][0]["code"] == "proportion"
    assert by_id["SS-COUNT"]["scoring"]["coding"][0]["code"] == "continuous-variable"


def test_dhis2_periods_and_codes_are_the_defaults(exported, world):
    data, _ = exported(lambda: exporting.write_dhis2_json(submissions_in(team=world)))
    doc = json.loads(data)
    periods = {v["period"] for v in doc["dataValues"]}
    assert periods == {"201710", "201711", "201712", "201801", "2017Q4", "2017"}
    black = [v for v in doc["dataValues"] if v["categoryOptionCombo"] ==
             "RACE_ETHNICITY:NH-BLACK" and v["period"] == "2017Q4"]
    assert {(v["dataElement"], v["value"]) for v in black} == {("IMR-NUM", "30"),
                                                               ("IMR-DEN", "2500")}
    assert {v["orgUnit"] for v in doc["dataValues"]} == {"GA"}
    assert {r["coiinStatus"] for r in doc["completeDataSetRegistrations"]} == {
        "submitted", "reviewed", "locked"}
    assert formats.is_dhis2_json(data) and not formats.is_fhir(data)
