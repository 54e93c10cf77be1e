"""What a chart judged by the IHI run-chart rules shows, in plain words and in the reader's
language: the shifts, trends, runs and astronomical points the engine found
(``spc.rules_ihi``), one sentence each, as ``signals.describe`` does for Anhøj's rules, kept
as message ids (``said``). The engine's own summary stays the rule detail (worded in the
reader's language by ``spc_words.rule_detail``)."""

from __future__ import annotations

from collections.abc import Sequence

from coiin.spc import Chart

from .said import Said, said
from .signals import PartText, _listed


def describe_ihi(chart: Chart, labels: Sequence[str]) -> list[PartText]:
    """The plain sentences of each part of a chart judged by the IHI rules (``[]`` for
    another rule set); ``labels`` name its points, one per point."""
    if chart.rules != "ihi" or not chart.ihi or not chart.points:
        return []

    def at(point: int) -> str:  # the engine counts points from 1
        return labels[point - 1]

    out = []
    for res in chart.ihi:
        idx = [i for i, p in enumerate(chart.points) if p.part == res.part]
        if not idx:
            continue
        sentences: list[Said] = []
        if res.status != "ok":
            sentences.append(said("ihi_too_few_points", n=res.n_useful))
        for s in res.shifts:
            sentences.append(said("ihi_shift_above" if s.side == "above" else
                                  "ihi_shift_below", n=len(s.points), start=at(s.span[0]),
                                  end=at(s.span[1])))
        for t in res.trends:
            sentences.append(said("ihi_trend_up" if t.direction == "up" else
                                  "ihi_trend_down", n=len(t.points), start=at(t.span[0]),
                                  end=at(t.span[1])))
        if res.runs_verdict in ("too few", "too many"):
            sentences.append(said("ihi_too_few_runs" if res.runs_verdict == "too few" else
                                  "ihi_too_many_runs", runs=res.runs, low=res.runs_lower,
                                  high=res.runs_upper))
        if res.astronomical:
            sentences.append(said("ihi_astronomical", n=len(res.astronomical),
                                  labels=_listed([at(k) for k in res.astronomical])))
        if not sentences:
            sentences.append(said("ihi_nothing"))
        out.append(PartText(res.part, labels[idx[0]], sentences))
    return out

