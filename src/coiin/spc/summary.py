"""Plain-language summaries of a chart, for pages and reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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


# What the summary says, as phrases: ``{"id": ..., "params": {...}}``, each value a number,
# a text or another phrase; ``ENGLISH`` words them here (``summarise``), and callers that
# speak other languages give their own words for the same ids (``summary_parts``). A
# template given as (singular, plural) is chosen by the phrase's "n".
Phrase = dict[str, Any]
ENGLISH: dict[str, str | tuple[str, str]] = {
    "rule:point": "point %(k)s",
    "rule:comma": "%(first)s, %(rest)s",
    "rule:list_and": "%(listed)s and %(last)s",
    "rule:list_more": "%(listed)s and %(n)s more",
    "rule:no_outside": "no points outside the limits",
    "rule:above": ("%(n)s point above the upper limit (%(listed)s%(judged)s)",
                   "%(n)s points above the upper limit (%(listed)s%(judged)s)"),
    "rule:below": ("%(n)s point below the lower limit (%(listed)s%(judged)s)",
                   "%(n)s points below the lower limit (%(listed)s%(judged)s)"),
    "rule:judged_improvement": "; improvement",
    "rule:judged_deterioration": "; deterioration",
    "rule:random": "random variation around the centre line (no long runs, enough crossings)",
    "rule:shift_up": "Upward shift%(judged)s: %(n)s points above the centre line from %(x)s"
                     "%(after)s",
    "rule:shift_down": "Downward shift%(judged)s: %(n)s points below the centre line from "
                       "%(x)s%(after)s",
    "rule:improvement": " (improvement)",
    "rule:deterioration": " (deterioration)",
    "rule:after_above": " (after %(n)s points above it from %(x)s)",
    "rule:after_below": " (after %(n)s points below it from %(x)s)",
    "rule:few_crossings": "too few crossings of the centre line (%(n)s; at least %(min)s "
                          "expected by chance)",
    "rule:ihi_few": "too few useful points for the IHI rules (%(n)s; at least 10 needed)",
    "rule:ihi_shift_above": "Shift: %(n)s points above the centre line from %(start)s to "
                            "%(end)s",
    "rule:ihi_shift_below": "Shift: %(n)s points below the centre line from %(start)s to "
                            "%(end)s",
    "rule:ihi_trend_up": "Trend: %(n)s points going up from %(start)s to %(end)s",
    "rule:ihi_trend_down": "Trend: %(n)s points going down from %(start)s to %(end)s",
    "rule:ihi_few_runs": "too few runs (%(runs)s; expected %(low)s to %(high)s)",
    "rule:ihi_many_runs": "too many runs (%(runs)s; expected %(low)s to %(high)s)",
    "rule:ihi_astronomical": ("astronomical point at %(listed)s",
                              "astronomical points at %(listed)s"),
    "rule:ihi_none": "no shift, trend or unusual number of runs",
    "rule:mdc_at": "%(kind)s at %(x)s (%(rules)s)",
    "rule:mdc_from_to": "%(kind)s from %(first)s to %(last)s (%(rules)s)",
    "rule:mdc_common": "common cause variation only",
    "rule:common_cause": "common cause",
    "rule:special_cause_improvement": "special cause improvement",
    "rule:special_cause_concern": "special cause concern",
    "rule:special_cause_neutral_high": "special cause neutral high",
    "rule:special_cause_neutral_low": "special cause neutral low",
    "rule:latest": "latest point: %(kind)s",
    "rule:consistent_pass": "target %(target)s will consistently be met (it is outside the "
                            "limits, on the good side)",
    "rule:consistent_fail": "target %(target)s will consistently be missed (it is outside the "
                            "limits, on the bad side)",
    "rule:inconsistent": "target %(target)s lies within the limits, so it will be met only "
                         "some of the time",
    "rule:none": "no signals",
    "rule:part": "Part %(part)s (from %(x)s)",
}


def phrase(id: str, **params: Any) -> Phrase:
    # Plain Python values (numpy's numbers as Python's): callers may keep phrases as JSON.
    return {"id": id, "params": {k: v.item() if hasattr(v, "item") else v
                                 for k, v in params.items()}}


def english(value: Any) -> str:
    """A phrase (or a literal value) in ``ENGLISH``."""
    if not isinstance(value, dict):
        return str(value)
    template = ENGLISH[value["id"]]
    params = {k: v if isinstance(v, int | float) else english(v)
              for k, v in value["params"].items()}
    if isinstance(template, tuple):
        template = template[0] if params.get("n") == 1 else template[1]
    return template % params if params else template


def _x(point: Point, chart: Chart, monthly: bool) -> Any:
    """``format_x`` as a phrase where it has words ("point k")."""
    if chart.x_kind == "index" and not isinstance(point.x, dt.date):
        return phrase("rule:point", k=point.x)
    return format_x(point, chart, monthly)


def _commas(items: list[Any]) -> Any:
    """Items separated by commas, as a phrase (each item may be one)."""
    out = items[-1]
    for item in reversed(items[:-1]):
        out = phrase("rule:comma", first=item, rest=out)
    return out


def _join(items: list[Any]) -> Any:
    if len(items) <= 1:
        return items[0] if items else ""
    return phrase("rule:list_and", listed=_commas(items[:-1]), last=items[-1])


def _judged(side: int, direction: str | None, words: tuple[str, str]) -> Any:
    """A move up (+1) or down (-1) judged for the direction (``words``: the phrases for an
    improvement and a deterioration), or "" without one."""
    if direction not in ("increase", "decrease"):
        return ""
    good = side > 0 if direction == "increase" else side < 0
    return phrase(words[0] if good else words[1])


def _limits_clauses(chart: Chart, pts: list[Point], monthly: bool) -> list[Phrase] | None:
    if all(p.ucl is None and p.lcl is None for p in pts):
        return None
    above = [p for p in pts if p.sigma_signal and p.ucl is not None and p.y is not None
             and p.y > p.ucl]
    below = [p for p in pts if p.sigma_signal and p not in above]
    if not above and not below:
        return [phrase("rule:no_outside")]
    parts = []
    for group, id, side in ((above, "rule:above", 1), (below, "rule:below", -1)):
        if group:
            shown = [_x(p, chart, monthly) for p in group[:5]]
            listed = (_join(shown) if len(group) <= 5 else phrase(
                "rule:list_more", listed=_commas(shown), n=len(group) - 5))
            parts.append(phrase(id, n=len(group), listed=listed, judged=_judged(
                side, chart.direction, ("rule:judged_improvement",
                                        "rule:judged_deterioration"))))
    return parts


def _runs_clauses(chart: Chart, part: int, monthly: bool) -> list[Phrase]:
    if chart.chart == "mr" or chart.funnel:
        return []  # no runs analysis for MR charts and funnel plots
    r = next((r for r in chart.runs if r.part == part), None)
    if r is None or r.n_useful == 0:
        return []
    if not r.runs_signal:
        return [phrase("rule:random")]
    clauses = []
    if r.long_runs:
        # Describe the most recent unusually long run: it tells where the process is now.
        # An earlier long run on the other side is the "before" of the same shift.
        side, first, _, length = r.long_runs[-1]
        after: Any = ""
        earlier = [lr for lr in r.long_runs[:-1] if lr[0] != side]
        if earlier:
            e_side, e_first, _, e_len = earlier[-1]
            after = phrase("rule:after_above" if e_side > 0 else "rule:after_below",
                           n=int(e_len), x=_x(chart.points[e_first - 1], chart, monthly))
        clauses.append(phrase(
            "rule:shift_up" if side > 0 else "rule:shift_down", n=int(length),
            x=_x(chart.points[first - 1], chart, monthly), after=after,
            judged=_judged(side, chart.direction, ("rule:improvement", "rule:deterioration"))))
    if r.n_crossings_min is not None and r.n_crossings < r.n_crossings_min:
        clauses.append(phrase("rule:few_crossings", n=int(r.n_crossings),
                              min=int(r.n_crossings_min)))
    return clauses


def _ihi_clauses(chart: Chart, res: IHIResult, monthly: bool) -> list[Phrase]:
    def at(k: int) -> Any:
        return _x(chart.points[k - 1], chart, monthly)

    if res.status != "ok":
        return [phrase("rule:ihi_few", n=int(res.n_useful))]
    out = []
    for s in res.shifts:
        out.append(phrase(f"rule:ihi_shift_{s.side}", n=len(s.points), start=at(s.span[0]),
                          end=at(s.span[1])))
    for t in res.trends:
        out.append(phrase(f"rule:ihi_trend_{t.direction}", n=len(t.points),
                          start=at(t.span[0]), end=at(t.span[1])))
    if res.runs_verdict in ("too few", "too many"):
        out.append(phrase("rule:ihi_few_runs" if res.runs_verdict == "too few"
                          else "rule:ihi_many_runs", runs=int(res.runs),
                          low=res.runs_lower, high=res.runs_upper))
    if res.astronomical:
        out.append(phrase("rule:ihi_astronomical", n=len(res.astronomical),
                          listed=_join([at(k) for k in res.astronomical])))
    return out or [phrase("rule:ihi_none")]


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
for _code, _text in MDC_PLAIN.items():
    ENGLISH[f"rule:mdc:{_code}"] = _text


def _kind(point_type: str) -> Any:
    """A point type (``mdc.point_type``) as a phrase, or its words if it has none."""
    id = f"rule:{point_type}"
    return phrase(id) if id in ENGLISH else point_type.replace("_", " ")


def _mdc_clauses(chart: Chart, pts: list[Point], monthly: bool) -> list[Phrase]:
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
        first, last = _x(group[0], chart, monthly), _x(group[-1], chart, monthly)
        rules = _join([phrase(f"rule:mdc:{code}") for code in dict.fromkeys(
            p.special_cause_type or "" for p in group)])
        kind = _kind(group[0].point_type or "")
        out.append(phrase("rule:mdc_at", kind=kind, x=first, rules=rules) if len(group) == 1
                   else phrase("rule:mdc_from_to", kind=kind, first=first, last=last,
                               rules=rules))
    return out or [phrase("rule:mdc_common")]


def summary_parts(chart: Chart) -> list[dict[str, Any]]:
    """What ``summarise`` says, as phrases: one sentence per part, then (MDC rules) the
    latest point and the target. Each sentence is ``{"head": phrase | None, "clauses":
    [phrase, ...], "whole": bool}``: its clauses are joined by "; " and capitalised (the
    whole sentence, lower case after its first letter, where ``whole``)."""
    monthly = _monthly(chart.points)
    nparts = max(p.part for p in chart.points)
    sentences: list[dict[str, Any]] = []
    for part in range(1, nparts + 1):
        pts = [p for p in chart.points if p.part == part]
        clauses: list[Phrase]
        if chart.rules == "mdc":
            clauses = _mdc_clauses(chart, pts, monthly)
        elif chart.rules == "ihi" and chart.ihi is not None:
            res = chart.ihi[part - 1]
            clauses = _ihi_clauses(chart, res, monthly)
            lim = _limits_clauses(chart, pts, monthly)
            # Points outside the limits, unless the IHI rules named them astronomical.
            if lim and lim[0]["id"] != "rule:no_outside" and not (
                    res.status == "ok" and res.astronomical):
                clauses += lim
        else:
            clauses = _runs_clauses(chart, part, monthly)
            clauses += _limits_clauses(chart, pts, monthly) or []
        head = (phrase("rule:part", part=part, x=_x(pts[0], chart, monthly))
                if nparts > 1 else None)
        sentences.append({"head": head, "clauses": clauses or [phrase("rule:none")],
                          "whole": False})
    if chart.rules == "mdc":
        tail = []
        if chart.variation:
            tail.append(phrase("rule:latest", kind=_kind(chart.variation)))
        if chart.assurance:
            tail.append(phrase(f"rule:{chart.assurance}", target=f"{chart.target:g}"))
        if tail:
            sentences.append({"head": None, "clauses": tail, "whole": True})
    return sentences


def compose(sentences: list[dict[str, Any]], word: Callable[[Any], str]) -> str:
    """``summary_parts`` as one text, each phrase worded by ``word``."""
    out = []
    for s in sentences:
        text = "; ".join(word(c) for c in s["clauses"])
        text = text.capitalize() if s["whole"] else text[:1].upper() + text[1:]
        if s["head"] is not None:
            text = f"{word(s['head'])}: {text}"
        out.append(text)
    return ". ".join(out)


def summarise(chart: Chart) -> str:
    """One or two sentences per part describing the signals on the chart."""
    return compose(summary_parts(chart), english)
