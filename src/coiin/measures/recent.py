"""A team's recent charted series, for the small chart beside each value on the entry and
review page.

The stored chart summaries live in an app above measures, so measures does not import
them: that app registers a reader here in its ``AppConfig.ready()`` (as it registers for
``coiin.measures.changes``). The reader answers for every measure of a page at once, in a
fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coiin.network.models import Team


@dataclass(frozen=True)
class Point:
    """One charted period: its result and, when the chart has them, its centre line and
    limits."""

    start: dt.date
    y: float | None
    cl: float | None = None
    lcl: float | None = None
    ucl: float | None = None


# reader(team, measure ids, before) -> {measure id: points before that day, oldest first}
Reader = Callable[[Team, Sequence[int], dt.date], dict[int, list[Point]]]

_readers: list[Reader] = []


def on_recent_series(reader: Reader) -> None:
    """Register the reader of stored series; registering it twice has no effect."""
    if reader not in _readers:
        _readers.append(reader)


def recent_series(team: Team, measure_ids: Sequence[int], before: dt.date
                  ) -> dict[int, list[Point]]:
    """Each measure's charted points before ``before`` as the registered reader keeps them
    (empty without a reader or a stored series)."""
    out: dict[int, list[Point]] = {}
    if not measure_ids:
        return out
    for reader in _readers:
        for measure_id, points in reader(team, measure_ids, before).items():
            out.setdefault(measure_id, points)
    return out
