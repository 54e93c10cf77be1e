"""API for reported data: the measure catalog, values (read and bulk write), submissions.

Callers sign in with a personal access token (``Authorization: Bearer …``) or the browser
session. What they see and change follows ``coiin.access`` exactly as the pages do;
bulk writes are read like an import's rows by ``coiin.measures.io`` and stored by
``coiin.measures.services.import_values``, with the import's checks and all-or-nothing rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import chain
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool

from coiin import access
from coiin.access import Action
from coiin.measures import io, services
from coiin.measures.io_sites import site_export_rows
from coiin.measures.models import DataValue, Measure, SiteValue, Stratum, Submission
from coiin.measures.periods import Period, PeriodError
from coiin.network.models import Team

from . import scope
from .auth import TOKEN_OR_SESSION
from .errors import ErrorOut, RowErrorOut, responses

router = Router(auth=TOKEN_OR_SESSION, tags=["data"])
MAX_LIMIT = 100_000
# A period label as the import writes it: 2015-03, 2015-Q1, 2015-H1 or 2015.
PERIOD_PATTERN = r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])|-[Qq][1-4]|-[Hh][12])?$"
PERIOD_FROM = Query(None, pattern=PERIOD_PATTERN,
                    description="the first period: 2015-03, 2015-Q1, 2015-H1 or 2015")
PERIOD_TO = Query(None, pattern=PERIOD_PATTERN, description="the last period, like period_from")


class MeasureOut(Schema):
    code: str
    name: str
    network: str | None
    level: str
    type: str
    unit: str
    multiplier: int
    direction: str
    frequency: str
    stratification: str
    strata: list[str]
    numerator_definition: str
    denominator_definition: str
    data_source: str
    national_target: Decimal | None
    target_source: str
    expected_min: Decimal | None
    expected_max: Decimal | None
    categories: list[str]
    source: str
    is_custom: bool


class ValueRow(Schema):
    """One value in the import's columns (numbers as exact decimal strings)."""

    jurisdiction: str
    network: str
    measure: str
    period: str
    numerator: str | None
    denominator: str | None
    value: str | None
    stratum: str | None
    comment: str
    status: str
    site: str | None = None  # the reporting unit of a site's value; none: the team's
    # A survey measure's weighted estimate is ``value``; these come with it.
    standard_error: str | None = None
    ci_lower: str | None = None
    ci_upper: str | None = None
    sample_size: str | None = None
    # A sampled measure's individual measurements, "21; 14; 35"; ``value`` is their mean.
    measurements: str | None = None


Cell = str | int | float | None


class ValueIn(Schema):
    """A row to store: the import's columns; a row with no numbers clears a stored value."""

    jurisdiction: Cell = None
    network: Cell = None
    measure: Cell = None
    period: Cell = None
    numerator: Cell = None
    denominator: Cell = None
    value: Cell = None
    stratum: Cell = None
    comment: Cell = None
    # A survey measure's weighted estimate is ``value`` (a percentage for PRAMS and BRFSS
    # measures), with its standard error or 95 % CI (both ends) and, optionally, the
    # unweighted number of respondents; no numerator or denominator.
    standard_error: Cell = None
    ci_lower: Cell = None
    ci_upper: Cell = None
    sample_size: Cell = None
    # A sampled measure's individual measurements, separated by semicolons: "21; 14; 35".
    measurements: Cell = None


class ValuesIn(Schema):
    rows: list[ValueIn]
    dry_run: StrictBool = False  # true or false; 0 and "no" are refused, not read as false


class ImportOut(Schema):
    rows: int
    created: int
    changed: int
    unchanged: int
    deleted: int
    submissions_created: int
    dry_run: bool
    warnings: list[RowErrorOut]


class SubmissionOut(Schema):
    id: int
    jurisdiction: str
    network: str
    frequency: str
    period: str
    status: str
    is_final: bool
    version: int
    values: int
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    closes_on: dt.date


def _period(label: str, name: str) -> Period:
    try:
        return Period.parse(label)
    except PeriodError as exc:
        raise HttpError(422, f"{name}: {exc}") from None


def _visible(request: HttpRequest, *, team: int | None, jurisdiction: str | None,
             network: str | None, period_from: str | None, period_to: str | None
             ) -> QuerySet[Submission]:
    """The team-periods the caller may see, narrowed by the usual filters.

    Naming a team the caller may not see is a 404 (403 for someone close to it who
    still may not read its data), as on the pages.
    """
    obj = get_object_or_404(Team, pk=team) if team is not None else None
    qs = scope.visible_submissions(request.user, team=obj, jurisdiction=jurisdiction,
                                   network=network)
    if period_from:
        qs = qs.filter(period_start__gte=_period(period_from, "period_from").start)
    if period_to:
        qs = qs.filter(period_start__lte=_period(period_to, "period_to").end)
    return qs


