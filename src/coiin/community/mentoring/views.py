"""Peer mentoring pages: my teams' suggested mentors, requests, one pairing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coiin import access
from coiin.access import Action
from coiin.measures.models import Measure
from coiin.web import member_required, team_by_pk_or_404

from . import services
from .models import MentorPairing


@require_GET
@member_required
def home(request: HttpRequest) -> HttpResponse:
    teams = access.own_teams(request.user).select_related(
        "jurisdiction", "learning_network").distinct()
    pairings = list(access.visible_pairings(request.user, MentorPairing.objects.select_related(
        "mentor__jurisdiction", "mentee__jurisdiction", "measure",
        "mentor__learning_network"))[:200])
    done = {MentorPairing.Status.CLOSED, MentorPairing.Status.DECLINED}
    return render(request, "community/mentoring.html", {
        "teams": teams, "current_pairings": [p for p in pairings if p.status not in done],
        "past_pairings": [p for p in pairings if p.status in done],
        "current": "mentoring",
    })


@require_GET
@member_required
def suggestions(request: HttpRequest, team: int) -> HttpResponse:
    mentee = team_by_pk_or_404(request, team)
    if not access.can(request.user, Action.VIEW_IMPROVEMENT, mentee):
        raise Http404
    spots = services.suggestions_for(mentee)
    for s in spots:
        s.show_chart = access.can(request.user, Action.VIEW_DATA, s.team)
    return render(request, "community/mentor_suggestions.html", {
        "team": mentee, "spots": spots,
        "may_request": access.can(request.user, Action.REQUEST_MENTOR, mentee),
        "current": "mentoring",
    })


@require_POST
@member_required
def request_mentor(request: HttpRequest) -> HttpResponse:
    mentee = team_by_pk_or_404(request, int(request.POST.get("mentee") or 0))
    if not access.can(request.user, Action.VIEW_IMPROVEMENT, mentee):
        raise Http404
    mentor = team_by_pk_or_404(request, int(request.POST.get("mentor") or 0))
    measure = get_object_or_404(Measure, pk=int(request.POST.get("measure") or 0))
    try:
        pairing = services.request_introduction(
            mentee=mentee, mentor=mentor, measure=measure, by=request.user,
            message=request.POST.get("message", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:mentor_suggestions", team=mentee.pk)
    messages.success(request, _("Introduction requested: %(mentor)s's lead will answer.")
                     % {"mentor": mentor})
    return redirect(pairing)


def _pairing(pk: int) -> MentorPairing:
    return get_object_or_404(MentorPairing.objects.select_related(
        "mentor__jurisdiction", "mentee__jurisdiction", "measure", "mentor__learning_network",
        "mentee__learning_network", "requested_by"), pk=pk)


@require_GET
@member_required
def pairing(request: HttpRequest, pk: int) -> HttpResponse:
    row = _pairing(pk)
    access.require(request.user, Action.VIEW_PAIRING, row)
    return _pairing_page(request, row)


def _pairing_page(request: HttpRequest, row: MentorPairing, *, close_error: str = "",
                  close_text: str | None = None, status: int = 200) -> HttpResponse:
    return render(request, "community/pairing.html", {
        "pairing": row, "meetings": row.meetings.all(), "ideas": row.change_ideas.all(),
        "may_answer": access.can(request.user, Action.ANSWER_PAIRING, row)
        and row.status == MentorPairing.Status.REQUESTED,
        "may_record": access.can(request.user, Action.RECORD_MEETING, row)
        and row.status == MentorPairing.Status.ACCEPTED,
        "may_close": access.can(request.user, Action.CLOSE_PAIRING, row)
        and row.status == MentorPairing.Status.ACCEPTED,
        "close_error": close_error, "close_text": close_text,
        "show_chart": access.can(request.user, Action.VIEW_DATA, row.mentor),
        "current": "mentoring",
    }, status=status)


@require_POST
@member_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    row = _pairing(pk)
    access.require(request.user, Action.ANSWER_PAIRING, row)
    try:
        services.answer_request(pairing=row, by=request.user,
                                 accept=request.POST.get("answer") == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Request %(status)s.")
                         % {"status": row.get_status_display().lower()})
    return redirect(row)


@require_POST
@member_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    row = _pairing(pk)
    access.require(request.user, Action.RECORD_MEETING, row)
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        messages.error(request, _("Give the meeting's date as YYYY-MM-DD."))
        return redirect(row)
    try:
        services.record_meeting(pairing=row, by=request.user, on=on,
                                 notes=request.POST.get("notes", ""),
                                 learned=request.POST.get("learned"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Meeting recorded."))
    return redirect(row)


@require_POST
@member_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    row = _pairing(pk)
    access.require(request.user, Action.CLOSE_PAIRING, row)
    learned = request.POST.get("learned", "")
    try:
        services.close_pairing(pairing=row, by=request.user, learned=learned)
    except ValidationError as exc:
        row.refresh_from_db()
        return _pairing_page(request, row, close_error=" ".join(exc.messages),
                             close_text=learned, status=400)
    messages.success(request, _("Pairing closed; the other team has been told, and what you "
                                "learned now shows in what works."))
    return redirect(row)
