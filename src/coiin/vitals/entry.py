"""Figures a jurisdiction's vital-records office enters by hand: births and infant deaths
for a quarter (or a whole year), in total and optionally by race/ethnicity of the mother.

``read`` checks the typed cells and turns them into figures, or lists every problem with
its field; it writes nothing (``services.enter_figures`` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from coiin.network.models import Jurisdiction

from .loaders import FigureIn
from .models import MOTHER_RACES, Item, Status

ITEMS = (Item.BIRTHS, Item.INFANT_DEATHS)


def field_name(item: str, race_code: str = "") -> str:
    """The form field of one cell: ``births``, ``infant_deaths-nh-black``."""
    return f"{item}-{race_code}" if race_code else item


@dataclass
class Read:
    figures: list[FigureIn] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # field -> what is wrong


def read(jurisdiction: Jurisdiction, *, year: object, quarter: object, status: object,
         cells: Mapping[str, str], today: dt.date | None = None) -> Read:
    """The figures these cells say, or every problem by field."""
    out = Read()
    today = today or timezone.localdate()
    y = _whole(year)
    if y is None or not 1900 <= y <= today.year:
        out.problems["year"] = gettext("%(year)s is not a year up to %(last)s") % {
            "year": repr(str(year).strip()), "last": today.year}
    q = _whole(quarter)
    if q is None or not 0 <= q <= 4:
        out.problems["quarter"] = gettext("choose a quarter (1-4), or the whole year")
    if status not in Status.values:
        out.problems["status"] = gettext("provisional or final")
    counts: dict[str, int | None] = {}
    for race_code, _ in [("", ""), *MOTHER_RACES]:
        for item in ITEMS:
            name = field_name(item, race_code)
            text = str(cells.get(name, "")).strip().replace(",", "")
            if not text:
                counts[name] = None
            elif text.isdigit():
                counts[name] = int(text)
            else:
                out.problems[name] = gettext("%(cell)s is not a whole number") % {
                    "cell": repr(text)}
    for race_code, _ in [("", ""), *MOTHER_RACES]:
        births = counts.get(field_name(Item.BIRTHS, race_code))
        deaths = counts.get(field_name(Item.INFANT_DEATHS, race_code))
        if (births is None) != (deaths is None) or (not race_code and births is None):
            for item, value in ((Item.BIRTHS, births), (Item.INFANT_DEATHS, deaths)):
                name = field_name(item, race_code)
                if value is None and name not in out.problems:
                    out.problems[name] = (gettext("births and infant deaths go together")
                                          if race_code else gettext("the total is needed"))
        elif births is not None and deaths is not None and deaths > births:
            out.problems[field_name(Item.INFANT_DEATHS, race_code)] = gettext(
                "%(deaths)s infant deaths is more than the %(births)s births") % {
                "deaths": f"{deaths:,}", "births": f"{births:,}"}
    for item in ITEMS:
        total = counts.get(item)
        parts = [v for c, _ in MOTHER_RACES if (v := counts.get(field_name(item, c)))
                 is not None]
        if total is not None and sum(parts) > total and item not in out.problems:
            out.problems[item] = gettext("the groups add up to %(sum)s, more than the total "
                                         "%(total)s") % {"sum": f"{sum(parts):,}",
                                                         "total": f"{total:,}"}
    if out.problems or y is None or q is None:
        return out
    labels = dict(MOTHER_RACES)
    for name, value in counts.items():
        if value is None:
            continue
        item, _, race_code = name.partition("-")
        out.figures.append(FigureIn(
            line=0, jurisdiction_id=jurisdiction.pk, jurisdiction=jurisdiction.postal_code,
            year=y, quarter=q, item=item, value=value,
            mother_race=labels[race_code] if race_code else "", status=str(status)))
    return out


def _whole(raw: object) -> int | None:
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() else None
