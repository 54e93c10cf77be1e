"""The official figures page: which files were loaded, and the infant mortality rate
computed from their counts beside the rate CDC published."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coiin import access
from coiin.access import Action
from coiin.network.models import Jurisdiction
from coiin.spreadsheet import SafeWriter
from coiin.web import sign_in_required

from . import rates
from .models import VitalsLoad


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
