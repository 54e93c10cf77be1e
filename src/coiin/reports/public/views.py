"""The public site: the network's shape and the published, disclosure-controlled figures.

No login. Everything with a number comes from ``publication.release``: published measures
and levels only, locked data only, small counts suppressed. People, rosters, PDSA cycles
and community content are never shown here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coiin import access
from coiin.access import Action
from coiin.charts.building import Observation, build
from coiin.charts.vega import plain_legend
from coiin.improvement.models import ChangeIdea
from coiin.measures.models import Measure
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Cohort, Jurisdiction, LearningNetwork, Team
from coiin.network.tilegrid import lay_out, position
from coiin.spreadsheet import SafeWriter
from coiin.web import sign_in_required, vega_csp

from .. import equity, equity_ages, membership
from . import publication, survey
from .models import PublishedMeasure
from .publication import CSV_HEADER, Level, Release
from .publication.releases import synthetic_flags
from .sections import index_sections


def _published() -> dict[Measure, set[str]]:
    """Published measures and their levels (one query)."""
    out: dict[Measure, set[str]] = defaultdict(set)
    for pub in PublishedMeasure.objects.select_related("measure__learning_network"):
        out[pub.measure].add(pub.level)
    return dict(sorted(out.items(), key=lambda kv: kv[0].code))


def _releases(level: str) -> list[Release]:
    out = []
    for measure, levels in _published().items():
        if level in levels and not measure.is_survey:
            r = publication.release(measure)
            if r is not None:
                out.append(r)
    return out


def _unit_sections(level: str, unit: str, prefix: str) -> list[dict[str, Any]]:
    """One section per measure published at ``level`` that has figures for ``unit`` (the
    page of one learning network or one jurisdiction), each charted for that unit."""
    out = [_section(r, level, unit, (level, unit), f"{prefix}-{r.measure.code}")
           for r in _releases(level) if unit in r.units(level)]
    for measure, levels in _published().items():
        if measure.is_survey and level in levels:
            s = survey.section(measure, level, unit, f"{prefix}-{measure.code}",
                               synthetic=synthetic_flags(measure).get(level, (False,))[0])
            if s["survey_rows"]:
                out.append(s)
    return out


def _chart(r: Release, level: str, unit: str, title: str) -> dict[str, Any] | None:
    """The unit's chart, drawn only from published cells; None with too few points."""
    obs = [Observation(Period(dt.date(y, 1, 1), Frequency.YEARLY), float(n),
                       None if d is None else float(d), float(n), True)
           for y, n, d in r.series(level, unit)]
    if len(obs) < 2:
        return None
    years = _membership(r, level, unit, {o.period.start.year for o in obs})
    tc = build(Team(), r.measure, obs, markers=membership.year_markers(years))
    if tc.spec is None:
        return None
    tc.spec["title"] = title
    return {"spec": plain_legend(tc.spec), "summary": tc.summary, "detail": tc.detail,
            "note": membership.year_sentence(years)}


