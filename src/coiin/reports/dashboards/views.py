"""Pages that compare teams: a learning network's charts, the national view, and any
visible teams side by side."""

from __future__ import annotations

import csv

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from coiin import access
from coiin.access import Action
from coiin.charts.building import (
    CHART_NAMES,
    build,
    observations,
    shared_domain,
    small_multiple,
)
from coiin.charts.models import ChartSummary, NetworkChartSettings
from coiin.charts.network_settings import pooled_chart_types
from coiin.charts.summaries.stored import mini_table, mini_template, mini_values
from coiin.charts.summaries.survey import NOTE as survey_note
from coiin.measures.models import Measure
from coiin.network.models import Jurisdiction, LearningNetwork
from coiin.web import sign_in_required, vega_csp

from .. import equity, equity_ages, equity_chart
from . import national
from .network import (
    SCALES,
    SHOWS,
    SORTS,
    clipped_domain,
    funnel_with_url,
    latest_funnel,
    network_domain,
    network_view,
)


def _network_measures(network: LearningNetwork) -> list[Measure]:
    return list(Measure.objects.filter(
        Q(learning_network=network) | Q(learning_network__isnull=True),
        team_measures__team__learning_network=network).distinct().order_by("code"))


@require_GET
@vega_csp
@sign_in_required
def network_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Faculty, backbone and funder: every team's chart; team members: the pooled chart."""
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.VIEW_NETWORK_POOLED, network)
    full = access.can(request.user, Action.VIEW_NETWORK_DATA, network)
    measures = _network_measures(network)
    if not measures:
        return render(request, "reports/dashboards/network.html", {"network": network, "view": None,
                                                        "measures": []})
    code = request.GET.get("measure") or measures[0].code
    measure = next((m for m in measures if m.code == code), None)
    if measure is None:
        raise Http404
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    show = request.GET.get("show", "all")
    show = show if show in SHOWS else "all"
    scale = request.GET.get("scale", "shared")
    scale = scale if scale in SCALES else "shared"
    page = request.GET.get("page", "1")
    view = network_view(network, measure, sort, show, int(page) if page.isdigit() else 1,
                        full=full)
    specs = {}
    if view.pooled and view.pooled.spec:
        specs["pooled"] = view.pooled.spec
    if full and view.funnel:
        # The teams' points come from the CSV, so the page does not grow with the network.
        specs["funnel"] = funnel_with_url(view.funnel.spec, _funnel_url(network, measure))
    if full and view.teams:
        # One shared picture; each small multiple brings only its data. Every panel spans
        # the same periods; the y scale is the reader's choice.
        domain = (None if scale == "panel" else clipped_domain(network, measure, view.stamp)
                  if scale == "clipped" else network_domain(network, measure, view.stamp))
        # Panels of different chart types each name theirs; the shared title names one.
        mixed = len({s.chart_type for s in view.teams}) > 1
        for s in view.teams:
            s.chart_name = CHART_NAMES.get(s.chart_type, "") if mixed else ""
        specs["mini"] = mini_template(measure, "" if mixed else view.teams[0].chart_type,
                                      domain, x_domain=view.x_domain,
                                      clipped=scale == "clipped")
        for s in view.teams:
            specs[f"team-{s.team_id}"] = mini_values(s)
            s.table = mini_table(s)  # type: ignore[attr-defined]
    return render(request, "reports/dashboards/network.html", {
        "network": network, "view": view, "measures": measures, "measure": measure,
        "pooled_choice": NetworkChartSettings.objects.filter(
            learning_network=network, measure=measure).exclude(reason="").first(),
        "may_change_pooled": bool(pooled_chart_types(measure)) and access.can(
            request.user, Action.CHANGE_NETWORK_CHART, network),
        "sort": sort, "sorts": SORTS, "show": show, "scale": scale, "scales": SCALES,
        "shows": SHOWS, "show_label": SHOWS[show],
        "full": full, "funnel_csv": _funnel_url(network, measure),
        "survey_note": survey_note,
        "specs": specs,
    })


def _funnel_url(network: LearningNetwork, measure: Measure) -> str:
    return f"{reverse('network_funnel_csv', args=[network.slug])}?measure={measure.code}"


