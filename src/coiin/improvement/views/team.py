"""A team's improvement pages: aims, driver diagram, adopted ideas, PDSA cycles, scores."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures.models import Goal, Measure
from coiin.network.models import Team
from coiin.web import add_errors, sign_in_required, team_or_404

from .. import services
from ..forms import CloseForm, CommentForm, CycleForm, ScoreForm, StatusForm, StudyForm
from ..models import (
    SCALE,
    AdoptionStatus,
    Aim,
    PDSACycle,
    ProgressScore,
)
from ..pages import aims_page, diagram_page, export


def _url(name: str, team: Team, *args: object) -> str:
    return reverse(f"improvement:{name}", args=[
        team.learning_network.slug, team.jurisdiction.postal_code.lower(), *args])


@require_GET
@sign_in_required
def team_home(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    aims = list(Aim.objects.filter(team=team).prefetch_related("measures"))
    adoptions = list(team.adoptions.select_related("change_idea").order_by(
        "change_idea__position"))
    cycles = list(team.pdsa_cycles.select_related("change_idea", "ramp").prefetch_related(
        "measures").annotate(comment_count=Count("comments")).order_by(
        "-starts", "-number")[:5])
    scores = list(team.progress_scores.order_by("-month", "rater")[:4])
    return render(request, "improvement/team_home.html", {
        "team": team, "aims": aims, "adoptions": adoptions, "cycles": cycles,
        "scores": scores, "may_edit": access.can(request.user, Action.EDIT_IMPROVEMENT, team),
        "cycle_count": team.pdsa_cycles.count(),
    })


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_aims(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    may_edit = access.can(request.user, Action.EDIT_IMPROVEMENT, team)
    if request.method == "POST":
        access.require(request.user, Action.EDIT_IMPROVEMENT, team)
    goals = {g.measure_id: g for g in Goal.objects.filter(team=team).select_related("measure")}
    return aims_page(request, owner=team, network=team.learning_network, may_edit=may_edit,
                     goals=goals, template_context={"team": team})


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_diagram(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    if request.method == "POST":
        access.require(request.user, Action.EDIT_IMPROVEMENT, team)
    return diagram_page(request, owner=team, network=team.learning_network,
                        may_edit=access.can(request.user, Action.EDIT_IMPROVEMENT, team),
                        context={"team": team})


@require_GET
@sign_in_required
def team_diagram_export(request: HttpRequest, slug: str, postal: str, fmt: str
                        ) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    return export(team, fmt, stem=f"{team.jurisdiction.postal_code}-{team.learning_network.slug}"
                  "-driver-diagram".lower())


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_ideas(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    may_edit = access.can(request.user, Action.EDIT_IMPROVEMENT, team)
    form = StatusForm(request.POST or None, team=team,
                      initial={"on": timezone.localdate(), "change_idea": request.GET.get("idea")})
    status = 200
    if request.method == "POST":
        access.require(request.user, Action.EDIT_IMPROVEMENT, team)
        if form.is_valid():
            try:
                adoption = services.set_status(team=team, user=request.user,
                                               **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{adoption.change_idea}: "
                                 f"{adoption.get_status_display().lower()}.")
                return redirect(_url("team_ideas", team))
        status = 400
    adoptions = list(team.adoptions.select_related("change_idea").prefetch_related(
        Prefetch("events", queryset=AdoptionStatus.objects.select_related("by")))
        .annotate(cycle_count=Count("change_idea__cycles", distinct=True,
                                    filter=Q(change_idea__cycles__team=team))))
    adopted = {a.change_idea_id for a in adoptions}
    package = [i for i in team.learning_network.change_ideas.all() if i.pk not in adopted]
    return render(request, "improvement/team_ideas.html", {
        "team": team, "adoptions": adoptions, "package": package, "form": form,
        "may_edit": may_edit,
    }, status=status)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_GET
@sign_in_required
def cycles(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    """The team's PDSA cycles; ?measure=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD narrows them to
    the cycles naming that measure that were running between those dates (a chart point
    links here)."""
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    code = request.GET.get("measure", "")
    measure = Measure.objects.filter(code=code).first() if code else None
    if code and measure is None:
        raise Http404
    first, last = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if first or last:
        qs = services.cycles_running(team, measure, first or dt.date.min, last or dt.date.max)
    else:
        qs = team.pdsa_cycles.all()
        if measure is not None:
            qs = qs.filter(measures=measure)
    qs = qs.select_related("change_idea", "ramp").prefetch_related("measures").annotate(
        comment_count=Count("comments", distinct=True)).order_by("-starts", "-number")
    measures = Measure.objects.filter(team_measures__team=team).order_by("code")
    return render(request, "improvement/cycles.html", {
        "team": team, "cycles": list(qs), "measure": measure, "measures": measures,
        "first": first, "last": last, "filtered": bool(measure or first or last),
        "may_edit": access.can(request.user, Action.EDIT_IMPROVEMENT, team),
    })


@require_http_methods(["GET", "POST"])
@sign_in_required
def cycle_new(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    access.require(request.user, Action.EDIT_IMPROVEMENT, team)
    initial = {"starts": timezone.localdate(), "change_idea": request.GET.get("idea"),
               "ramp": request.GET.get("ramp")}
    form = CycleForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ramp = data["ramp"] or (services.start_ramp(
                team=team, change_idea=data["change_idea"], title=data["new_ramp"])
                if data["new_ramp"] else None)
            cycle = services.plan_cycle(team=team, change_idea=data["change_idea"],
                                        ramp=ramp, measures=data["measures"],
                                        user=request.user, **form.plan())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(cycle)s planned.") % {"cycle": cycle.label})
            return redirect(cycle.get_absolute_url())
    return render(request, "improvement/cycle_form.html", {
        "team": team, "form": form, "cycle": None,
    }, status=400 if request.method == "POST" else 200)


def _cycle(team: Team, number: int) -> PDSACycle:
    return get_object_or_404(PDSACycle.objects.select_related("change_idea", "ramp",
                                                              "created_by"),
                             team=team, number=number)


@require_http_methods(["GET", "POST"])
@sign_in_required
def cycle_edit(request: HttpRequest, slug: str, postal: str, number: int) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    access.require(request.user, Action.EDIT_IMPROVEMENT, team)
    cycle = _cycle(team, number)
    if cycle.is_closed:
        messages.error(request, _("This cycle is closed; plan a new one that builds on it."))
        return redirect(cycle.get_absolute_url())
    initial = {k: getattr(cycle, k) for k in services.PLAN_FIELDS} | {
        "change_idea": cycle.change_idea_id, "ramp": cycle.ramp_id,
        "measures": list(cycle.measures.all())}
    form = CycleForm(request.POST or None, team=team, initial=initial)
    form.fields["change_idea"].disabled = True
    form.fields["ramp"].disabled = True
    form.fields["new_ramp"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.change_plan(cycle=cycle, measures=form.cleaned_data["measures"],
                                 **form.plan())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(cycle.get_absolute_url())
    return render(request, "improvement/cycle_form.html", {
        "team": team, "form": form, "cycle": cycle,
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@sign_in_required
def cycle_detail(request: HttpRequest, slug: str, postal: str, number: int) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    cycle = _cycle(team, number)
    may_edit = access.can(request.user, Action.EDIT_IMPROVEMENT, team)
    study = StudyForm(initial={"what_happened": cycle.what_happened,
                               "learned": cycle.learned}, prefix="study")
    close = CloseForm(initial={"what_happened": cycle.what_happened, "learned": cycle.learned,
                               "closed_on": timezone.localdate()}, prefix="close")
    comment = CommentForm(prefix="comment")
    status = 200
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "comment":
            access.require(request.user, Action.COMMENT_ON_CYCLE, team)
            comment = CommentForm(request.POST, prefix="comment")
            if comment.is_valid():
                services.comment(cycle=cycle, author=request.user,
                                 text=comment.cleaned_data["text"])
                messages.success(request, _("Comment added."))
                return redirect(cycle.get_absolute_url() + "#comments")
        elif action == "study":
            access.require(request.user, Action.EDIT_IMPROVEMENT, team)
            study = StudyForm(request.POST, prefix="study")
            if study.is_valid():
                try:
                    services.record_study(cycle=cycle, **study.cleaned_data)
                except ValidationError as exc:
                    add_errors(study, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect(cycle.get_absolute_url())
        elif action == "close":
            access.require(request.user, Action.EDIT_IMPROVEMENT, team)
            close = CloseForm(request.POST, prefix="close")
            if close.is_valid():
                data = close.cleaned_data
                try:
                    services.close_cycle(cycle=cycle, decision=data["decision"],
                                         what_happened=data["what_happened"],
                                         learned=data["learned"], on=data["closed_on"])
                except ValidationError as exc:
                    add_errors(close, exc)
                else:
                    messages.success(request, _("%(cycle)s closed: %(decision)s.")
                                     % {"cycle": cycle.label,
                                        "decision": cycle.get_decision_display().lower()})
                    return redirect(cycle.get_absolute_url())
        else:
            raise Http404
        status = 400
    ramp = services.ramp_cycles(cycle.ramp) if cycle.ramp_id else []
    return render(request, "improvement/cycle.html", {
        "team": team, "cycle": cycle, "measures": list(cycle.measures.order_by("code")),
        "comments": list(cycle.comments.select_related("author")), "ramp": ramp,
        "study": study, "close": close, "comment": comment, "may_edit": may_edit,
        "may_comment": access.can(request.user, Action.COMMENT_ON_CYCLE, team),
    }, status=status)


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_scores(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    may_edit = access.can(request.user, Action.EDIT_IMPROVEMENT, team)
    rater = "team" if access.is_on_team(request.user, team) else "coach"
    form = ScoreForm(request.POST or None, initial={
        "month": timezone.localdate().replace(day=1), "rater": rater})
    status = 200
    if request.method == "POST":
        access.require(request.user, Action.EDIT_IMPROVEMENT, team)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_score(team=team, month=data["month"], score=data["score"],
                                      note=data["note"], rater=data["rater"],
                                      user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Score for %(month)s saved.")
                                 % {"month": date_format(data["month"], "F Y")})
                return redirect(_url("team_scores", team))
        status = 400
    by_month: dict[dt.date, dict[str, ProgressScore]] = defaultdict(dict)
    for s in team.progress_scores.select_related("recorded_by").order_by("-month"):
        by_month[s.month][s.rater] = s
    return render(request, "improvement/team_scores.html", {
        "team": team, "rows": sorted(by_month.items(), reverse=True), "form": form,
        "may_edit": may_edit, "scale": SCALE.items(),
    }, status=status)
