"""What a chart judged by the IHI run-chart rules shows, in plain words and in the reader's
language: the shifts, trends, runs and astronomical points the engine found
(``spc.rules_ihi``), one sentence each, as ``signals.describe`` does for Anhøj's rules. The
engine's own summary (``Chart.summary``) stays the rule detail, in English."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coiin.spc import Chart

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
        sentences: list[str] = []
        if res.status != "ok":
            sentences.append(_("Too few useful points for the IHI rules (%(n)s; at least 10 "
                               "needed)") % {"n": res.n_useful})
        for s in res.shifts:
            values = {"n": len(s.points), "start": at(s.span[0]), "end": at(s.span[1])}
            sentences.append((
                _("Shift: %(n)s points above the centre line from %(start)s to %(end)s")
                if s.side == "above" else
                _("Shift: %(n)s points below the centre line from %(start)s to %(end)s"))
                % values)
        for t in res.trends:
            values = {"n": len(t.points), "start": at(t.span[0]), "end": at(t.span[1])}
            sentences.append((
                _("Trend: %(n)s points going up from %(start)s to %(end)s")
                if t.direction == "up" else
                _("Trend: %(n)s points going down from %(start)s to %(end)s")) % values)
        if res.runs_verdict in ("too few", "too many"):
            values = {"runs": res.runs, "low": res.runs_lower, "high": res.runs_upper}
            sentences.append((
                _("Too few runs (%(runs)s; %(low)s to %(high)s expected)")
                if res.runs_verdict == "too few" else
                _("Too many runs (%(runs)s; %(low)s to %(high)s expected)")) % values)
        if res.astronomical:
            sentences.append(ngettext(
                "An astronomical point at %(labels)s", "Astronomical points at %(labels)s",
                len(res.astronomical)) % {"labels": _listed([at(k) for k in res.astronomical])})
        if not sentences:
            sentences.append(_("No shift, trend or unusual number of runs"))
        out.append(PartText(res.part, labels[idx[0]], sentences))
    return out

