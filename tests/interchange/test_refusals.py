"""A document with anything wrong stores nothing and names each problem: where in the
document, the value found there, and why."""

from __future__ import annotations

import json

import pytest

from coiin.interchange import exporting, fhir, formats, services
from coiin.interchange.dhis2 import ADX_NS
from coiin.measures import io_formats
from coiin.measures.io import submissions_in
from coiin.measures.models import DataValue

from .conftest import seed

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


def _dhis2(values, regs=()):
    return json.dumps({"dataValues": values,
                       "completeDataSetRegistrations": list(regs)}).encode()


def _dv(de, pe, value, coc="default", ou="GA", aoc="safe-sleep"):
    return {"dataElement": de, "period": pe, "orgUnit": ou, "categoryOptionCombo": coc,
            "attributeOptionCombo": aoc, "value": value}


def _refused(data: bytes, name: str = "dhis2-json") -> services.InterchangeRefused:
    with pytest.raises(services.InterchangeRefused) as caught:
        io_formats.FORMATS[name].read(data, "upload")
    return caught.value


def test_a_dhis2_payload_with_four_kinds_of_fault_stores_nothing_and_says_which_and_why(
        world):
    seed(world)  # 2017-10 is locked
    before = DataValue.objects.count()
    data = _dhis2([
        _dv("SS-CRIB-NUM", "201802", "30"), _dv("SS-CRIB-DEN", "201802", "40"),  # fine
        _dv("NO-SUCH-DE", "201802", "3"),                      # unmapped data element
        _dv("SS-COUNT", "2018W05", "3"),                       # a week: bad period
        _dv("SS-CRIB-NUM", "201710", "41"), _dv("SS-CRIB-DEN", "201710", "50"),  # locked
        _dv("SS-COUNT", "201803", "three"),                    # not a number
    ])
    refused = _refused(data)
    assert DataValue.objects.count() == before
    found = {p.where: (p.value, p.reason) for p in refused.problems}
    assert len(found) == len(refused.problems) == 4, refused.problems
    value, reason = found["dataValues[2]"]
    assert value == "NO-SUCH-DE/default" and "not mapped to a measure" in reason
    value, reason = found["dataValues[3].period"]
    assert value == "2018W05" and "not a DHIS2 period" in reason
    value, reason = found["dataValues[4]"]
    assert value == "2017-10" and "is locked; reopen it" in reason
    value, reason = found["dataValues[6]"]
    assert value == "three" and "number" in reason
    summary = refused.import_summary()
    assert summary["status"] == "ERROR"
    assert {"object": "dataValues[6]", "value": "three", "reason": reason} in \
        summary["conflicts"]


def test_an_unmapped_org_unit_is_named(world):
    refused = _refused(_dhis2([_dv("SS-CRIB-NUM", "201802", "3", ou="ZZ")]))
    assert [(p.where, p.value) for p in refused.problems] == [
        ("dataValues[0].orgUnit", "ZZ/safe-sleep")]


def test_an_adx_document_with_an_entity_is_refused_safely(world):
    data = (f'<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "aaaa">]><adx xmlns="{ADX_NS}">'
            '<group orgUnit="GA" period="2018-02-01/P1M" dataSet="COIIN">'
            '<dataValue dataElement="SS-COUNT" value="&a;"/></group></adx>').encode()
    assert formats.is_adx(data)
    refused = _refused(data, "adx")
    assert "safe XML" in refused.problems[0].reason


def test_an_adx_period_that_is_not_a_reporting_period_is_named(world):
    data = (f'<adx xmlns="{ADX_NS}"><group orgUnit="GA" attributeOptionCombo="safe-sleep" '
            'period="2018-02-03/P1M" dataSet="COIIN"><dataValue dataElement="SS-COUNT" '
            'value="2"/></group></adx>').encode()
    refused = _refused(data, "adx")
    assert [(p.where, p.value) for p in refused.problems] == [
        ("adx/group[1]/@period", "2018-02-03/P1M")]


def test_a_bundle_with_one_bad_entry_among_many_stores_nothing_and_names_it(exported, world):
    data, _ = exported(lambda: exporting.write_fhir(submissions_in(team=world)))
    bundle = json.loads(data)
    assert len(bundle["entry"]) > 5
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    crib, back = ids.index("GA-safe-sleep-SS-CRIB-2017-11"), ids.index("GA-safe-sleep-IMR-2017-Q4")
    assert (crib, back) == (5, 0)
    bundle["entry"][5]["resource"]["group"][0]["population"][0]["count"] = "many"
    bundle["entry"][0]["resource"]["period"] = {"start": "2017-12-05", "end": "2017-12-31"}
    refused = _refused(json.dumps(bundle).encode(), "fhir")
    assert not DataValue.objects.exists()
    wheres = [p.where for p in refused.problems]
    assert wheres == ["Bundle.entry[0].resource.period",
                      "Bundle.entry[5].resource.group[0].population[0].count"]
    outcome = services_outcome(refused)
    assert [i["expression"] for i in outcome["issue"]] == [[w] for w in wheres]


def services_outcome(refused):
    from coiin.interchange import fhir

    return fhir.operation_outcome(refused.problems)


def test_a_bundle_of_something_else_is_refused(world):
    data = json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": {"resourceType": "Patient"}}]}).encode()
    refused = _refused(data, "fhir")
    assert [(p.where, p.value) for p in refused.problems] == [
        ("Bundle.entry[0].resource", "Patient")]


def test_a_survey_estimate_with_a_negative_standard_error_stores_nothing_and_names_it(
        exported, world):
    data, _ = exported(lambda: exporting.write_fhir(submissions_in(team=world)))
    bundle = json.loads(data)
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    at = ids.index("GA-safe-sleep-SS-BACK-2017")
    group = bundle["entry"][at]["resource"]["group"][0]
    assert group["extension"][0]["url"] == fhir.EXT_SE
    group["extension"][0]["valueDecimal"] = -1.9
    refused = _refused(json.dumps(bundle).encode(), "fhir")
    assert not DataValue.objects.exists()
    [problem] = refused.problems
    assert problem.where == f"Bundle.entry[{at}].resource.group[0].extension[0].valueDecimal"
    assert (problem.value, "negative" in problem.reason) == ("-1.9", True), problem

    refused = _refused(_dhis2([_dv("SS-BACK", "2018", "81"), _dv("SS-BACK-SE", "2018", "-2"),
                               _dv("SS-BACK-N", "2018", "900")]))
    assert not DataValue.objects.exists()
    [problem] = refused.problems
    assert (problem.where, problem.value) == ("dataValues[1]", "-2")
    assert "negative" in problem.reason
