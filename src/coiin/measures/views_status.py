"""The backbone's reporting-status page: every team's status for one period, with a CSV.

Who sees it: backbone staff and the funder, every team; faculty, their networks' teams.
Anyone else signed in gets 404; the anonymous are sent to sign in. The page shows workflow
metadata (status, how many measures have values, who submitted, reminders), never values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from coiin import access
from coiin.access import Action
from coiin.network.models import LearningNetwork, Team
from coiin.spreadsheet import SafeWriter
from coiin.web import sign_in_required

from . import services
from .models import Reminder, Submission
from .periods import Frequency, Period, PeriodError

NOT_STARTED = "not_started"
STATUSES = [(NOT_STARTED, gettext_lazy("Not started")), *Submission.Status.choices]
STATUS_LABELS = dict(STATUSES)
NOT_IN = {NOT_STARTED, Submission.Status.DRAFT}


def status_teams(user: access.AnyUser) -> QuerySet[Team] | None:
    """The teams whose reporting status this user may see, or None for nobody."""
    return access.reporting_status_teams(user)


@dataclass
class Row:
    team: Team
    status: str
    entered: int
    due_count: int
    submission: Submission | None
    reminders: list[Reminder]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _frequency(text: str) -> Frequency:
    try:
        return Frequency(text or Frequency.MONTHLY.value)
    except ValueError:
        raise Http404("No such reporting frequency.") from None


def _period(label: str, frequency: Frequency, teams: QuerySet[Team]) -> Period:
    """The asked-for period in this frequency; by default the latest anyone reported."""
    if label:
        try:
            parsed = Period.parse(label)
        except PeriodError:
            raise Http404("No such period.") from None
        return Period.containing(parsed.start, frequency)
    latest = Submission.objects.filter(team__in=teams, frequency=frequency.value).aggregate(
        latest=Max("period_start"))["latest"]
    return Period.containing(latest or timezone.localdate(), frequency)


def status_rows(teams: QuerySet[Team], period: Period) -> list[Row]:
    """Every team that reports at the period's frequency, with its status (3 queries)."""
    freq = period.frequency.value
    reporting = (
        teams.annotate(due_count=Count("team_measures", distinct=True, filter=Q(
            team_measures__active=True, team_measures__measure__frequency=freq,
            team_measures__measure__records_events=False)))
        .filter(due_count__gt=0)
        .select_related("jurisdiction", "learning_network")
        .order_by("jurisdiction__name", "learning_network__position")
    )
    team_list = list(reporting)
    submissions = {
        s.team_id: s for s in Submission.objects.filter(
            team__in=[t.pk for t in team_list], frequency=freq, period_start=period.start)
        .select_related("submitted_by")
        .annotate(entered=Count("values__measure", distinct=True,
                                filter=Q(values__stratum__isnull=True)))
        .prefetch_related("reminders")
    }
    rows = []
    for team in team_list:
        sub = submissions.get(team.pk)
        entered = sub.entered if sub else 0
        status = sub.status if sub else NOT_STARTED
        if status == Submission.Status.DRAFT and not entered:
            status = NOT_STARTED  # a reminder or a visit created it; nothing entered yet
        reminders = sorted(sub.reminders.all(), key=lambda r: r.sent_at) if sub else []
        rows.append(Row(team, status, entered, team.due_count, sub, reminders))
    return rows


@require_GET
@sign_in_required
def reporting_status(request: HttpRequest) -> HttpResponse:
    teams = status_teams(request.user)
    if teams is None:
        raise Http404
    frequency = _frequency(request.GET.get("frequency", ""))
    period = _period(request.GET.get("period", ""), frequency, teams)
    networks = list(LearningNetwork.objects.filter(teams__in=teams).distinct()
                    .order_by("position"))
    network = next((n for n in networks if n.slug == request.GET.get("network")), None)
    if network is not None:
        teams = teams.filter(learning_network=network)
    rows = status_rows(teams, period)
    counts = Counter(r.status for r in rows)
    status = request.GET.get("status", "")
    if status in STATUS_LABELS:
        rows = [r for r in rows if r.status == status]
    else:
        status = ""
    due = services.due_date(period)
    overdue = timezone.localdate() > due
    if request.GET.get("format") == "csv":
        return _csv(rows, period, due, overdue)
    base = {"period": period.label, "frequency": frequency.value,
            **({"network": network.slug} if network else {})}
    lockable = {r.submission.pk for r in rows if r.submission is not None
                and r.status == Submission.Status.REVIEWED
                and access.can(request.user, Action.LOCK_DATA, r.team)}
    may_review = _per_network(request.user, Action.REVIEW_DATA)
    reviewable = {r.submission.pk for r in rows if r.submission is not None
                  and r.status == Submission.Status.SUBMITTED and may_review(r.team)}
    return render(request, "measures/status.html", {
        "lockable": lockable, "undo": _undo_offer(request), "back": request.get_full_path(),
        "reviewable": reviewable, "undo_review": _undo_offer(request, _REVIEWED_KEY),
        "rows": rows, "period": period, "frequency": frequency, "network": network,
        "networks": networks, "status": status, "due": due, "overdue": overdue,
        "not_in": NOT_IN, "total": sum(counts.values()),
        "chips": [(value, label, counts.get(value, 0),
                   urlencode({**base, "status": value})) for value, label in STATUSES],
        "all_query": urlencode(base),
        "csv_query": urlencode({**base, **({"status": status} if status else {}),
                                "format": "csv"}),
        "previous_query": urlencode({**base, "period": period.previous().label}),
        "next_query": urlencode({**base, "period": period.next().label}),
        "frequencies": [(f.value, {"monthly": _("Monthly"), "quarterly": _("Quarterly"),
                                   "half_yearly": _("Half-yearly"), "yearly": _("Yearly")}[f.value])
                        for f in Frequency],
        "period_choices": period_choices(period),
    })


