"""The national report to the funder: per strategy (learning network) its teams, reach,
pooled outcomes against their baseline, the changes that led to sustained improvement,
and data completeness.

``national_inputs`` reads everything into plain JSON with a fixed number of queries
however many teams; ``national_context`` builds the report from those inputs alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from coiin.charts.building import Observation, TeamChart
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team

from ..dashboards.national import OUTCOMES
from .common import (
    Completeness,
    bold,
    completeness,
    effects_json,
    font_faces,
    index_submissions,
    measure_from,
    measure_json,
    membership_note,
    pooled_chart,
    provisional,
    read_submissions,
    read_teams,
    read_values,
    reporting_rules,
    series_by_measure,
    sheet_table,
    works_json,
    works_rows,
)
from .disparities import disparities_json, disparity
from .drawing import svg
from .survey import NOTE as SURVEY_NOTE
from .survey import survey_chart, survey_json

if TYPE_CHECKING:
    from openpyxl import Workbook

BIRTHS = "IMR"  # its denominator is live births: the reach of a jurisdiction's team


def national_inputs(period: Period) -> dict[str, Any]:
    """Everything the national report shows, up to the end of ``period``."""
    end = period.end
    networks = list(LearningNetwork.objects.order_by("position", "name"))
    teams = list(Team.objects.filter(joined_on__lte=end)
                 .select_related("jurisdiction", "learning_network")
                 .order_by("learning_network__position", "jurisdiction__name"))
    ids = [t.pk for t in teams]
    outcomes = list(Measure.objects.filter(code__in=OUTCOMES).order_by("code"))
    surveys = [m for m in Measure.objects.filter(team_measures__team__in=ids,
                                                 team_measures__active=True)
               .distinct().order_by("code") if m.is_survey]
    now = timezone.now()
    return {
        "kind": "national", "period": period.label, "read_at": now.isoformat(),
        "read_on": timezone.localdate(now).isoformat(), "rules": reporting_rules(),
        "networks": [{"id": n.pk, "name": n.name, "slug": n.slug, "short_name": n.short_name}
                     for n in networks],
        "teams": read_teams(teams),
        "measures": [measure_json(m) for m in outcomes],
        "values": read_values(ids, outcomes, end),
        "submissions": read_submissions(ids, end),
        "works": works_json(networks, end),
        "effects": effects_json(networks),
        "disparities": disparities_json(outcomes, end.year),
        "survey_measures": [measure_json(m) for m in surveys],
        "survey": survey_json(surveys, ids, end),
    }


def births(values: list[list[Any]], measures: list[Measure], last: Period
           ) -> dict[str, float]:
    """Live births in the 12 months up to the report's end, per jurisdiction, from the
    denominators of the infant mortality rate its teams reported (a jurisdiction reporting
    it in several teams counts once per period). Jurisdictions without them are absent."""
    imr = next((m for m in measures if m.code == BIRTHS), None)
    if imr is None:
        return {}
    since = last.end - dt.timedelta(days=365)
    per_period: dict[tuple[str, str], float] = {}
    for postal, code, start, _n, den, *_rest in values:
        if code != BIRTHS or den is None or dt.date.fromisoformat(start) <= since:
            continue
        per_period[(postal, start)] = max(per_period.get((postal, start), 0.0), float(den))
    out: dict[str, float] = defaultdict(float)
    for (postal, _start), n in per_period.items():
        out[postal] += n
    return dict(out)


def baseline_and_latest(tc: TeamChart | None) -> dict[str, Any] | None:
    """The pooled chart's first centre line (the baseline: a mean on a control chart, a
    median on a run chart) and its latest value."""
    if tc is None or tc.chart is None or not tc.chart.points:
        return None
    first, final = tc.chart.points[0], tc.chart.points[-1]
    if first.cl is None or final.y is None:
        return None
    change = final.y - first.cl
    direction = tc.measure.direction
    better = (change < 0) if direction == "down" else (change > 0) if direction == "up" else None
    return {"baseline": first.cl, "latest": final.y,
            "latest_period": tc.observations[-1].period.label,
            "first_period": tc.observations[0].period.label,
            "change": change, "relative": change / first.cl if first.cl else None,
            "better": better if change else None}


def national_context(inputs: dict[str, Any]) -> dict[str, Any]:
    """The report, built from stored inputs only (no reads of reported data)."""
    last = Period.parse(inputs["period"])
    read_on = dt.date.fromisoformat(inputs["read_on"])
    due_days = inputs["rules"]["due_days"]
    statuses = index_submissions(inputs["submissions"])
    measures = [measure_from(s) for s in inputs["measures"]]
    teams_by_id = {t["id"]: t for t in inputs["teams"]}
    names = {t["id"]: f"{t['jurisdiction']} ({t['network']})" for t in inputs["teams"]}
    postal_values = [[teams_by_id[v[0]]["postal"], *v[1:]] for v in inputs["values"]]
    reach = births(postal_values, measures, last)
    works = works_rows(inputs["works"])
    by_measure = series_by_measure(inputs["values"], measures)  # shared by every section
    strategies = []
    all_complete = Completeness()
    for n in inputs["networks"]:
        network = LearningNetwork(pk=n["id"], name=n["name"], slug=n["slug"],
                                  short_name=n["short_name"])
        teams = [t for t in inputs["teams"] if t["network"] == n["slug"]]
        mine = {t["id"] for t in teams}
        postals = sorted({t["postal"] for t in teams})
        complete = Completeness()
        for t in teams:
            complete = complete + completeness(t, statuses, last, read_on, due_days)
        all_complete = all_complete + complete
        outcomes = []
        for m in measures:
            by_team = {k: v for k, v in by_measure[m.code].items() if k in mine}
            pooled, contributors = pooled_chart(network, m, by_team)
            summary = baseline_and_latest(pooled)
            if summary is None or pooled is None:
                continue
            outcomes.append({"measure": m, "chart": pooled, **summary,
                             "teams": contributors.get(summary["latest_period"], 0),
                             "svg": svg(pooled.spec, 560, 160)})
        known = [p for p in postals if p in reach]
        strategies.append({
            "network": network, "teams": len(teams), "jurisdictions": len(postals),
            "births": sum(reach[p] for p in known) if known else None,
            "births_known": len(known), "completeness": complete, "outcomes": outcomes,
            "sustained": [w for w in works if w["network"] == n["slug"] and w["sustained"]],
            "ideas_tested": len([w for w in works if w["network"] == n["slug"]]),
            "effects": [e for e in inputs.get("effects", []) if e["network"] == n["slug"]],
            "improving": [e for e in inputs.get("effects", []) if e["network"] == n["slug"]
                          and e["verdict"] == "improvement"],
        })
    every = sorted({t["postal"] for t in inputs["teams"]})
    known = [p for p in every if p in reach]
    return {
        "inputs": inputs, "period": inputs["period"],
        "read_at": dt.datetime.fromisoformat(inputs["read_at"]),
        "strategies": strategies, "national": _national(inputs, measures, by_measure),
        "totals": {"teams": len(inputs["teams"]), "jurisdictions": len(every),
                   "births": sum(reach[p] for p in known) if known else None,
                   "births_known": len(known), "completeness": all_complete},
        "provisional": provisional(inputs["values"], names, measures),
        "disparities": [disparity(d) for d in inputs.get("disparities", [])],  # old: none
        "survey": _survey(inputs), "survey_note": SURVEY_NOTE,
        "font_faces": font_faces(),
    }


def _survey(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Survey measures pooled over every jurisdiction (one team each), births-weighted,
    with their standard errors and 95 % intervals, from the kept rows (none in a report
    made before they were kept)."""
    stand_in = LearningNetwork(name="National")
    out = []
    for spec in inputs.get("survey_measures", []):
        m = measure_from(spec)
        chart, _, table = survey_chart(stand_in, m, inputs.get("survey", {}).get(m.code, []))
        if chart is None:
            continue
        out.append({"measure": m, "chart": chart, "table": table,
                    "svg": svg(chart.spec, 620, 200)})
    return out


