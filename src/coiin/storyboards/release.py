"""The disclosure-controlled data behind a published storyboard's chart.

A storyboard shows one team's periods of one measure. Only locked, unstratified values
count (as on the rest of the public site). Numerators and denominators are each a linear
table: every period is a cell, and every calendar year's total is a cell equal to the sum
of that year's periods, because the year's total may be published elsewhere (the public
release sums locked data by jurisdiction and year). ``coiin.stats.suppression.suppress``,
as for every public figure, then hides:

* every count from 1 to ``threshold - 1`` (primary suppression);
* a year's total the public release does not show (a *confidential* cell: it is never
  shown by a storyboard either, and no one may work it out from the periods, so that sums
  the release published for a learning network or the nation cannot be combined with it to
  reveal a small count of another jurisdiction);
* more periods where needed, so that no hidden count can be narrowed to less than the
  threshold from what is shown (complementary suppression, proven by LP).

A year's total the public release *does* show is public already (a *published* cell), so
it can never count as hidden here: where the search would have relied on hiding it, every
period of that year is hidden instead. The pattern depends only on the team's locked data
and the release, never on the storyboard's period range, so two storyboards of the same
team and measure show the same cells and cannot be combined.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Team
from coiin.reports.public import publication
from coiin.reports.public.publication import SUPPRESSED, UNRELIABLE, Level
from coiin.stats.suppression import LinearTable

CSV_HEADER = ["storyboard", "team", "measure", "period", "numerator", "numerator_flag",
              "denominator", "denominator_flag", "rate", "rate_flag"]


@dataclass
class Cell:
    """One period as published: ``None`` for a suppressed count."""

    period: Period
    numerator: int | None
    denominator: int | None


def locked_counts(team: Team, measure: Measure) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """The team's locked, unstratified numerators and denominators (or counts) per period."""
    rows = (DataValue.objects.filter(submission__team=team, measure=measure,
                                     stratum__isnull=True,
                                     submission__status=Submission.Status.LOCKED)
            .values_list("submission__period_start", "numerator", "denominator", "value")
            .order_by("submission__period_start"))
    num: dict[dt.date, int] = {}
    den: dict[dt.date, int] = {}
    for start, n, d, v in rows:
        what = f"{measure.code} {team.jurisdiction.postal_code} {start.isoformat()}"
        if measure.is_ratio:
            if n is None or d is None:
                continue  # no rate without both parts, as in the public release
            num[start] = publication.whole_count(n, what + " numerator")
            den[start] = publication.whole_count(d, what + " denominator")
        elif v is not None:
            num[start] = publication.whole_count(v, what)
    return num, den


def published_year_totals(team: Team, measure: Measure) -> tuple[dict[int, int], dict[int, int]]:
    """The team's jurisdiction's yearly numerators and denominators the public release shows."""
    r = publication.release(measure)
    num: dict[int, int] = {}
    den: dict[int, int] = {}
    if r is None:
        return num, den
    postal = team.jurisdiction.postal_code
    for c in r.cells:
        if c["level"] != Level.JURISDICTION or c["unit"] != postal or c["year"] is None:
            continue
        if c["n"] is not None:
            num[c["year"]] = c["n"]
        if c["d"] is not None:
            den[c["year"]] = c["d"]
    return num, den


def protect(counts: dict[dt.date, int], known: dict[int, int], thr: int) -> set[dt.date]:
    """The periods to hide so that no small count, and no year total that is not ``known``
    (published elsewhere), can be worked out from the periods shown."""
    if not counts:
        return set()
    cells: dict[Any, int] = {("p", start): c for start, c in counts.items()}
    by_year: dict[int, list[Any]] = defaultdict(list)
    for start in sorted(counts):
        by_year[start.year].append(("p", start))
    constraints = []
    for year, parts in sorted(by_year.items()):
        cells[("y", year)] = sum(cells[k] for k in parts)
        constraints.append((("y", year), parts))
    # A year total counts as known only when the release shows this very sum (another team
    # of the same jurisdiction may be the one the release uses).
    shown = {("y", y) for y in by_year if known.get(y) == cells[("y", y)]}
    from coiin.stats.suppression import suppress  # the search (scipy's optimiser) on first use

    result = suppress(LinearTable(cells, constraints), threshold=thr, method="greedy",
                      confidential={("y", y) for y in by_year} - shown, published=shown)
    return {k[1] for k in cells if k[0] == "p" and result.suppressed(k)}


