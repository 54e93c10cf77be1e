"""Reports people can hand on: a team's report as HTML, PDF and XLSX, from stored inputs.

A report is made in two steps. ``team_inputs`` reads everything the report shows from the
database into plain JSON (values as of now, with their status, the chart settings, goals,
changes adopted, PDSA cycles, the coach's latest assessment, and the measure definitions
used). ``team_context`` builds the report from those inputs alone, so a snapshot that
keeps its inputs can be made again later with the same figures, whatever happened to the
data since.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from coiin.charts.building import Observation, build, signal_direction
from coiin.charts.events import EventDay
from coiin.charts.models import ChartExclusion, ChartPhase, ChartSettings
from coiin.charts.vega import Marker
from coiin.measures import services as reporting
from coiin.measures.models import DataValue, Goal, Measure, RareEvent, Submission
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Team

from .common import FONTS, fewer_collections, font_faces
from .drawing import svg as chart_svg

MEASURE_FIELDS = ("code", "name", "type", "multiplier", "unit", "direction", "frequency",
                  "national_target", "stratification", "data_source", "records_events")


def _num(v: Decimal | None) -> str | None:
    return None if v is None else f"{v.normalize():f}"


def _date(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def team_inputs(team: Team, period: Period) -> dict[str, Any]:
    """Everything a team report shows, up to the end of ``period``, as plain JSON."""
    measures = reporting.team_measures(team)
    end = period.end
    values = (DataValue.objects.filter(submission__team=team, measure__in=measures,
                                       stratum__isnull=True,
                                       submission__status__in=Submission.SHOWN_STATUSES,
                                       submission__period_start__lte=end)
              .values_list("measure__code", "submission__period_start", "numerator",
                           "denominator", "value", "submission__is_final", "submission__status")
              .order_by("measure__code", "submission__period_start"))
    ids = [m.pk for m in measures]
    settings = {s.measure_id: s for s in ChartSettings.objects.filter(team=team,
                                                                      measure_id__in=ids)}
    goals = {g.measure_id: g for g in Goal.objects.filter(team=team, measure_id__in=ids)}
    phases = ChartPhase.objects.filter(team=team, measure_id__in=ids)
    exclusions = ChartExclusion.objects.filter(team=team, measure_id__in=ids)
    from coiin.improvement.models import Adoption, PDSACycle

    adoptions = (Adoption.objects.filter(team=team).select_related("change_idea")
                 .order_by("adopted_on", "change_idea__title"))
    cycles = (PDSACycle.objects.filter(team=team, starts__lte=end)
              .select_related("change_idea").prefetch_related("measures")
              .order_by("starts", "number"))
    assessed = (Submission.objects.filter(team=team, period_start__lte=end)
                .exclude(assessment="").select_related("reviewed_by")
                .order_by("-period_start").first())
    by_code = {m.pk: m.code for m in measures}
    return {
        "kind": "team", "team_id": team.pk, "team": str(team),
        "jurisdiction": team.jurisdiction.name, "network": team.learning_network.name,
        "period": period.label, "read_at": timezone.now().isoformat(),
        "measures": [{f: (_num(getattr(m, f)) if f == "national_target" else getattr(m, f))
                      for f in MEASURE_FIELDS} for m in measures],
        "values": [[code, _date(start), _num(num), _num(den), _num(val), final, status]
                   for code, start, num, den, val, final, status in values],
        "settings": {by_code[k]: {"rules": s.rules, "baseline_end": _date(s.baseline_end),
                                  "chart_type": s.chart_type}
                     for k, s in settings.items()},
        # Event logs (measures that record events): [code, date, births since previous].
        "events": [[by_code[m], _date(on), births] for m, on, births in RareEvent.objects.filter(
            team=team, measure_id__in=ids, on__lte=end).order_by("on", "pk").values_list(
            "measure_id", "on", "births_since_previous")],
        # [code, first day, reason, language of the reason (older snapshots: none, English)]
        "phases": [[by_code[p.measure_id], _date(p.starts), p.reason, p.language]
                   for p in phases],
        "exclusions": [[by_code[e.measure_id], _date(e.period_start), e.reason]
                       for e in exclusions],
        "goals": {by_code[k]: {"kind": g.kind, "value": _num(g.value)}
                  for k, g in goals.items()},
        "adoptions": [{"idea": a.change_idea.title, "status": a.get_status_display(),
                       "adopted_on": _date(a.adopted_on)} for a in adoptions],
        "cycles": [{"number": c.number, "title": c.title, "language": c.language,
                    "idea": c.change_idea.title,
                    "starts": _date(c.starts), "decision": c.get_decision_display(),
                    "measures": sorted(m.code for m in c.measures.all())} for c in cycles],
        "assessment": None if assessed is None else {
            "text": assessed.assessment, "language": assessed.assessment_language,
            "period": assessed.period.label,
            "by": assessed.reviewed_by.display_name if assessed.reviewed_by else ""},
    }


def _f(text: str | None) -> float | None:
    return None if text is None else float(text)


def team_context(inputs: dict[str, Any]) -> dict[str, Any]:
    """The report, built from stored inputs only (no reads of reported data)."""
    team = Team.objects.select_related("jurisdiction", "learning_network").get(
        pk=inputs["team_id"])
    sections = []
    provisional = []
    for spec in inputs["measures"]:
        fields = dict(spec)
        if fields["national_target"] is not None:
            fields["national_target"] = Decimal(fields["national_target"])
        measure = Measure(**fields)
        freq = Frequency(measure.frequency)
        obs = []
        for code, day, births in inputs.get("events", []):
            if code == measure.code:  # an event log: one point per event
                obs.append(Observation(EventDay(dt.date.fromisoformat(day), freq),
                                       None if births is None else float(births), None,
                                       None, True))
        for code, start, num, den, val, final, _status in inputs["values"]:
            if code != measure.code:
                continue
            period = Period(dt.date.fromisoformat(start), freq)
            obs.append(Observation(period, _f(num), _f(den), _f(val), final))
            if not final:
                provisional.append(f"{measure.code} {period.label}")
        s = inputs["settings"].get(measure.code)
        # The team's chart type as chosen (older snapshots kept none: chosen from the data).
        settings = ChartSettings(rules=s["rules"], chart_type=s.get("chart_type", ""),
                                 baseline_end=dt.date.fromisoformat(s["baseline_end"])
                                 if s["baseline_end"] else None) if s else None
        phases = [ChartPhase(starts=dt.date.fromisoformat(p[1]), reason=p[2],
                             language=p[3] if len(p) > 3 else "en")
                  for p in inputs["phases"] if p[0] == measure.code]
        exclusions = [ChartExclusion(period_start=dt.date.fromisoformat(d), reason=r)
                      for c, d, r in inputs["exclusions"] if c == measure.code]
        g = inputs["goals"].get(measure.code)
        goal = Goal(measure=measure, kind=g["kind"], value=Decimal(g["value"])) if g else None
        cycles = [Marker(dt.date.fromisoformat(c["starts"]), f"PDSA {c['number']}: {c['title']}",
                         "pdsa", language=c.get("language", "en"))
                  for c in inputs["cycles"] if measure.code in c["measures"]]
        tc = build(team, measure, obs, settings, phases, exclusions, [], goal, markers=cycles)
        svg = ""
        if tc.spec:
            svg = chart_svg(tc.spec, 620, 210)
        sections.append({"measure": measure, "chart": tc, "svg": svg,
                         "signal": signal_direction(tc), "goal": goal})
    return {"inputs": inputs, "team": team, "sections": sections,
            "provisional": provisional, "period": inputs["period"],
            "read_at": dt.datetime.fromisoformat(inputs["read_at"]),
            "font_faces": font_faces()}


def figures(context: dict[str, Any]) -> list[tuple[str, str, float | None, float | None]]:
    """The numbers a report shows: (measure, period, value, centre line) per point."""
    out = []
    for s in context["sections"]:
        chart = s["chart"].chart
        if chart is None:
            continue
        for obs, p in zip(s["chart"].observations, chart.points, strict=True):
            out.append((s["measure"].code, obs.period.label,
                        None if p.y is None else round(p.y, 9),
                        None if p.cl is None else round(p.cl, 9)))
    return out


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/documents/team.html", context)


def render_pdf(context: dict[str, Any]) -> bytes:

    return pdf_of(context)


def render_xlsx(context: dict[str, Any]) -> bytes:
    """One sheet for the summary, one per measure; real numbers with number formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = gettext("Summary")
    summary.append([gettext("%(team)s: report for %(period)s") % {
        "team": context["inputs"]["team"], "period": context["period"]}])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([])
    summary.append([gettext("Measure"), gettext("Code"), gettext("Latest period"),
                    gettext("Latest value"), gettext("Centre line"), gettext("Signal"),
                    gettext("Summary")])
    for cell in summary[3]:
        cell.font = Font(bold=True)
    for s in context["sections"]:
        tc = s["chart"]
        last = tc.chart.points[-1] if tc.chart else None
        summary.append([s["measure"].name, s["measure"].code,
                        tc.observations[-1].period.label if tc.chart else None,
                        last.y if last else None, last.cl if last else None,
                        signal_word(s["signal"]), tc.summary])
        if last:
            summary.cell(summary.max_row, 4).number_format = "0.00"
            summary.cell(summary.max_row, 5).number_format = "0.00"
    for s in context["sections"]:
        tc = s["chart"]
        if not tc.chart:
            continue
        sheet = book.create_sheet(s["measure"].code[:31])
        sheet.append([gettext("Period"), gettext("Numerator"), gettext("Denominator"),
                      gettext("Value"), gettext("Centre line"), gettext("Lower limit"),
                      gettext("Upper limit"), gettext("Outside limits"), gettext("Final")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tc.table:
            sheet.append([row["period"].label, row["numerator"], row["denominator"],
                          row["value"], row["cl"], row["lcl"], row["ucl"], row["signal"],
                          row["final"]])
            for col in range(2, 8):
                sheet.cell(sheet.max_row, col).number_format = "#,##0.00"
    if context["provisional"]:
        sheet = book.create_sheet(pgettext("sheet", "Provisional"))
        sheet.append([gettext("Values that were provisional when the report was made")])
        for item in context["provisional"]:
            sheet.append([item])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def signal_word(signal: str | None) -> str:
    """``signal_direction``'s answer in the reader's language ("" for none)."""
    words = {"improving": gettext("improving"),
             "deteriorating": gettext("deteriorating"),
             "common": gettext("common cause only")}
    return words.get(signal or "", signal or "")


def _kind_module(context: dict[str, Any]) -> Any:
    kind = context["inputs"].get("kind", "team")
    if kind == "network":
        from . import network as module
    elif kind == "national":
        from . import national as module
    else:
        return None
    return module


def html_of(context: dict[str, Any]) -> str:
    """The HTML of a report of any kind."""
    module = _kind_module(context)
    return module.render_html(context) if module else render_html(context)


def pdf_of(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    with fewer_collections():
        # base_url: the shipped fonts are referenced by file:// URL.
        return HTML(string=svgs_as_images(html_of(context)), base_url=str(FONTS)).write_pdf()


_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def svgs_as_images(html: str) -> str:
    """Each inline SVG chart as an ``<img>`` of the same SVG, for the PDF. WeasyPrint draws
    it identically, but no longer parses its nodes as HTML and styles each with the page's
    CSS, which took half the time of a PDF with charts. The HTML format keeps them inline."""
    def image(match: re.Match[str]) -> str:
        data = base64.b64encode(match.group(0).encode()).decode()
        return f'<img alt="" src="data:image/svg+xml;base64,{data}">'

    return _INLINE_SVG.sub(image, html)


def xlsx_of(context: dict[str, Any]) -> bytes:
    module = _kind_module(context)
    return module.render_xlsx(context) if module else render_xlsx(context)


def context_of(inputs: dict[str, Any]) -> dict[str, Any]:
    """The report of any kind, built from its stored inputs."""
    kind = inputs.get("kind", "team")
    if kind == "network":
        from .network import network_context

        return network_context(inputs)
    if kind == "national":
        from .national import national_context

        return national_context(inputs)
    return team_context(inputs)


RENDERERS = {"html": lambda c: html_of(c).encode(), "pdf": pdf_of, "xlsx": xlsx_of}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8", "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(context: dict[str, Any], fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"format must be one of {', '.join(RENDERERS)}, not {fmt!r}")
    return RENDERERS[fmt](context)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
