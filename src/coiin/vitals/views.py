"""The official figures page: which files were loaded, and the infant mortality rate
computed from their counts beside the rate CDC published."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.network.models import Jurisdiction, User
from coiin.spreadsheet import SafeWriter
from coiin.web import sign_in_required

from . import entry, rates, services
from .models import (
    MOTHER_RACE_NAMES,
    MOTHER_RACES,
    SourceKind,
    Status,
    VitalFigure,
    VitalRecordsRole,
    VitalsLoad,
)


@require_GET
@sign_in_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.VIEW_VITALS)
    code = request.GET.get("jurisdiction", "").strip().upper()
    year_text = request.GET.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() else None
    rows = rates.imr_by_year(jurisdiction=code or None, year=year)
    if request.GET.get("format") == "csv":
        return _csv(rows, code, year)
    compared = [r for r in rows if r.agrees is not None]
    return render(request, "vitals/index.html", {
        "loads": VitalsLoad.objects.select_related("loaded_by")[:50],
        "rows": rows,
        "compared": len(compared),
        "agreeing": sum(1 for r in compared if r.agrees),
        "disagreeing": sum(1 for r in compared if not r.agrees),
        "jurisdictions": Jurisdiction.objects.filter(
            vital_figures__isnull=False).distinct().order_by("name"),
        "jurisdiction": code, "year": year or "",
        "may_name_offices": access.can(request.user, Action.GRANT_VITALS_ROLE),
        "csv_query": urlencode({k: v for k, v in (("jurisdiction", code), ("year", year or ""),
                                                  ("format", "csv")) if v}),
    })


def _csv(rows: list[rates.RateRow], code: str, year: int | None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "-".join(str(p) for p in ("imr-reproduced", code, year) if p)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = SafeWriter(response)
    writer.writerow(["jurisdiction", "period", "deaths", "births", "rate", "published_rate",
                     "agrees", "unreliable"])
    for r in rows:
        writer.writerow([r.jurisdiction, r.period, _cell(r.deaths), _cell(r.births),
                         _cell(r.rate), _cell(r.published_rate),
                         "" if r.agrees is None else ("yes" if r.agrees else "no"),
                         "yes" if r.unreliable else "no"])
    return response


def _cell(value: object) -> str:
    return "" if value is None else str(value)


# In the reader's language (the fields are named by the groups' codes).
ROWS = [("", gettext_lazy("All mothers")),
        *((code, MOTHER_RACE_NAMES[code]) for code, _label in MOTHER_RACES)]


@require_http_methods(["GET", "POST"])
@sign_in_required
def enter(request: HttpRequest, code: str) -> HttpResponse:
    """A vital-records office enters its jurisdiction's births and infant deaths for a
    period, once for every team of the jurisdiction."""
    jurisdiction = get_object_or_404(Jurisdiction, postal_code=code.upper())
    access.require(request.user, Action.ENTER_VITALS, jurisdiction)
    problems: dict[str, str] = {}
    data = request.POST if request.method == "POST" else None
    if data is not None:
        try:
            result = services.enter_figures(
                jurisdiction=jurisdiction, user=request.user, year=data.get("year", ""),
                quarter=data.get("quarter", ""), status=data.get("status", ""),
                cells={k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken",
                                                                   "correct")},
                correct=bool(data.get("correct")))
        except services.EntryRefused as refused:
            problems = refused.fields
        else:
            messages.success(request, result.summary())
            return redirect("vitals:enter", code=jurisdiction.postal_code.lower())
    grid = [{"label": label, "cells": [
        {"name": entry.field_name(item, race), "item": item,
         "value": data.get(entry.field_name(item, race), "") if data is not None else "",
         "problem": problems.get(entry.field_name(item, race), "")}
        for item in entry.ITEMS]} for race, label in ROWS]
    return render(request, "vitals/enter.html", {
        "jurisdiction": jurisdiction, "grid": grid, "problems": problems,
        "year": data.get("year", "") if data is not None else timezone.now().year,
        "quarter": data.get("quarter", "") if data is not None else "",
        "status": data.get("status", Status.PROVISIONAL) if data is not None
        else Status.PROVISIONAL,
        "statuses": Status.choices,
        "correct": data is not None and bool(data.get("correct")),
        "entered": VitalFigure.objects.filter(
            jurisdiction=jurisdiction, source_kind=SourceKind.OFFICE, mother_race="",
            mother_age="").select_related("load", "load__loaded_by")
        .order_by("-year", "-quarter", "item")[:40],
    }, status=400 if problems else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def offices(request: HttpRequest) -> HttpResponse:
    """Backbone staff name the people of each jurisdiction's vital-records office."""
    access.require(request.user, Action.GRANT_VITALS_ROLE)
    if request.method == "POST":
        withdraw = request.POST.get("withdraw", "")
        if withdraw.isdigit():
            role = get_object_or_404(VitalRecordsRole, pk=int(withdraw))
            services.withdraw_role(role=role)
            messages.success(request, _("%(user)s no longer enters figures for %(jurisdiction)s.")
                                      % {"user": role.user.display_name,
                                         "jurisdiction": role.jurisdiction.name})
            return redirect("vitals:offices")
        email = request.POST.get("email", "").strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        place = Jurisdiction.objects.filter(
            postal_code=request.POST.get("jurisdiction", "").strip().upper()).first()
        if person is None or place is None:
            problems = [text for ok, text in (
                (person, _("no active person with the e-mail %(email)s") % {"email": repr(email)}),
                (place, _("choose a jurisdiction"))) if ok is None]
            messages.error(request, _("Nobody was named: %(problems)s") % {
                "problems": "; ".join(problems)})
        else:
            services.grant_role(user=person, jurisdiction=place, by=request.user)
            messages.success(request, _("%(person)s enters figures for the %(place)s vital "
                                        "records office.")
                                      % {"person": person.display_name, "place": place.name})
        return redirect("vitals:offices")
    return render(request, "vitals/offices.html", {
        "roles": VitalRecordsRole.objects.select_related("user", "jurisdiction", "granted_by"),
        "jurisdictions": Jurisdiction.objects.order_by("name"),
    })
