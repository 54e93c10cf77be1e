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
from typing import Any

from django.utils.translation import gettext

from coiin.spc import Chart
from coiin.spc.chart import Point
from coiin.spc.summary import summary_parts

from .said import Said, Summary, said, summary_text, word


@dataclass(frozen=True)
class PartText:
    """The plain sentences of one phase of a chart (``said``: what they say, worded in the
    reader's language by ``sentences``)."""

    part: int
    first_label: str
    said: list[Said]
    split_at: int | None = None  # 0-based index of the point where a split is suggested

    @property
    def sentences(self) -> list[str]:
        return [word(s) for s in self.said]


def _verdict(side: int, direction: str | None) -> Said | None:
    if direction not in ("increase", "decrease"):
        return None
    good = side > 0 if direction == "increase" else side < 0
    return said("better") if good else said("worse")


def _listed(labels: list[str]) -> Any:
    shown = labels[:4]
    if len(shown) == 1:
        return shown[0]
    if len(labels) > 4:
        return said("listed_more", listed=", ".join(shown), n=len(labels) - 4)
    return said("listed_last", listed=", ".join(shown[:-1]), last=shown[-1])


def _with_verdict(sentence: Said, verdict: Said | None) -> Said:
    return said("with_verdict", sentence=sentence, verdict=verdict) if verdict else sentence


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
        sentences: list[Said] = []
        shift_from: int | None = None  # 0-based index of the latest shift's first point
        shift_side = 0
        mixed = False  # the level changed without one long run: no better or worse
        if runs is not None and runs.long_runs:
            side, first, last, length = runs.long_runs[-1]
            earlier_other = sum(1 for i in idx if i < first - 1 and _side(chart.points[i]) == -side)
            if earlier_other >= 3 or last >= idx[-1] + 1:
                # A run the phase ends in (or reaches after other points): the new level.
                shift_from, shift_side = first - 1, side
                sentences.append(_with_verdict(said(
                    "shift_up_from" if side > 0 else "shift_down_from", n=length,
                    label=labels[first - 1]), _verdict(side, direction)))
            else:
                # The phase starts with the run: it is the level the points later left.
                shift_from, shift_side = last, -side
                sentences.append(_with_verdict(said(
                    "run_above_until" if side > 0 else "run_below_until", n=length,
                    label=labels[last - 1]), _verdict(-side, direction)))
        elif (runs is not None and runs.n_crossings_min is not None
              and runs.n_crossings < runs.n_crossings_min):
            sentences.append(said("few_crossings"))
            mixed = True
        before: list[int] = []
        if shift_from is not None:
            # The points before the shift on its other side: where the team started from.
            before = [i for i in idx if i < shift_from and _side(chart.points[i]) == -shift_side]
        outside = [i for i in idx if chart.points[i].sigma_signal and chart.points[i].include]
        earlier = [i for i in outside if i in before]
        if shift_from is not None and (earlier or len(before) >= 3):
            sentences.append(said("outside_before_shift", n=len(earlier),
                                  label=labels[shift_from]) if earlier else
                             said("level_before_shift", label=labels[shift_from]))
        for side in (1, -1):
            group = [i for i in outside if i not in earlier and _side(chart.points[i]) == side]
            if group:
                sentence = said("above_upper" if side > 0 else "below_lower", n=len(group),
                                labels=_listed([labels[i] for i in group]))
                sentences.append(_with_verdict(sentence, None if mixed
                                               else _verdict(side, direction)))
        if not sentences:
            sentences.append(said("random_limits") if has_limits else said("random"))
        split = shift_from if shift_from is not None and (earlier or len(before) >= 3) \
            else None
        out.append(PartText(part, labels[idx[0]], sentences, split))
    return out


def plain_said(chart: Chart, labels: Sequence[str],
               phase_reasons: Sequence[Any] = ()) -> Summary:
    """What the plain sentences of a chart say (a ``said.Summary``); each phase after the
    first named with its reason when given (``phase_reasons``: one per split, in order,
    each a text or ``said.written``).
    A chart no plain sentences describe says the engine's summary (its phrases)."""
    from .signals_ihi import describe_ihi

    parts = describe(chart, labels) or describe_ihi(chart, labels)
    if not parts:
        return {"rules": summary_parts(chart)}
    out = []
    for k, pt in enumerate(parts):
        head = None
        if len(parts) > 1:
            if k == 0:
                head = said("before", label=parts[1].first_label)
            else:
                reason = phase_reasons[k - 1] if k - 1 < len(phase_reasons) else ""
                head = (said("from_reason", label=pt.first_label, reason=reason) if reason
                        else said("from", label=pt.first_label))
        out.append({"head": head, "sentences": pt.said})
    return {"parts": out}


def plain_summary(chart: Chart, labels: Sequence[str],
                  phase_reasons: Sequence[Any] = ()) -> str:
    """The plain sentences of a chart as one text, in the reader's language."""
    return summary_text(plain_said(chart, labels, phase_reasons))


def suggested_split(chart: Chart) -> int | None:
    """The 0-based index of the point where a new phase would separate a shift from the
    level before it, or None."""
    for pt in describe(chart, [""] * len(chart.points)):
        if pt.split_at is not None:
            return pt.split_at
    return None


def no_data() -> str:
    """What a chart with nothing reported says, in the reader's language."""
    return word(said("no_data"))


def cannot_draw_said(reason: object, yet: bool = False) -> Said:
    """Why a chart is not drawn: ``reason`` is the engine's error (worded by its code in
    the reader's language, see ``spc_words``) or a text."""
    from .spc_words import error_said

    return said("cannot_draw_yet" if yet else "cannot_draw", reason=error_said(reason))


def survey_note(data_source: str) -> str:
    """Why a survey measure's chart has no control limits, in the reader's language."""
    return gettext("%(source)s figures are weighted survey estimates: control limits "
                   "computed from the respondents counted would be wrong in kind, so this is "
                   "a run chart (its median and runs only). Each estimate's bar is its 95 %% "
                   "confidence interval.") % {"source": data_source.split(" (")[0]}


def cannot_draw(reason: object, yet: bool = False) -> str:
    """Why a chart is not drawn, in the reader's language."""
    return word(cannot_draw_said(reason, yet))
