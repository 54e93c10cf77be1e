"""A team's official-outcome values, read from its jurisdiction's vitals store.

The catalog's ``FROM_VITALS`` measures (IMR, NMR, PNMR, SUID, the IMR of non-Hispanic
Black mothers) are not typed by teams where the store has the period: their numerator and
denominator are the jurisdiction's counts, the same for each of its teams. ``cells`` says
what the store holds; ``services.official`` copies it into the teams' values.

Which figure counts, where several sources give one: a final figure before a
provisional one, then the one loaded last. A measure-period is official when the store has
both counts of its total, not suppressed; its strata are then those the store has.
Quarterly measures read quarter figures, yearly ones whole-year figures, monthly ones month
figures (a year's figures are not split into quarters, nor months summed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext

from coiin.vitals.models import SourceKind, Status, VitalFigure

from .catalog import FROM_VITALS
from .periods import Frequency, Period

Key = tuple[int, str, Period]  # (jurisdiction_id, measure code, period)


@dataclass(frozen=True)
class Cell:
    """One official value: the counts, and where they come from."""

    numerator: int
    denominator: int
    status: str  # a ``Status`` value
    sources: tuple[tuple[str, str], ...]  # who gave them: (source kind, jurisdiction name)
    loaded_at: dt.datetime

    def describe(self) -> str:
        """from the Georgia vital records office, provisional, loaded 2026-12-03: in
        English whatever the language active, as the teams' values keep it."""
        with translation.override("en"):
            return self.shown()

    def shown(self) -> str:
        """``describe()`` in the reader's language, for the pages."""
        words = [_source_words(kind, name) for kind, name in self.sources]
        status = str(Status(self.status).label).lower()
        date = f"{self.loaded_at:%Y-%m-%d}"
        if len(words) == 1:
            return gettext("from %(source)s, %(status)s, loaded %(date)s") % {
                "source": words[0], "status": status, "date": date}
        return gettext("from %(source)s and %(other)s, %(status)s, loaded %(date)s") % {
            "source": words[0], "other": words[1], "status": status, "date": date}


def _period(frequency: str, year: int, quarter: int, month: int) -> Period | None:
    if frequency == Frequency.YEARLY and not (quarter or month):
        return Period(dt.date(year, 1, 1), Frequency.YEARLY)
    if frequency == Frequency.QUARTERLY and quarter:
        return Period(dt.date(year, 3 * quarter - 2, 1), Frequency.QUARTERLY)
    if frequency == Frequency.MONTHLY and month:
        return Period(dt.date(year, month, 1), Frequency.MONTHLY)
    return None


def _source(figure: VitalFigure) -> tuple[str, str]:
    return figure.source_kind, figure.jurisdiction.name


def _source_words(kind: str, jurisdiction: str) -> str:
    if kind == SourceKind.OFFICE:
        return gettext("the %(jurisdiction)s vital records office") % {
            "jurisdiction": jurisdiction}
    return str(SourceKind(kind).label)


def cells(jurisdiction_ids: Iterable[int], frequencies: dict[str, str],
          years: Iterable[int] | None = None) -> dict[Key, dict[str, Cell]]:
    """{(jurisdiction, measure code, period): {stratum label ("" for the total): Cell}}
    for the given measures (code -> frequency), each with its total. Two queries."""
    wanted = {code: spec for code, spec in FROM_VITALS.items() if code in frequencies}
    if not wanted:
        return {}
    items = {s.numerator for s in wanted.values()} | {s.denominator for s in wanted.values()}
    figures = VitalFigure.objects.filter(
        jurisdiction_id__in=list(jurisdiction_ids), item__in=items, mother_age="",
        suppressed=False, value__isnull=False).select_related("load", "jurisdiction")
    if years is not None:
        figures = figures.filter(year__in=list(years))
    best: dict[tuple, VitalFigure] = {}
    for f in figures:
        key = (f.jurisdiction_id, f.year, f.quarter, f.month, f.mother_race, f.item)
        rank = (f.status == Status.FINAL, f.load.loaded_at, f.load_id)
        held = best.get(key)
        if held is None or rank > (held.status == Status.FINAL, held.load.loaded_at,
                                   held.load_id):
            best[key] = f
    out: dict[Key, dict[str, Cell]] = {}
    for (j, year, quarter, month, race, item), num in best.items():
        for code, spec in wanted.items():
            if item != spec.numerator or (spec.mother_race and race != spec.mother_race):
                continue
            den = best.get((j, year, quarter, month, race, spec.denominator))
            period = _period(frequencies[code], year, quarter, month)
            if den is None or period is None or num.value is None or den.value is None:
                continue
            stratum = "" if spec.mother_race else race
            sources = tuple(dict.fromkeys((_source(num), _source(den))))
            status = Status.FINAL if num.status == den.status == Status.FINAL \
                else Status.PROVISIONAL
            out.setdefault((j, code, period), {})[stratum] = Cell(
                num.value, den.value, str(status), sources,
                max(num.load.loaded_at, den.load.loaded_at))
    return {key: strata for key, strata in out.items() if "" in strata}
