"""Reports made in the background: ask for one, watch its progress; and report schedules."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.measures.periods import Period, PeriodError
from coiin.network.models import LearningNetwork, Team
from coiin.web import sign_in_required

from ..documents.models import ReportSnapshot
from . import services as jobs
from .models import ReportJob, ReportSchedule

Kind = ReportSnapshot.Kind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Report"))
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)
    network = forms.SlugField(required=False, widget=forms.HiddenInput)
    period = forms.CharField(max_length=10, label=_("Up to the period"),
                             help_text=_("A month (2017-12) or a quarter (2017-Q4)."))
    format = forms.ChoiceField(choices=ReportSnapshot.Format.choices, label=_("Format"))

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


def _subject(request: HttpRequest, form: RequestForm) -> tuple[Team | None, LearningNetwork | None]:
    """The team or network the request names, or 404 when it names none the person may see."""
    kind = form.cleaned_data["kind"]
    team = network = None
    if kind == Kind.TEAM:
        team = get_object_or_404(Team.objects.select_related("jurisdiction", "learning_network"),
                                 pk=form.cleaned_data["team"] or 0)
        network = team.learning_network
    elif kind == Kind.NETWORK:
        network = get_object_or_404(LearningNetwork, slug=form.cleaned_data["network"] or "")
    if not access.may_see_report(request.user, kind=kind, team=team, network=network):
        raise Http404
    return team, network


@require_POST
@sign_in_required(then=lambda request: reverse("overview"))
def request_report_view(request: HttpRequest) -> HttpResponse:
    """Queue a report (kind, team id or network slug, period, format) and show its progress."""
    form = RequestForm(request.POST)
    if form.is_valid():
        team, network = _subject(request, form)
        try:
            job = jobs.request_report(kind=form.cleaned_data["kind"],
                                      period=form.cleaned_data["period"],
                                      fmt=form.cleaned_data["format"], team=team,
                                      network=network, user=request.user,
                                      language=translation.get_language() or "")
        except jobs.ReportRequestError as exc:
            shown = exc.field in {"kind", "period", "format"}  # team and network are hidden
            form.add_error(exc.field if shown else None, str(exc))
        else:
            return redirect("report_job", job.pk)
    return render(request, "reports/jobs/request.html", {"form": form}, status=400)


def _job(request: HttpRequest, job_id: str) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related(
        "team__jurisdiction", "team__learning_network", "network", "requested_by", "snapshot",
        "schedule"), pk=job_id)
    access.require(request.user, Action.VIEW_REPORT_JOB, job)
    return job


@require_GET
@sign_in_required
def job_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """How far a report has got; the page refreshes itself until it is ready."""
    job = _job(request, job_id)
    return render(request, "reports/jobs/progress.html", {"job": job})


@require_GET
def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    """The job's progress as JSON, for the progress page's poll."""
    if not request.user.is_authenticated:
        raise Http404
    job = _job(request, job_id)
    return JsonResponse({
        "status": job.status, "status_display": job.status_label,
        "progress": job.progress, "step": job.step_text, "finished": job.finished,
        "error": job.error_text,
        "download": reverse("report_snapshot", args=[job.snapshot_id])
        if job.snapshot_id else None,
    })


# Schedules


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["kind", "frequency", "format"]
        labels = {"kind": _("Report"), "frequency": _("How often"), "format": _("Format")}

    def __init__(self, *args, network: LearningNetwork, **kwargs) -> None:
        kwargs.setdefault("initial", {"kind": ReportSchedule.Kind.NETWORK,
                                      "frequency": ReportSchedule.Frequency.MONTHLY,
                                      "format": ReportSnapshot.Format.PDF})
        super().__init__(*args, **kwargs)
        self.network = network
        for name in ("kind", "frequency", "format"):  # no empty "---------" choice
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean(self) -> dict:
        data = super().clean()
        if ReportSchedule.objects.filter(
                network=self.network, kind=data.get("kind"), format=data.get("format"),
                frequency=data.get("frequency")).exists():
            raise forms.ValidationError(
                gettext("This network already has that schedule; resume it instead of adding "
                        "another."))
        return data


def _network(request: HttpRequest, slug: str) -> LearningNetwork:
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.MANAGE_NETWORK, network)
    return network


@require_http_methods(["GET", "POST"])
@sign_in_required
def schedules(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's report schedules: list them and add one (backbone staff)."""
    network = _network(request, slug)
    form = ScheduleForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        schedule = form.save(commit=False)
        schedule.network, schedule.created_by = network, request.user
        schedule.save()
        messages.success(request, gettext("Added: %(kind)s, %(frequency)s.")
                                  % {"kind": schedule.get_kind_display().lower(),
                                     "frequency": schedule.get_frequency_display().lower()})
        return redirect("report_schedules", network.slug)
    rows = (ReportSchedule.objects.filter(network=network).select_related("created_by")
            .order_by("kind", "frequency", "format", "pk"))
    recent = (ReportJob.objects.filter(schedule__network=network)
              .select_related("team__jurisdiction", "team__learning_network", "network")
              .order_by("-created_at", "pk")[:20])
    return render(request, "reports/jobs/schedules.html", {
        "network": network, "form": form, "schedules": rows, "recent": recent,
    }, status=400 if form.errors else 200)


def _schedules_page(request: HttpRequest, slug: str, schedule_id: int) -> str:
    """Where an anonymous visitor comes back to after signing in to change a schedule."""
    return reverse("report_schedules", args=[slug])


def _schedule(request: HttpRequest, slug: str, schedule_id: int) -> ReportSchedule:
    network = _network(request, slug)
    return get_object_or_404(ReportSchedule, pk=schedule_id, network=network)


@require_POST
@sign_in_required(then=_schedules_page)
def schedule_toggle(request: HttpRequest, slug: str, schedule_id: int) -> HttpResponse:
    """Pause an active schedule, or resume a paused one."""
    schedule = _schedule(request, slug, schedule_id)
    schedule.active = not schedule.active
    schedule.save(update_fields=["active"])
    messages.success(request, f"{'Resumed' if schedule.active else 'Paused'}: "
                              f"{schedule.get_kind_display().lower()}.")
    return redirect("report_schedules", slug)


@require_POST
@sign_in_required(then=_schedules_page)
def schedule_delete(request: HttpRequest, slug: str, schedule_id: int) -> HttpResponse:
    """Delete a schedule; the reports it made are kept."""
    schedule = _schedule(request, slug, schedule_id)
    label = schedule.get_kind_display().lower()
    schedule.delete()
    messages.success(request, gettext("Deleted: %(label)s. The reports it made are kept.")
                              % {"label": label})
    return redirect("report_schedules", slug)
