"""Yearly counts by the mother's race/ethnicity, from the stored figures: what the
disparity statistics (``coiin.reports.equity``) compute from.

For each jurisdiction, year and stratum (a ``MOTHER_RACES`` label) and each of two items
(infant deaths and live births, say): the whole-year figure, else the year's twelve
months (or four quarters) summed when every one is stored and none is suppressed. Where
several sources give one figure, a final figure counts before a provisional one, then the
one loaded last (as for the teams' copies, ``coiin.measures.official``). A year counts as
*final* only when every figure in it is.

``yearly_by_age`` gives the same by the mother's age group (the catalog's three: under 20,
20-34, 35 and over), from figures stored by WONDER's nine age groups (``Age of Mother 9``):
an age group's figure is its WONDER groups summed, over the races too where the export was
by race as well (a figure for all races of an age group counts before such a sum); any
suppressed part leaves the group without a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .models import MOTHER_RACES, Status, VitalFigure

LABELS = {label for _, label in MOTHER_RACES}


@dataclass(frozen=True)
class Counts:
    events: int
    denominator: int
    final: bool


def yearly(events_item: str, denominator_item: str, *,
           jurisdiction_ids: Iterable[int] | None = None
           ) -> tuple[dict[tuple[str, int, str], Counts], dict[str, str]]:
    """{(postal code, year, stratum label): Counts} and {postal code: name}. One query."""
    figures = VitalFigure.objects.filter(item__in=(events_item, denominator_item),
                                         mother_race__in=LABELS, mother_age="")
    if jurisdiction_ids is not None:
        figures = figures.filter(jurisdiction_id__in=list(jurisdiction_ids))
    best: dict[tuple, tuple] = {}
    names: dict[str, str] = {}
    for postal, name, year, q, m, race, item, value, suppressed, status, loaded, load in (
            figures.values_list("jurisdiction__postal_code", "jurisdiction__name", "year",
                                "quarter", "month", "mother_race", "item", "value",
                                "suppressed", "status", "load__loaded_at", "load_id")):
        names[postal] = name
        key = (postal, year, race, item, q, m)
        rank = (status == Status.FINAL, loaded, load)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, None if suppressed else value, status == Status.FINAL)
    return _years({k: (v, f) for k, (_, v, f) in best.items()}, events_item,
                  denominator_item), names


# WONDER's "Age of Mother 9" codes in the catalog's maternal age groups (their labels).
AGE_GROUPS = {"15": "Under 20", "15-19": "Under 20", "20-24": "20–34", "25-29": "20–34",
              "30-34": "20–34", "35-39": "35 and over", "40-44": "35 and over",
              "45-49": "35 and over", "50+": "35 and over"}


def yearly_by_age(events_item: str, denominator_item: str
                  ) -> tuple[dict[tuple[str, int, str], Counts], dict[str, str]]:
    """{(postal code, year, age group label): Counts} and {postal code: name}. One query."""
    figures = VitalFigure.objects.filter(item__in=(events_item, denominator_item),
                                         mother_age__in=list(AGE_GROUPS))
    best: dict[tuple, tuple] = {}
    names: dict[str, str] = {}
    for postal, name, year, q, m, race, age, item, value, suppressed, status, loaded, load in (
            figures.values_list("jurisdiction__postal_code", "jurisdiction__name", "year",
                                "quarter", "month", "mother_race", "mother_age", "item",
                                "value", "suppressed", "status", "load__loaded_at",
                                "load_id")):
        names[postal] = name
        key = (postal, year, age, race, item, q, m)
        rank = (status == Status.FINAL, loaded, load)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, None if suppressed else value, status == Status.FINAL)
    # One figure per WONDER age group: all races, else the races summed.
    cells: dict[tuple, list[tuple[int | None, bool]]] = defaultdict(list)
    for (postal, year, age, race, item, q, m), (_, value, final) in best.items():
        if race and (postal, year, age, "", item, q, m) in best:
            continue
        cells[(postal, year, age, item, q, m)].append((value, final))
    grouped: dict[tuple, list[tuple[int | None, bool]]] = defaultdict(list)
    for (postal, year, age, item, q, m), found in cells.items():
        grouped[(postal, year, AGE_GROUPS[age], item, q, m)].extend(found)
    summed = {k: (None if any(v is None for v, _ in found)
                  else sum(v for v, _ in found if v is not None),
                  all(f for _, f in found)) for k, found in grouped.items()}
    return _years(summed, events_item, denominator_item), names


def _years(best: dict[tuple, tuple[int | None, bool]], events_item: str,
           denominator_item: str) -> dict[tuple[str, int, str], Counts]:
    """Whole years from {(postal, year, stratum, item, quarter, month): (value, final)}:
    the year's figure, else its complete months (or quarters) summed."""
    whole: dict[tuple, tuple[int | None, bool]] = {}
    parts: dict[tuple, list[tuple[int | None, bool]]] = defaultdict(list)
    for (postal, year, race, item, q, m), (value, final) in best.items():
        if q == 0 and m == 0:
            whole[(postal, year, race, item)] = (value, final)
        else:
            parts[(postal, year, race, item, "m" if m else "q")].append((value, final))
    for (postal, year, race, item, kind), found in parts.items():
        key = (postal, year, race, item)
        complete = len(found) == (12 if kind == "m" else 4)
        if key not in whole and complete and all(v is not None for v, _ in found):
            whole[key] = (sum(v for v, _ in found if v is not None),
                          all(f for _, f in found))
    out = {}
    for (postal, year, race, item), (value, final) in whole.items():
        if item != events_item or value is None:
            continue
        den = whole.get((postal, year, race, denominator_item))
        if den is not None and den[0]:
            out[(postal, year, race)] = Counts(value, den[0], final and den[1])
    return out
