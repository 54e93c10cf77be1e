"""Published storyboards on the public site: the story, and the team's chart passed through
the same disclosure control as every public figure (``release.storyboard_release``)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from coiin.web import vega_csp

from .content import chart_context, story_sections
from .models import Storyboard
from .release import CSV_HEADER
from .services import published


def _storyboard(pk: int) -> Storyboard:
    """A published storyboard; 404 for any other (a draft's existence is not public)."""
    return get_object_or_404(published(), pk=pk)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "storyboards/public/index.html", {"storyboards": published()})


@require_GET
@vega_csp
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    sb = _storyboard(pk)
    return render(request, "storyboards/public/detail.html", {
        "sb": sb, "sections": story_sections(sb), **chart_context(sb),
        "csv_url": reverse("storyboards:public_csv", args=[sb.pk]),
    })


@require_GET
def detail_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the figures the storyboard's chart and table show; suppressed ones blank."""
    sb = _storyboard(pk)
    team = f"{sb.team.jurisdiction.name} · {sb.team.learning_network.name}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coiin-storyboard-{sb.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for r in chart_context(sb)["rows"]:
        writer.writerow([sb.title, team, sb.measure.code, r["label"], r["numerator"],
                         r["numerator_flag"], r["denominator"], r["denominator_flag"],
                         r["rate"], r["rate_flag"]])
    return response