def _national(inputs: dict[str, Any], measures: list[Measure],
              by_measure: dict[str, dict[int, list[Observation]]]) -> list[dict[str, Any]]:
    """Pooled outcomes over all jurisdictions, each counted once: the team with the most
    data on the measure (as on the national dashboard)."""
    jurisdiction = {t["id"]: t["postal"] for t in inputs["teams"]}
    out = []
    stand_in = LearningNetwork(name="National")
    for m in measures:
        by_team = by_measure[m.code]
        best: dict[str, int] = {}
        for team_id in sorted(by_team):
            postal = jurisdiction[team_id]
            if postal not in best or len(by_team[team_id]) > len(by_team[best[postal]]):
                best[postal] = team_id
        chosen: dict[int, list[Observation]] = {i: by_team[i] for i in best.values()}
        pooled, contributors = pooled_chart(stand_in, m, chosen, "jurisdictions")
        summary = baseline_and_latest(pooled)
        if summary is None or pooled is None:
            continue
        counts = list(contributors.values())
        out.append({"measure": m, "chart": pooled, **summary,
                    "fewest": min(counts), "most": max(counts),
                    "membership_note": membership_note(contributors, "jurisdictions", m),
                    "svg": svg(pooled.spec, 620, 200)})
    return out


def figures(context: dict[str, Any]) -> dict[str, Any]:
    """The numbers the report shows, for comparing two makings of it."""
    return {
        "strategies": {s["network"].slug: {
            "teams": s["teams"], "jurisdictions": s["jurisdictions"], "births": s["births"],
            "completeness": (s["completeness"].due, s["completeness"].submitted,
                             s["completeness"].on_time),
            "outcomes": {o["measure"].code: (round(o["baseline"], 9), round(o["latest"], 9),
                                             o["latest_period"]) for o in s["outcomes"]},
            "sustained": [w["idea"] for w in s["sustained"]]} for s in context["strategies"]},
        "national": {o["measure"].code: (round(o["baseline"], 9), round(o["latest"], 9))
                     for o in context["national"]},
        "survey": {s["measure"].code: [(r["label"], r["estimate"], r["interval"])
                                       for r in s["table"]] for s in context.get("survey", [])},
        "provisional": context["provisional"],
    }


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/documents/national.html", context)


