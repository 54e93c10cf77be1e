"""DHIS2 aggregate data: ``dataValueSets`` JSON and ADX XML, written from records and read
back into them through the mapping (see ``mapping``). No database here.

A ratio measure is two data elements (numerator and denominator); a count or an answer one;
a survey measure up to five (its weighted estimate, standard error, 95 % CI lower and upper
end, unweighted n), read back into one record.
A stratum is a category option combo (``default`` for the total); a team is an org unit with
an attribute option combo. A team-period's workflow status travels as a complete
registration (``completeDataSetRegistrations`` in JSON, ``completeDate`` on an ADX group)
with the platform's status beside it (``coiinStatus``; ``coiin:status`` in ADX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - writing only; reading uses defusedxml

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .records import (
    SURVEY_COLUMNS,
    BadPeriod,
    Document,
    Problem,
    Record,
    StatusClaim,
    adx_to_label,
    dhis2_to_label,
    label_to_adx,
    label_to_dhis2,
)

DATA_SET = "COIIN"
ADX_NS = "urn:ihe:qrph:adx:2015"
COIIN_NS = "urn:coiin:interchange"
PARTS = ("numerator", "denominator", "value", *SURVEY_COLUMNS)


@dataclass(frozen=True)
class Mapping2:
    """The mapping both ways: (measure code, stratum code or "", part) ↔ (data element,
    category option combo); (jurisdiction, network) ↔ (org unit, attribute option combo)."""

    elements: Mapping[tuple[str, str, str], tuple[str, str]]
    units: Mapping[tuple[str, str], tuple[str, str]]

    def element_of(self, key: tuple[str, str, str]) -> tuple[str, str] | None:
        return self.elements.get(key)

    def reverse_elements(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        return {v: k for k, v in self.elements.items()}

    def reverse_units(self) -> dict[tuple[str, str], tuple[str, str]]:
        return {v: k for k, v in self.units.items()}


def _cells(r: Record, kinds: Mapping[str, str]) -> list[tuple[str, str]]:
    """(part, value) of a record: numerator and denominator of a ratio, a survey measure's
    estimate with its standard error, CI and n, else its value."""
    if kinds.get(r.measure) == "survey":
        return [("value", r.value), *((c, getattr(r, c)) for c in SURVEY_COLUMNS)]
    if kinds.get(r.measure) == "ratio":
        return [("numerator", r.numerator), ("denominator", r.denominator)]
    return [("value", r.value)]


def _entries(records: Iterable[Record], mapping: Mapping2, kinds: Mapping[str, str]
             ) -> list[dict[str, str]]:
    out = []
    for r in records:
        ou = mapping.units[(r.jurisdiction, r.network)]
        for part, value in _cells(r, kinds):
            if value == "":
                continue
            de, coc = mapping.elements[(r.measure, r.stratum, part)]
            entry = {"dataElement": de, "period": label_to_dhis2(r.period), "orgUnit": ou[0],
                     "categoryOptionCombo": coc, "attributeOptionCombo": ou[1],
                     "value": value}
            if r.comment:
                entry["comment"] = r.comment
            out.append(entry)
    return out


def to_json(records: Sequence[Record], statuses: Mapping[tuple[str, str, str], str],
            mapping: Mapping2, kinds: Mapping[str, str]) -> dict[str, Any]:
    """A ``dataValueSets`` document (codes as identifiers: import with idScheme=CODE)."""
    regs = []
    for (postal, network, label), status in sorted(statuses.items()):
        if status == "draft":
            continue
        ou = mapping.units[(postal, network)]
        regs.append({"dataSet": DATA_SET, "period": label_to_dhis2(label),
                     "organisationUnit": ou[0], "attributeOptionCombo": ou[1],
                     "completed": True, "coiinStatus": status})
    return {"dataSet": DATA_SET, "idScheme": "CODE",
            "dataValues": _entries(records, mapping, kinds),
            "completeDataSetRegistrations": regs}


def to_adx(records: Sequence[Record], statuses: Mapping[tuple[str, str, str], str],
           mapping: Mapping2, kinds: Mapping[str, str]) -> bytes:
    """An ADX message: one group per team-period."""
    ET.register_namespace("", ADX_NS)
    ET.register_namespace("coiin", COIIN_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {
        "exported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    groups: dict[tuple[str, str, str], list[Record]] = {}
    for r in records:
        groups.setdefault(r.period_key, []).append(r)
    for key, rows in groups.items():
        postal, network, label = key
        ou = mapping.units[(postal, network)]
        status = statuses.get(key, "draft")
        attrs = {"orgUnit": ou[0], "period": label_to_adx(label), "dataSet": DATA_SET}
        if ou[1] != "default":
            attrs["attributeOptionCombo"] = ou[1]
        if status != "draft":
            attrs["completeDate"] = dt.date.today().isoformat()  # noqa: DTZ011 - a date only
            attrs[f"{{{COIIN_NS}}}status"] = status
        group = ET.SubElement(root, f"{{{ADX_NS}}}group", attrs)
        for entry in _entries(rows, mapping, kinds):
            value_attrs = {"dataElement": entry["dataElement"], "value": entry["value"]}
            if entry["categoryOptionCombo"] != "default":
                value_attrs["categoryOptionCombo"] = entry["categoryOptionCombo"]
            el = ET.SubElement(group, f"{{{ADX_NS}}}dataValue", value_attrs)
            if entry.get("comment"):
                ET.SubElement(el, f"{{{ADX_NS}}}annotation").text = entry["comment"]
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# -- reading ---------------------------------------------------------------------------------


class _Collector:
    """Data values into records: the parts of one (team, measure, period, stratum) joined."""

    def __init__(self, mapping: Mapping2) -> None:
        self.doc = Document()
        self.elements = mapping.reverse_elements()
        self.units = mapping.reverse_units()
        self.records: dict[tuple[str, ...], Record] = {}

    def unit(self, ou: str, aoc: str, where: str) -> tuple[str, str] | None:
        team = self.units.get((ou, aoc or "default"))
        if team is None:
            self.doc.problems.append(Problem(where, f"{ou}/{aoc or 'default'}",
                                             "org unit and attribute option combo are not "
                                             "mapped to a team"))
        return team

    def period(self, text: str, where: str, adx: bool = False) -> str:
        try:
            return adx_to_label(text) if adx else dhis2_to_label(text)
        except BadPeriod:
            self.doc.problems.append(Problem(where, text, (
                "is not an ADX period such as 2017-12-01/P1M, 2017-10-01/P3M or "
                "2017-01-01/P1Y") if adx else ("is not a DHIS2 period the platform reports: "
                                               "201712 (month), 2017Q4 (quarter), 2017S1 "
                                               "(half-year) or 2017 (year)")))
            return ""

    def add(self, *, de: str, coc: str, team: tuple[str, str] | None, label: str, value: str,
            comment: str, where: str) -> None:
        target = self.elements.get((de, coc or "default"))
        if target is None:
            self.doc.problems.append(Problem(where, f"{de}/{coc or 'default'}",
                                             "data element and category option combo are "
                                             "not mapped to a measure"))
            return
        if team is None or not label:
            return
        code, stratum, part = target
        key = (*team, code, label, stratum)
        r = self.records.get(key)
        if r is None:
            r = self.records[key] = Record(team[0], team[1], code, label, stratum,
                                           where=where)
        if part in r.paths:
            self.doc.problems.append(Problem(where, value, f"repeats {r.paths[part]} "
                                             "(same data element, combos, org unit and "
                                             "period)"))
            return
        setattr(r, part, value)
        r.paths[part] = where
        r.values[part] = value
        if comment and not r.comment:
            r.comment = comment

    def claim(self, team: tuple[str, str] | None, label: str, completed: bool, status: Any,
              where: str) -> None:
        if team is None or not label:
            return
        if status is not None and status not in ("draft", "submitted", "reviewed", "locked"):
            self.doc.problems.append(Problem(where, str(status), "coiinStatus must be draft, "
                                             "submitted, reviewed or locked"))
            return
        if completed or status:
            self.doc.statuses.append(StatusClaim(team[0], team[1], label,
                                                 status or "submitted", where))

    def done(self) -> Document:
        self.doc.records = list(self.records.values())
        return self.doc


def read_json(data: Any, mapping: Mapping2) -> Document:
    c = _Collector(mapping)
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        c.doc.problems.append(Problem("dataValues", "", "a dataValueSets document has a "
                                      "dataValues list"))
        return c.doc
    top = {k: data.get(k) for k in ("period", "orgUnit", "attributeOptionCombo")}
    for i, dv in enumerate(data["dataValues"]):
        where = f"dataValues[{i}]"
        if not isinstance(dv, dict):
            c.doc.problems.append(Problem(where, "", "is not a data value object"))
            continue
        missing = [k for k in ("dataElement", "value") if dv.get(k) in (None, "")]
        ou = dv.get("orgUnit") or top["orgUnit"]
        pe = dv.get("period") or top["period"]
        missing += [k for k, v in (("orgUnit", ou), ("period", pe)) if not v]
        if missing:
            c.doc.problems.append(Problem(where, "", f"has no {', '.join(missing)}"))
            continue
        team = c.unit(str(ou), str(dv.get("attributeOptionCombo")
                                   or top["attributeOptionCombo"] or "default"),
                      f"{where}.orgUnit")
        label = c.period(str(pe), f"{where}.period")
        c.add(de=str(dv["dataElement"]), coc=str(dv.get("categoryOptionCombo") or "default"),
              team=team, label=label, value=_text(dv["value"]),
              comment=str(dv.get("comment") or ""), where=where)
    regs = data.get("completeDataSetRegistrations", [])
    if not isinstance(regs, list):
        c.doc.problems.append(Problem("completeDataSetRegistrations", "", "must be a list"))
        regs = []
    for i, reg in enumerate(regs):
        where = f"completeDataSetRegistrations[{i}]"
        if not isinstance(reg, dict):
            c.doc.problems.append(Problem(where, "", "is not a registration object"))
            continue
        team = c.unit(str(reg.get("organisationUnit", "")),
                      str(reg.get("attributeOptionCombo") or "default"), where)
        label = c.period(str(reg.get("period", "")), f"{where}.period")
        c.claim(team, label, bool(reg.get("completed", True)), reg.get("coiinStatus"), where)
    return c.done()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_adx(data: bytes, mapping: Mapping2) -> Document:
    c = _Collector(mapping)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as exc:
        c.doc.problems.append(Problem("adx", "", f"is not well-formed, safe XML: {exc}"))
        return c.doc
    if root.tag != f"{{{ADX_NS}}}adx":
        c.doc.problems.append(Problem("adx", root.tag, f"the root must be adx in {ADX_NS}"))
        return c.doc
    for g, group in enumerate(root.findall(f"{{{ADX_NS}}}group"), start=1):
        gwhere = f"adx/group[{g}]"
        team = c.unit(group.get("orgUnit", ""), group.get("attributeOptionCombo", "default"),
                      f"{gwhere}/@orgUnit")
        label = c.period(group.get("period", ""), f"{gwhere}/@period", adx=True)
        c.claim(team, label, bool(group.get("completeDate")),
                group.get(f"{{{COIIN_NS}}}status"), gwhere)
        for v, dv in enumerate(group.findall(f"{{{ADX_NS}}}dataValue"), start=1):
            where = f"{gwhere}/dataValue[{v}]"
            if not dv.get("dataElement") or dv.get("value") is None:
                c.doc.problems.append(Problem(where, "", "needs dataElement and value"))
                continue
            note = dv.find(f"{{{ADX_NS}}}annotation")
            c.add(de=dv.get("dataElement", ""), coc=dv.get("categoryOptionCombo", "default"),
                  team=team, label=label, value=dv.get("value", "").strip(),
                  comment=(note.text or "").strip() if note is not None else "",
                  where=where)
    return c.done()