def period_choices(period: Period, count: int = 36) -> list[Period]:
    """The periods offered in the picker: the latest ended one and those before it (and
    the one shown, wherever it is), newest first."""
    top = max(period, Period.containing(timezone.localdate(), period.frequency).previous())
    out = [top]
    while len(out) < count:
        out.append(out[-1].previous())
    if period not in out:
        out.append(period)
    return out


def _csv(rows: list[Row], period: Period, due: dt.date, past_due: bool) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reporting-status-{period.label}.csv"')
    writer = SafeWriter(response)
    writer.writerow(["period", "jurisdiction", "postal_code", "learning_network", "status",
                     "values_entered", "measures_due", "submitted_by", "submitted_at",
                     "due_date", "overdue", "reminders_sent"])
    for r in rows:
        sub = r.submission
        writer.writerow([
            period.label, r.team.jurisdiction.name, r.team.jurisdiction.postal_code,
            r.team.learning_network.slug, r.status, r.entered, r.due_count,
            sub.submitted_by.display_name if sub and sub.submitted_by else "",
            sub.submitted_at.isoformat() if sub and sub.submitted_at else "",
            due.isoformat(), "yes" if past_due and r.status in NOT_IN else "no",
            "; ".join(f"{rem.kind} {timezone.localtime(rem.sent_at):%Y-%m-%d}"
                      for rem in r.reminders),
        ])
    return response


# Locking or reviewing many periods at once can be undone for a few minutes (back to
# reviewed, or to submitted).
UNDO_MINUTES = 10
_LOCKED_KEY = "coiin_bulk_locked"
_REVIEWED_KEY = "coiin_bulk_reviewed"


def _undo_offer(request: HttpRequest, key: str = _LOCKED_KEY) -> dict[str, object] | None:
    saved = request.session.get(key)
    at = parse_datetime(saved["at"]) if saved else None
    if not saved or at is None or timezone.now() - at > dt.timedelta(minutes=UNDO_MINUTES):
        return None
    return {"count": len(saved["ids"]), "until": at + dt.timedelta(minutes=UNDO_MINUTES)}


def _back(request: HttpRequest) -> str:
    back = request.POST.get("back", "")
    return back if back.startswith("/data/status/") else reverse("reporting_status")


def _lockable(request: HttpRequest, ids: list[int], status: str) -> list[Submission]:
    found = Submission.objects.filter(pk__in=ids, status=status).select_related(
        "team__jurisdiction", "team__learning_network")
    return [s for s in found if access.can(request.user, Action.LOCK_DATA, s.team)]


@require_POST
@sign_in_required(then=lambda request: reverse("reporting_status"))
def bulk_lock(request: HttpRequest) -> HttpResponse:
    """Lock the reviewed periods ticked on the status page (backbone staff)."""
    if status_teams(request.user) is None:
        raise Http404
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    chosen = _lockable(request, ids, Submission.Status.REVIEWED)
    done, problems = services.lock_many(submissions=chosen, user=request.user)
    for problem in problems:
        messages.error(request, problem)
    if done:
        request.session[_LOCKED_KEY] = {"ids": [s.pk for s in done],
                                        "at": timezone.now().isoformat()}
        messages.success(request, ngettext("Locked %(n)s period.", "Locked %(n)s periods.",
                                           len(done)) % {"n": len(done)})
    elif not problems:
        messages.warning(request, _("Nothing was locked: tick reviewed periods first."))
    return redirect(_back(request))


