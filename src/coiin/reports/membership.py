"""Who is in a pooled series, period by period: a national or network sum whose set of
jurisdictions changes (cohorts joining in 2013 and 2014) or whose first or last period is
reported only in part is not one population over time. These helpers find where the set
changes and which years are partial, mark them on the chart and say so in a sentence.

Two sources: a stored pooled chart summary (``points``, whose tenth field is the number of
jurisdictions in each period), and, for the public site's annual sums, the locked periods
each jurisdiction reported in each year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

from coiin.charts.vega import Marker
from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Frequency, Period

PERIODS_A_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 2,
                  Frequency.YEARLY: 1}


@dataclass(frozen=True)
class Change:
    """The set summed changes size at this period: ``before`` jurisdictions, then ``after``."""

    on: dt.date
    label: str
    before: int
    after: int


def changes(counts: Sequence[tuple[dt.date, str, int]]) -> list[Change]:
    """(period start, label, jurisdictions) in order -> each period whose count differs
    from the one before."""
    return [Change(on, label, counts[i - 1][2], n)
            for i, (on, label, n) in enumerate(counts) if i and n != counts[i - 1][2]]


# What is summed, in the reader's language: a marker's last word.
WHAT = {"teams": gettext_lazy("teams"), "jurisdictions": gettext_lazy("jurisdictions")}
# The sentence for each, whole, so that each language can say it its own way.
SENTENCES = {
    "teams": gettext_lazy(
        "The teams summed change over time, so the series is not one population: it starts "
        "with {first}, then {steps}. Each change is marked on the chart by a vertical line; "
        "a rise or fall there can come from who is counted rather than from a change in "
        "outcomes."),
    "jurisdictions": gettext_lazy(
        "The jurisdictions summed change over time, so the series is not one population: it "
        "starts with {first}, then {steps}. Each change is marked on the chart by a vertical "
        "line; a rise or fall there can come from who is counted rather than from a change "
        "in outcomes."),
}


def markers(found: Sequence[Change], what: str = "jurisdictions") -> list[Marker]:
    word = WHAT.get(what, what)
    return [Marker(c.on, f"{c.before} → {c.after} {word}", kind="membership")
            for c in found]


def of_summary(points: Sequence[Sequence], freq: Frequency) -> list[tuple[dt.date, str, int]]:
    """(period start, label, contributors) of a stored pooled summary's points."""
    out = []
    for p in points:
        if len(p) > 9:
            start = dt.date.fromisoformat(p[0])
            out.append((start, Period(start, freq).label, int(p[9])))
    return out


def sentence(found: Sequence[Change], first: int, what: str = "jurisdictions") -> str:
    """The changes in words; '' when the set never changes size."""
    if not found:
        return ""
    steps = "; ".join(gettext("{label}: {before} to {after}").format(
        label=c.label, before=c.before, after=c.after) for c in found)
    return str(SENTENCES.get(what, SENTENCES["jurisdictions"])).format(first=first,
                                                                      steps=steps)


@dataclass(frozen=True)
class Year:
    year: int
    jurisdictions: int
    partial: list[str]  # jurisdictions that reported only part of the year


def years(measure: Measure, postal: set[str] | None = None) -> list[Year]:
    """Per year of locked data (totals only): how many jurisdictions reported, and those
    that reported fewer periods than the year holds. One query."""
    full = PERIODS_A_YEAR.get(measure.freq, 1)
    values = DataValue.objects.filter(measure=measure, stratum__isnull=True,
                                      submission__status=Submission.Status.LOCKED)
    if postal is not None:
        values = values.filter(submission__team__jurisdiction__postal_code__in=postal)
    periods: dict[tuple[int, str], set[dt.date]] = defaultdict(set)
    for code, start in values.values_list("submission__team__jurisdiction__postal_code",
                                          "submission__period_start").distinct():
        periods[(start.year, code)].add(start)
    by_year: dict[int, list[str]] = defaultdict(list)
    partial: dict[int, list[str]] = defaultdict(list)
    for (year, code), starts in periods.items():
        by_year[year].append(code)
        if len(starts) < full:
            partial[year].append(code)
    return [Year(y, len(by_year[y]), sorted(partial[y])) for y in sorted(by_year)]


def year_markers(rows: Sequence[Year]) -> list[Marker]:
    out = []
    for i, r in enumerate(rows):
        if i and r.jurisdictions != rows[i - 1].jurisdictions:
            out.append(Marker(dt.date(r.year, 1, 1),
                              f"{rows[i - 1].jurisdictions} → {r.jurisdictions} "
                              f"{WHAT['jurisdictions']}", kind="membership"))
        elif r.partial:
            out.append(Marker(dt.date(r.year, 1, 1), gettext("part-year"),
                              kind="membership"))
    return out


def year_sentence(rows: Sequence[Year]) -> str:
    """The years' membership and partial years in words; '' when nothing changes."""
    sizes = []
    for i, r in enumerate(rows):
        if not i or r.jurisdictions != rows[i - 1].jurisdictions:
            sizes.append(gettext("{count} in {year}").format(count=r.jurisdictions,
                                                             year=r.year))
    partial = [gettext("{year} ({partial} of {count})").format(
        year=r.year, partial=len(r.partial), count=r.jurisdictions) for r in rows if r.partial]
    if len(sizes) < 2 and not partial:
        return ""
    parts = []
    if len(sizes) > 1:
        parts.append(gettext("The jurisdictions summed change as cohorts join: {sizes}.")
                     .format(sizes=", ".join(sizes)))
    if partial:
        parts.append(gettext("Some jurisdictions reported only part of a year (the year they "
                             "joined, or a latest quarter not yet locked): {years}.")
                     .format(years=", ".join(partial)))
    parts.append(gettext("Years where the set changes or is partial are marked on the chart; "
                         "a change there can come from who is counted rather than from "
                         "outcomes."))
    return " ".join(parts)
