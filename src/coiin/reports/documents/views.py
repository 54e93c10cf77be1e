"""Reports people hand on: a team's, a learning network's and the national report to the
funder. Each page makes one (PDF, XLSX or HTML) for a chosen period and lists the kept
snapshots; any snapshot downloads again, to those who may see its kind of report."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period, PeriodError
from coiin.network.models import LearningNetwork, Team
from coiin.web import sign_in_required, team_or_404

from ..jobs import services as jobs
from . import snapshots
from . import team as documents
from .models import ReportSnapshot


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _latest_month(teams) -> str:
    latest = (Submission.objects.filter(team__in=teams, status__in=Submission.SHOWN_STATUSES)
              .order_by("-period_start").values_list("period_start", flat=True).first())
    return Period.containing(latest, Frequency.MONTHLY).label if latest else ""


def _make(request: HttpRequest, kind: str, **target) -> tuple[HttpResponse | None, str]:
    """Queue the report the form asks for: (a redirect to its progress page, "") or (None,
    what is wrong). It is made in the background (at once on the embedded default)."""
    fmt = request.POST.get("format", "")
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError as exc:
        return None, f"Period: {exc}"
    try:
        job = jobs.request_report(kind=kind, period=period, fmt=fmt, user=request.user,
                                  language=translation.get_language() or "", **target)
    except jobs.ReportRequestError as exc:
        return None, str(exc) if exc.field == "format" else f"{exc.field.title()}: {exc}"
    return redirect("report_job", job_id=job.pk), ""


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_reports(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_DATA)
    default = _latest_month([team])
    error = ""
    if request.method == "POST":
        response, error = _make(request, ReportSnapshot.Kind.TEAM, team=team)
        if response is not None:
            return response
    kept = ReportSnapshot.objects.filter(team=team).select_related("created_by")[:50]
    return render(request, "reports/team_reports.html", {
        "team": team, "default_period": default, "snapshots": kept, "error": error,
    }, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def network_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """A learning network's reports: its faculty, backbone staff and the funder."""
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.VIEW_NETWORK_DATA, network)
    error = ""
    if request.method == "POST":
        response, error = _make(request, ReportSnapshot.Kind.NETWORK, network=network)
        if response is not None:
            return response
    kept = ReportSnapshot.objects.filter(kind=ReportSnapshot.Kind.NETWORK,
                                         network=network).select_related("created_by")[:50]
    return render(request, "reports/documents/network_page.html", {
        "network": network, "snapshots": kept, "error": error,
        "default_period": _latest_month(Team.objects.filter(learning_network=network)),
    }, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def national_reports(request: HttpRequest) -> HttpResponse:
    """The national report to the funder: backbone staff, the funder (and faculty, who see
    the national dashboard it summarises)."""
    access.require(request.user, Action.VIEW_NATIONAL)
    error = ""
    if request.method == "POST":
        response, error = _make(request, ReportSnapshot.Kind.NATIONAL)
        if response is not None:
            return response
    kept = ReportSnapshot.objects.filter(kind=ReportSnapshot.Kind.NATIONAL).select_related(
        "created_by")[:50]
    return render(request, "reports/documents/national_page.html", {
        "snapshots": kept, "error": error, "default_period": _latest_month(Team.objects.all()),
    }, status=400 if error else 200)


def _snapshot_name(snapshot: ReportSnapshot) -> str:
    short = str(snapshot.pk)[:8]
    if snapshot.kind == ReportSnapshot.Kind.NATIONAL:
        return f"national-{snapshot.period}-{short}"
    if snapshot.kind == ReportSnapshot.Kind.NETWORK:
        return f"{snapshot.network.slug}-{snapshot.period}-{short}"
    team = snapshot.team
    return (f"{team.jurisdiction.postal_code.lower()}-{team.learning_network.slug}-"
            f"{snapshot.period}-{short}")


@require_GET
@sign_in_required
def snapshot_file(request: HttpRequest, snapshot_id: str) -> HttpResponse:
    snapshot = get_object_or_404(ReportSnapshot.objects.select_related(
        "team__jurisdiction", "team__learning_network", "network"), pk=snapshot_id)
    if snapshot.kind == ReportSnapshot.Kind.NATIONAL:
        access.require(request.user, Action.VIEW_NATIONAL)
    elif snapshot.kind == ReportSnapshot.Kind.NETWORK and snapshot.network is not None:
        access.require(request.user, Action.VIEW_NETWORK_DATA, snapshot.network)
    elif snapshot.kind == ReportSnapshot.Kind.TEAM and snapshot.team is not None:
        access.require(request.user, Action.VIEW_DATA, snapshot.team)
    else:
        raise Http404
    return _download(snapshots.stored_file(snapshot), snapshot.format, _snapshot_name(snapshot))