@dataclass
class StoryRelease:
    """What the public sees of a storyboard's chart: its periods, some suppressed."""

    measure: Measure
    cells: list[Cell]

    def rows(self) -> list[dict[str, Any]]:
        """Each period with its numerator, denominator and rate as published, and flags."""
        ratio = self.measure.is_ratio
        out = []
        for c in self.cells:
            n, d = c.numerator, c.denominator
            rate: float | None = None
            rate_flag = ""
            if ratio:
                if n is None or d is None:
                    rate_flag = SUPPRESSED
                elif d:
                    rate = n / d * self.measure.multiplier
                    rate_flag = UNRELIABLE if n < publication.unreliable_below() else ""
            out.append({
                "period": c.period, "label": c.period.label,
                "numerator": "" if n is None else str(n),
                "numerator_flag": SUPPRESSED if n is None else "",
                "denominator": "" if not ratio or d is None else str(d),
                "denominator_flag": SUPPRESSED if ratio and d is None else "",
                "rate": "" if rate is None else f"{rate:.2f}", "rate_value": rate,
                "rate_flag": rate_flag,
            })
        return out

    @property
    def suppressed(self) -> int:
        return sum(1 for c in self.cells if c.numerator is None
                   or (self.measure.is_ratio and c.denominator is None))


def storyboard_release(team: Team, measure: Measure, period_from: dt.date | None = None,
                       period_to: dt.date | None = None) -> StoryRelease:
    """The team's locked periods of the measure within the range, disclosure-controlled."""
    thr = publication.threshold()
    num, den = locked_counts(team, measure)
    known_num, known_den = published_year_totals(team, measure)
    hidden_num = protect(num, known_num, thr)
    hidden_den = protect(den, known_den, thr) if measure.is_ratio else set()
    freq = Frequency(measure.frequency)
    cells = []
    for start in sorted(num):
        if (period_from and start < period_from) or (period_to and start > period_to):
            continue
        cells.append(Cell(Period(start, freq),
                          None if start in hidden_num else num[start],
                          None if start in hidden_den or start not in den else den[start]))
    return StoryRelease(measure, cells)


def chart_spec(sr: StoryRelease, title: str) -> dict[str, Any] | None:
    """A Vega-Lite chart of the shown values only (rates, or counts); None with no point."""
    ratio = sr.measure.is_ratio
    points = []
    for row in sr.rows():
        y = row["rate_value"] if ratio else (int(row["numerator"]) if row["numerator"] else None)
        # A suppressed period stays in the data as a gap, so the line breaks there rather
        # than drawing a trend across it.
        points.append({"period": row["period"].start.isoformat(), "label": row["label"],
                       "value": None if y is None else round(y, 2),
                       "reliability": "Unreliable (fewer than "
                       f"{publication.unreliable_below()} events)"
                       if row["rate_flag"] == UNRELIABLE else "Reliable"})
    if all(p["value"] is None for p in points):
        return None
    y_title = (sr.measure.unit or "Rate") if ratio else "Count"
    tooltip = [{"field": "label", "title": "Period"},
               {"field": "value", "title": y_title}]
    if ratio:
        tooltip.append({"field": "reliability", "title": "Reliability"})
    point: dict[str, Any] = {
        "mark": {"type": "point", "filled": True, "size": 70, "invalid": "filter"},
        "encoding": {"tooltip": tooltip},
    }
    if ratio:
        point["encoding"]["shape"] = {"field": "reliability", "type": "nominal",
                                      "legend": {"title": None, "orient": "bottom"}}
        point["encoding"]["color"] = {"field": "reliability", "type": "nominal",
                                      "scale": {"range": ["#1f5f99", "#b35c00"]},
                                      "legend": {"title": None, "orient": "bottom"}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": "container", "height": 260,
        "data": {"values": points},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "title": "Period"},
            "y": {"field": "value", "type": "quantitative", "title": y_title,
                  "scale": {"zero": False}},
        },
        "layer": [{"mark": {"type": "line", "color": "#8aa6c1",
                            "invalid": "break-paths-filter-domains"}}, point],
    }
