"""A learning network's improvement pages: aims, driver diagram, change package, progress
score heat map, calendar; and what works, per network and across the CoIIN."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures.periods import Frequency, Period, periods_between
from coiin.network.models import LearningNetwork
from coiin.network.templatetags.translated import text_and_language
from coiin.web import add_errors, sign_in_required

from .. import effects, hooks, services
from ..forms import ChangeIdeaForm, EventForm
from ..models import SCALE, Aim, Attendance, ChangeIdea, Event, ProgressScore
from ..pages import aims_page, diagram_page, export


def _network(slug: str) -> LearningNetwork:
    return get_object_or_404(LearningNetwork, slug=slug)


@require_GET
def network_home(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    member = access.can(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    today = timezone.localdate()
    return render(request, "improvement/network_home.html", {
        "network": network, "member": member,
        "aims": list(Aim.objects.filter(learning_network=network).prefetch_related(
            "measures")),
        "ideas": list(network.change_ideas.annotate(
            teams=Count("adoptions", filter=Q(adoptions__adopted_on__isnull=False)))),
        "upcoming": list(network.events.filter(
            Q(ends__gte=today) | Q(ends__isnull=True, starts__gte=today))[:3])
        if member else [],
        "may_edit": access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network),
    })


@require_http_methods(["GET", "POST"])
@sign_in_required(methods=("POST",))
def network_aims(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    may_edit = access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    if request.method == "POST":
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    return aims_page(request, owner=network, network=network, may_edit=may_edit,
                     template_context={})


@require_http_methods(["GET", "POST"])
@sign_in_required
def network_diagram(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    if request.method == "POST":
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    return diagram_page(request, owner=network, network=network,
                        may_edit=access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network),
                        context={})


@require_GET
@sign_in_required
def network_diagram_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    return export(network, fmt, stem=f"{network.slug}-driver-diagram")


@require_http_methods(["GET", "POST"])
@sign_in_required(methods=("POST",))
def change_package(request: HttpRequest, slug: str) -> HttpResponse:
    """Published: anyone reads the change package; faculty and backbone staff add to it."""
    network = _network(slug)
    may_edit = access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    form = ChangeIdeaForm(request.POST or None) if may_edit or request.method == "POST" \
        else None
    if request.method == "POST":
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
        if form.is_valid():
            try:
                idea = services.save_change_idea(network=network, user=request.user,
                                                 **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("'%(idea)s' added to the change package.")
                                 % {"idea": idea})
                return redirect(idea)
    ideas = list(network.change_ideas.annotate(
        teams=Count("adoptions", filter=Q(adoptions__adopted_on__isnull=False))))
    # Resources in the community library tagged with each idea (members only).
    counts = hooks.resource_counts(request.user, [i.pk for i in ideas])
    # The network's estimate of each idea's effect: published with the package.
    estimates = {r.idea.pk: r for r in effects.evidence_for([network])}
    for i in ideas:
        i.resource_count = counts.get(i.pk, 0)
        i.effect = estimates[i.pk].primary if i.pk in estimates else None
    return render(request, "improvement/change_package.html", {
        "network": network, "ideas": ideas, "form": form, "may_edit": may_edit,
    }, status=400 if request.method == "POST" else 200)


def _idea(network: LearningNetwork, pk: int) -> ChangeIdea:
    return get_object_or_404(ChangeIdea.objects.select_related("learning_network"),
                             pk=pk, learning_network=network)


@require_http_methods(["GET", "POST"])
@sign_in_required
def idea_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    idea = _idea(network, pk)
    access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    form = ChangeIdeaForm(request.POST or None, initial={
        "title": idea.title, "description": idea.description, "evidence": idea.evidence,
        "resources": idea.resources})
    for name in ("title", "description", "evidence"):
        # A text not yet written in the reader's language shows in the one it falls back
        # to, marked so (as the pages' translated filter does).
        language = text_and_language(idea, name)[1]
        if language:
            form.fields[name].widget.attrs["lang"] = language
    if request.method == "POST" and form.is_valid():
        try:
            services.save_change_idea(network=network, idea=idea, user=request.user,
                                      **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Change idea saved."))
            return redirect(idea)
    return render(request, "improvement/idea_form.html", {
        "network": network, "idea": idea, "form": form,
    }, status=400 if request.method == "POST" else 200)


# Sequential blues, light to dark, one per half point (0.5 … 5.0); see improvement.css.
HEAT_CLASSES = {score: f"heat-{i}" for i, score in enumerate(SCALE, start=1)}


@require_GET
@sign_in_required
def heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    """Every team's monthly progress score (that the user may see) as a table."""
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    teams = list(access.teams_with_visible_work(request.user, network).select_related(
        "jurisdiction").order_by("jurisdiction__name"))
    if not teams:
        # 403: nothing of it to see.
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    rater = "coach" if request.GET.get("rater") == "coach" else "team"
    scores = list(ProgressScore.objects.filter(team__in=teams, rater=rater).order_by("month"))
    cells: dict[int, dict[dt.date, ProgressScore]] = defaultdict(dict)
    for s in scores:
        cells[s.team_id][s.month] = s
    months: list[Period] = []
    if scores:
        months = periods_between(Period(scores[0].month, Frequency.MONTHLY),
                                 Period(scores[-1].month, Frequency.MONTHLY))
    rows = [{"team": t, "cells": [(m, cells[t.pk].get(m.start)) for m in months]}
            for t in teams]
    return render(request, "improvement/heatmap.html", {
        "network": network, "rows": rows, "months": months, "rater": rater,
        "heat": HEAT_CLASSES, "scale": [(k, v, HEAT_CLASSES[k]) for k, v in SCALE.items()],
        "years": _years(months),
    })


def _years(months: list[Period]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in months:
        if out and out[-1][0] == m.start.year:
            out[-1] = (m.start.year, out[-1][1] + 1)
        else:
            out.append((m.start.year, 1))
    return out


@require_http_methods(["GET", "POST"])
@sign_in_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    may_edit = access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    form = EventForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
        if form.is_valid():
            try:
                event = services.save_event(network=network, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("'%(event)s' added to the calendar.")
                                 % {"event": event})
                return redirect(event)
    today = timezone.localdate()
    events = list(network.events.select_related("detail").annotate(
        attended=Count("attendance", filter=Q(attendance__attended=True))))
    return render(request, "improvement/calendar.html", {
        "network": network, "form": form, "may_edit": may_edit,
        "upcoming": [e for e in events if e.last_day >= today],
        "past": [e for e in reversed(events) if e.last_day < today],
        "team_count": network.teams.count(),
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    event = get_object_or_404(Event.objects.select_related("detail"), pk=pk,
                              learning_network=network)
    may_edit = access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    teams = list(network.teams.select_related("jurisdiction").order_by("jurisdiction__name"))
    if request.method == "POST":
        access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
        ticked = set(request.POST.getlist("attended"))
        for team in teams:
            services.record_attendance(event=event, team=team, attended=str(team.pk) in ticked,
                                       who=request.POST.get(f"who-{team.pk}", "")[:300],
                                       user=request.user)
        messages.success(request, _("Attendance saved."))
        return redirect(event)
    rows = {a.team_id: a for a in Attendance.objects.filter(event=event)}
    return render(request, "improvement/event.html", {
        "network": network, "event": event, "may_edit": may_edit,
        "rows": [(t, rows.get(t.pk)) for t in teams],
        "attended": sum(1 for a in rows.values() if a.attended),
    })