def _membership(r: Release, level: str, unit: str, drawn: set[int]) -> list[membership.Year]:
    """The drawn years' jurisdictions: how many are summed and which reported part of it."""
    postal: set[str] | None = None
    if level == Level.JURISDICTION:
        postal = {unit}
    elif level == Level.NETWORK:
        postal = set(Jurisdiction.objects.filter(teams__learning_network__slug=unit)
                     .values_list("postal_code", flat=True))
    return [y for y in membership.years(r.measure, postal) if y.year in drawn]


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each learning network named in the reader's language (a release keeps
    the names it was published with, in English)."""
    if any(row["level"] == Level.NETWORK for row in rows):
        names = {n.slug: n.name for n in LearningNetwork.objects.all()}
        for row in rows:
            if row["level"] == Level.NETWORK and row["unit"] in names:
                row["name"] = names[row["unit"]]
    return rows


def _section(r: Release, level: str, unit: str | None, chart_unit: tuple[str, str] | None,
             key: str) -> dict[str, Any]:
    chart = None
    if chart_unit:
        name = _named([r.row(*chart_unit)])[0]["name"]
        chart = _chart(r, *chart_unit, _("%(measure)s: %(unit)s, by year")
                       % {"measure": r.measure.name, "unit": name})
    return {"release": r, "measure": r.measure, "level": level,
            "level_label": Level(level).label, "years": r.years,
            "rows": _named(r.table(level, unit)),
            "strata_rows": _named(r.strata_table(level, unit)),
            "strata_kind": r.measure.get_stratification_display(),
            "chart": chart, "key": key, **_equity(r, level, unit),
            "equity_ages": equity_ages.public_latest(r, unit)
            if level == Level.JURISDICTION else None, "equity_few": equity.FEW_EVENTS,
            "ages_method": equity.METHOD,
            "synthetic": r.synthetic.get(level, (False, False))[0],
            "synthetic_strata": r.synthetic.get(level, (False, False))[1]}


def _equity(r: Release, level: str, unit: str | None) -> dict[str, Any]:
    """The Black:White ratio from the published strata only (disclosure control has
    hidden every count under the threshold): rows and the latest in words."""
    if level != Level.JURISDICTION or not r.has_strata(level) or not r.measure.is_ratio:
        return {"equity": []}
    rows = equity.from_release(r, unit=unit)
    if not rows:
        return {"equity": []}
    labels = equity.labels()
    latest = max((x for x in rows if x.unit == (unit or publication.NATIONAL)),
                 key=lambda x: x.year, default=None)
    return {"equity": rows, "equity_summary":
            equity.sentence(latest, r.measure, labels) if latest else "",
            "equity_labels": (labels.get(equity.GROUP, ""), labels.get(equity.REFERENCE, "")),
            "equity_method": equity.METHOD}


def _specs(sections: list[dict[str, Any]]) -> dict[str, Any]:
    return {s["key"]: s["chart"]["spec"] for s in sections if s["chart"]}


def _rules() -> dict[str, int]:
    """The numbers the footnotes quote."""
    return {"threshold": publication.threshold(), "unreliable": publication.unreliable_below()}


def _csv(filename: str, rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = SafeWriter(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    return response


# ---------------------------------------------------------------------------- pages


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    networks = list(LearningNetwork.objects.order_by("position"))
    jurisdictions = list(Jurisdiction.objects.select_related("cohort"))
    tiles = []
    for j in jurisdictions:
        row, col = position(j.postal_code) or (None, None)
        tiles.append({"jurisdiction": j, "row": row, "col": col})
    placed, listed = lay_out(tiles, lambda t: t["jurisdiction"].postal_code)
    by_cohort: dict[int, list[Jurisdiction]] = defaultdict(list)
    for j in jurisdictions:
        by_cohort[j.cohort_id].append(j)
    cohorts = [(c, by_cohort[c.pk]) for c in Cohort.objects.all()]
    published = [(m, sorted(Level(lv).label for lv in levels))
                 for m, levels in _published().items()]
    return render(request, "reports/public/index.html", {
        "networks": networks, "tiles": tiles, "placed": placed, "listed": listed,
        "cohorts": cohorts, "published": published,
        "sections": index_sections(),
    })


def _network(slug: str) -> LearningNetwork:
    return get_object_or_404(LearningNetwork, slug=slug)


def _network_sections(network: LearningNetwork) -> list[dict[str, Any]]:
    return _unit_sections(Level.NETWORK, network.slug, "net")


@require_GET
@vega_csp
def network(request: HttpRequest, slug: str) -> HttpResponse:
    net = _network(slug)
    sections = _network_sections(net)
    return render(request, "reports/public/network.html", {
        "network": net, "sections": sections, "specs": _specs(sections), **_rules(),
        "ideas": ChangeIdea.objects.filter(learning_network=net).order_by("position")
        .values_list("title", flat=True),
        "jurisdictions": Jurisdiction.objects.filter(teams__learning_network=net)
        .order_by("name"),
    })


@require_GET
def network_csv(request: HttpRequest, slug: str) -> HttpResponse:
    net = _network(slug)
    rows = [row for s in _network_sections(net)
            for row in (s["csv"] if s.get("survey")
                        else s["release"].csv_rows(Level.NETWORK, net.slug))]
    return _csv(f"coiin-{net.slug}.csv", rows)


def _jurisdiction(postal: str) -> Jurisdiction:
    return get_object_or_404(Jurisdiction.objects.select_related("cohort"),
                             postal_code=postal.upper())


def _jurisdiction_sections(j: Jurisdiction) -> list[dict[str, Any]]:
    return _unit_sections(Level.JURISDICTION, j.postal_code, "jur")


@require_GET
@vega_csp
def jurisdiction(request: HttpRequest, postal: str) -> HttpResponse:
    j = _jurisdiction(postal)
    sections = _jurisdiction_sections(j)
    return render(request, "reports/public/jurisdiction.html", {
        "jurisdiction": j, "sections": sections, "specs": _specs(sections), **_rules(),
        "networks": LearningNetwork.objects.filter(teams__jurisdiction=j).order_by("position"),
    })


@require_GET
def jurisdiction_csv(request: HttpRequest, postal: str) -> HttpResponse:
    j = _jurisdiction(postal)
    rows = [row for s in _jurisdiction_sections(j)
            for row in (s["csv"] if s.get("survey")
                        else s["release"].csv_rows(Level.JURISDICTION, j.postal_code))]
    return _csv(f"coiin-{j.postal_code.lower()}.csv", rows)


def _measure_release(code: str) -> Release:
    measure = get_object_or_404(Measure.objects.select_related("learning_network"), code=code)
    r = publication.release(measure)
    if r is None:
        raise Http404("Not published")
    return r


def _measure_sections(r: Release) -> list[dict[str, Any]]:
    if r.measure.is_survey:  # weighted estimates with intervals (see survey.py)
        return [survey.section(r.measure, level, None, f"{level}-{r.measure.code}",
                               synthetic=r.synthetic.get(level, (False,))[0])
                for level in (Level.NATIONAL, Level.NETWORK, Level.JURISDICTION)
                if level in r.levels]
    out = []
    national_chart = (Level.NATIONAL, publication.NATIONAL) \
        if r.units(Level.NATIONAL) else None
    order = [Level.NATIONAL, Level.JURISDICTION, Level.NETWORK]
    for level in order:
        if level not in r.levels:
            continue
        if level == Level.NATIONAL and Level.JURISDICTION in r.levels:
            continue  # the national figures are the jurisdiction table's totals
        chart = national_chart if level in (Level.NATIONAL, Level.JURISDICTION) else None
        out.append(_section(r, level, None, chart, f"{level}-{r.measure.code}"))
    return out


@require_GET
@vega_csp
def measure(request: HttpRequest, code: str) -> HttpResponse:
    r = _measure_release(code)
    sections = _measure_sections(r)
    return render(request, "reports/public/measure.html", {
        "measure": r.measure, "sections": sections, "specs": _specs(sections), **_rules(),
    })


@require_GET
def measure_csv(request: HttpRequest, code: str) -> HttpResponse:
    r = _measure_release(code)
    rows = [row for s in _measure_sections(r)
            for row in (s["csv"] if s.get("survey") else r.csv_rows(s["level"]))]
    return _csv(f"coiin-{r.measure.code}.csv", rows)


# ---------------------------------------------------------------------------- publishing


@require_http_methods(["GET", "POST"])
@sign_in_required
def publish(request: HttpRequest) -> HttpResponse:
    """Backbone staff choose which measures and levels are public."""
    if not access.can(request.user, Action.PUBLISH):
        raise Http404  # nobody else learns the page exists
    if request.method == "POST":
        m = get_object_or_404(Measure, code=request.POST.get("measure", ""))
        level = request.POST.get("level", "")
        if level not in Level.values:
            return HttpResponse("Unknown level.", status=400)
        action = request.POST.get("action")
        if action == "unpublish":
            publication.unpublish(measure=m, level=level)
            messages.success(request, _("%(measure)s (%(level)s) taken off the public site.")
                                      % {"measure": m.code, "level": Level(level).label.lower()})
        elif action in ("strata_on", "strata_off"):
            if not PublishedMeasure.objects.filter(measure=m, level=level).exists():
                return HttpResponse(f"{m.code} is not published at that level; publish it "
                                    "before its strata.", status=400)
            try:
                publication.publish(measure=m, level=level, user=request.user,
                                    strata=action == "strata_on",
                                    synthetic_strata=_checked(request, "synthetic_strata"))
            except publication.PublishError as exc:
                return HttpResponse(str(exc), status=400)
            what = _("%(measure)s (%(level)s): strata published.") if action == "strata_on" \
                else _("%(measure)s (%(level)s): strata taken off the public site.")
            messages.success(request, what % {"measure": m.code,
                                              "level": Level(level).label.lower()})
        else:
            try:
                publication.publish(measure=m, level=level, user=request.user,
                                    note=request.POST.get("note", ""),
                                    synthetic=_checked(request, "synthetic"),
                                    synthetic_strata=_checked(request, "synthetic_strata"))
            except publication.PublishError as exc:
                return HttpResponse(str(exc), status=400)
            messages.success(request, _("%(measure)s (%(level)s) published.")
                                      % {"measure": m.code, "level": Level(level).label.lower()})
        return redirect("public:publish")
    published = {(p.measure_id, p.level): p for p in
                 PublishedMeasure.objects.select_related("published_by")}
    rows = []
    for m in Measure.objects.filter(type__in=publication.PUBLISHABLE_TYPES) \
            .select_related("learning_network"):
        rows.append({"measure": m, "levels": [
            {"value": lv.value, "label": lv.label, "pub": published.get((m.pk, lv.value))}
            for lv in Level]})
    return render(request, "reports/public/publish.html", {"rows": rows})


def _checked(request: HttpRequest, name: str) -> bool | None:
    """True for a ticked box; None (leave the flag as it is) otherwise, so publishing again
    never clears a label a demonstration set."""
    return True if request.POST.get(name) == "on" else None
