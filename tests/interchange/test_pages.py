"""The DHIS2 mapping page (backbone staff) and the import page's three formats."""


from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coiin.interchange.dhis2 import ADX_NS
from coiin.interchange.models import ElementMap
from coiin.measures.models import DataValue
from coiin.measures.periods import Frequency, Period

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


def test_backbone_staff_see_the_mapping_with_its_defaults(as_persona, world, backbone):
    response = as_persona("backbone").get("/data/dhis2-mapping/")
    assert response.status_code == 200
    assert b"IMR-NUM" in response.content and b"RACE_ETHNICITY:NH-BLACK" in response.content


def test_the_mapping_downloads_as_csv(as_persona, world, backbone):
    response = as_persona("backbone").get("/data/dhis2-mapping/", {"format": "csv"})
    text = response.content.decode()
    assert text.startswith("kind,measure,stratum,part,team,data_element")
    assert "unit,,,,GA/safe-sleep,,,GA,safe-sleep" in text


def test_team_members_may_not_see_it_and_anonymous_visitors_sign_in(as_persona, world,
                                                                   data_lead):
    assert as_persona("anonymous").get("/data/dhis2-mapping/").status_code == 302
    assert as_persona("data_lead").get("/data/dhis2-mapping/").status_code in (403, 404)


def test_a_changed_row_is_used_by_the_next_export(as_persona, world, backbone, catalog):
    client = as_persona("backbone")
    response = client.post("/data/dhis2-mapping/", {
        "measure": "SS-COUNT", "stratum": "", "part": "value", "data_element": "abc123XYZ00",
        "category_option_combo": "default"})
    assert response.status_code == 302
    assert ElementMap.objects.get().data_element == "abc123XYZ00"
    taken = client.post("/data/dhis2-mapping/", {
        "measure": "SS-CRIB", "stratum": "", "part": "numerator",
        "data_element": "abc123XYZ00", "category_option_combo": "default"})
    assert taken.status_code == 400 and b"already carries SS-COUNT" in taken.content
    assert client.post("/data/dhis2-mapping/", {"measure": "SS-COUNT", "part": "numerator",
                                                "data_element": "x",
                                                "category_option_combo": "default"}
                       ).status_code == 400


def test_the_import_page_takes_a_dhis2_document(as_persona, world, data_lead):
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY)
    doc = {"dataValues": [
        {"dataElement": "SS-CRIB-NUM", "period": month.label.replace("-", ""), "orgUnit": "GA",
         "attributeOptionCombo": "safe-sleep", "value": "30"},
        {"dataElement": "SS-CRIB-DEN", "period": month.label.replace("-", ""), "orgUnit": "GA",
         "attributeOptionCombo": "safe-sleep", "value": "40"}]}
    upload = SimpleUploadedFile("state.json", json.dumps(doc).encode())
    response = as_persona("data_lead").post("/data/import/", {"file": upload})
    assert response.status_code == 200
    assert DataValue.objects.get().numerator == 30


def test_the_import_page_lists_a_refused_documents_problems(as_persona, world, data_lead):
    data = (f'<adx xmlns="{ADX_NS}"><group orgUnit="XX" period="2017-12-01/P1M" '
            'dataSet="COIIN"><dataValue dataElement="SS-COUNT" value="1"/></group></adx>'
            ).encode()
    upload = SimpleUploadedFile("state.xml", data)
    response = as_persona("data_lead").post("/data/import/", {"file": upload})
    assert response.status_code == 422
    assert b"adx/group[1]/@orgUnit" in response.content
    assert not DataValue.objects.exists()


def test_the_import_page_refuses_a_file_of_no_known_kind(as_persona, world, data_lead):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = as_persona("data_lead").post("/data/import/", {"file": upload})
    assert response.status_code == 400
    assert b"nor a FHIR Bundle" in response.content
