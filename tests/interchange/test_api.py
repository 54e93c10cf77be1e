"""The FHIR endpoints: the same tokens and access rules as the rest of the API."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from coiin.api import tokens
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period

from .conftest import seed

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


def bearer(user) -> dict[str, str]:
    _, token = tokens.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def seeded(world):
    seed(world)
    return world


def test_the_catalog_reads_as_fhir_measures(client, world, data_lead):
    response = client.get("/api/v1/fhir/Measure", **bearer(data_lead))
    assert response.status_code == 200
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    assert "IMR" in {e["resource"]["id"] for e in bundle["entry"]}


def test_anonymous_callers_are_refused(client, world):
    assert client.get("/api/v1/fhir/Measure").status_code == 401
    assert client.post("/api/v1/fhir/Bundle", {}, content_type="application/json"
                       ).status_code == 401


def test_a_team_member_reads_its_reports_for_a_period(client, seeded, data_lead):
    response = client.get("/api/v1/fhir/MeasureReport",
                          {"subject": "Group/GA-safe-sleep", "period": "2017-Q4"},
                          **bearer(data_lead))
    assert response.status_code == 200
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["GA-safe-sleep-IMR-2017-Q4"]


def test_a_parameter_given_twice_is_refused_not_half_read(client, seeded, data_lead):
    response = client.get("/api/v1/fhir/MeasureReport?measure=IMR&measure=SS-CRIB",
                          **bearer(data_lead))
    assert response.status_code == 422
    assert [e["column"] for e in response.json()["errors"]] == ["measure"]
    listed = client.get("/api/v1/fhir/MeasureReport?measure=IMR", **bearer(data_lead))
    assert listed.status_code == 200


def test_faculty_see_no_drafts_and_an_outsider_sees_nothing(client, seeded, faculty, outsider):
    response = client.get("/api/v1/fhir/MeasureReport", {"subject": "GA-safe-sleep"},
                          **bearer(faculty))
    statuses = {e["resource"]["status"] for e in response.json()["entry"]}
    assert statuses == {"complete"}
    assert client.get("/api/v1/fhir/MeasureReport", {"subject": "GA-safe-sleep"},
                      **bearer(outsider)).status_code == 404
    assert client.get("/api/v1/fhir/MeasureReport", **bearer(outsider)).json()["entry"] == []


def _bundle(client, user, month):
    """This month's crib audit and count as a transaction Bundle, read from the export."""
    with transaction.atomic():
        from coiin.measures import io

        io.import_rows([(1, {"jurisdiction": "GA", "network": "safe-sleep",
                             "measure": "SS-CRIB", "period": month, "numerator": "30",
                             "denominator": "40"}),
                        (2, {"jurisdiction": "GA", "network": "safe-sleep",
                             "measure": "SS-COUNT", "period": month, "value": "2"})])
        body = client.get("/api/v1/fhir/MeasureReport", {"period": month},
                          **bearer(user)).json()
        transaction.set_rollback(True)
    body["type"] = "transaction"
    for e in body["entry"]:
        e.pop("search", None)
        e["request"] = {"method": "PUT", "url": f"MeasureReport/{e['resource']['id']}"}
    return body


def test_a_data_lead_posts_a_transaction_bundle(client, world, data_lead):
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).label
    body = _bundle(client, data_lead, month)
    assert len(body["entry"]) == 2 and not DataValue.objects.exists()
    response = client.post("/api/v1/fhir/Bundle", body, content_type="application/json",
                           **bearer(data_lead))
    assert response.status_code == 200, response.content
    assert response.json()["type"] == "transaction-response"
    assert DataValue.objects.count() == 2
    assert DataValue.objects.get(measure__code="SS-CRIB").updated_by == data_lead
    assert Submission.objects.get().status == "draft"


def test_a_bad_entry_among_many_stores_nothing_and_the_outcome_names_it(client, world,
                                                                        data_lead):
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).label
    body = _bundle(client, data_lead, month)
    body["entry"][1]["resource"]["subject"]["reference"] = "Group/GA"
    response = client.post("/api/v1/fhir/Bundle", body, content_type="application/json",
                           **bearer(data_lead))
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert [i["expression"] for i in outcome["issue"]] == [
        ["Bundle.entry[1].resource.subject.reference"]]
    assert not DataValue.objects.exists()


def test_a_member_may_not_lock_through_a_bundle(client, world, data_lead):
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).label
    body = _bundle(client, data_lead, month)
    for e in body["entry"]:
        e["resource"]["status"] = "complete"
        e["resource"]["extension"][0]["valueCode"] = "locked"
    response = client.post("/api/v1/fhir/Bundle", body, content_type="application/json",
                           **bearer(data_lead))
    assert response.status_code == 422
    assert "may not mark" in response.json()["issue"][0]["diagnostics"]
    assert not DataValue.objects.exists()


def test_a_body_that_is_not_json_is_an_outcome(client, world, data_lead):
    response = client.post("/api/v1/fhir/Bundle", "nope", content_type="application/json",
                           **bearer(data_lead))
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_dhis2_document_posted_answers_an_import_summary(client, world, data_lead):
    period = Period.containing(timezone.localdate(), Frequency.MONTHLY).label.replace("-", "")
    doc = {"dataValues": [
        {"dataElement": "SS-CRIB-NUM", "period": period, "orgUnit": "GA",
         "attributeOptionCombo": "safe-sleep", "value": "30"},
        {"dataElement": "SS-CRIB-DEN", "period": period, "orgUnit": "GA",
         "attributeOptionCombo": "safe-sleep", "value": "40"}]}
    url = "/api/v1/dhis2/dataValueSets"
    response = client.post(url, doc, content_type="application/json", **bearer(data_lead))
    assert response.status_code == 200, response.content
    assert response.json()["importCount"] == {"imported": 1, "updated": 0, "ignored": 0,
                                              "deleted": 0}
    doc["dataValues"][0]["value"] = "lots"
    response = client.post(url, doc, content_type="application/json", **bearer(data_lead))
    assert response.status_code == 409
    assert response.json()["conflicts"] == [
        {"object": "dataValues[0]", "value": "lots", "reason": "'lots' is not a number"}]
    assert DataValue.objects.get().numerator == 30
    exported = client.get(url, {"team": world.pk}, **bearer(data_lead)).json()
    assert {v["value"] for v in exported["dataValues"]} == {"30", "40"}


def test_a_dhis2_export_is_only_what_the_caller_may_see(client, seeded, outsider):
    url = "/api/v1/dhis2/dataValueSets"
    assert client.get(url, {"team": seeded.pk}, **bearer(outsider)).status_code == 404
    assert client.get(url, **bearer(outsider)).json()["dataValues"] == []


def test_a_member_may_not_submit_a_closed_period_through_a_bundle(client, seeded, data_lead):
    body = client.get("/api/v1/fhir/MeasureReport", {"period": "2018-01"},
                      **bearer(data_lead)).json()
    body["type"] = "transaction"
    for e in body["entry"]:
        e["resource"]["status"] = "complete"
        e["resource"]["extension"][0]["valueCode"] = "submitted"
    response = client.post("/api/v1/fhir/Bundle", body, content_type="application/json",
                           **bearer(data_lead))
    assert response.status_code == 422
    assert "closed on" in response.json()["issue"][0]["diagnostics"]
    assert Submission.objects.get(period_start__year=2018).status == "draft"
