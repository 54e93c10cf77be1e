"""A team's reports: make one (PDF, XLSX or HTML), and download any kept snapshot."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period, PeriodError
from coiin.network.models import Team

from . import documents, snapshots
from .models_snapshots import ReportSnapshot


def _team(request: HttpRequest, slug: str, postal: str) -> Team:
    team = get_object_or_404(Team.objects.select_related("jurisdiction", "learning_network"),
                             learning_network__slug=slug, jurisdiction__postal_code=postal.upper())
    access.require(request.user, Action.VIEW_DATA, team)
    return team


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def team_reports(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    team = _team(request, slug, postal)
    latest = (Submission.objects.filter(team=team, status__in=Submission.SHOWN_STATUSES)
              .order_by("-period_start").values_list("period_start", flat=True).first())
    default = Period.containing(latest, Frequency.MONTHLY).label if latest else ""
    error = ""
    if request.method == "POST":
        fmt = request.POST.get("format", "")
        try:
            period = Period.parse(request.POST.get("period", ""))
        except PeriodError as exc:
            error = f"Period: {exc}"
        else:
            if fmt not in documents.CONTENT_TYPES:
                error = "Choose PDF, Excel or HTML."
            else:
                snapshot, data = snapshots.make_team_report(team=team, period=period, fmt=fmt,
                                                            user=request.user)
                return _download(data, fmt, f"{team.jurisdiction.postal_code.lower()}-"
                                            f"{team.learning_network.slug}-{period.label}")
    kept = ReportSnapshot.objects.filter(team=team).select_related("created_by")[:50]
    return render(request, "reports/team_reports.html", {
        "team": team, "default_period": default, "snapshots": kept, "error": error,
    }, status=400 if error else 200)


@require_GET
def snapshot_file(request: HttpRequest, snapshot_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    snapshot = get_object_or_404(ReportSnapshot.objects.select_related(
        "team__jurisdiction", "team__learning_network"), pk=snapshot_id)
    if snapshot.team is None:
        raise Http404
    access.require(request.user, Action.VIEW_DATA, snapshot.team)
    team = snapshot.team
    return _download(snapshots.stored_file(snapshot), snapshot.format,
                     f"{team.jurisdiction.postal_code.lower()}-{team.learning_network.slug}-"
                     f"{snapshot.period}-{str(snapshot.pk)[:8]}")