def render_xlsx(context: dict[str, Any]) -> bytes:
    """One sheet per table; real numbers with number formats."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    _ = gettext
    sheet.title = _("Strategies")
    sheet.append([_("Infant Mortality CoIIN: national report for %(period)s")
                  % {"period": context["period"]}])
    sheet["A1"].font = bold()
    sheet_table(sheet, [_("Learning network"), _("Teams"), _("Jurisdictions"),
                        _("Live births (12 months)"), _("Jurisdictions with births"),
                        _("Periods due"), _("Submitted"), _("On time"), _("Share submitted"),
                        _("Share on time"), _("Change ideas tested"),
                        _("Changes with sustained improvement")], [
        [s["network"].name, s["teams"], s["jurisdictions"], s["births"], s["births_known"],
         s["completeness"].due, s["completeness"].submitted, s["completeness"].on_time,
         s["completeness"].share_submitted, s["completeness"].share_on_time,
         s["ideas_tested"], len(s["sustained"])] for s in context["strategies"]],
        {**dict.fromkeys(range(2, 9), "#,##0"), 9: "0.0%", 10: "0.0%", 11: "#,##0",
         12: "#,##0"})
    outcome_rows = [[s["network"].name, o["measure"].code, o["measure"].name,
                     o["first_period"], o["baseline"], o["latest_period"], o["latest"],
                     o["change"], o["relative"], o["teams"]]
                    for s in context["strategies"] for o in s["outcomes"]]
    outcome_rows += [[_("All jurisdictions"), o["measure"].code, o["measure"].name,
                      o["first_period"], o["baseline"], o["latest_period"], o["latest"],
                      o["change"], o["relative"], o["most"]] for o in context["national"]]
    sheet_table(book.create_sheet(_("Outcomes")), [
        _("Learning network"), _("Measure"), _("Name"), _("From"), _("Baseline (centre line)"),
        _("Latest period"), _("Latest value"), _("Change"), _("Relative change"),
        _("Teams (latest)")], outcome_rows,
        {5: "#,##0.00", 7: "#,##0.00", 8: "+#,##0.00;-#,##0.00;0", 9: "+0.0%;-0.0%;0.0%",
         10: "#,##0"})
    if context.get("survey"):  # births-weighted pools, as the report shows them
        _survey_sheet(book, context["survey"])
    sheet_table(book.create_sheet(_("Sustained improvement")), [
        _("Learning network"), _("Change idea"), _("Teams that adopted it"),
        _("Teams with sustained improvement"), _("Which")], [
        [s["network"].name, w["idea"], w["teams"], w["sustained"],
         ", ".join(w["sustained_teams"])] for s in context["strategies"] for w in s["sustained"]],
        {3: "#,##0", 4: "#,##0"})
    sheet_table(book.create_sheet(pgettext("sheet", "Provisional")),
                [_("Values that were provisional when the report was made")],
                [[item] for item in context["provisional"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()



def _survey_sheet(book: Workbook, survey: list[dict[str, Any]]) -> None:
    _ = gettext
    sheet_table(book.create_sheet(_("Survey measures")), [
        _("Measure"), _("Name"), _("Period"), _("Estimate (births-weighted)"),
        _("Standard error"), _("95 % CI"), _("Jurisdictions pooled"), _("Left out")],
        [[s["measure"].code, s["measure"].name, r["label"], float(r["estimate"]),
          float(r["se"]), r["interval"], r["pooled"], r["left_out"]]
         for s in survey for r in s["table"]],
        {4: "#,##0.00", 5: "#,##0.00", 7: "#,##0", 8: "#,##0"})
