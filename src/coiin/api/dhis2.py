"""DHIS2 over the API: ``GET /dhis2/dataValueSets`` (the values the caller may see, as
dataValueSets JSON; ADX files come from ``coiin export-data --format adx``) and
``POST /dhis2/dataValueSets`` (a dataValueSets JSON or ADX XML body, all or nothing),
answering like DHIS2's importSummary.

The same tokens, session and ``coiin.access`` rules as the rest of the API."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import ConfigDict

from coiin.interchange import exporting, formats, services
from coiin.interchange.records import CannotCarry, Problem
from coiin.network.models import Team

from . import scope
from .auth import TOKEN_OR_SESSION
from .errors import ErrorOut, responses

router = Router(auth=TOKEN_OR_SESSION, tags=["dhis2"])


class DataValueSetOut(Schema):
    model_config = ConfigDict(extra="allow")
    dataValues: list[dict[str, Any]]  # noqa: N815 - DHIS2's name


class ImportSummaryOut(Schema):
    model_config = ConfigDict(extra="allow")
    responseType: str  # noqa: N815 - DHIS2's names
    status: Literal["SUCCESS", "ERROR"]
    importCount: dict[str, int]  # noqa: N815
    conflicts: list[dict[str, str]]


BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {
        "type": "object", "required": ["dataValues"],
        "description": "A DHIS2 dataValueSets document (codes as identifiers).",
        "properties": {"dataValues": {"type": "array", "items": {"type": "object"}},
                       "completeDataSetRegistrations": {"type": "array",
                                                        "items": {"type": "object"}}}}},
    "application/adx+xml": {"schema": {"type": "string", "description": "An ADX message."}},
}}}


@router.get("/dataValueSets", response=responses(DataValueSetOut, s409=ErrorOut))
def dhis2_export(request: HttpRequest, team: int | None = None,
                 network: str | None = None) -> Any:
    """The values of the team-periods the caller may see (a team's, a network's or all),
    with the completed periods' registrations."""
    obj = get_object_or_404(Team, pk=team) if team is not None else None
    qs = scope.visible_submissions(request.user, team=obj, network=network)
    try:
        document = exporting.write_dhis2_json(qs)
    except CannotCarry as exc:  # a sampled measure's measurements: named, nothing sent
        return _json({"detail": str(exc), "errors": [], "warnings": []}, 409)
    return HttpResponse(document, content_type="application/json")


@router.post("/dataValueSets", response=responses(
    ImportSummaryOut, s400=ImportSummaryOut, s409=ImportSummaryOut), openapi_extra=BODY)
def dhis2_import(request: HttpRequest, dryRun: bool = False) -> Any:  # noqa: N803
    """Store a dataValueSets JSON or ADX body, all or nothing, with the import's checks;
    409 with every conflict (its place, value and reason) when anything is wrong."""
    data = request.body
    fmt = "adx" if formats.is_adx(data) else "dhis2-json" if formats.is_dhis2_json(data) \
        else None
    if fmt is None:
        refused = services.InterchangeRefused([Problem("body", "", "is neither a DHIS2 "
                                                       "dataValueSets JSON document nor an "
                                                       "ADX message")])
        return _json(refused.import_summary(), 400)
    try:
        result = services.import_document(formats.read_document(fmt, data),
                                          user=request.user, check_access=True,
                                          dry_run=dryRun, reason=f"DHIS2 {fmt}")
    except services.InterchangeRefused as exc:
        return _json(exc.import_summary(), 409)
    return _json(result.import_summary(), 200)


def _json(doc: Any, status: int) -> HttpResponse:
    return HttpResponse(exporting.dumps(doc), status=status, content_type="application/json")
