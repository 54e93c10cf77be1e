"""A published survey measure (PRAMS, BRFSS) on the public site: weighted estimates with
their 95 % confidence intervals, never counts.

Locked data only, like every public figure. Per jurisdiction: the jurisdiction's own
estimate and interval, shown only when it rests on at least ``MIN_RESPONDENTS``
respondents (or the number is not given): CDC releases no PRAMS estimate from fewer.
Per learning network and nationally: the jurisdictions' estimates pooled births-weighted
(``coiin.charts.summaries.survey``, ``coiin.stats.survey``), with the pooled interval.
A survey estimate discloses no count, so the count suppression of the other measures
does not apply; nor do control limits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from coiin.charts.building import Observation, build
from coiin.charts.summaries import survey as pooling
from coiin.measures.models import Measure, Submission
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Jurisdiction, LearningNetwork, Team

from .publication import NATIONAL, SYNTHETIC, Level

MIN_RESPONDENTS = 30
FEW_RESPONDENTS = "fewer than 30 respondents"


@dataclass(frozen=True)
class Row:
    unit: str
    name: str
    year: int
    estimate: float | None  # None: not shown (see flag)
    se: float | None
    lower: float | None
    upper: float | None
    pooled: int  # jurisdictions in the estimate
    flag: str = ""

    @property
    def interval(self) -> str:
        return "" if self.lower is None else f"{self.lower:.2f} – {self.upper:.2f}"


def rows(measure: Measure, level: str, unit: str | None = None) -> list[Row]:
    """The level's rows (one unit's with ``unit``), by unit name then year."""
    every = pooling.reported(measure, statuses=[Submission.Status.LOCKED])
    if not every:
        return []
    locked = pooling.one_per_jurisdiction(every)
    if level == Level.JURISDICTION:
        return _own(locked, unit)
    births = pooling.births_for(every)
    groups: dict[tuple[str, str], list[pooling.Reported]] = defaultdict(list)
    if level == Level.NETWORK:
        nets = {n.pk: (n.slug, n.name) for n in LearningNetwork.objects.all()}
        for r in every:
            groups[nets[r.network_id]].append(r)
    else:
        groups[(NATIONAL, "All reporting jurisdictions")] = locked
    out = []
    for (code, name), mine in sorted(groups.items(), key=lambda kv: kv[0][1]):
        if unit is not None and code != unit:
            continue
        mine = pooling.one_per_jurisdiction(mine)
        for p in pooling.pool_periods(measure, mine, births):
            if p.pooled is not None:
                q = p.pooled
                out.append(Row(code, name, p.start.year, q.estimate, q.se, q.lower, q.upper,
                               q.count))
    return out


def _own(locked: list[pooling.Reported], unit: str | None) -> list[Row]:
    names = {j.pk: (j.postal_code, j.name) for j in Jurisdiction.objects.filter(
        pk__in={r.jurisdiction_id for r in locked})}
    out = []
    for r in locked:
        code, name = names[r.jurisdiction_id]
        if unit is not None and code != unit:
            continue
        if r.n is not None and r.n < MIN_RESPONDENTS:
            out.append(Row(code, name, r.start.year, None, None, None, None, 1,
                           FEW_RESPONDENTS))
        else:
            lo, hi = r.interval if r.interval else (None, None)
            out.append(Row(code, name, r.start.year, r.estimate, r.se, lo, hi, 1))
    return sorted(out, key=lambda x: (x.name, x.year))


def units(measure: Measure, level: str) -> set[str]:
    return {r.unit for r in rows(measure, level)}


def section(measure: Measure, level: str, unit: str | None, key: str,
            synthetic: bool = False) -> dict[str, Any]:
    """A public page's section of the measure at ``level`` (for one unit, with its chart)."""
    found = rows(measure, level, unit)
    chart = None
    if unit is not None or level == Level.NATIONAL:
        chart = _chart(measure, [r for r in found if r.estimate is not None])
    return {"survey": True, "measure": measure, "level": level,
            "level_label": Level(level).label, "key": key, "survey_rows": found,
            "chart": chart, "method": pooling.METHOD, "min_respondents": MIN_RESPONDENTS,
            "synthetic": synthetic,
            "csv": csv_rows(measure, level, found, SYNTHETIC if synthetic else "")}


def _chart(measure: Measure, found: list[Row]) -> dict[str, Any] | None:
    obs = [Observation(Period(dt.date(r.year, 1, 1), Frequency.YEARLY), None, None,
                       r.estimate, True, r.lower, r.upper) for r in found]
    if len(obs) < 2 or len({r.unit for r in found}) != 1:
        return None
    tc = build(Team(), measure, obs)
    if tc.spec is None:
        return None
    tc.spec["title"] = gettext("%(measure)s: %(unit)s, by year") % {
        "measure": measure.name, "unit": found[0].name}
    return {"spec": tc.spec, "summary": tc.summary, "note": tc.note}


def csv_rows(measure: Measure, level: str, found: list[Row],
             note: str = "") -> list[list[str]]:
    """The rows as the public CSV has them (``CSV_HEADER``): no counts; the estimate in
    ``rate``, flagged ``survey estimate`` (or why it is not shown), and its interval."""
    out = []
    for r in found:
        shown = r.estimate is not None
        out.append([measure.code, level, r.unit, r.name, str(r.year), "", "", "", "",
                    f"{r.estimate:.2f}" if shown else "",
                    "survey estimate" if shown else r.flag, "",
                    f"{r.lower:.2f}" if r.lower is not None else "",
                    f"{r.upper:.2f}" if r.upper is not None else "", note])
    return out
