"""Pages to import a file of values and to export what you may see, as CSV or XLSX."""

from __future__ import annotations

import io as stdio

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.network.models import LearningNetwork, Team
from coiin.web import sign_in_required, team_by_pk_or_404

from . import imported, io, io_formats, jobs, services
from .io_template import template_columns, template_rows
from .models import ImportJob, Submission
from .periods import Period, PeriodError

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportForm(forms.Form):
    file = forms.FileField(help_text=gettext_lazy(
        "CSV (UTF-8) or Excel .xlsx with a header row; or a FHIR Bundle of MeasureReports, "
        "DHIS2 dataValueSets JSON or ADX XML."), label=gettext_lazy("File"))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file; store nothing"),
                                 required=False)
    document: io_formats.Format | None = None  # the interchange format, if not CSV/XLSX

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            io.file_format(upload.name)
        except ValueError as exc:
            head = upload.read()
            upload.seek(0)
            self.document = io_formats.detect(head)
            if self.document is None:
                raise forms.ValidationError(_("%(problem)s, nor a FHIR Bundle, DHIS2 dataValueSets "
                                              "JSON or ADX XML document.")
                                            % {"problem": exc}) from None
        return upload


def _team(request: HttpRequest) -> Team | None:
    """The team the query names (``?team=``), if any."""
    pk = request.GET.get("team")
    return team_by_pk_or_404(request, pk) if pk else None


def _require_may_import(request: HttpRequest, team: Team | None) -> None:
    """Into one team: ENTER_DATA on it. In general: someone who enters data for a team
    (each row is still checked) or backbone staff; other members 403, others 404."""
    user = request.user
    if team is not None:
        access.require(user, Action.ENTER_DATA, team)
    else:
        access.require(user, Action.IMPORT_DATA)


@require_http_methods(["GET", "POST"])
@sign_in_required
def import_data(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    _require_may_import(request, team)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "team": team, "columns": io.COLUMNS, "warnings": [],
               "formats": io_formats.FORMATS.values()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["document"] = form.document
        try:
            data = upload.read()
            if form.document is not None:
                context["result"] = io_formats.read(
                    form.document, data, upload.name, user=request.user, check_access=True,
                    only_team=team, dry_run=form.cleaned_data["dry_run"],
                    reason=f"uploaded {upload.name}")
            elif io.count_rows(data, upload.name) > jobs.background_rows():
                job = jobs.start_import(user=request.user, team=team, data=data,
                                        filename=upload.name,
                                        dry_run=form.cleaned_data["dry_run"])
                return redirect("import_job", job.pk)
            else:
                context["result"] = io.import_file(
                    data, upload.name, user=request.user, check_access=True, only_team=team,
                    dry_run=form.cleaned_data["dry_run"], reason=f"uploaded {upload.name}")
        except io.ImportRefused as exc:
            context.update(errors=exc.errors, warnings=exc.warnings, filename=upload.name)
            return render(request, "measures/io_import.html", context, status=422)
        context.update(filename=upload.name, warnings=context["result"].warnings,
                       touched=imported.touched_periods(
                           request.user, context["result"].submission_ids))
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "measures/io_import.html", context, status=status)


@require_GET
@sign_in_required
def export_data(request: HttpRequest) -> HttpResponse:
    """?team=<id> | ?network=<slug> | everything visible; ?format=csv|xlsx for the file,
    without it a page of links."""
    team = _team(request)
    network = None
    if team is not None:
        access.require(request.user, Action.VIEW_DATA, team)
    elif not access.is_network_member(request.user):
        raise Http404
    elif request.GET.get("network"):
        network = get_object_or_404(LearningNetwork, slug=request.GET["network"])
    fmt = request.GET.get("format")
    if fmt is None:
        return render(request, "measures/io_export.html", {
            "networks": LearningNetwork.objects.all(),
            "teams": access.own_teams(request.user).select_related(
                "jurisdiction", "learning_network"),
        })
    if fmt not in io.FORMATS:
        return HttpResponseBadRequest("format must be csv or xlsx")
    submissions = access.visible_submissions(request.user)
    scope = "all"
    if team is not None:
        submissions = submissions.filter(team=team)
        scope = f"{team.jurisdiction.postal_code}-{team.learning_network.slug}"
    elif network is not None:
        submissions = submissions.filter(team__learning_network=network)
        scope = network.slug
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    name = f"coiin-data-{scope}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if fmt == "csv":
        io.write_csv(io.export_rows(submissions), response)
    else:
        out = stdio.BytesIO()
        io.write_xlsx(io.export_rows(submissions), out)
        response.write(out.getvalue())
    return response


@require_GET
@sign_in_required
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """How far a background import has got; the page refreshes itself until it is done."""
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.user_id != request.user.pk and not access.is_backbone(request.user):
        raise Http404
    percent = int(100 * job.done_rows / job.total_rows) if job.total_rows else 0
    touched = imported.touched_periods(request.user, job.result.get("submission_ids", [])) \
        if job.status == ImportJob.Status.DONE and not job.dry_run else []
    return render(request, "measures/io_job.html", {"job": job, "percent": percent,
                                                    "touched": touched})


@require_POST
@sign_in_required(then=lambda request: "/my-work/")
def submit_imported(request: HttpRequest) -> HttpResponse:
    """Submit the imported drafts ticked on the page after an import."""
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    drafts = imported.submittable(request.user, ids)
    done, problems = services.submit_many(submissions=drafts, user=request.user)
    if done:
        messages.success(request, ngettext("Submitted %(n)s period for review.",
                                           "Submitted %(n)s periods for review.", len(done))
                         % {"n": len(done)})
    for problem in problems:
        messages.error(request, problem)
    if not done and not problems:
        messages.warning(request, _("Nothing was submitted: tick the periods to submit."))
    return redirect("my_work")


@require_GET
@sign_in_required
def import_template(request: HttpRequest) -> HttpResponse:
    """?team=<id>&period=<label>[&format=xlsx]: that team-period's rows to fill in."""
    team = _team(request)
    if team is None:
        raise Http404
    access.require(request.user, Action.ENTER_DATA, team)
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError:
        raise Http404 from None
    fmt = request.GET.get("format", "csv")
    if fmt not in io.FORMATS:
        return HttpResponseBadRequest("format must be csv or xlsx")
    existing = access.visible_submissions(request.user, Submission.objects.filter(
        team=team, frequency=period.frequency.value, period_start=period.start))
    rows = template_rows(team, period, existing=existing,
                         units=access.enterable_units(request.user, team),
                         team_rows=access.can(request.user, Action.ENTER_TEAM_VALUES, team))
    columns = template_columns(team)
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    name = f"coiin-{team.jurisdiction.postal_code}-{team.learning_network.slug}-" \
           f"{period.label}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if fmt == "csv":
        io.write_csv(rows, response, columns)
    else:
        out = stdio.BytesIO()
        io.write_xlsx(rows, out, columns)
        response.write(out.getvalue())
    return response