@require_POST
@sign_in_required(then=lambda request: reverse("reporting_status"))
def undo_lock(request: HttpRequest) -> HttpResponse:
    """Take the periods locked by the last bulk lock back to reviewed, within the window."""
    offer = _undo_offer(request)
    saved = request.session.pop(_LOCKED_KEY, None)
    if offer is None or saved is None:
        messages.error(request, _("Nothing to undo: a lock can be undone for %(n)s minutes; "
                                  "after that, reopen a period from its page.")
                       % {"n": UNDO_MINUTES})
        return redirect(_back(request))
    undone = [services.unlock(submission=s, user=request.user)
              for s in _lockable(request, saved["ids"], Submission.Status.LOCKED)]
    messages.success(request, ngettext(
        "Undone: %(n)s period reviewed again, not locked.",
        "Undone: %(n)s periods reviewed again, not locked.", len(undone)) % {"n": len(undone)})
    return redirect(_back(request))


def _reviewable(request: HttpRequest, ids: list[int]) -> list[Submission]:
    """The asked-for periods this user may review (faculty: their networks'), any status."""
    found = Submission.objects.filter(pk__in=ids).select_related(
        "team__jurisdiction", "team__learning_network").order_by(
        "team__jurisdiction__name", "team__learning_network__position", "period_start")
    may_review = _per_network(request.user, Action.REVIEW_DATA)
    return [s for s in found if may_review(s.team)]


def _per_network(user: access.AnyUser, action: Action) -> Callable[[Team], bool]:
    """``access.can`` for an action faculty hold network by network (reviewing): asked
    once per learning network, so the page's queries do not grow with its teams."""
    answers: dict[int, bool] = {}

    def may(team: Team) -> bool:
        if team.learning_network_id not in answers:
            answers[team.learning_network_id] = access.can(user, action, team)
        return answers[team.learning_network_id]
    return may


@require_POST
@sign_in_required(then=lambda request: reverse("reporting_status"))
def bulk_review(request: HttpRequest) -> HttpResponse:
    """Review the submitted periods ticked on the status page with one assessment: first a
    page listing them to confirm, then (``confirm``) each reviewed as from its own page."""
    if status_teams(request.user) is None:
        raise Http404
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    found = _reviewable(request, ids)
    chosen = [s for s in found if s.status == Submission.Status.SUBMITTED]
    skipped = [s for s in found if s.status != Submission.Status.SUBMITTED]
    assessment = request.POST.get("assessment", "").strip()
    if not chosen or not assessment:
        if skipped:
            messages.warning(request, _skipped_message(skipped))
        messages.error(request, _("Nothing was reviewed: tick submitted periods and write an "
                                  "assessment first.") if not chosen else
                       _("Nothing was reviewed: write an assessment (what the data show and "
                         "what to try next)."))
        return redirect(_back(request))
    if request.POST.get("confirm") != "yes":
        return render(request, "measures/status_review_confirm.html", {
            "chosen": chosen, "skipped": skipped, "assessment": assessment,
            "back": _back(request), "minutes": UNDO_MINUTES})
    done, problems = services.review_many(submissions=chosen, user=request.user,
                                          assessment=assessment)
    for problem in problems:
        messages.error(request, problem)
    if skipped:
        messages.warning(request, _skipped_message(skipped))
    if done:
        request.session[_REVIEWED_KEY] = {"ids": [s.pk for s in done],
                                          "at": timezone.now().isoformat()}
        messages.success(request, ngettext("Reviewed %(n)s period.", "Reviewed %(n)s periods.",
                                           len(done)) % {"n": len(done)})
    return redirect(_back(request))


def _skipped_message(skipped: list[Submission]) -> str:
    return _("Not reviewed, as not submitted: %(periods)s.") % {"periods": "; ".join(
        f"{s} ({s.get_status_display().lower()})" for s in skipped)}


@require_POST
@sign_in_required(then=lambda request: reverse("reporting_status"))
def undo_review(request: HttpRequest) -> HttpResponse:
    """Take the periods reviewed by the last bulk review back to submitted, within the
    window; their reviews stay on them, marked superseded."""
    offer = _undo_offer(request, _REVIEWED_KEY)
    saved = request.session.pop(_REVIEWED_KEY, None)
    if offer is None or saved is None:
        messages.error(request, _("Nothing to undo: a review can be undone for %(n)s minutes; "
                                  "after that, reopen a period from its page.")
                       % {"n": UNDO_MINUTES})
        return redirect(_back(request))
    undone = [services.unreview(submission=s, user=request.user)
              for s in _reviewable(request, saved["ids"])
              if s.status == Submission.Status.REVIEWED]
    messages.success(request, ngettext(
        "Undone: %(n)s period submitted again, its review superseded.",
        "Undone: %(n)s periods submitted again, their reviews superseded.", len(undone))
        % {"n": len(undone)})
    return redirect(_back(request))
