"""Pages of reporting: a team's periods, the entry form, the workflow steps, the audit
trail, and the measure catalog."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.network.models import LearningNetwork, Team
from coiin.web import sign_in_required, team_or_404

from . import due, services
from .entry import attach_issues, official_rows
from .entry_sites import attach_site_issues, entry_form, site_entries
from .forms import (
    ChooseMeasuresForm,
    CustomMeasureForm,
    ExceptionForm,
    GoalForm,
    ReasonForm,
    ReviewForm,
)
from .messages import localize
from .models import DataValue, Goal, Measure, SiteValue, Submission
from .periods import Frequency, Period, PeriodError
from .samples import as_text

Status = Submission.Status


def _may_see_submission(user, submission: Submission) -> bool:
    return access.visible_submissions(user).filter(pk=submission.pk).exists() \
        if submission.pk else access.can(user, Action.ENTER_DATA, submission.team)


def data_url(team: Team, period: Period) -> str:
    return reverse("enter_data", args=[team.learning_network.slug,
                                       team.jurisdiction.postal_code.lower(), period.label])


@require_GET
@sign_in_required
def team_data(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.VIEW_DATA, team)
    measures = services.team_measures(team)
    event_logs = [m for m in measures if m.records_events]  # kept event by event
    measures = [m for m in measures if not m.records_events]
    today = timezone.localdate()
    visible = access.visible_submissions(request.user, team.submissions.all())
    by_key = {(s.frequency, s.period_start): s for s in visible}
    value_counts = {
        row["submission"]: row["n"]
        for row in DataValue.objects.filter(submission__in=list(by_key.values()),
                                            stratum__isnull=True)
        .values("submission").annotate(n=Count("id"))
    }
    first_year = max(team.joined_on.year, 2012)
    frequencies = [f for f in Frequency if any(m.frequency == f.value for m in measures)]
    # The list opens on the year of the latest period that is open or due: the last one
    # that has ended, or the one holding the network's end date.
    latest = max((due.last_due_period(team, f, today).start.year for f in frequencies),
                 default=today.year)
    top = max([latest, first_year, *(start.year for _, start in by_key)])
    years = list(range(top, first_year - 1, -1))
    try:
        year = int(request.GET.get("year", latest))
    except ValueError:
        year = latest
    if year not in years:
        year = latest if latest in years else years[0]
    may_enter = access.can(request.user, Action.ENTER_DATA, team)
    streams = []
    for frequency in frequencies:
        periods = []
        period = Period.containing(dt.date(year, 12, 1), frequency)
        while period.start.year == year:
            sub = by_key.get((frequency.value, period.start))
            if period.end < today and due.reports_period(team, period) or sub:
                unsent = sub is None or sub.status == Status.DRAFT
                closed = services.is_closed(sub or Submission(
                    team=team, frequency=frequency.value, period_start=period.start))
                periods.append({
                    "period": period, "submission": sub,
                    "entered": value_counts.get(sub.pk, 0) if sub else 0,
                    "due": services.due_date(period),
                    "overdue": unsent and not closed and services.due_date(period) < today,
                    "missed": unsent and closed,
                    "enter": may_enter and unsent and not closed,
                    "url": data_url(team, period),
                })
            period = period.previous()
        streams.append({"frequency": frequency,
                        "measures": [m for m in measures if m.frequency == frequency.value],
                        "periods": periods})
    return render(request, "measures/team_data.html", {
        "team": team, "streams": streams, "measures": measures, "year": year, "years": years,
        "event_logs": event_logs,
        "ended": not team.learning_network.runs_on(today),
        "may_choose": access.can(request.user, Action.CHOOSE_MEASURES, team),
        "may_manage_sites": access.can(request.user, Action.MANAGE_SITES, team),
        "goals": team.goals.select_related("measure"),
    })


def _period(label: str) -> Period:
    try:
        return Period.parse(label)
    except PeriodError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@sign_in_required
def enter_data(request: HttpRequest, slug: str, postal: str, label: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    period = _period(label)
    measures = services.team_measures(team, period.frequency)
    submission = Submission.objects.filter(
        team=team, frequency=period.frequency.value, period_start=period.start).first()
    if submission is None:
        submission = Submission(team=team, frequency=period.frequency.value,
                                period_start=period.start)
    # Official outcomes the jurisdiction's store holds are shown, not typed.
    held = services.official_cells(submission, measures)
    measures = [m for m in measures if m.pk not in held]
    if not _may_see_submission(request.user, submission):
        # 404 or 403, as fits; a 403 here refuses the page, not only changing it.
        access.require(request.user, Action.ENTER_DATA, team, seen=False)
    may_enter = access.can(request.user, Action.ENTER_DATA, team)
    editable = may_enter and submission.status == Status.DRAFT \
        and not services.is_closed(submission)
    if request.method == "POST":
        if not editable:
            access.require(request.user, Action.ENTER_DATA, team)
            messages.error(request, _not_editable_reason(submission))
            return redirect(data_url(team, period))
        return _save(request, team, period, measures, submission)
    form = entry_form(request.user, submission, measures)
    return _render_entry(request, team, period, submission, form, editable)


def _not_editable_reason(submission: Submission) -> str:
    if submission.status != Status.DRAFT:
        return _("%(period)s is %(status)s; it must be reopened before its values can "
                 "change.") % {"period": submission,
                               "status": submission.get_status_display().lower()}
    return _("%(period)s closed on %(on)s.") % {
        "period": submission, "on": date_format(services.closes_on(submission), _("F j, Y"))}


def _save(request, team, period, measures, submission) -> HttpResponse:
    if submission.pk is None:
        submission = services.submission_for(team, period)
    form = entry_form(request.user, submission, measures, request.POST)
    entries = [r.entry for r in form.rows] if form.team_editable else []
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = -1
    reason = request.POST.get("reason", "").strip()
    try:
        if form.blocks:  # measures reported by site: sites and team values, one version
            kept = services.save_site_values(
                submission=submission, user=request.user, entries=site_entries(form.blocks),
                team_entries=entries, expected_version=expected, reason=reason)
        else:
            kept = services.save_values(submission=submission, user=request.user,
                                        entries=entries, expected_version=expected,
                                        reason=reason)
    except services.EditConflict as conflict:
        form = entry_form(request.user, submission, measures, request.POST)
        return _render_entry(request, team, period, conflict.submission, form, True,
                             conflict=conflict, status=409)
    except services.DataErrors as problem:
        problem.issues = localize(problem.issues)  # the summary, in the reader's language
        loose = attach_site_issues(form.blocks, attach_issues(form.rows, problem.issues))
        for issue in loose:
            messages.error(request, str(issue))
        return _render_entry(request, team, period, submission, form, True, status=400,
                             problem=problem)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
        return redirect(data_url(team, period))
    submission.refresh_from_db()
    if kept:
        messages.warning(request, ngettext(
            "Saved, keeping %(n)s value with warnings and the reasons you gave.",
            "Saved, keeping %(n)s values with warnings and the reasons you gave.",
            len(kept)) % {"n": len(kept)})
    if request.POST.get("action") == "submit":
        if not access.can(request.user, Action.SUBMIT_DATA, team):
            messages.error(request, _("Saved. Only the team lead or data lead can submit."))
            return redirect(data_url(team, period))
        try:
            services.submit(submission=submission, user=request.user,
                            is_final=request.POST.get("is_final") == "on")
        except services.ReportingError as exc:
            messages.error(request, str(exc))
            return redirect(data_url(team, period))
        messages.success(request, _("%(period)s submitted for review.") % {"period": submission})
    else:
        messages.success(request, _("Saved %(period)s as a draft.") % {"period": submission})
    return redirect(data_url(team, period))


def _render_entry(request, team, period, submission, form, editable, *, conflict=None,
                  problem=None, status=200) -> HttpResponse:
    user = request.user
    events = submission.events.select_related("by") if submission.pk else []
    return render(request, "measures/enter.html", {
        "team": team, "period": period, "submission": submission, "rows": form.rows,
        "blocks": form.blocks, "editable": editable, "official": official_rows(submission),
        "team_editable": editable and form.team_editable,
        "conflict": conflict, "problem": problem,
        "due": services.due_date(period),
        "closes": services.closes_on(submission),
        "closed": services.is_closed(submission),
        "events": events,
        "may_submit": access.can(user, Action.SUBMIT_DATA, team),
        "may_review": access.can(user, Action.REVIEW_DATA, team)
        and submission.status == Status.SUBMITTED,
        "may_lock": access.can(user, Action.LOCK_DATA, team)
        and submission.status == Status.REVIEWED,
        "may_reopen": submission.pk is not None and submission.status != Status.DRAFT and (
            access.can(user, Action.LOCK_DATA, team)
            or (access.can(user, Action.REOPEN_DATA, team)
                and submission.status != Status.LOCKED)),
        "may_grant": access.can(user, Action.GRANT_EXCEPTION, team),
        # A review kept on a period reopened since: it read values that may have changed.
        "review_superseded": bool(submission.assessment)
        and submission.status in (Status.DRAFT, Status.SUBMITTED),
        "review_form": ReviewForm(), "reason_form": ReasonForm(),
        "exception_form": ExceptionForm(),
        "prev_url": data_url(team, period.previous()),
        "next_url": data_url(team, period.next()),
    }, status=status)


def _existing_submission(request: HttpRequest, slug: str, postal: str,
                         label: str) -> Submission:
    team = team_or_404(request, slug, postal)
    period = _period(label)
    return get_object_or_404(Submission.objects.select_related(
        "team__jurisdiction", "team__learning_network"), team=team,
        frequency=period.frequency.value, period_start=period.start)


@sign_in_required
def _workflow(request: HttpRequest, slug: str, postal: str, label: str, action: Action,
              step) -> HttpResponse:
    submission = _existing_submission(request, slug, postal, label)
    if not _may_see_submission(request.user, submission):
        raise Http404
    access.require(request.user, action, submission.team)
    try:
        message = step(submission)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        if message:
            messages.success(request, message)
    return redirect(data_url(submission.team, submission.period))


def _form_or_error(request, form_class):
    form = form_class(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[k].label or k}: {' '.join(v)}"
                           for k, v in form.errors.items())
        raise services.ReportingError(errors)
    return form.cleaned_data


@require_POST
def review(request, slug, postal, label):
    def step(submission):
        data = _form_or_error(request, ReviewForm)
        services.review(submission=submission, user=request.user,
                        assessment=data["assessment"])
        return _("%(period)s reviewed.") % {"period": submission}
    return _workflow(request, slug, postal, label, Action.REVIEW_DATA, step)


@require_POST
def lock(request, slug, postal, label):
    def step(submission):
        services.lock(submission=submission, user=request.user)
        return _("%(period)s locked.") % {"period": submission}
    return _workflow(request, slug, postal, label, Action.LOCK_DATA, step)


@require_POST
def reopen(request, slug, postal, label):
    def step(submission):
        if submission.status == Status.LOCKED and not access.can(
                request.user, Action.LOCK_DATA, submission.team):
            raise services.ReportingError(_("Only backbone staff can reopen a locked period."))
        data = _form_or_error(request, ReasonForm)
        services.reopen(submission=submission, user=request.user, reason=data["reason"])
        return _("%(period)s reopened as a draft.") % {"period": submission}
    return _workflow(request, slug, postal, label, Action.REOPEN_DATA, step)


@require_POST
@sign_in_required
def grant_exception(request, slug, postal, label):
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.GRANT_EXCEPTION, team)
    submission = services.submission_for(team, _period(label))

    def step(_submission):
        data = _form_or_error(request, ExceptionForm)
        services.grant_exception(submission=submission, user=request.user,
                                 until=data["until"], reason=data["reason"])
        return _("%(period)s stays open until %(until)s.") % {
            "period": submission, "until": date_format(data["until"], _("F j, Y"))}
    return _workflow(request, slug, postal, label, Action.GRANT_EXCEPTION, step)


@require_GET
@sign_in_required
def history(request: HttpRequest, slug: str, postal: str, label: str) -> HttpResponse:
    """Every change of every value of a team-period: who, when, old → new, why."""
    submission = _existing_submission(request, slug, postal, label)
    if not _may_see_submission(request.user, submission):
        raise Http404
    records = (DataValue.history.filter(submission_id=submission.pk)
               .select_related("history_user", "measure", "stratum")
               .order_by("measure__code", "stratum__position", "id", "history_date"))
    units = access.visible_units(request.user, submission.team)
    site_records = (SiteValue.history.filter(submission_id=submission.pk, unit__in=units)
                    .select_related("history_user", "measure", "stratum", "unit")
                    .order_by("measure__code", "unit__name", "id", "history_date"))
    changes = _changes(records, ("numerator", "denominator", "value", "text", "measurements",
                                 "comment")) \
        + _changes(site_records, ("numerator", "denominator", "value", "comment"))
    changes.sort(key=lambda c: c["record"].history_date, reverse=True)
    return render(request, "measures/history.html", {
        "submission": submission, "team": submission.team, "changes": changes,
        "events": submission.events.select_related("by"),
        "back_url": data_url(submission.team, submission.period),
    })


def _changes(records, names: tuple[str, ...]) -> list[dict]:
    """Each history record with the fields it changed against the record before it."""
    changes = []
    previous: dict[int, object] = {}
    for record in records:
        before = previous.get(record.id)
        fields = []
        for name in names:
            old = getattr(before, name) if before is not None else None
            new = getattr(record, name) if record.history_type != "-" else None
            if old != new and not (old in (None, "", []) and new in (None, "", [])):
                fields.append((name, _shown(old), _shown(new)))
        changes.append({"record": record, "fields": fields,
                        "site": getattr(record, "unit", None)})
        previous[record.id] = record
    return changes


def _shown(value: object) -> object:
    if isinstance(value, list):  # a sampled value's measurements
        return as_text(value) or None
    return f"{value.normalize():f}" if isinstance(value, Decimal) else value


@require_http_methods(["GET", "POST"])
@sign_in_required
def choose_measures(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.CHOOSE_MEASURES, team)
    current = services.team_measures(team)
    form = ChooseMeasuresForm(request.POST or None, team=team,
                              initial={"measures": current})
    if request.method == "POST" and form.is_valid():
        services.choose_measures(team=team, measures=form.cleaned_data["measures"])
        count = len(form.cleaned_data["measures"])
        messages.success(request, ngettext("%(team)s now reports %(n)s measure.",
                                           "%(team)s now reports %(n)s measures.", count)
                         % {"team": team, "n": count})
        return redirect("team_data", slug, postal)
    return render(request, "measures/choose.html", {"team": team, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    measures = Measure.objects.select_related("learning_network").order_by(
        "learning_network__position", "code")
    may_add = {n.pk for n in LearningNetwork.objects.all()
               if access.can(request.user, Action.ADD_MEASURE, n)}
    return render(request, "measures/catalog.html", {"measures": measures, "may_add": may_add})


@require_GET
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("learning_network"), code=code)
    versions = measure.history.select_related("history_user").order_by("-history_date")
    return render(request, "measures/measure.html", {"measure": measure, "versions": versions})


@require_http_methods(["GET", "POST"])
@sign_in_required
def add_measure(request: HttpRequest, slug: str) -> HttpResponse:
    """Faculty of a network and backbone staff add custom measures to it."""
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.ADD_MEASURE, network)
    form = CustomMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        measure.learning_network = network
        measure.is_custom = True
        measure.created_by = request.user
        measure._change_reason = "custom measure added"
        measure.save()
        messages.success(request, _("%(measure)s added to the %(network)s network.")
                         % {"measure": measure.name, "network": network.name})
        return redirect("measure", measure.code)
    return render(request, "measures/add_measure.html", {"network": network, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def set_goal(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    """A team's goal on one of its measures (one goal per measure; saving replaces it)."""
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.CHOOSE_MEASURES, team)
    measures = services.team_measures(team)
    existing = None
    chosen = {str(m.pk): m for m in measures}
    if request.method == "POST" and request.POST.get("measure") in chosen:
        # Anything else (a code, a number out of range) is refused by the form, with its message.
        existing = Goal.objects.filter(team=team, measure=chosen[request.POST["measure"]]).first()
    form = GoalForm(request.POST or None, instance=existing, measures=measures,
                    initial={"kind": Goal.Kind.RELATIVE, "value": 10})
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.team, goal.set_by = team, request.user
        goal.save()
        messages.success(request, _("Goal set: %(measure)s, %(goal)s.")
                         % {"measure": goal.measure.name, "goal": goal.describe()})
        return redirect("team_data", slug, postal)
    return render(request, "measures/goal.html", {"team": team, "form": form},
                  status=400 if request.method == "POST" else 200)
