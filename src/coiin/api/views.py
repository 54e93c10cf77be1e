"""The JSON API (django-ninja; OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import ValidationError as RequestInvalid

from coiin import access
from coiin.access import Action
from coiin.network import services
from coiin.network.models import Jurisdiction, LearningNetwork, Team

from .auth import TOKEN_OR_SESSION, signed_in_docs
from .data import router as data_router
from .dhis2 import router as dhis2_router
from .disparities import router as disparities_router
from .errors import ErrorOut, SingleValuedParser, from_validation, responses
from .fhir import router as fhir_router
from .public import router as public_router

api = NinjaAPI(title="CoIIN API", version="1", urls_namespace="api",
               docs_decorator=signed_in_docs, parser=SingleValuedParser())
api.add_router("", data_router)  # /measures, /values, /submissions
api.add_router("", disparities_router)  # /disparities: strata compared, unsuppressed
api.add_router("/public", public_router)  # no login: what the public site shows
api.add_router("/fhir", fhir_router)  # FHIR R4: Measure, MeasureReport, transaction Bundle
api.add_router("/dhis2", dhis2_router)  # DHIS2 dataValueSets JSON and ADX


class JurisdictionOut(Schema):
    postal_code: str
    name: str
    fips_code: str
    kind: str
    hhs_region: int
    cohort: int
    learning_networks: list[str]  # the slugs of the networks it has joined


class TeamOut(Schema):
    id: int
    jurisdiction: str
    learning_network: str
    joined_on: dt.date


class TeamIn(Schema):
    jurisdiction: str
    learning_network: str
    joined_on: dt.date | None = None


def _team_out(team: Team) -> TeamOut:
    return TeamOut(id=team.pk, jurisdiction=team.jurisdiction.postal_code,
                   learning_network=team.learning_network.slug, joined_on=team.joined_on)


@api.get("/jurisdictions", response=responses(list[JurisdictionOut], auth=False))
def list_jurisdictions(request: HttpRequest) -> list[JurisdictionOut]:
    access.require(request.user, Action.VIEW_OVERVIEW)
    joined: dict[int, list[str]] = {}
    for jid, slug in Team.objects.order_by("learning_network__slug").values_list(
            "jurisdiction_id", "learning_network__slug"):
        joined.setdefault(jid, []).append(slug)
    return [
        JurisdictionOut(postal_code=j.postal_code, name=j.name, fips_code=j.fips_code,
                        kind=j.kind, hhs_region=j.hhs_region, cohort=j.cohort.year,
                        learning_networks=joined.get(j.pk, []))
        for j in Jurisdiction.objects.select_related("cohort")
    ]


@api.get("/teams", response=responses(list[TeamOut], auth=False))
def list_teams(request: HttpRequest) -> list[TeamOut]:
    access.require(request.user, Action.VIEW_TEAM)
    return [_team_out(t) for t in Team.objects.select_related("jurisdiction", "learning_network")]


@api.post("/teams", auth=TOKEN_OR_SESSION, response=responses(TeamOut, code=201))
def create_team(request: HttpRequest, payload: TeamIn):
    """Join a jurisdiction to a learning network (backbone staff only)."""
    if not access.can(request.user, Action.MANAGE_NETWORK):
        return Status(403, ErrorOut(detail="Only backbone staff may add teams."))
    jurisdiction = get_object_or_404(Jurisdiction, postal_code=payload.jurisdiction.upper())
    network = get_object_or_404(LearningNetwork, slug=payload.learning_network)
    try:
        team = services.join_network(jurisdiction=jurisdiction, learning_network=network,
                                     joined_on=payload.joined_on)
    except ValidationError as exc:
        return Status(422, ErrorOut(detail=" ".join(exc.messages)))
    return Status(201, _team_out(team))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(RequestInvalid)
def _invalid(request: HttpRequest, exc: RequestInvalid):
    """A request that does not parse answers in the API's one error shape (see errors.py)."""
    return api.create_response(request, from_validation(list(exc.errors)), status=422)
