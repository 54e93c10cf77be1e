"""Chart pages: a team's dashboard, one measure's chart with the coach's controls, and
downloads of each chart as CSV, SVG and PNG."""

from __future__ import annotations

import csv
import datetime as dt

import vl_convert as vlc
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures import services as reporting
from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, Team
from coiin.web import vega_csp

from . import national, services
from .charting import TeamChart, build, observations, stratum_charts, team_charts
from .forms import AnnotationForm, BaselineForm, ExclusionForm, PhaseForm, RulesForm
from .models import Annotation, ChartExclusion, ChartPhase, ChartSettings
from .network import SORTS, network_view, shared_domain, small_multiple


def _team(request: HttpRequest, slug: str, postal: str) -> Team:
    team = get_object_or_404(
        Team.objects.select_related("jurisdiction__cohort", "learning_network"),
        learning_network__slug=slug, jurisdiction__postal_code=postal.upper())
    access.require(request.user, Action.VIEW_DATA, team)
    return team


@require_GET
@vega_csp
def dashboard(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    team = _team(request, slug, postal)
    charts = team_charts(team, reporting.team_measures(team))
    return render(request, "reports/dashboard.html", {
        "team": team, "charts": charts,
        "waiting": [tc for tc in charts if tc.chart is None and not tc.problem],
        "specs": {tc.measure.code: tc.spec for tc in charts if tc.spec},
    })


def _one_chart(team: Team, code: str) -> TeamChart:
    measure = get_object_or_404(Measure, code=code)
    if measure not in reporting.team_measures(team):
        raise Http404
    return team_charts(team, [measure])[0]


@require_http_methods(["GET", "POST"])
@vega_csp
def chart_detail(request: HttpRequest, slug: str, postal: str, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    team = _team(request, slug, postal)
    tc = _one_chart(team, code)
    periods = [o.period for o in tc.observations]
    may_change = access.can(request.user, Action.CHANGE_CHART, team)
    forms = {
        "rules": RulesForm(auto_id="rules_%s", initial={
            "rules": tc.settings.rules if tc.settings else "anhoej"}),
        "baseline": BaselineForm(periods=periods, auto_id="baseline_%s", initial={
            "baseline_end": tc.settings.baseline_end.isoformat()
            if tc.settings and tc.settings.baseline_end else ""}),
        "phase": PhaseForm(periods=periods, auto_id="phase_%s"),
        "exclusion": ExclusionForm(periods=periods, auto_id="exclusion_%s"),
        "annotation": AnnotationForm(auto_id="annotation_%s"),
    }
    status = 200
    if request.method == "POST":
        access.require(request.user, Action.CHANGE_CHART, team)
        done, form_name, form = _apply(request, team, tc.measure, periods)
        if done:
            messages.success(request, done)
            return redirect(request.path)
        forms[form_name] = form
        status = 400
    strata = stratum_charts(team, tc.measure) if tc.measure.stratification else []
    specs = {tc.measure.code: tc.spec} if tc.spec else {}
    domain = shared_domain([s for _, s in strata])
    for stratum, sc in strata:
        specs[f"stratum-{stratum.code}"] = small_multiple(sc, domain)
    history = list(ChartSettings.history.filter(team_id=team.pk, measure_id=tc.measure.pk)
                   .select_related("history_user").order_by("-history_date")[:20])
    return render(request, "reports/chart.html", {
        "team": team, "tc": tc, "forms": forms, "may_change": may_change,
        "specs": specs, "history": history, "strata": strata,
    }, status=status)


def _apply(request, team, measure, periods):
    """Carry out one of the chart-settings forms; returns (message, form name, form)."""
    action, user = request.POST.get("form"), request.user
    if action == "rules":
        form = RulesForm(request.POST, auto_id="rules_%s")
        if form.is_valid():
            services.set_rules(team=team, measure=measure, rules=form.cleaned_data["rules"],
                               user=user, reason=form.cleaned_data["reason"])
            return "Rule set saved.", action, form
    elif action == "baseline":
        form = BaselineForm(request.POST, periods=periods, auto_id="baseline_%s")
        if form.is_valid():
            end = form.cleaned_data["baseline_end"]
            services.set_baseline(team=team, measure=measure,
                                  baseline_end=dt.date.fromisoformat(end) if end else None,
                                  user=user, reason=form.cleaned_data["reason"])
            return "Baseline saved.", action, form
    elif action == "phase":
        form = PhaseForm(request.POST, periods=periods, auto_id="phase_%s")
        if form.is_valid():
            services.add_phase(team=team, measure=measure,
                               starts=dt.date.fromisoformat(form.cleaned_data["starts"]),
                               user=user, reason=form.cleaned_data["reason"])
            return "New phase added.", action, form
    elif action == "exclusion":
        form = ExclusionForm(request.POST, periods=periods, auto_id="exclusion_%s")
        if form.is_valid():
            services.add_exclusion(
                team=team, measure=measure,
                period_start=dt.date.fromisoformat(form.cleaned_data["period_start"]),
                user=user, reason=form.cleaned_data["reason"])
            return "Point excluded from the limits.", action, form
    elif action == "annotation":
        form = AnnotationForm(request.POST, auto_id="annotation_%s")
        if form.is_valid():
            services.add_annotation(team=team, measure=measure, on=form.cleaned_data["on"],
                                    text=form.cleaned_data["text"], user=user)
            return "Note added.", action, form
    elif action == "remove-phase":
        phase = get_object_or_404(ChartPhase, pk=request.POST.get("id"), team=team,
                                  measure=measure)
        services.remove_phase(phase=phase, user=user)
        return "Phase removed.", action, None
    elif action == "remove-exclusion":
        exclusion = get_object_or_404(ChartExclusion, pk=request.POST.get("id"), team=team,
                                      measure=measure)
        services.remove_exclusion(exclusion=exclusion, user=user)
        return "Point included again.", action, None
    elif action == "remove-annotation":
        note = get_object_or_404(Annotation, pk=request.POST.get("id"), team=team)
        note.delete()
        return "Note removed.", action, None
    else:
        raise Http404
    return "", action, form


@require_GET
def download(request: HttpRequest, slug: str, postal: str, code: str, fmt: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    team = _team(request, slug, postal)
    tc = _one_chart(team, code)
    stem = f"{team.jurisdiction.postal_code}-{team.learning_network.slug}-{code}".lower()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        writer = csv.writer(response)
        writer.writerow(["period", "numerator", "denominator", "value", "centre_line",
                         "lower_limit", "upper_limit", "outside_limits", "included", "final"])
        for r in tc.table:
            writer.writerow([r["period"].label, _cell(r["numerator"]), _cell(r["denominator"]),
                             _cell(r["value"]), _cell(r["cl"]), _cell(r["lcl"]),
                             _cell(r["ucl"]), r["signal"], r["included"], r["final"]])
        return response
    if tc.spec is None:
        raise Http404
    spec = {**tc.spec, "width": 720, "height": 260,
            "title": {"text": tc.measure.name, "subtitle": f"{team} · {tc.name}"}}
    if fmt == "svg":
        response = HttpResponse(vlc.vegalite_to_svg(spec), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(vlc.vegalite_to_png(spec, scale=2), content_type="image/png")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _cell(v: float | None) -> str:
    if v is None or v != v:
        return ""
    return f"{v:.10g}"


@require_GET
@vega_csp
def network_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Faculty, backbone and funder: every team's chart; team members: the pooled chart."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.VIEW_NETWORK_POOLED, network)
    full = access.can(request.user, Action.VIEW_NETWORK_DATA, network)
    measures = list(Measure.objects.filter(
        Q(learning_network=network) | Q(learning_network__isnull=True),
        team_measures__team__learning_network=network).distinct().order_by("code"))
    if not measures:
        return render(request, "reports/network.html", {"network": network, "view": None,
                                                        "measures": []})
    code = request.GET.get("measure") or measures[0].code
    measure = next((m for m in measures if m.code == code), None)
    if measure is None:
        raise Http404
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    view = network_view(network, measure, sort)
    specs = {}
    if view.pooled and view.pooled.spec:
        specs["pooled"] = view.pooled.spec
    if full and view.funnel:
        specs["funnel"] = view.funnel.spec
    if full:
        domain = shared_domain(view.teams)
        for tc in view.teams:
            specs[f"team-{tc.team.pk}"] = small_multiple(tc, domain)
    return render(request, "reports/network.html", {
        "network": network, "view": view, "measures": measures, "measure": measure,
        "sort": sort, "sorts": SORTS, "full": full, "specs": specs,
    })


@require_GET
@vega_csp
def national_dashboard(request: HttpRequest) -> HttpResponse:
    """The funder's and backbone's national view."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.require(request.user, Action.VIEW_NATIONAL)
    measures = list(Measure.objects.filter(team_measures__active=True,
                                           type=Measure.Type.RATIO).distinct()
                    .select_related("learning_network").order_by("learning_network", "code"))
    code = request.GET.get("measure") or "IMR"
    measure = next((m for m in measures if m.code == code), measures[0] if measures else None)
    colour = "signal" if request.GET.get("colour") == "signal" else "value"
    pooled = [national.national_outcome(m) for m in measures if m.code in national.OUTCOMES]
    outcomes = [{"chart": o[0], "fewest": o[1], "most": o[2]} for o in pooled
                if o is not None and o[0].spec]
    the_tiles = national.tiles(measure) if measure else []
    values = [t.value for t in the_tiles if t.value is not None]
    return render(request, "reports/national.html", {
        "measures": measures, "measure": measure, "colour": colour, "tiles": the_tiles,
        "value_range": (min(values), max(values)) if values else None,
        "outcomes": outcomes, "counts": national.sustained_counts(),
        "specs": {f"national-{o['chart'].measure.code}": o["chart"].spec for o in outcomes},
    })


@require_GET
@vega_csp
def compare(request: HttpRequest) -> HttpResponse:
    """Any set of teams the user may see, on one measure, side by side on one scale."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    visible = access.teams_with_visible_data(request.user).select_related(
        "jurisdiction", "learning_network").order_by("jurisdiction__name")
    measures = list(Measure.objects.filter(team_measures__team__in=visible,
                                           team_measures__active=True).distinct()
                    .order_by("code"))
    measure = next((m for m in measures if m.code == request.GET.get("measure")), None)
    candidates = list(visible.filter(team_measures__measure=measure,
                                     team_measures__active=True)) if measure else []
    chosen_ids = {int(i) for i in request.GET.getlist("team") if i.isdigit()}
    chosen = [t for t in candidates if t.pk in chosen_ids]
    charts, specs = [], {}
    if measure and chosen:
        data = {}
        for t in chosen:
            data[t.pk] = observations(t, [measure]).get(measure.pk, [])
        charts = [build(t, measure, data[t.pk]) for t in chosen]
        drawn = [c for c in charts if c.spec]
        domain = shared_domain(drawn)
        specs = {f"team-{c.team.pk}": small_multiple(c, domain) | {"height": 180}
                 for c in drawn}
    return render(request, "reports/compare.html", {
        "measures": measures, "measure": measure, "candidates": candidates,
        "chosen_ids": chosen_ids, "charts": charts, "specs": specs,
    })
