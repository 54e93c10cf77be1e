"""FHIR R4 over the API: the measure catalog as ``Measure`` resources, the teams' values as
summary ``MeasureReport`` resources (searchset Bundles), and a transaction ``Bundle`` of
MeasureReports written all or nothing.

The same token or session authentication and ``coiin.access`` rules as the rest of the API:
a caller reads the team-periods it may see (drafts only of its own teams) and writes only
what it may enter, submit, review or lock. A refused Bundle answers an ``OperationOutcome``
naming each bad entry by its place (``Bundle.entry[3].resource.period``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict

from coiin.interchange import exporting, fhir, formats, services
from coiin.interchange.records import Problem
from coiin.measures.periods import Period, PeriodError
from coiin.network.models import Team

from . import scope
from .auth import TOKEN_OR_SESSION
from .errors import responses

router = Router(auth=TOKEN_OR_SESSION, tags=["fhir"])
SUBJECT_PATTERN = r"^(Group/)?[A-Za-z0-9]{2,8}-[a-z0-9-]+$"
PERIOD_PATTERN = r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])|-[Qq][1-4]|-[Hh][12])?$"


class FhirResource(Schema):
    """A FHIR resource (R4; validated with fhir.resources' R4B models)."""

    model_config = ConfigDict(extra="allow")
    resourceType: str  # noqa: N815 - FHIR's name


class OperationOutcomeOut(Schema):
    model_config = ConfigDict(extra="allow")
    resourceType: str  # noqa: N815
    issue: list[dict[str, Any]]


BUNDLE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["resourceType", "type"],
    "description": "A FHIR Bundle (transaction, batch or collection) of MeasureReports.",
    "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]},
                   "type": {"type": "string"},
                   "entry": {"type": "array", "items": {"type": "object"}}}}}}}}


def _fhir(doc: Any, status: int = 200) -> HttpResponse:
    """A resource as JSON, decimals as numbers as the file export writes them (answered
    whole: the schemas above declare only what every resource has)."""
    return HttpResponse(exporting.dumps(doc), status=status, content_type="application/json")


@router.get("/Measure", response=responses(FhirResource))
def fhir_measures(request: HttpRequest) -> Any:
    """The measure catalog as a searchset Bundle of FHIR Measures."""
    bundle = exporting.measures_bundle()
    bundle["type"] = "searchset"
    bundle["total"] = len(bundle["entry"])
    return _fhir(bundle)


@router.get("/MeasureReport", response=responses(FhirResource))
def fhir_measure_reports(
        request: HttpRequest,
        subject: str | None = Query(None, pattern=SUBJECT_PATTERN,
                                    description="a team: Group/GA-safe-sleep"),
        period: str | None = Query(None, pattern=PERIOD_PATTERN,
                                   description="a period: 2017-12, 2017-Q4, 2017-H1 or 2017"),
        network: str | None = Query(None, description="a learning network's code"),
        measure: str | None = Query(None, description="a measure's code")) -> Any:
    """Summary MeasureReports (a searchset Bundle): one per team, measure and period the
    caller may see, for a team (``subject``), a period, a network or all of them."""
    team = None
    if subject:
        postal, _, slug = subject.removeprefix("Group/").partition("-")
        team = get_object_or_404(Team, jurisdiction__postal_code=postal.upper(),
                                 learning_network__slug=slug)
    qs = scope.visible_submissions(request.user, team=team, network=network)
    if period:
        try:
            p = Period.parse(period)
        except PeriodError as exc:
            return Status(422, {"detail": str(exc), "errors": [], "warnings": []})
        qs = qs.filter(frequency=p.frequency.value, period_start=p.start)
    reports = exporting.reports(qs)
    if measure:
        reports = (r for r in reports if r["measure"] == fhir.measure_url(measure))
    return _fhir(fhir.bundle(reports, kind="searchset"))


@router.post("/Bundle", response=responses(FhirResource, s400=OperationOutcomeOut,
                                           s422=OperationOutcomeOut),
             openapi_extra=BUNDLE_BODY)
def fhir_transaction(request: HttpRequest) -> Any:
    """Store a Bundle of MeasureReports, all or nothing, with the import's checks; each
    report's status (and workflow-status extension) moves its team-period forward."""
    doc = formats.parse_json(request.body)
    if not isinstance(doc, dict):
        return _fhir(fhir.operation_outcome([Problem("Bundle", "", "the body is not a JSON "
                                                     "object")]), 400)
    try:
        read = fhir.read_bundle(doc)
        services.import_document(read, user=request.user, check_access=True,
                                 reason="FHIR Bundle")
    except services.InterchangeRefused as exc:
        return _fhir(fhir.operation_outcome(exc.problems), 422)
    entries = []
    for i, entry in enumerate(doc.get("entry") or []):
        res = entry["resource"]
        entries.append({"response": {"status": "200 OK",
                                     "location": f"MeasureReport/{res.get('id') or i}"}})
    answer = {"resourceType": "Bundle", "type": "transaction-response", "entry": entries}
    fhir.validate(answer)
    return _fhir(answer)

