"""FHIR R4 (the R4B models of ``fhir.resources``): the catalog's measures as ``Measure``
resources, a team's measure in a period as a summary ``MeasureReport``, Bundles of them, and
the reading of a Bundle back into records. Every resource written or read is validated
with ``fhir.resources``. No database here: callers pass the objects in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import import_module
from typing import Any

from pydantic import ValidationError

from .records import (
    CANONICAL,
    STATUSES,
    BadPeriod,
    Document,
    Problem,
    Record,
    StatusClaim,
    dates_to_label,
    label_dates,
)

FHIR_VERSION = "4.3.0"  # R4B: MeasureReport and Measure as in R4
SCORING = "http://terminology.hl7.org/CodeSystem/measure-scoring"
POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"
IMPROVEMENT = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
EXT_STATUS = f"{CANONICAL}/StructureDefinition/workflow-status"
EXT_COMMENT = f"{CANONICAL}/StructureDefinition/comment"
EXT_TEXT = f"{CANONICAL}/StructureDefinition/text-answer"
EXT_EXACT = f"{CANONICAL}/StructureDefinition/exact-count"
# A survey measure's report: the weighted estimate is the measureScore (no populations: the
# respondents are not the estimate's numerator and denominator); these carry the rest.
EXT_SURVEY = f"{CANONICAL}/StructureDefinition/survey-estimate"  # on the Measure
EXT_SE = f"{CANONICAL}/StructureDefinition/survey-standard-error"  # valueDecimal
EXT_CI = f"{CANONICAL}/StructureDefinition/survey-confidence-interval"  # valueRange, 95 %
EXT_N = f"{CANONICAL}/StructureDefinition/survey-sample-size"  # valueInteger, unweighted
# A sampled measure's report: its measureScore is the mean of the period's individual
# measurements, each of which is one of these extensions (valueDecimal), in order.
EXT_MEASUREMENT = f"{CANONICAL}/StructureDefinition/measurement"
STRATA_SYSTEM = f"{CANONICAL}/CodeSystem/stratum"
TEAM_SYSTEM = f"{CANONICAL}/team"


_MODELS = {"Bundle": "bundle", "Measure": "measure", "MeasureReport": "measurereport",
           "OperationOutcome": "operationoutcome"}


@cache
def _model(resource_type: str) -> Any:
    """The fhir.resources R4B model of a resource type, imported when first needed: the
    models take a noticeable part of a second to import, and most processes (a page, a
    report) never touch FHIR."""
    module = import_module(f"fhir.resources.R4B.{_MODELS[resource_type]}")
    return getattr(module, resource_type)


def validate(resource: dict[str, Any]) -> None:
    """Validate a resource against its R4B model (raises pydantic's ValidationError)."""
    _model(resource["resourceType"]).model_validate(resource)


def measure_url(code: str) -> str:
    return f"{CANONICAL}/Measure/{code}"


def team_id(postal: str, network: str) -> str:
    return f"{postal}-{network}"


def _fhir_id(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "." for c in text)[:64]


def _is_survey(m: Any) -> bool:
    """A survey estimate with its standard error, CI and n (validation's survey measures)."""
    return bool(getattr(m, "is_survey", False)) and m.type in ("ratio", "count")


def _scoring(m: Any) -> str:
    if m.type == "ratio":
        return "proportion" if m.is_proportion else "ratio"
    if m.type in ("count", "sampled"):
        return "continuous-variable"
    return "cohort"  # a categorical or free-text answer: who answered, no score


def _concept(system: str, code: str, display: str = "") -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _definition(code: str, display: str, text: str) -> dict[str, Any]:
    """A Measure population: its code and its definition in words (the catalog's)."""
    return {"code": _concept(POPULATION, code, display), "description": text,
            "criteria": {"language": "text/plain", "expression": text}}


def measure_resource(m: Any, strata: Sequence[Any]) -> dict[str, Any]:
    """A catalog measure as a FHIR Measure (validated)."""
    if m.type == "ratio":
        populations = [_definition("numerator", "Numerator", m.numerator_definition or m.name),
                       _definition("denominator", "Denominator",
                                   m.denominator_definition or "Denominator")]
    elif m.type in ("count", "sampled"):
        populations = [_definition("measure-observation", "Measure Observation",
                                   m.numerator_definition or m.name)]
    else:
        populations = [_definition("initial-population", "Initial Population", m.name)]
    group: dict[str, Any] = {"population": populations}
    if m.stratification:
        group["stratifier"] = [{
            "code": {"text": m.get_stratification_display()},
            "description": "; ".join(f"{s.code}: {s.english}" for s in strata) or None,
        }]
        if group["stratifier"][0]["description"] is None:
            del group["stratifier"][0]["description"]
    resource: dict[str, Any] = {
        "resourceType": "Measure", "id": _fhir_id(m.code), "url": measure_url(m.code),
        "name": "".join(c for c in m.code if c.isalnum()) or "Measure",
        "title": m.name, "status": "active",
        "scoring": _concept(SCORING, _scoring(m)),
        "group": [group],
    }
    if m.direction in ("up", "down"):
        notation = "increase" if m.direction == "up" else "decrease"
        resource["improvementNotation"] = _concept(IMPROVEMENT, notation)
    if m.unit:
        resource["description"] = f"{m.name} ({m.unit})"
    if _is_survey(m):
        # Scored as what the estimate is (a proportion, a rate); said to be survey-based.
        resource["extension"] = [{"url": EXT_SURVEY, "valueBoolean": True}]
        resource["rateAggregation"] = "survey-weighted estimate"
        source = getattr(m, "data_source_en", None) or m.data_source  # English, as the rest
        resource["description"] = (
            f"{resource.get('description', m.name)}. A weighted survey estimate "
            f"({source}): a report's measureScore is the estimate, with no populations; "
            "its standard error, 95 % confidence interval and unweighted sample size are in "
            f"the extensions {EXT_SE}, {EXT_CI} and {EXT_N}.")
    if m.type == "sampled":
        resource["description"] = (
            f"{resource.get('description', m.name)}. Sampled: a report's measureScore is the "
            f"mean of the period's individual measurements, each given in order in the "
            f"extension {EXT_MEASUREMENT}.")
    if m.source:
        resource["purpose"] = m.source
    validate(resource)
    return resource


# -- writing reports -------------------------------------------------------------------------


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _population(code: str, text: str) -> dict[str, Any]:
    pop: dict[str, Any] = {"code": _concept(POPULATION, code)}
    number = _number(text)
    if number is not None:
        if number == number.to_integral_value():
            pop["count"] = int(number)
        else:  # a weighted count: exact in an extension, FHIR's count being whole
            pop["extension"] = [{"url": EXT_EXACT, "valueDecimal": number}]
    return pop


def _fill(target: dict[str, Any], m: Any, r: Record) -> None:
    """A value's numbers (populations, score), answer and comment into a group or stratum."""
    ext: list[dict[str, Any]] = []
    if _is_survey(m):
        if r.value:
            target["measureScore"] = {"value": _number(r.value), "unit": m.unit or None}
        ext += _survey_extensions(r)
    elif m.type == "ratio":
        target["population"] = [_population("numerator", r.numerator),
                                _population("denominator", r.denominator)]
        num, den = _number(r.numerator), _number(r.denominator)
        if num is not None and den:
            score = (num / den * m.multiplier).quantize(Decimal("0.0001"))
            target["measureScore"] = {"value": score, "unit": m.unit or None}
    elif m.type == "count":
        if r.value:
            target["measureScore"] = {"value": _number(r.value), "unit": m.unit or None}
    elif m.type == "sampled":
        if r.value:
            target["measureScore"] = {"value": _number(r.value), "unit": m.unit or None}
        ext += [{"url": EXT_MEASUREMENT, "valueDecimal": Decimal(v.strip())}
                for v in r.measurements.split(";") if v.strip()]
    elif r.value:
        ext.append({"url": EXT_TEXT, "valueString": r.value})
    if "measureScore" in target and target["measureScore"]["unit"] is None:
        del target["measureScore"]["unit"]
    if r.comment:
        ext.append({"url": EXT_COMMENT, "valueString": r.comment})
    if ext:
        target["extension"] = ext


def _survey_extensions(r: Record) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if r.standard_error:
        out.append({"url": EXT_SE, "valueDecimal": _number(r.standard_error)})
    if r.ci_lower or r.ci_upper:
        interval = {end: {"value": _number(text)} for end, text in (
            ("low", r.ci_lower), ("high", r.ci_upper)) if text}
        out.append({"url": EXT_CI, "valueRange": interval})
    if r.sample_size:
        out.append({"url": EXT_N, "valueInteger": int(r.sample_size)})
    return out


def measure_report(m: Any, status: str, records: Sequence[Record],
                   strata_labels: Mapping[str, str], team_name: str = "") -> dict[str, Any]:
    """A team's measure in one period, with its strata, as a summary MeasureReport
    (validated). ``records`` share team, measure and period; ``status`` is the team-period's
    workflow status."""
    first = records[0]
    start, end = label_dates(first.period)
    group: dict[str, Any] = {"code": {"text": m.code}}
    total = next((r for r in records if not r.stratum), None)
    if total is not None:
        _fill(group, m, total)
    strata = [r for r in records if r.stratum]
    if strata:
        group["stratifier"] = [{
            "code": [{"text": m.get_stratification_display()}],
            "stratum": [_stratum(m, r, strata_labels) for r in strata]}]
    report: dict[str, Any] = {
        "resourceType": "MeasureReport",
        "id": _fhir_id(f"{first.jurisdiction}-{first.network}-{m.code}-{first.period}"),
        "extension": [{"url": EXT_STATUS, "valueCode": status}],
        "status": "pending" if status == "draft" else "complete",
        "type": "summary", "measure": measure_url(m.code),
        "subject": {"reference": f"Group/{team_id(first.jurisdiction, first.network)}",
                    "identifier": {"system": TEAM_SYSTEM,
                                   "value": team_id(first.jurisdiction, first.network)}},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "group": [group],
    }
    if team_name:
        report["subject"]["display"] = team_name
    if m.direction in ("up", "down"):
        report["improvementNotation"] = _concept(
            IMPROVEMENT, "increase" if m.direction == "up" else "decrease")
    validate(report)
    return report


def _stratum(m: Any, r: Record, labels: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _concept(STRATA_SYSTEM, r.stratum,
                                             labels.get(r.stratum, ""))}
    _fill(out, m, r)
    return out


def bundle(resources: Iterable[dict[str, Any]], kind: str = "collection",
           base: str = "") -> dict[str, Any]:
    """A Bundle of resources (collection, searchset or transaction), validated."""
    entries = []
    for res in resources:
        entry: dict[str, Any] = {"resource": res}
        if base:
            entry["fullUrl"] = f"{base}/{res['resourceType']}/{res['id']}"
        if kind == "transaction":
            entry["request"] = {"method": "PUT", "url": f"{res['resourceType']}/{res['id']}"}
        elif kind == "searchset":
            entry["search"] = {"mode": "match"}
        entries.append(entry)
    out: dict[str, Any] = {"resourceType": "Bundle", "type": kind,
                           "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                           "entry": entries}
    if kind == "searchset":
        out["total"] = len(entries)
    validate(out)
    return out


def operation_outcome(problems: Sequence[Problem]) -> dict[str, Any]:
    """The problems of a refused Bundle, each issue naming its place (``expression``)."""
    out = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "invalid" if "FHIR" in p.reason else "business-rule",
         "diagnostics": f"{p.reason}" + (f" (found {p.value!r})" if p.value else ""),
         "expression": [p.where]} for p in problems]}
    validate(out)
    return out


