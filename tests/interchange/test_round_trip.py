"""Export a team's values as FHIR, DHIS2 JSON and ADX, import each into a database without
them: the same values, strata and statuses (a survey estimate's standard error, CI and n
included); a second import changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport

from coiin.interchange import exporting, fhir, formats
from coiin.measures import io_formats
from coiin.measures.io import submissions_in

from .conftest import ROWS, SURVEY, snapshot

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


@pytest.mark.parametrize("name", ["fhir", "dhis2-json", "adx"])
def test_an_export_imports_into_a_fresh_database_as_it_was_and_a_second_time_changes_nothing(
        name, exported, world):
    fmt = io_formats.FORMATS[name]
    data, before = exported(lambda: fmt.write(submissions_in(team=world)))
    assert io_formats.detect(data) is fmt
    assert snapshot(world) == (set(), {})
    surveyed = {v for v in before[0] if v[0] == "SS-BACK"}
    assert {(v[2], v[5], v[8:]) for v in surveyed} == {
        (s, Decimal(v).normalize(), _survey(*SURVEY[("SS-BACK", "2017", s)]))
        for (m, _p, s, _n, _d, v, _c) in ROWS if m == "SS-BACK"}

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


def _survey(se: str, lower: str, upper: str, n: str) -> tuple:
    """A survey estimate's fields as the snapshot has them."""
    return (*(Decimal(x).normalize() if x else None for x in (se, lower, upper)),
            int(n) if n else None)


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
    crib = by_id["GA-safe-sleep-SS-CRIB-2017-11"]["group"][0]["population"][0]
    assert crib["extension"] == [{"url": fhir.EXT_EXACT, "valueDecimal": 42.5}]

    # A survey estimate: the score, no populations; SE, CI and n in extensions.
    back = by_id["GA-safe-sleep-SS-BACK-2017"]["group"][0]
    assert "population" not in back and back["measureScore"]["value"] == 80.125
    assert back["extension"] == [
        {"url": fhir.EXT_SE, "valueDecimal": 1.9},
        {"url": fhir.EXT_N, "valueInteger": 1000},
        {"url": fhir.EXT_COMMENT, "valueString": "PRAMS weighted"}]
    white, black = back["stratifier"][0]["stratum"]
    assert "population" not in white and white["measureScore"]["value"] == 83.5
    assert white["extension"] == [
        {"url": fhir.EXT_CI, "valueRange": {"low": {"value": 80.1}, "high": {"value": 86.9}}},
        {"url": fhir.EXT_N, "valueInteger": 600}]
    assert [e["url"] for e in black["extension"]] == [fhir.EXT_SE, fhir.EXT_CI, fhir.EXT_N]


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
    assert "extension" not in imr
    back = by_id["SS-BACK"]  # a survey estimate: scored as a proportion, said survey-based
    assert back["scoring"]["coding"][0]["code"] == "proportion"
    assert back["extension"] == [{"url": fhir.EXT_SURVEY, "valueBoolean": True}]
    assert "weighted survey estimate (PRAMS" in back["description"]
    assert fhir.EXT_SE in back["description"]


def test_dhis2_periods_and_codes_are_the_defaults(exported, world):
    data, _ = exported(lambda: exporting.write_dhis2_json(submissions_in(team=world)))
    doc = json.loads(data)
    periods = {v["period"] for v in doc["dataValues"]}
    assert periods == {"201710", "201711", "201712", "201801", "2017Q4", "2017"}
    black = [v for v in doc["dataValues"] if v["categoryOptionCombo"] ==
             "RACE_ETHNICITY:NH-BLACK" and v["period"] == "2017Q4"]
    assert {(v["dataElement"], v["value"]) for v in black} == {("IMR-NUM", "30"),
                                                               ("IMR-DEN", "2500")}
    white = [v for v in doc["dataValues"] if v["categoryOptionCombo"] ==
             "RACE_ETHNICITY:NH-WHITE" and v["period"] == "2017"]
    assert {(v["dataElement"], v["value"]) for v in white} == {
        ("SS-BACK", "83.5"), ("SS-BACK-CILO", "80.1"), ("SS-BACK-CIHI", "86.9"),
        ("SS-BACK-N", "600")}
    total = {v["dataElement"]: v["value"] for v in doc["dataValues"]
             if v["categoryOptionCombo"] == "default" and v["period"] == "2017"}
    assert total == {"SS-BACK": "80.125", "SS-BACK-SE": "1.9", "SS-BACK-N": "1000"}
    assert {v["orgUnit"] for v in doc["dataValues"]} == {"GA"}
    assert {r["coiinStatus"] for r in doc["completeDataSetRegistrations"]} == {
        "submitted", "reviewed", "locked"}
    assert formats.is_dhis2_json(data) and not formats.is_fhir(data)
