"""Re-phased run chart: the median is recomputed after each sustained run (runcharter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .aggregate import XValue, normalise_x, to_float_array
from .errors import SPCInputError

RUNCHARTER_DIRECTIONS = ("both", "above", "below")


@dataclass
class RunSegment:
    """One phase of a re-phased run chart; start/end/extend_to are x values of the chart."""

    median: float
    start: XValue
    end: XValue
    extend_to: XValue
    run_type: str  # "baseline" | "sustained"
    start_point: int  # 1-based
    end_point: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (dates as ISO strings)."""
        def fmt(v: XValue) -> object:
            return v.isoformat() if hasattr(v, "isoformat") else v

        return {
            "median": self.median,
            "start": fmt(self.start),
            "end": fmt(self.end),
            "extend_to": fmt(self.extend_to),
            "run_type": self.run_type,
            "start_point": self.start_point,
            "end_point": self.end_point,
        }


def runcharter_signals(
    y: Sequence[float | None] | np.ndarray,
    x: Sequence[object] | np.ndarray | None = None,
    *,
    med_rows: int = 13,
    runlength: int = 9,
    direction: str = "both",
) -> list[RunSegment]:
    """Baseline median of the first med_rows points, re-based after each run of runlength."""
    # A run is runlength consecutive points strictly on one side of the current median (points
    # on the median are skipped); direction "above"/"below" only accepts runs on that side. The
    # new median is the median of the run's points and the search restarts after the run.
    if direction not in RUNCHARTER_DIRECTIONS:
        raise SPCInputError(
            f"direction must be one of {', '.join(RUNCHARTER_DIRECTIONS)}", field="direction",
            code="unknown_direction", params={"choices": ", ".join(RUNCHARTER_DIRECTIONS)},
        )
    yv = to_float_array(y, "y")
    xs, kind = normalise_x(x, yv.size)
    order = list(range(yv.size))
    if kind in ("date", "number"):
        order.sort(key=lambda i: xs[i])  # type: ignore[arg-type, return-value]
    keep = [i for i in order if not np.isnan(yv[i])]
    yv = yv[keep]
    xs = [xs[i] for i in keep]
    if med_rows < 1 or runlength < 1:
        raise SPCInputError("med_rows and runlength must be at least 1", field="med_rows",
                            code="runcharter_settings")
    if yv.size < med_rows:
        raise SPCInputError(
            f"runcharter needs at least med_rows = {med_rows} points, got {yv.size}",
            field="y", code="runcharter_few", params={"need": med_rows, "got": int(yv.size)},
        )
    wanted = {"both": (1, -1), "above": (1,), "below": (-1,)}[direction]
    median = float(np.median(yv[:med_rows]))
    segments = [RunSegment(median, xs[0], xs[med_rows - 1], xs[-1], "baseline", 1, med_rows)]
    run: list[int] = []
    side = 0
    for i in range(med_rows, yv.size):
        s = int(np.sign(yv[i] - median))
        if s == 0:
            continue  # on the median: neither breaks nor extends a run
        if s not in wanted:
            run, side = [], 0
            continue
        if s != side:
            run, side = [], s
        run.append(i)
        if len(run) == runlength:
            median = float(np.median(yv[run]))
            segments[-1].extend_to = xs[run[0]]
            segments.append(
                RunSegment(median, xs[run[0]], xs[i], xs[-1], "sustained", run[0] + 1, i + 1)
            )
            run, side = [], 0
    return segments
