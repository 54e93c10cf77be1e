"""The DHIS2 mapping in force: every measure, stratum and team, each with the row backbone
staff stored for it or else the default generated from codes.

Defaults: a ratio's numerator and denominator are the data elements ``<CODE>-NUM`` and
``<CODE>-DEN``, a count's or an answer's ``<CODE>``; a survey measure's weighted estimate
is ``<CODE>``, its standard error ``<CODE>-SE``, 95 % CI ``<CODE>-CILO`` and ``<CODE>-CIHI``
and unweighted n ``<CODE>-N``; the total is the category option
combo ``default``, a stratum ``<KIND>:<CODE>`` in capitals (``RACE_ETHNICITY:NH-BLACK``);
a team is the org unit of its jurisdiction's postal code (``GA``) with its learning
network's code as attribute option combo (``safe-sleep``)."""

from __future__ import annotations

from dataclasses import dataclass

from coiin.measures.models import Measure, Stratum
from coiin.network.models import Team

from .dhis2 import Mapping2
from .models import ElementMap, UnitMap
from .records import SURVEY_COLUMNS


@dataclass
class ElementRow:
    measure: Measure
    stratum: Stratum | None
    part: str
    data_element: str
    category_option_combo: str
    stored: bool


@dataclass
class UnitRow:
    team: Team
    org_unit: str
    attribute_option_combo: str
    stored: bool


SUFFIXES = {"numerator": "-NUM", "denominator": "-DEN", "standard_error": "-SE",
            "ci_lower": "-CILO", "ci_upper": "-CIHI", "sample_size": "-N"}


def is_survey(measure: Measure) -> bool:
    """A survey estimate with its standard error, CI and n (validation's survey measures)."""
    return measure.is_survey and measure.type in (Measure.Type.RATIO, Measure.Type.COUNT)


def parts(measure: Measure) -> list[str]:
    if is_survey(measure):
        return ["value", *SURVEY_COLUMNS]
    return ["numerator", "denominator"] if measure.type == Measure.Type.RATIO else ["value"]


def default_element(measure: Measure, stratum: Stratum | None, part: str) -> tuple[str, str]:
    suffix = SUFFIXES.get(part, "")
    coc = "default" if stratum is None else f"{stratum.kind}:{stratum.code}".upper()
    return f"{measure.code}{suffix}", coc


def default_unit(team: Team) -> tuple[str, str]:
    return team.jurisdiction.postal_code, team.learning_network.slug


def element_rows() -> list[ElementRow]:
    stored = {(e.measure_id, e.stratum_id, e.part): e for e in ElementMap.objects.all()}
    strata: dict[str, list[Stratum]] = {}
    for s in Stratum.objects.all():
        strata.setdefault(s.kind, []).append(s)
    out = []
    for m in Measure.objects.order_by("code"):
        for stratum in [None, *strata.get(m.stratification, [])]:
            for part in parts(m):
                row = stored.get((m.pk, stratum.pk if stratum else None, part))
                if row is not None:
                    out.append(ElementRow(m, stratum, part, row.data_element,
                                          row.category_option_combo, True))
                else:
                    out.append(ElementRow(m, stratum, part,
                                          *default_element(m, stratum, part), False))
    return out


def unit_rows() -> list[UnitRow]:
    stored = {u.team_id: u for u in UnitMap.objects.all()}
    out = []
    for t in Team.objects.select_related("jurisdiction", "learning_network").order_by(
            "jurisdiction__postal_code", "learning_network__slug"):
        row = stored.get(t.pk)
        if row is not None:
            out.append(UnitRow(t, row.org_unit, row.attribute_option_combo, True))
        else:
            out.append(UnitRow(t, *default_unit(t), False))
    return out


def current() -> Mapping2:
    """The mapping in force, keyed by codes, for ``dhis2``."""
    elements = {(r.measure.code, r.stratum.code if r.stratum else "", r.part):
                (r.data_element, r.category_option_combo) for r in element_rows()}
    units = {(r.team.jurisdiction.postal_code, r.team.learning_network.slug):
             (r.org_unit, r.attribute_option_combo) for r in unit_rows()}
    return Mapping2(elements, units)


CSV_COLUMNS = ("kind", "measure", "stratum", "part", "team", "data_element",
               "category_option_combo", "org_unit", "attribute_option_combo")


def csv_rows() -> list[dict[str, str]]:
    """The whole mapping as rows for a CSV export."""
    out = []
    for e in element_rows():
        out.append({"kind": "element", "measure": e.measure.code,
                    "stratum": e.stratum.code if e.stratum else "", "part": e.part,
                    "team": "", "data_element": e.data_element,
                    "category_option_combo": e.category_option_combo, "org_unit": "",
                    "attribute_option_combo": ""})
    for u in unit_rows():
        out.append({"kind": "unit", "measure": "", "stratum": "", "part": "",
                    "team": f"{u.team.jurisdiction.postal_code}/{u.team.learning_network.slug}",
                    "data_element": "", "category_option_combo": "", "org_unit": u.org_unit,
                    "attribute_option_combo": u.attribute_option_combo})
    return out
