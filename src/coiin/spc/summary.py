"""Plain-language summaries of a chart, for pages and reports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import mdc

if TYPE_CHECKING:
    from .chart import Chart, Point
    from .rules_ihi import IHIResult

CHART_NAMES = {
    "run": "run chart",
    "i": "I chart",
    "mr": "MR chart",
    "xbar": "Xbar chart",
    "s": "S chart",
    "t": "T chart",
    "p": "P chart",
    "pp": "P' chart",
    "c": "C chart",
    "u": "U chart",
    "up": "U' chart",
    "g": "G chart",
}


def _monthly(points: list[Point]) -> bool:
    return all(isinstance(p.x, dt.date) and p.x.day == 1 for p in points)


def format_x(point: Point, chart: Chart, monthly: bool | None = None) -> str:
    """Readable x: YYYY-MM for monthly dates, ISO dates otherwise, 'point k' for row numbers."""
    if monthly is None:
        monthly = _monthly(chart.points)
    x = point.x
    if isinstance(x, dt.datetime):
        return x.isoformat(sep=" ", timespec="minutes")
    if isinstance(x, dt.date):
        return x.strftime("%Y-%m") if monthly else x.isoformat()
    if chart.x_kind == "index":
        return f"point {x}"
    return str(x)


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _judgement(side: int, direction: str | None) -> str:
    """'(improvement)' / '(deterioration)' for a move up (+1) or down (-1), given the direction."""
    if direction not in ("increase", "decrease"):
        return ""
    good = side > 0 if direction == "increase" else side < 0
    return " (improvement)" if good else " (deterioration)"


def _limits_clause(chart: Chart, pts: list[Point], monthly: bool) -> str | None:
    if all(p.ucl is None and p.lcl is None for p in pts):
        return None
    above = [p for p in pts if p.sigma_signal and p.ucl is not None and p.y is not None
             and p.y > p.ucl]
    below = [p for p in pts if p.sigma_signal and p not in above]
    if not above and not below:
        return "no points outside the limits"
    parts = []
    for group, where, side in ((above, "above the upper limit", 1),
                               (below, "below the lower limit", -1)):
        if group:
            shown = [format_x(p, chart, monthly) for p in group[:5]]
            more = f" and {len(group) - 5} more" if len(group) > 5 else ""
            listed = _join(shown) if not more else ", ".join(shown) + more
            judged = _judgement(side, chart.direction).strip(" ()")
            parts.append(
                f"{_plural(len(group), 'point')} {where} ({listed}"
                f"{'; ' + judged if judged else ''})"
            )
    return "; ".join(parts)


def _runs_clause(chart: Chart, part: int, monthly: bool) -> str | None:
    if chart.chart == "mr" or chart.funnel:
        return None  # no runs analysis for MR charts and funnel plots
    r = next((r for r in chart.runs if r.part == part), None)
    if r is None or r.n_useful == 0:
        return None
    if not r.runs_signal:
        return "random variation around the centre line (no long runs, enough crossings)"
    clauses = []
    if r.long_runs:
        # Describe the most recent unusually long run: it tells where the process is now.
        # An earlier long run on the other side is the "before" of the same shift.
        side, first, _, length = r.long_runs[-1]
        start = chart.points[first - 1]
        text = (
            f"{'Upward' if side > 0 else 'Downward'} shift{_judgement(side, chart.direction)}: "
            f"{length} points {'above' if side > 0 else 'below'} the centre line from "
            f"{format_x(start, chart, monthly)}"
        )
        earlier = [lr for lr in r.long_runs[:-1] if lr[0] != side]
        if earlier:
            e_side, e_first, _, e_len = earlier[-1]
            text += (
                f" (after {e_len} points {'above' if e_side > 0 else 'below'} it from "
                f"{format_x(chart.points[e_first - 1], chart, monthly)})"
            )
        clauses.append(text)
    if r.n_crossings_min is not None and r.n_crossings < r.n_crossings_min:
        clauses.append(
            f"too few crossings of the centre line ({r.n_crossings}; at least "
            f"{r.n_crossings_min} expected by chance)"
        )
    return "; ".join(clauses)


def _ihi_clause(chart: Chart, res: IHIResult, monthly: bool) -> str:
    def at(k: int) -> str:
        return format_x(chart.points[k - 1], chart, monthly)

    if res.status != "ok":
        return (f"too few useful points for the IHI rules ({res.n_useful}; "
                "at least 10 needed)")
    out = []
    for s in res.shifts:
        out.append(
            f"Shift: {len(s.points)} points {s.side} the centre line from {at(s.span[0])} "
            f"to {at(s.span[1])}"
        )
    for t in res.trends:
        out.append(
            f"Trend: {len(t.points)} points going {t.direction} from {at(t.span[0])} "
            f"to {at(t.span[1])}"
        )
    if res.runs_verdict in ("too few", "too many"):
        out.append(
            f"{res.runs_verdict} runs ({res.runs}; expected {res.runs_lower} to "
            f"{res.runs_upper})"
        )
    if res.astronomical:
        out.append(f"astronomical point{'s' if len(res.astronomical) > 1 else ''} at "
                   f"{_join([at(k) for k in res.astronomical])}")
    return "; ".join(out) if out else "no shift, trend or unusual number of runs"


MDC_PLAIN = {
    mdc.ABOVE_UCL: "point above the upper limit",
    mdc.BELOW_LCL: "point below the lower limit",
    mdc.TREND_UP: "increasing trend of 7 or more",
    mdc.TREND_DOWN: "decreasing trend of 7 or more",
    mdc.TWO_IN_THREE_ABOVE: "2 of 3 points near the upper limit",
    mdc.TWO_IN_THREE_BELOW: "2 of 3 points near the lower limit",
    mdc.SHIFT_ABOVE: "7 or more points above the mean",
    mdc.SHIFT_BELOW: "7 or more points below the mean",
}


def _mdc_clause(chart: Chart, pts: list[Point], monthly: bool) -> str:
    # Consecutive special-cause points of the same kind (improvement, concern...) form one
    # episode; naming every rule label point by point would be unreadable.
    blocks: list[list[Point]] = []
    prev: Point | None = None
    for p in pts:
        if p.special_cause_flag:
            if prev is not None and prev.point_type == p.point_type:
                blocks[-1].append(p)
            else:
                blocks.append([p])
            prev = p
        else:
            prev = None
    out = []
    for group in blocks:
        first, last = format_x(group[0], chart, monthly), format_x(group[-1], chart, monthly)
        when = f"at {first}" if len(group) == 1 else f"from {first} to {last}"
        kind = (group[0].point_type or "").replace("_", " ")
        rules = list(dict.fromkeys(MDC_PLAIN[p.special_cause_type or ""] for p in group))
        out.append(f"{kind} {when} ({_join(rules)})")
    return "; ".join(out) if out else "common cause variation only"


ASSURANCE_PLAIN = {
    "consistent_pass": "will consistently be met (it is outside the limits, on the good side)",
    "consistent_fail": "will consistently be missed (it is outside the limits, on the bad side)",
    "inconsistent": "lies within the limits, so it will be met only some of the time",
}


def summarise(chart: Chart) -> str:
    """One or two sentences per part describing the signals on the chart."""
    monthly = _monthly(chart.points)
    nparts = max(p.part for p in chart.points)
    sentences = []
    for part in range(1, nparts + 1):
        pts = [p for p in chart.points if p.part == part]
        if chart.rules == "mdc":
            clauses = [_mdc_clause(chart, pts, monthly)]
        elif chart.rules == "ihi" and chart.ihi is not None:
            clauses = [_ihi_clause(chart, chart.ihi[part - 1], monthly)]
            lim = _limits_clause(chart, pts, monthly)
            if lim and lim != "no points outside the limits":
                clauses = [clauses[0]] if "astronomical" in clauses[0] else clauses + [lim]
        else:
            clauses = [c for c in (_runs_clause(chart, part, monthly),
                                   _limits_clause(chart, pts, monthly)) if c]
        text = "; ".join(clauses) if clauses else "no signals"
        text = text[0].upper() + text[1:]
        if nparts > 1:
            text = f"Part {part} (from {format_x(pts[0], chart, monthly)}): {text}"
        sentences.append(text)
    if chart.rules == "mdc":
        tail = []
        if chart.variation:
            tail.append(f"latest point: {chart.variation.replace('_', ' ')}")
        if chart.assurance:
            tail.append(f"target {chart.target:g} {ASSURANCE_PLAIN[chart.assurance]}")
        if tail:
            sentences.append("; ".join(tail).capitalize())
    return ". ".join(sentences)
