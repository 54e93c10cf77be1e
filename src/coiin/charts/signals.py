"""What a chart shows, in plain words first: one sentence per signal, as a coach would say it
("8 points in a row above the centre line: a shift"). The rule detail (the runs statistics,
what chance allows) stays in the engine's summary (``Chart.summary``), shown on demand.

Each phase (part) of the chart is described against its own centre line and limits only.
Where a part holds a sustained shift, the points before the shift on the other side of the
centre line are the level the team started from: they are never called a deterioration (or
an improvement) — the chart mixes two levels, and splitting a phase where the shift starts
judges each on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coiin.spc import Chart
from coiin.spc.chart import Point


@dataclass(frozen=True)
class PartText:
    """The plain sentences of one phase of a chart."""

    part: int
    first_label: str
    sentences: list[str]
    split_at: int | None = None  # 0-based index of the point where a split is suggested


def _verdict(side: int, direction: str | None) -> str:
    if direction not in ("increase", "decrease"):
        return ""
    good = side > 0 if direction == "increase" else side < 0
    return _("better") if good else _("worse")


def _listed(labels: list[str]) -> str:
    shown = labels[:4]
    if len(shown) == 1:
        return shown[0]
    if len(labels) > 4:
        return _("%(listed)s and %(n)s more") % {"listed": ", ".join(shown),
                                                 "n": len(labels) - 4}
    return _("%(listed)s and %(last)s") % {"listed": ", ".join(shown[:-1]), "last": shown[-1]}


def _with_verdict(sentence: str, verdict: str) -> str:
    return f"{sentence} ({verdict})" if verdict else sentence


def _side(p: Point) -> int:
    if p.y is None or p.cl is None or p.y == p.cl:
        return 0
    return 1 if p.y > p.cl else -1


def describe(chart: Chart, labels: Sequence[str]) -> list[PartText]:
    """The plain sentences of each part of ``chart``; ``labels`` name its points (period
    labels, one per point)."""
    if chart.rules != "anhoej" or chart.funnel or not chart.points:
        return []
    direction = chart.direction
    has_limits = any(p.lcl is not None or p.ucl is not None for p in chart.points)
    out = []
    for part in sorted({p.part for p in chart.points}):
        idx = [i for i, p in enumerate(chart.points) if p.part == part]
        runs = next((r for r in chart.runs if r.part == part), None)
        sentences: list[str] = []
        shift_from: int | None = None  # 0-based index of the latest shift's first point
        shift_side = 0
        mixed = False  # the level changed without one long run: no better or worse
        if runs is not None and runs.long_runs:
            side, first, last, length = runs.long_runs[-1]
            earlier_other = sum(1 for i in idx if i < first - 1 and _side(chart.points[i]) == -side)
            if earlier_other >= 3 or last >= idx[-1] + 1:
                # A run the phase ends in (or reaches after other points): the new level.
                shift_from, shift_side = first - 1, side
                values = {"n": length, "label": labels[first - 1]}
                sentences.append(_with_verdict((
                    _("%(n)s points in a row above the centre line from %(label)s: a shift up")
                    if side > 0 else
                    _("%(n)s points in a row below the centre line from %(label)s: a shift down")
                ) % values, _verdict(side, direction)))
            else:
                # The phase starts with the run: it is the level the points later left.
                shift_from, shift_side = last, -side
                values = {"n": length, "label": labels[last - 1]}
                sentences.append(_with_verdict((
                    _("%(n)s points in a row above the centre line up to %(label)s, lower "
                      "after: a shift down")
                    if side > 0 else
                    _("%(n)s points in a row below the centre line up to %(label)s, higher "
                      "after: a shift up")
                ) % values, _verdict(-side, direction)))
        elif (runs is not None and runs.n_crossings_min is not None
              and runs.n_crossings < runs.n_crossings_min):
            sentences.append(_(
                "The points stay on one side of the centre line for long stretches: the level "
                "has probably changed, so the centre line mixes two levels"))
            mixed = True
        before: list[int] = []
        if shift_from is not None:
            # The points before the shift on its other side: where the team started from.
            before = [i for i in idx if i < shift_from and _side(chart.points[i]) == -shift_side]
        outside = [i for i in idx if chart.points[i].sigma_signal and chart.points[i].include]
        earlier = [i for i in outside if i in before]
        if shift_from is not None and (earlier or len(before) >= 3):
            values = {"n": len(earlier), "label": labels[shift_from]}
            sentences.append((ngettext(
                "%(n)s point outside the limits before %(label)s is the level before the "
                "shift, not a change of their own: the centre line mixes both levels; a new "
                "phase from %(label)s would judge each against its own line",
                "%(n)s points outside the limits before %(label)s are the level before the "
                "shift, not a change of their own: the centre line mixes both levels; a new "
                "phase from %(label)s would judge each against its own line", len(earlier))
                if earlier else _(
                "The earlier points before %(label)s are the level before the shift, not a "
                "change of their own: the centre line mixes both levels; a new phase from "
                "%(label)s would judge each against its own line")) % values)
        for side in (1, -1):
            group = [i for i in outside if i not in earlier and _side(chart.points[i]) == side]
            if group:
                values = {"n": len(group), "labels": _listed([labels[i] for i in group])}
                sentence = ngettext(
                    "%(n)s point above the upper limit (%(labels)s): unusual, worth a look",
                    "%(n)s points above the upper limit (%(labels)s): unusual, worth a look",
                    len(group)) if side > 0 else ngettext(
                    "%(n)s point below the lower limit (%(labels)s): unusual, worth a look",
                    "%(n)s points below the lower limit (%(labels)s): unusual, worth a look",
                    len(group))
                sentences.append(_with_verdict(sentence % values, "" if mixed
                                               else _verdict(side, direction)))
        if not sentences:
            sentences.append(_("Only random variation: no shift and no point outside the "
                               "limits") if has_limits else
                             _("Only random variation: no shift"))
        split = shift_from if shift_from is not None and (earlier or len(before) >= 3) \
            else None
        out.append(PartText(part, labels[idx[0]], sentences, split))
    return out


def plain_summary(chart: Chart, labels: Sequence[str],
                  phase_reasons: Sequence[str] = ()) -> str:
    """The plain sentences of a chart as one text; each phase after the first named with
    its reason when given (``phase_reasons``: one per split, in order)."""
    from .signals_ihi import describe_ihi

    parts = describe(chart, labels) or describe_ihi(chart, labels)
    if not parts:
        return chart.summary
    texts = []
    for k, pt in enumerate(parts):
        body = ". ".join(s[0].upper() + s[1:] for s in pt.sentences)
        if len(parts) > 1:
            if k == 0:
                head = _("Before %(label)s") % {"label": parts[1].first_label}
            else:
                reason = phase_reasons[k - 1] if k - 1 < len(phase_reasons) else ""
                head = (_("From %(label)s (%(reason)s)") if reason else _("From %(label)s")) % {
                    "label": pt.first_label, "reason": reason}
            body = f"{head}, {body[0].lower() + body[1:]}"
        texts.append(body)
    return ". ".join(texts) + "."


def suggested_split(chart: Chart) -> int | None:
    """The 0-based index of the point where a new phase would separate a shift from the
    level before it, or None."""
    for pt in describe(chart, [""] * len(chart.points)):
        if pt.split_at is not None:
            return pt.split_at
    return None


def no_data() -> str:
    """What a chart with nothing reported says, in the reader's language."""
    return _("No data reported yet.")


def cannot_draw(reason: object, yet: bool = False) -> str:
    """Why a chart is not drawn (``reason``: the engine's own words, in English)."""
    return (_("This chart cannot be drawn yet: %(reason)s.") if yet else
            _("This chart cannot be drawn: %(reason)s")) % {"reason": reason}
