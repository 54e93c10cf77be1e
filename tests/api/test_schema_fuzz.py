"""The API keeps its schema: schemathesis generates requests from the OpenAPI schema for every
operation, valid and invalid, with a personal access token, and every answer must be
declared (status, content type, body shape) and no answer may be a server error."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from coiin.api import tokens

django_app = get_wsgi_application()


def _raw_schema() -> dict:
    from coiin.api.views import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), default=str))


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.app = django_app


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI application, which closes the database connection when
    a request ends; Django's test client keeps it (the test's transaction lives on it), and so
    must these calls."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(chosen, data_lead, backbone):
    _, secret = tokens.create_token(user=data_lead, name="fuzz")
    return secret


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=False)
def test_every_operation_keeps_its_schema(case, token):
    excluded = []
    if case.operation.label == "POST /api/v1/values":
        # Rows name a jurisdiction, a network and a measure that must exist, with numbers that
        # fit the measure: a JSON Schema cannot say so, and such rows are refused with 422
        # naming each (declared). Every other check still runs on this operation.
        excluded = [checks.positive_data_acceptance]
    elif case.operation.label in ("POST /api/v1/fhir/Bundle", "POST /api/v1/dhis2/dataValueSets"):
        # Likewise a Bundle's MeasureReports (a dataValueSet's values) must name a team, a
        # measure and a period that exist; otherwise they are refused with 422 and an
        # OperationOutcome (409 and an importSummary), both declared.
        excluded = [checks.positive_data_acceptance]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           excluded_checks=excluded)
