"""The learning-network report: participation, data completeness and timeliness per team,
pooled charts per measure, funnel plots, progress scores and what works.

Two steps, like the team report: ``network_inputs`` reads everything into plain JSON (a
fixed number of queries however many teams); ``network_context`` builds the report from
those inputs alone, so a kept snapshot gives the same figures whatever happens later.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from coiin.improvement.models import ProgressScore
from coiin.improvement.whatworks import LABELS, ORDER
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team

from ..dashboards import network as network_view
from .common import (
    Completeness,
    bold,
    completeness,
    date,
    effects_json,
    font_faces,
    index_submissions,
    measure_from,
    measure_json,
    pooled_chart,
    provisional,
    read_submissions,
    read_teams,
    read_values,
    reporting_rules,
    series,
    sheet_table,
    team_objects,
    works_json,
    works_rows,
)
from .disparities import disparities_json, disparity
from .drawing import svg
from .survey import NOTE as SURVEY_NOTE
from .survey import survey_chart, survey_json


def network_measures(network: LearningNetwork) -> list[Measure]:
    """The network's own and shared measures that its teams report."""
    return list(Measure.objects.filter(
        Q(learning_network=network) | Q(learning_network__isnull=True),
        team_measures__team__learning_network=network, team_measures__active=True)
        .distinct().order_by("code"))


def network_inputs(network: LearningNetwork, period: Period) -> dict[str, Any]:
    """Everything a learning-network report shows, up to the end of ``period``."""
    end = period.end
    teams = list(Team.objects.filter(learning_network=network, joined_on__lte=end)
                 .select_related("jurisdiction", "learning_network")
                 .order_by("jurisdiction__name"))
    ids = [t.pk for t in teams]
    measures = network_measures(network)
    scores = (ProgressScore.objects.filter(team_id__in=ids, month__lte=end)
              .values_list("team_id", "month", "rater", "score")
              .order_by("team_id", "month", "rater"))
    now = timezone.now()
    return {
        "kind": "network", "network_id": network.pk, "network": network.name,
        "slug": network.slug, "short_name": network.short_name, "period": period.label,
        "read_at": now.isoformat(), "read_on": timezone.localdate(now).isoformat(),
        "rules": reporting_rules(), "teams": read_teams(teams),
        "measures": [measure_json(m) for m in measures],
        "values": read_values(ids, measures, end),
        "survey": survey_json(measures, ids, end),
        "submissions": read_submissions(ids, end),
        "scores": [[t, date(month), rater, f"{score:.1f}"] for t, month, rater, score in scores],
        "works": works_json([network], end),
        "effects": effects_json([network]),
        "disparities": disparities_json(measures, end.year,
                                        {t.jurisdiction.postal_code for t in teams}),
    }


def latest_scores(scores: list[list[Any]]) -> dict[int, dict[str, tuple[str, float]]]:
    """Per team and rater: (month, score) of the latest score."""
    out: dict[int, dict[str, tuple[str, float]]] = defaultdict(dict)
    for team_id, month, rater, score in scores:  # oldest first
        out[team_id][rater] = (month[:7], float(score))
    return out


def network_context(inputs: dict[str, Any]) -> dict[str, Any]:
    """The report, built from stored inputs only (no reads of reported data)."""
    network = LearningNetwork(pk=inputs["network_id"], name=inputs["network"],
                              slug=inputs["slug"], short_name=inputs["short_name"])
    last = Period.parse(inputs["period"])
    teams = team_objects(inputs["teams"], network)
    names = {t["id"]: t["jurisdiction"] for t in inputs["teams"]}
    measures = [measure_from(s) for s in inputs["measures"]]
    read_on = dt.date.fromisoformat(inputs["read_on"])
    due_days = inputs["rules"]["due_days"]
    statuses = index_submissions(inputs["submissions"])
    scores = latest_scores(inputs["scores"])
    team_rows = []
    total = Completeness()
    for t in inputs["teams"]:
        c = completeness(t, statuses, last, read_on, due_days)
        total = total + c
        s = scores.get(t["id"], {})
        team_rows.append({"id": t["id"], "jurisdiction": t["jurisdiction"],
                          "postal": t["postal"], "joined_on": t["joined_on"],
                          "members": t["members"], "completeness": c,
                          "team_score": s.get(ProgressScore.Rater.TEAM),
                          "coach_score": s.get(ProgressScore.Rater.COACH)})
    sections = []
    for m in measures:
        by_team = series(inputs["values"], m)
        if not by_team:
            continue
        survey_rows: list[dict[str, Any]] = []
        if m.is_survey:  # births-weighted estimates with their intervals
            pooled, contributors, survey_rows = survey_chart(
                network, m, inputs.get("survey", {}).get(m.code, []))
            funnel = None
        else:
            pooled, contributors = pooled_chart(network, m, by_team)
            funnel = network_view.funnel(m, by_team, teams)
        sections.append({
            "measure": m, "pooled": pooled, "contributors": contributors,
            "survey": survey_rows,
            "pooled_svg": svg(pooled.spec if pooled else None),
            "funnel": funnel, "funnel_svg": svg(funnel.spec if funnel else None, 520, 260),
            "reporting": len(by_team)})
    return {
        "inputs": inputs, "network": network, "period": inputs["period"],
        "read_at": dt.datetime.fromisoformat(inputs["read_at"]),
        "participation": {"teams": len(inputs["teams"]),
                          "jurisdictions": len({t["postal"] for t in inputs["teams"]}),
                          "members": sum(t["members"] for t in inputs["teams"])},
        "team_rows": team_rows, "completeness": total, "sections": sections,
        "works": works_rows(inputs["works"]), "verdicts": [v.label for v in ORDER],
        "effects": inputs.get("effects", []),
        "provisional": provisional(inputs["values"], names, measures),
        "font_faces": font_faces(), "labels": LABELS, "survey_note": SURVEY_NOTE,
        "disparities": [disparity(d) for d in inputs.get("disparities", [])],  # old: none
    }