# -- reading ---------------------------------------------------------------------------------


def _loc(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def read_bundle(data: Any) -> Document:
    """A Bundle (transaction, batch or collection) of MeasureReports as records, each
    problem named by its FHIRPath-like place (``Bundle.entry[3].resource.period``)."""
    doc = Document()
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        doc.problems.append(Problem("Bundle", str(data.get("resourceType", ""))
                                    if isinstance(data, dict) else "",
                                    "is not a FHIR Bundle (resourceType must be Bundle)"))
        return doc
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        doc.problems.append(Problem("Bundle.entry", "", "must be a list of entries"))
        return doc
    shell = {k: v for k, v in data.items() if k != "entry"}
    try:
        validate(shell)
    except ValidationError as exc:
        for e in exc.errors():
            doc.problems.append(Problem(f"Bundle{_loc(e['loc'])}", _shown(e.get("input")),
                                        f"not valid FHIR: {e['msg']}"))
    for i, entry in enumerate(entries):
        where = f"Bundle.entry[{i}].resource"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "MeasureReport":
            kind = resource.get("resourceType", "") if isinstance(resource, dict) else ""
            doc.problems.append(Problem(where, str(kind), "is not a MeasureReport; only "
                                        "MeasureReports are stored"))
            continue
        try:
            validate(resource)
        except ValidationError as exc:
            for e in exc.errors():
                doc.problems.append(Problem(f"{where}{_loc(e['loc'])}",
                                            _shown(e.get("input")),
                                            f"not valid FHIR: {e['msg']}"))
            continue
        _read_report(resource, where, doc)
    return doc


def _shown(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)[:80]


def _ext(node: Mapping[str, Any], url: str) -> Any:
    for e in node.get("extension") or []:
        if e.get("url") == url:
            for k, v in e.items():
                if k.startswith("value"):
                    return v
    return None


def _read_report(res: Mapping[str, Any], where: str, doc: Document) -> None:
    bad = len(doc.problems)
    if res.get("type") != "summary":
        doc.problems.append(Problem(f"{where}.type", str(res.get("type", "")),
                                    "only summary reports are stored"))
    status = res.get("status")
    if status not in ("complete", "pending"):
        doc.problems.append(Problem(f"{where}.status", str(status or ""),
                                    "must be complete or pending"))
    url = str(res.get("measure") or "")
    code = url.rsplit("/Measure/", 1)[1] if "/Measure/" in url else ""
    if not code:
        doc.problems.append(Problem(f"{where}.measure", url, "is not a Measure's canonical "
                                    "URL ending in /Measure/<code>"))
    subject = res.get("subject") or {}
    ref = str(subject.get("reference") or "")
    postal, _, network = ref.removeprefix("Group/").partition("-")
    if not ref.startswith("Group/") or not postal or not network:
        doc.problems.append(Problem(f"{where}.subject.reference", ref, "must name a team as "
                                    "Group/<jurisdiction>-<network>, e.g. Group/GA-safe-sleep"))
    period = res.get("period") or {}
    label = ""
    try:
        label = dates_to_label(str(period.get("start", "")), str(period.get("end", "")))
    except BadPeriod:
        doc.problems.append(Problem(f"{where}.period", f"{period.get('start', '')}/"
                                    f"{period.get('end', '')}", "is not exactly one month, "
                                    "quarter, half-year or year"))
    workflow = _ext(res, EXT_STATUS)
    if workflow is not None and workflow not in STATUSES:
        doc.problems.append(Problem(f"{where}.extension", str(workflow),
                                    f"workflow status must be one of {', '.join(STATUSES)}"))
    elif workflow is not None and (workflow == "draft") != (status == "pending"):
        doc.problems.append(Problem(f"{where}.status", str(status), f"does not agree with "
                                    f"the workflow status {workflow}"))
    if len(doc.problems) > bad:
        return
    doc.statuses.append(StatusClaim(postal, network, label, workflow or (
        "draft" if status == "pending" else "submitted"), where))
    for g, group in enumerate(res.get("group") or []):
        gwhere = f"{where}.group[{g}]"
        base = {"jurisdiction": postal, "network": network, "measure": code, "period": label}
        if _has_value(group):
            doc.records.append(_record(group, gwhere, base, ""))
        for s, stratifier in enumerate(group.get("stratifier") or []):
            for t, stratum in enumerate(stratifier.get("stratum") or []):
                swhere = f"{gwhere}.stratifier[{s}].stratum[{t}]"
                codings = (stratum.get("value") or {}).get("coding") or []
                stratum_code = codings[0].get("code", "") if codings else ""
                if not stratum_code:
                    doc.problems.append(Problem(f"{swhere}.value", "", "names no stratum "
                                                "code"))
                    continue
                doc.records.append(_record(stratum, swhere, base, stratum_code))


def _has_value(node: Mapping[str, Any]) -> bool:
    return bool(node.get("population") or node.get("measureScore")
                or any(_ext(node, url) is not None for url in (EXT_TEXT, EXT_SE, EXT_CI,
                                                               EXT_N, EXT_MEASUREMENT)))


def _record(node: Mapping[str, Any], where: str, base: Mapping[str, str],
            stratum: str) -> Record:
    r = Record(**base, stratum=stratum, where=where)
    for p, pop in enumerate(node.get("population") or []):
        codings = (pop.get("code") or {}).get("coding") or []
        code = codings[0].get("code", "") if codings else ""
        column = {"numerator": "numerator", "denominator": "denominator"}.get(code, "value")
        exact = _ext(pop, EXT_EXACT)
        count = pop.get("count")
        text = str(exact) if exact is not None else ("" if count is None else str(count))
        setattr(r, column, text)
        r.paths[column] = f"{where}.population[{p}].count"
        r.values[column] = text
    if not node.get("population") and node.get("measureScore"):
        value = node["measureScore"].get("value")
        r.value = "" if value is None else str(value)
        r.paths["value"] = f"{where}.measureScore.value"
        r.values["value"] = r.value
    answer = _ext(node, EXT_TEXT)
    if answer is not None:
        r.value = str(answer)
        r.paths["value"] = f"{where}.extension"
    r.comment = str(_ext(node, EXT_COMMENT) or "")
    _read_survey(node, where, r)
    _read_measurements(node, where, r)
    return r


def _read_measurements(node: Mapping[str, Any], where: str, r: Record) -> None:
    """A sampled measure's individual measurements from their extensions, in order; the
    measureScore (their mean) is then worked out again from them, not read."""
    found = [(e, ext.get("valueDecimal")) for e, ext in enumerate(node.get("extension") or [])
             if ext.get("url") == EXT_MEASUREMENT]
    if not found:
        return
    r.measurements = "; ".join("" if v is None else str(v) for _, v in found)
    r.paths["measurements"] = f"{where}.extension[{found[0][0]}]"
    r.values["measurements"] = r.measurements
    if r.paths.get("value", "").endswith(".measureScore.value"):
        r.value = ""
        del r.paths["value"]
        r.values.pop("value", None)


def _read_survey(node: Mapping[str, Any], where: str, r: Record) -> None:
    """A survey estimate's standard error, CI and n from their extensions."""
    for e, ext in enumerate(node.get("extension") or []):
        url, at = ext.get("url"), f"{where}.extension[{e}]"
        found: list[tuple[str, Any, str]] = []
        if url == EXT_SE:
            found = [("standard_error", ext.get("valueDecimal"), f"{at}.valueDecimal")]
        elif url == EXT_N:
            found = [("sample_size", ext.get("valueInteger"), f"{at}.valueInteger")]
        elif url == EXT_CI:
            interval = ext.get("valueRange") or {}
            found = [(column, (interval.get(end) or {}).get("value"),
                      f"{at}.valueRange.{end}.value")
                     for column, end in (("ci_lower", "low"), ("ci_upper", "high"))]
        for column, value, path in found:
            if value is not None:
                text = str(value)
                setattr(r, column, text)
                r.paths[column] = path
                r.values[column] = text
