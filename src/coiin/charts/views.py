"""Chart pages: a team's dashboard, one measure's chart with the coach's controls, and
downloads of each chart as CSV, SVG and PNG."""

from __future__ import annotations

import datetime as dt
from typing import Any

import vl_convert as vlc
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures import services as reporting
from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.spreadsheet import SafeWriter
from coiin.web import sign_in_required, team_or_404, vega_csp

from . import services
from .building import (
    TeamChart,
    chart_types_for,
    shared_domain,
    site_charts,
    small_multiple,
    stratum_charts,
    team_charts,
)
from .formatting import table_rows
from .forms import (
    AnnotationForm,
    BaselineForm,
    ExclusionForm,
    PhaseForm,
    RulesForm,
    SettingsForm,
)
from .models import Annotation, ChartExclusion, ChartPhase, ChartSettings, ChartSummary
from .suggestions import dismiss, suggestion, undo_dismissal

MEASURES_PER_PAGE = 8  # full charts on one page of a team's dashboard


@require_GET
@vega_csp
@sign_in_required
def dashboard(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    """A team's charts, a page of measures at a time: the measures with submitted data
    (those with a stored summary) are paged, and only the page's charts are built."""
    team = team_or_404(request, slug, postal, Action.VIEW_DATA)
    measures = reporting.team_measures(team)
    summarised = set(ChartSummary.objects.filter(
        scope=ChartSummary.Scope.TEAM, team=team, measure__in=measures)
        .values_list("measure_id", flat=True))
    with_data = [m for m in measures if m.pk in summarised]
    pages = max(1, -(-len(with_data) // MEASURES_PER_PAGE))
    page = request.GET.get("page", "1")
    page = min(max(1, int(page) if page.isdigit() else 1), pages)
    shown = with_data[(page - 1) * MEASURES_PER_PAGE: page * MEASURES_PER_PAGE]
    charts = team_charts(team, shown)
    return render(request, "charts/dashboard.html", {
        "team": team,
        "cards": [(tc, table_rows(tc.table)) for tc in charts if tc.chart or tc.problem],
        "waiting": [m for m in measures if m.pk not in summarised]
        + [tc.measure for tc in charts if tc.chart is None and not tc.problem],
        "specs": {tc.measure.code: tc.spec for tc in charts if tc.spec},
        "page": page, "pages": pages, "measures_with_data": len(with_data),
    })


def _one_chart(team: Team, code: str, spec: bool = True) -> TeamChart:
    measure = get_object_or_404(Measure, code=code)
    if measure not in reporting.team_measures(team):
        raise Http404
    return team_charts(team, [measure], spec=spec)[0]


@require_http_methods(["GET", "POST"])
@vega_csp
@sign_in_required
def chart_detail(request: HttpRequest, slug: str, postal: str, code: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_DATA)
    tc = _one_chart(team, code)
    periods = [o.period for o in tc.observations]
    may_change = access.can(request.user, Action.CHANGE_CHART, team)
    suggested = suggestion(tc)
    forms = {
        # A split is filled in only when asked for (the suggestion's link), never unseen.
        "settings": SettingsForm(periods=periods, auto_id="settings_%s",
                                 chart_types=chart_types_for(tc.measure), initial={
            **_current(tc), "new_phase": request.GET.get("split", "")}),
        "annotation": AnnotationForm(auto_id="annotation_%s"),
    }
    status = 200
    if request.method == "POST":
        access.require(request.user, Action.CHANGE_CHART, team)
        done, form_name, form = _apply(request, team, tc, periods)
        if done:
            messages.success(request, done)
            # Back to the chart just changed (a fragment in the Location replaces the form's).
            return redirect(f"{request.path}#chart-{tc.measure.code}")
        forms[form_name] = form
        status = 400
    strata = stratum_charts(team, tc.measure, tc.settings, tc.exclusions, tc.phases) \
        if tc.measure.stratification else []
    specs = {tc.measure.code: tc.spec} if tc.spec else {}
    domain = shared_domain([s for _, s in strata])
    for stratum, sc in strata:
        specs[f"stratum-{stratum.code}"] = small_multiple(sc, domain)
    sites = _site_charts(request, team, tc)
    domain = shared_domain([tc, *(s for _, s in sites)])  # the team's and its sites' scale
    for unit, sc in sites:
        specs[f"site-{unit.pk}"] = small_multiple(sc, domain)
    history = list(ChartSettings.history.filter(team_id=team.pk, measure_id=tc.measure.pk)
                   .select_related("history_user").order_by("-history_date")[:20])
    return render(request, "charts/chart.html", {
        "team": team, "tc": tc, "forms": forms, "may_change": may_change,
        "specs": specs, "history": history, "strata": strata, "sites": sites,
        "table": table_rows(tc.table),
        "by_site": _by_site(team, tc.measure), "suggested": suggested,
        "baseline_reason": _baseline_reason(tc, history),
    }, status=status)


def _baseline_reason(tc: TeamChart, history: list[Any]) -> str:
    """Why the baseline is frozen where it is: the reason given when it was set there
    (``history`` newest first), not that of a later change of rules or chart type."""
    end = tc.settings.baseline_end if tc.settings else None
    if end is None:
        return ""
    reason = ""
    for h in history:
        if h.baseline_end != end:
            break
        reason = h.history_change_reason or reason
    return reason


def _current(tc: TeamChart) -> dict[str, str]:
    """The settings form's fields as the chart is drawn now."""
    s = tc.settings
    return {"chart_type": s.chart_type if s else "",
            "rules": s.rules if s else ChartSettings.Rules.ANHOEJ,
            "baseline_end": s.baseline_end.isoformat() if s and s.baseline_end else "",
            "new_phase": "", "exclude": ""}


def _by_site(team: Team, measure: Measure) -> bool:
    return any(m.pk == measure.pk for m in reporting.site_measures(team))


def _site_charts(request: HttpRequest, team: Team, tc: TeamChart):
    """The charts of the sites this person may see, for a measure reported by site."""
    if not _by_site(team, tc.measure):
        return []
    return site_charts(team, tc.measure, access.visible_units(request.user, team))


def _apply(request, team, tc, periods):
    """Carry out one of the chart-settings forms; returns (message, form name, form)."""
    action, user, measure = request.POST.get("form"), request.user, tc.measure
    if action == "settings":
        form = SettingsForm(request.POST, periods=periods, auto_id="settings_%s",
                            chart_types=chart_types_for(measure), initial=_current(tc))
        if form.is_valid():
            data, changed = form.cleaned_data, form.changed_data
            day = {k: dt.date.fromisoformat(data[k]) if data[k] else None
                   for k in ("baseline_end", "new_phase", "exclude")}
            done = services.change_settings(
                team=team, measure=measure, user=user, reason=data["reason"].strip(),
                rules=data["rules"] if "rules" in changed else None,
                chart_type=data["chart_type"] if "chart_type" in changed else None,
                baseline_end=day["baseline_end"] if "baseline_end" in changed else False,
                new_phase=day["new_phase"], exclude=day["exclude"])
            return f"Saved: {', '.join(done)}.", action, form
    elif action == "rules":
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
    elif action == "dismiss-split":
        found = suggestion(tc)
        if found is None or found.period.start.isoformat() != request.POST.get("starts"):
            raise Http404  # no such suggestion (any more)
        dismiss(tc=tc, suggested=found, user=user)
        return (f"The split at {found.period.display} is no longer suggested (undo below).",
                action, None)
    elif action == "undo-dismiss":
        pk = request.POST.get("id", "")
        if not pk.isdigit() or not undo_dismissal(team=team, measure_id=measure.pk, pk=pk):
            raise Http404
        return "The split is suggested again.", action, None
    elif action == "remove-annotation":
        note = get_object_or_404(Annotation, pk=request.POST.get("id"), team=team)
        note.delete()
        return "Note removed.", action, None
    else:
        raise Http404
    return "", action, form


@require_GET
@sign_in_required
def download(request: HttpRequest, slug: str, postal: str, code: str, fmt: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_DATA)
    tc = _one_chart(team, code, spec=fmt != "csv")  # a table needs no picture
    stem = f"{team.jurisdiction.postal_code}-{team.learning_network.slug}-{code}".lower()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        writer = SafeWriter(response)
        survey = tc.measure.is_survey  # its estimates' 95 % intervals, in two more columns
        writer.writerow(["period", "numerator", "denominator", "value", "centre_line",
                         "lower_limit", "upper_limit", "outside_limits", "included", "final",
                         "site", *(("ci_lower", "ci_upper") if survey else ())])
        # The team's rows (site empty), then each site's own chart for a by-site measure.
        for site, chart in [("", tc), *((u.name, c) for u, c in _site_charts(request, team,
                                                                                tc))]:
            for r in chart.table:
                writer.writerow([r["period"].label, _cell(r["numerator"]),
                                 _cell(r["denominator"]), _cell(r["value"]), _cell(r["cl"]),
                                 _cell(r["lcl"]), _cell(r["ucl"]), r["signal"],
                                 r["included"], r["final"], site,
                                 *((_cell(r["low"]), _cell(r["high"])) if survey else ())])
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
