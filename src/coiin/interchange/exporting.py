"""The values of team-periods as records, and each format's document of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet

from coiin.measures.models import DataValue, Measure, Stratum, Submission, TeamMeasure
from coiin.measures.periods import Frequency, Period
from coiin.measures.samples import as_text

from . import dhis2, fhir, mapping
from .records import CannotCarry, Record, sampled_refusal

TEXT_TYPES = (Measure.Type.CATEGORICAL, Measure.Type.TEXT)
SURVEY_TYPES = (Measure.Type.RATIO, Measure.Type.COUNT)  # as validation has them


def _text(d: Decimal | None) -> str:
    return "" if d is None else f"{d.normalize():f}"


def records(submissions: QuerySet[Submission]
            ) -> tuple[list[Record], dict[tuple[str, str, str], str]]:
    """The teams' values of these team-periods (measures reported by site left out: their
    team figure is their sites' sum), and each team-period's status."""
    by_site = set(TeamMeasure.objects.filter(by_site=True).values_list("team_id",
                                                                        "measure_id"))
    values = (
        DataValue.objects.filter(submission__in=submissions.values("pk"))
        .order_by("submission__team__jurisdiction__postal_code",
                  "submission__team__learning_network__slug", "measure__code",
                  "submission__period_start", F("stratum__position").asc(nulls_first=True))
        .values_list("submission__team_id", "measure_id",
                     "submission__team__jurisdiction__postal_code",
                     "submission__team__learning_network__slug", "measure__code",
                     "measure__type", "submission__frequency", "submission__period_start",
                     "stratum__code", "numerator", "denominator", "value", "text", "comment",
                     "submission__status", "standard_error", "ci_lower", "ci_upper",
                     "sample_size", "measurements"))
    out, statuses = [], {}
    for (team_id, measure_id, postal, network, code, mtype, freq, start, stratum, num, den,
         value, text, comment, status, se, lower, upper, n, samples) in values.iterator(
            chunk_size=2000):
        if (team_id, measure_id) in by_site:
            continue
        label = Period(start, Frequency(freq)).label
        out.append(Record(postal, network, code, label, stratum or "", _text(num), _text(den),
                          text if mtype in TEXT_TYPES else _text(value), comment,
                          _text(se), _text(lower), _text(upper),
                          "" if n is None else str(n), as_text(samples)))
        statuses[(postal, network, label)] = status
    return out, statuses


def dumps(doc: Any) -> bytes:
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        raise TypeError(type(o).__name__)

    return json.dumps(doc, indent=1, default=default, ensure_ascii=False).encode()


def measures_bundle() -> dict[str, Any]:
    strata: dict[str, list[Stratum]] = {}
    for s in Stratum.objects.all():
        strata.setdefault(s.kind, []).append(s)
    return fhir.bundle(fhir.measure_resource(m, strata.get(m.stratification, []))
                       for m in Measure.objects.order_by("code"))


def reports(submissions: QuerySet[Submission]) -> Iterator[dict[str, Any]]:
    """One MeasureReport per team, measure and period (validated)."""
    rows, statuses = records(submissions)
    measures = {m.code: m for m in Measure.objects.all()}
    labels = {s.code: s.english for s in Stratum.objects.all()}  # exchanged in English
    group: list[Record] = []
    for r in [*rows, None]:
        if group and (r is None or (r.jurisdiction, r.network, r.measure, r.period) != (
                group[0].jurisdiction, group[0].network, group[0].measure, group[0].period)):
            first = group[0]
            yield fhir.measure_report(measures[first.measure], statuses[first.period_key],
                                      group, labels)
            group = []
        if r is not None:
            group.append(r)


def write_fhir(submissions: QuerySet[Submission]) -> bytes:
    return dumps(fhir.bundle(reports(submissions), kind="collection"))


def _kinds() -> dict[str, str]:
    """Each measure's type, ``survey`` for a survey estimate (see ``dhis2``)."""
    return {m.code: "survey" if m.is_survey and m.type in SURVEY_TYPES else m.type
            for m in Measure.objects.only("code", "type", "data_source")}


def _dhis2_records(submissions: QuerySet[Submission], fmt: str
                   ) -> tuple[list[Record], dict[tuple[str, str, str], str]]:
    """The records DHIS2 carries; CannotCarry naming the sampled measures among them
    (their individual measurements are not one number)."""
    rows, statuses = records(submissions)
    sampled = [r.measure for r in rows if r.measurements]
    if sampled:
        raise CannotCarry(f"Nothing was exported: {sampled_refusal(sampled, fmt)}.")
    return rows, statuses


def write_dhis2_json(submissions: QuerySet[Submission]) -> bytes:
    rows, statuses = _dhis2_records(submissions, "DHIS2")
    return dumps(dhis2.to_json(rows, statuses, mapping.current(), _kinds()))


def write_adx(submissions: QuerySet[Submission]) -> bytes:
    rows, statuses = _dhis2_records(submissions, "ADX")
    return dhis2.to_adx(rows, statuses, mapping.current(), _kinds())
