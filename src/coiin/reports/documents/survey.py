"""A survey measure's pooled series in a report: births-weighted, as on the dashboards
(``coiin.charts.summaries.survey``), never numerators summed.

The report keeps the pooled rows in its inputs (``survey_json``), so a snapshot shows the
same figures however the births or values change later; the chart is drawn from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coiin.charts.building import Observation, TeamChart, build
from coiin.charts.summaries import survey as pooling
from coiin.measures.models import Measure, Submission
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team

NOTE = pooling.NOTE


def survey_json(measures: list[Measure], team_ids: list[int],
                end: dt.date) -> dict[str, list[list[Any]]]:
    """Per survey measure, its pooled rows up to ``end`` over these teams (one per
    jurisdiction): [period start, estimate, SE, lower, upper, pooled, left out]."""
    out: dict[str, list[list[Any]]] = {}
    for m in measures:
        if not m.is_survey:
            continue
        rows = [r for r in pooling.reported(m, Submission.SHOWN_STATUSES, team_ids)
                if r.start <= end]
        if not rows:
            continue
        periods = pooling.pool_periods(m, pooling.one_per_jurisdiction(rows),
                                       pooling.births_for(rows))
        out[m.code] = [[p.start.isoformat(), round(p.pooled.estimate, 6),
                        round(p.pooled.se, 6), round(p.pooled.lower, 6),
                        round(p.pooled.upper, 6), p.pooled.count, p.left_out]
                       for p in periods if p.pooled is not None]
    return out


def survey_chart(network: LearningNetwork, measure: Measure, kept: list[list[Any]]
                 ) -> tuple[TeamChart | None, dict[str, int], list[dict[str, Any]]]:
    """The pooled chart (estimates with their 95 % intervals), the jurisdictions pooled
    by period label, and the table rows, from the kept rows."""
    if not kept:
        return None, {}, []
    obs = [Observation(Period(dt.date.fromisoformat(start), measure.freq), None, None, est,
                       True, lo, hi) for start, est, _, lo, hi, _, _ in kept]
    chart = build(Team(jurisdiction=None, learning_network=network), measure, obs)
    table = [{"label": o.period.label, "estimate": f"{r[1]:.2f}", "se": f"{r[2]:.2f}",
              "interval": f"{r[3]:.2f} – {r[4]:.2f}", "pooled": r[5], "left_out": r[6]}
             for o, r in zip(obs, kept, strict=True)]
    return chart, {t["label"]: t["pooled"] for t in table}, table