def figures(context: dict[str, Any]) -> dict[str, Any]:
    """The numbers the report shows, for comparing two makings of it."""
    pooled = {s["measure"].code: [(o.period.label, round(p.y, 9), round(p.cl, 9))
                                  for o, p in zip(s["pooled"].observations,
                                                  s["pooled"].chart.points, strict=True)]
              for s in context["sections"] if s["pooled"] and s["pooled"].chart}
    completeness_rows = {r["postal"]: (r["completeness"].due, r["completeness"].submitted,
                                       r["completeness"].on_time)
                         for r in context["team_rows"]}
    funnels = {s["measure"].code: (s["funnel"].period.label, s["funnel"].teams)
               for s in context["sections"] if s["funnel"]}
    return {"pooled": pooled, "completeness": completeness_rows, "funnels": funnels,
            "provisional": context["provisional"],
            "works": [(w["idea"], w["counts"]) for w in context["works"]],
            "effects": [(w["idea"], w["verdict"], w.get("estimate")) for w in context["effects"]]}


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/documents/network.html", context)


def render_xlsx(context: dict[str, Any]) -> bytes:
    """One sheet per table; real numbers with number formats."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    _ = gettext
    sheet.title = _("Participation")
    sheet.append([_("%(network)s: learning-network report for %(period)s") % {
        "network": context["network"].name, "period": context["period"]}])
    sheet["A1"].font = bold()
    p = context["participation"]
    sheet_table(sheet, ["", _("Number")], [[_("Teams"), p["teams"]],
                                           [_("Jurisdictions"), p["jurisdictions"]],
                                           [_("Team members"), p["members"]]], {2: "#,##0"})
    sheet_table(book.create_sheet(_("Completeness")), [
        _("Jurisdiction"), _("Joined"), _("Members"), _("Periods due"), _("Submitted"),
        _("On time"), _("Share submitted"), _("Share on time"), _("Team self-rating"),
        _("Coach rating")], [
        [r["jurisdiction"], r["joined_on"], r["members"], r["completeness"].due,
         r["completeness"].submitted, r["completeness"].on_time,
         r["completeness"].share_submitted, r["completeness"].share_on_time,
         r["team_score"][1] if r["team_score"] else None,
         r["coach_score"][1] if r["coach_score"] else None]
        for r in context["team_rows"]],
        {3: "#,##0", 4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "0.0%", 8: "0.0%", 9: "0.0",
         10: "0.0"})
    pooled_rows = []
    funnel_rows = []
    for s in context["sections"]:
        tc = s["pooled"]
        if tc and tc.chart:
            for row in tc.table:
                pooled_rows.append([s["measure"].code, row["period"].label, row["numerator"],
                                    row["denominator"], row["value"], row["cl"], row["lcl"],
                                    row["ucl"], s["contributors"].get(row["period"].label)])
        if s["funnel"]:
            for r in s["funnel"].teams:
                funnel_rows.append([s["measure"].code, s["funnel"].period.label, r["team"],
                                    r["value"], r["n"], s["funnel"].target,
                                    network_view.where_text(r["where"])])
    sheet_table(book.create_sheet(_("Pooled")), [
        _("Measure"), _("Period"), _("Numerator"), _("Denominator"), _("Value"),
        _("Centre line"), _("Lower limit"), _("Upper limit"), _("Teams")], pooled_rows,
        {3: "#,##0.##", 4: "#,##0.##", 5: "#,##0.00", 6: "#,##0.00", 7: "#,##0.00",
         8: "#,##0.00", 9: "#,##0"})
    sheet_table(book.create_sheet(_("Funnel")), [
        _("Measure"), _("Period"), _("Jurisdiction"), _("Value"), _("Denominator"),
        _("Network value"), _("Where")], funnel_rows, {4: "#,##0.00", 5: "#,##0",
                                                       6: "#,##0.00"})
    sheet_table(book.create_sheet(_("What works")), [
        _("Change idea"), _("Teams"), *context["verdicts"]],
        [[w["idea"], w["teams"], *[n for _label, n in w["counts"]]] for w in context["works"]],
        dict.fromkeys(range(2, 3 + len(context["verdicts"])), "#,##0"))
    sheet_table(book.create_sheet(pgettext("sheet", "Provisional")),
                [_("Values that were provisional when the report was made")],
                [[item] for item in context["provisional"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

