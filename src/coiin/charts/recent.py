"""The reader of a team's recent series for the entry and review page
(``coiin.measures.recent``): the stored chart summaries' points, for every measure of the
page in one query; no chart is recomputed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from coiin.measures.recent import Point
from coiin.network.models import Team

from .models import ChartSummary


def stored_recent(team: Team, measure_ids: Sequence[int], before: dt.date
                  ) -> dict[int, list[Point]]:
    rows = ChartSummary.objects.filter(scope=ChartSummary.Scope.TEAM, team=team,
                                       measure_id__in=list(measure_ids)
                                       ).values_list("measure_id", "points")
    out: dict[int, list[Point]] = {}
    for measure_id, points in rows:
        out[measure_id] = [Point(dt.date.fromisoformat(p[0]), p[1], p[2], p[3], p[4])
                           for p in points or []
                           if p[1] is not None and p[0] < before.isoformat()]
    return out