@require_GET
@sign_in_required
def network_funnel_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every team of the network's funnel plot: its table in full, and the plot's points."""
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.VIEW_NETWORK_DATA, network)
    measure = next((m for m in _network_measures(network)
                    if m.code == request.GET.get("measure")), None)
    if measure is None:
        raise Http404
    pooled = ChartSummary.objects.filter(scope=ChartSummary.Scope.NETWORK, measure=measure,
                                         learning_network=network).first()
    funnel = latest_funnel(network, measure, pooled)
    if funnel is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="funnel-{network.slug}-{measure.code}-{funnel.period.label}.csv"')
    writer = csv.writer(response)
    # The last three columns are where the plot draws each team's code, apart from others.
    writer.writerow(["period", "team", "code", "value", "n", "where", "label_n",
                     "label_value", "moved"])
    for r in funnel.teams:
        writer.writerow([funnel.period.label, r["team"], r["code"], r["value"], r["n"],
                         r["where"], r["label_n"], r["label_value"],
                         "true" if r["moved"] else "false"])
    return response


@require_GET
@vega_csp
@sign_in_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    """The funder's and backbone's national view."""
    access.require(request.user, Action.VIEW_NATIONAL)
    measures = list(Measure.objects.filter(team_measures__active=True,
                                           type=Measure.Type.RATIO).distinct()
                    .select_related("learning_network").order_by("learning_network", "code"))
    code = request.GET.get("measure") or "IMR"
    measure = next((m for m in measures if m.code == code), measures[0] if measures else None)
    colour = "signal" if request.GET.get("colour") == "signal" else "value"
    pooled = national.national_outcomes([m for m in measures
                                          if m.code in national.OUTCOMES or m.is_survey])
    outcomes = [o for o in pooled if o.chart.spec]
    the_tiles = national.tiles(measure) if measure else []
    values = [t.value for t in the_tiles if t.value is not None]
    return render(request, "reports/dashboards/national.html", {
        "measures": measures, "measure": measure, "colour": colour, "tiles": the_tiles,
        "placed": [t for t in the_tiles if t.row is not None],
        "listed": [t for t in the_tiles if t.row is None],
        "value_range": (min(values), max(values)) if values else None,
        "outcomes": outcomes, "counts": national.sustained_counts(),
        "survey_note": survey_note,
        "specs": {f"national-{o.chart.measure.code}": o.chart.spec for o in outcomes},
    })


@require_GET
@vega_csp
@sign_in_required
def compare(request: HttpRequest) -> HttpResponse:
    """Any set of teams the user may see, on one measure, side by side on one scale."""
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
    return render(request, "reports/dashboards/compare.html", {
        "measures": measures, "measure": measure, "candidates": candidates,
        "chosen_ids": chosen_ids, "charts": charts, "specs": specs,
    })


def _equity_measure(request: HttpRequest) -> tuple[Measure, list[Measure]]:
    choices = equity.measures()
    measure = next((m for m in choices if m.code == request.GET.get("measure", "IMR")), None)
    if measure is None:
        raise Http404
    return measure, choices


@require_GET
@vega_csp
@sign_in_required
def equity_national(request: HttpRequest) -> HttpResponse:
    """The Black:White ratio of a stratified measure over time, nationally and per
    jurisdiction, from the stored strata; every group against a reference that year, and
    every age group of the mother against 20-34 (the official figures)."""
    access.require(request.user, Action.VIEW_NATIONAL)
    measure, choices = _equity_measure(request)
    year = request.GET.get("year", "")
    view = equity.national_view(measure, int(year) if year.isdigit() else None,
                                request.GET.get("reference", equity.REFERENCE))
    return render(request, "reports/dashboards/equity.html", {
        "view": view, "ages": equity_ages.national(measure, view.year),
        "measures": choices, "method": equity.METHOD,
        "few": equity.FEW_EVENTS, "specs": _specs(equity_chart.ratio_spec(
            view.national, f"{measure.name}: Black:White ratio, all reporting jurisdictions"))})


@require_GET
@vega_csp
@sign_in_required
def equity_jurisdiction(request: HttpRequest, postal: str) -> HttpResponse:
    """One jurisdiction's disparities: the ratio over time and every group that year."""
    jurisdiction = get_object_or_404(Jurisdiction, postal_code=postal.upper())
    access.require(request.user, Action.VIEW_JURISDICTION_DATA, jurisdiction)
    measure, choices = _equity_measure(request)
    view = equity.jurisdiction_view(measure, jurisdiction.postal_code, jurisdiction.name,
                                    request.GET.get("reference", equity.REFERENCE))
    return render(request, "reports/dashboards/equity_jurisdiction.html", {
        "jurisdiction": jurisdiction, "view": view, "measures": choices,
        "method": equity.METHOD, "few": equity.FEW_EVENTS,
        "national": access.can(request.user, Action.VIEW_NATIONAL),
        "specs": _specs(equity_chart.ratio_spec(
            view.rows, f"{measure.name}: Black:White ratio, {jurisdiction.name}"))})


def _specs(spec: dict[str, object] | None) -> dict[str, object]:
    return {"ratio": spec} if spec else {}