@router.get("/measures", response=responses(list[MeasureOut]))
def list_measures(request: HttpRequest, network: str | None = None,
                  chosen_by_team: int | None = None) -> list[MeasureOut]:
    """The measure catalog. ``network``: the measures a learning network's teams can report
    (its own and the shared ones); ``chosen_by_team``: the measures a team reports."""
    qs = Measure.objects.select_related("learning_network")
    if network:
        qs = qs.filter(Q(learning_network__slug=network.lower())
                       | Q(learning_network__isnull=True))
    if chosen_by_team is not None:
        team = get_object_or_404(Team, pk=chosen_by_team)
        access.require(request.user, Action.VIEW_TEAM, team)
        qs = qs.filter(team_measures__team=team, team_measures__active=True)
    strata: dict[str, list[str]] = {}
    for s in Stratum.objects.all():
        strata.setdefault(s.kind, []).append(s.code)
    return [
        MeasureOut(
            code=m.code, name=m.name,
            network=m.learning_network.slug if m.learning_network else None,
            level=m.level, type=m.type, unit=m.unit, multiplier=m.multiplier,
            direction=m.direction, frequency=m.frequency, stratification=m.stratification,
            strata=strata.get(m.stratification, []), numerator_definition=m.numerator_definition,
            denominator_definition=m.denominator_definition, data_source=m.data_source,
            national_target=m.national_target, target_source=m.target_source,
            expected_min=m.expected_min, expected_max=m.expected_max,
            categories=m.categories or [], source=m.source, is_custom=m.is_custom)
        for m in qs.order_by("code")
    ]


@router.get("/values", response=responses(list[ValueRow]))
def list_values(request: HttpRequest, team: int | None = None, jurisdiction: str | None = None,
                network: str | None = None, measure: str | None = None,
                period_from: str | None = PERIOD_FROM, period_to: str | None = PERIOD_TO,
                limit: int = 10_000, offset: int = 0) -> list[ValueRow]:
    """Reported values the caller may see (drafts only to their own team and backbone):
    the teams' figures, then the sites' values of measures reported by site (``site``
    names the reporting unit; site staff get their own site's only)."""
    submissions = _visible(request, team=team, jurisdiction=jurisdiction, network=network,
                           period_from=period_from, period_to=period_to)
    values = DataValue.objects.filter(measure__code=measure) if measure else None
    sites = access.visible_site_values(request.user, SiteValue.objects.filter(
        measure__code=measure) if measure else SiteValue.objects.all())
    limit = max(0, min(limit, MAX_LIMIT))
    out = []
    rows = chain(io.export_rows(submissions, values=values, with_status=True),
                 site_export_rows(submissions, values=sites, with_status=True))
    for i, row in enumerate(rows):
        if i < offset:
            continue
        if len(out) >= limit:
            break
        out.append(ValueRow(**{k: (v or None) if k in ("numerator", "denominator", "value",
                                                        "stratum", "site", "measurements",
                                                        *io.SURVEY_COLUMNS)
                               else v
                               for k, v in row.items()}))
    return out


@router.post("/values", response=responses(ImportOut, s201=ImportOut))
def write_values(request: HttpRequest, payload: ValuesIn):
    """Store rows of values, all or nothing, with the import's checks. ``row`` in errors
    and warnings is the row's position in ``rows``, counting from 1."""
    rows = [(i, r.dict()) for i, r in enumerate(payload.rows, start=1)]
    try:
        result = io.import_rows(rows, user=request.user, check_access=True,
                                dry_run=payload.dry_run, reason="API")
    except io.ImportRefused as exc:
        return Status(422, ErrorOut(
            detail=f"Nothing was stored: {len(exc.errors)} rows have errors.",
            errors=[_row_error(e) for e in exc.errors],
            warnings=[_row_error(w) for w in exc.warnings]))
    return Status(200 if payload.dry_run else 201, ImportOut(
        rows=result.rows, created=result.created, changed=result.changed,
        unchanged=result.unchanged, deleted=result.deleted,
        submissions_created=result.submissions_created, dry_run=result.dry_run,
        warnings=[_row_error(w) for w in result.warnings]))


def _row_error(e) -> RowErrorOut:
    return RowErrorOut(row=e.row, column=e.field, message=e.message)


@router.get("/submissions", response=responses(list[SubmissionOut]))
def list_submissions(request: HttpRequest, team: int | None = None,
                     jurisdiction: str | None = None, network: str | None = None,
                     status: Literal["draft", "submitted", "reviewed", "locked"] | None = None,
                     period_from: str | None = PERIOD_FROM,
                     period_to: str | None = PERIOD_TO) -> list[SubmissionOut]:
    """Team-periods and their workflow status, as far as the caller may see them."""
    visible = _visible(request, team=team, jurisdiction=jurisdiction, network=network,
                       period_from=period_from, period_to=period_to)
    qs = (Submission.objects.filter(pk__in=visible.values("pk"))
          .select_related("team__jurisdiction", "team__learning_network")
          .annotate(value_count=Count("values"))
          .order_by("team__jurisdiction__postal_code", "team__learning_network__slug",
                    "frequency", "period_start"))
    if status:
        qs = qs.filter(status=status)
    return [
        SubmissionOut(
            id=s.pk, jurisdiction=s.team.jurisdiction.postal_code,
            network=s.team.learning_network.slug, frequency=s.frequency,
            period=s.period.label, status=s.status, is_final=s.is_final, version=s.version,
            values=s.value_count, submitted_at=s.submitted_at, reviewed_at=s.reviewed_at,
            closes_on=services.closes_on(s))
        for s in qs
    ]
