"""The public API: read-only, no login, exactly what the public site shows.

Every figure comes from ``coiin.reports.public.publication.release``, the same disclosure-
controlled release the public pages and CSV downloads are drawn from: published measures
and levels only, locked data only, small counts suppressed (``null`` with the flag
``"suppressed"``). A table's rows are the public CSV's rows, field for field. The network
structure (jurisdictions, cohorts, learning networks) is public too; people never are.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from coiin.measures.models import Measure, Stratum
from coiin.network.models import Cohort, Jurisdiction, LearningNetwork, Team
from coiin.reports import equity, equity_ages
from coiin.reports.models import PublishedMeasure
from coiin.reports.public import publication, survey
from coiin.reports.public.publication import CSV_HEADER, Level

from .errors import responses

router = Router(auth=None, tags=["public"])


class PublishedLevelOut(Schema):
    level: str
    label: str
    strata: bool  # whether the strata are published at this level too
    synthetic: bool  # every figure at this level is synthetic (a demonstration), not real
    synthetic_strata: bool  # the strata's figures are synthetic


class PublishedMeasureOut(Schema):
    code: str
    name: str
    learning_network: str | None  # slug; None for a measure every network shares
    type: str
    unit: str
    multiplier: int
    stratification: str  # "" when the measure has no strata
    levels: list[PublishedLevelOut]


class RowOut(Schema):
    """One row of the public CSV. Counts are null when suppressed (the flag says so)."""

    measure: str
    level: str
    unit: str
    unit_name: str
    stratum: str | None
    year: int | None  # None: all years together
    numerator: int | None
    numerator_flag: str | None
    denominator: int | None
    denominator_flag: str | None
    rate: float | None  # a survey measure's weighted estimate (flag "survey estimate")
    rate_flag: str | None
    ci_lower: float | None = None  # a survey estimate's 95 % confidence interval
    ci_upper: float | None = None
    note: str | None = None  # e.g. "synthetic": the figures are not real


class TableOut(Schema):
    measure: str
    level: str
    threshold: int  # counts from 1 to threshold - 1 are suppressed
    unreliable_below: int  # rates on fewer events are flagged unreliable
    rows: list[RowOut]


class CohortOut(Schema):
    year: int
    name: str
    jurisdictions: list[str]


class PublicJurisdictionOut(Schema):
    postal_code: str
    name: str
    kind: str
    hhs_region: int
    cohort: int
    learning_networks: list[str]


class LearningNetworkOut(Schema):
    slug: str
    name: str
    short_name: str
    aim: str
    jurisdictions: list[str]


class NetworkOut(Schema):
    cohorts: list[CohortOut]
    jurisdictions: list[PublicJurisdictionOut]
    learning_networks: list[LearningNetworkOut]


@router.get("/measures", response=responses(list[PublishedMeasureOut], auth=False))
def published_measures(request: HttpRequest) -> list[PublishedMeasureOut]:
    """Published measures, by code, with their published levels."""
    levels: dict[int, list[PublishedLevelOut]] = {}
    measures: dict[int, Measure] = {}
    for pub in PublishedMeasure.objects.select_related("measure__learning_network") \
            .order_by("measure__code", "level"):
        measures[pub.measure_id] = pub.measure
        levels.setdefault(pub.measure_id, []).append(PublishedLevelOut(
            level=pub.level, label=pub.get_level_display(),
            strata=bool(pub.publish_strata and pub.measure.stratification),
            synthetic=pub.synthetic, synthetic_strata=pub.synthetic_strata))
    return [PublishedMeasureOut(
        code=m.code, name=m.name,
        learning_network=m.learning_network.slug if m.learning_network else None,
        type=m.type, unit=m.unit, multiplier=m.multiplier, stratification=m.stratification,
        levels=levels[pk]) for pk, m in measures.items()]


def _count(text: str) -> int | None:
    return int(text) if text else None


def _row(fields: list[str]) -> RowOut:
    r = dict(zip(CSV_HEADER, fields, strict=True))
    return RowOut(
        measure=r["measure"], level=r["level"], unit=r["unit"], unit_name=r["unit_name"],
        stratum=r["stratum"] or None,
        year=None if r["year"] == "all years" else int(r["year"]),
        numerator=_count(r["numerator"]), numerator_flag=r["numerator_flag"] or None,
        denominator=_count(r["denominator"]), denominator_flag=r["denominator_flag"] or None,
        rate=float(r["rate"]) if r["rate"] else None, rate_flag=r["rate_flag"] or None,
        ci_lower=float(r["ci_lower"]) if r["ci_lower"] else None,
        ci_upper=float(r["ci_upper"]) if r["ci_upper"] else None, note=r["note"] or None)


@router.get("/measures/{code}/{level}", response=responses(TableOut, auth=False))
def published_table(request: HttpRequest, code: str, level: str,
                    unit: str | None = None) -> TableOut:
    """A measure's released table at one level: the public CSV's rows as JSON.

    ``level`` is ``jurisdiction``, ``network`` or ``national``; ``unit`` (a postal code or
    a learning network's slug) narrows it to one jurisdiction or network. Strata follow the
    totals where they are published. 404 when the measure is not published at that level.
    """
    measure = get_object_or_404(Measure, code=code)
    if level not in Level.values:
        raise Http404("Unknown level")
    r = publication.release(measure)
    if r is None or level not in r.levels:
        raise Http404("Not published")
    if measure.is_survey:  # weighted estimates with their intervals, no counts
        unit = unit.upper() if unit and level == Level.JURISDICTION else unit
        found = survey.rows(measure, level, unit)
        if unit is not None and not found:
            raise Http404("No published figures for that unit")
        return TableOut(measure=measure.code, level=level, threshold=publication.threshold(),
                        unreliable_below=publication.unreliable_below(),
                        rows=[_row(f) for f in survey.csv_rows(measure, level, found)])
    if unit is not None:
        unit = unit.upper() if level == Level.JURISDICTION else unit
        if unit not in r.units(level):
            raise Http404("No published figures for that unit")
    return TableOut(measure=measure.code, level=level, threshold=publication.threshold(),
                    unreliable_below=publication.unreliable_below(),
                    rows=[_row(f) for f in r.csv_rows(level, unit)])


class DisparityRowOut(Schema):
    """One unit-year: the group's rate against the reference group's (per the measure's
    multiplier), their ratio and difference with 95 % confidence intervals."""

    unit: str
    unit_name: str
    year: int
    group: str
    reference: str
    group_events: int
    group_denominator: int
    group_rate: float
    reference_events: int
    reference_denominator: int
    reference_rate: float
    ratio: float | None  # None when the reference group had no events
    ratio_lower: float | None
    ratio_upper: float | None
    difference: float
    difference_lower: float
    difference_upper: float
    few_events: bool  # a rate rests on fewer than 20 events


class DisparitiesOut(Schema):
    measure: str
    method: str
    synthetic: bool  # computed from synthetic strata (a demonstration): not real
    rows: list[DisparityRowOut]


@router.get("/disparities/{code}", response=responses(DisparitiesOut, auth=False))
def published_disparities(request: HttpRequest, code: str,
                          unit: str | None = None) -> DisparitiesOut:
    """The Black:White ratio of a measure per jurisdiction and year, and for all reporting
    jurisdictions (``unit`` ``US``), computed from the published strata only: a year where
    either group's count is suppressed has no row. 404 when the measure's strata are not
    published per jurisdiction."""
    measure = get_object_or_404(Measure, code=code)
    r = publication.release(measure)
    if r is None or not measure.is_ratio or not r.has_strata(Level.JURISDICTION):
        raise Http404("No published strata")
    rows = equity.from_release(r, unit=unit.upper() if unit else None)
    every, strata = r.synthetic.get(Level.JURISDICTION, (False, False))
    return DisparitiesOut(measure=measure.code, method=str(equity.METHOD),
                          synthetic=every or strata, rows=[DisparityRowOut(
        unit=x.unit, unit_name=x.name, year=x.year, group=equity.GROUP,
        reference=equity.REFERENCE, group_events=x.group.events,
        group_denominator=x.group.denominator, group_rate=x.group.rate,
        reference_events=x.reference.events, reference_denominator=x.reference.denominator,
        reference_rate=x.reference.rate, ratio=x.group.ratio, ratio_lower=x.group.ratio_lower,
        ratio_upper=x.group.ratio_upper, difference=x.group.difference,
        difference_lower=x.group.difference_lower, difference_upper=x.group.difference_upper,
        few_events=x.few_events) for x in rows])


class GroupRowOut(Schema):
    """One group of one unit-year against the reference group (its own row: ratio 1)."""

    unit: str
    unit_name: str
    year: int
    group: str
    reference: bool  # this row is the reference group
    events: int
    denominator: int
    rate: float
    ratio: float | None  # None when the reference group had no events
    ratio_lower: float | None
    ratio_upper: float | None
    difference: float
    difference_lower: float | None
    difference_upper: float | None
    few_events: bool  # the rate rests on fewer than 20 events
    corrected: bool  # a zero count was taken as 0.5 for the intervals


class GroupsOut(Schema):
    measure: str
    reference: str
    method: str
    synthetic: bool  # computed from synthetic strata (a demonstration): not real
    rows: list[GroupRowOut]


@router.get("/disparities/{code}/groups", response=responses(GroupsOut, auth=False))
def published_group_disparities(request: HttpRequest, code: str, reference: str = "",
                                unit: str | None = None, by: equity_ages.By = equity_ages.RACE
                                ) -> GroupsOut:
    """Every published stratum of a measure against a reference stratum (``reference``, a
    stratum code; non-Hispanic White by default for race/ethnicity, 20-34 for the
    mother's age group), per jurisdiction and year and for all reporting jurisdictions
    (``US``): rate ratio and rate difference with 95 % confidence intervals, from the
    published strata only. ``by``: ``race`` (the measure's strata, by default) or ``age``
    (the mother's age group, from the official figures: a jurisdiction-year appears only
    when every age group has at least the suppression threshold's events and births, and
    the national sums add up only those). 404 when the measure's strata are not published
    per jurisdiction; 422 for a ``by`` or a reference that is none."""
    measure = get_object_or_404(Measure, code=code)
    r = publication.release(measure)
    ages = by == equity_ages.AGE
    if r is None or not measure.is_ratio or not (
            equity_ages.published(r) if ages else r.has_strata(Level.JURISDICTION)):
        raise Http404("No published strata" + (" by the mother's age group" if ages else ""))
    kind = Stratum.Kind.AGE_GROUP if ages else measure.stratification
    default = equity.AGE_REFERENCE if ages else equity.REFERENCE
    codes = set(Stratum.objects.filter(kind=kind).values_list("code", flat=True))
    reference = reference or (default if default in codes else min(codes, default=""))
    if reference not in codes:
        raise HttpError(422, f"reference: {reference!r} is not a stratum of {measure.code} "
                             f"by {by} (one of {', '.join(sorted(codes))})")
    wanted = unit.upper() if unit else None
    if ages:
        rows = equity_ages.public_groups(r, reference, unit=wanted)
    else:
        rows = equity.groups_from_release(r, reference, unit=wanted)
    every, strata = r.synthetic.get(Level.JURISDICTION, (False, False))
    return GroupsOut(measure=measure.code, reference=reference, method=str(equity.METHOD),
                     synthetic=every or (strata and not ages), rows=[GroupRowOut(
                         unit=u, unit_name=name, year=year, group=c.group,
                         reference=c.reference, events=c.events, denominator=c.denominator,
                         rate=c.rate or 0.0, ratio=c.ratio, ratio_lower=c.ratio_lower,
                         ratio_upper=c.ratio_upper, difference=c.difference or 0.0,
                         difference_lower=c.difference_lower,
                         difference_upper=c.difference_upper, few_events=c.few_events,
                         corrected=c.corrected) for u, name, year, c in rows])


@router.get("/network", response=responses(NetworkOut, auth=False))
def network_structure(request: HttpRequest) -> NetworkOut:
    """The network's shape: cohorts, jurisdictions and learning networks (no people)."""
    teams = list(Team.objects.select_related("jurisdiction", "learning_network")
                 .order_by("learning_network__position", "jurisdiction__postal_code"))
    nets_of: dict[int, list[str]] = {}
    members: dict[int, list[str]] = {}
    for t in teams:
        nets_of.setdefault(t.jurisdiction_id, [])
        if t.learning_network.slug not in nets_of[t.jurisdiction_id]:
            nets_of[t.jurisdiction_id].append(t.learning_network.slug)
        members.setdefault(t.learning_network_id, [])
        if t.jurisdiction.postal_code not in members[t.learning_network_id]:
            members[t.learning_network_id].append(t.jurisdiction.postal_code)
    jurisdictions = list(Jurisdiction.objects.select_related("cohort").order_by("postal_code"))
    return NetworkOut(
        cohorts=[CohortOut(year=c.year, name=c.name,
                           jurisdictions=[j.postal_code for j in jurisdictions
                                          if j.cohort_id == c.pk])
                 for c in Cohort.objects.order_by("year")],
        jurisdictions=[PublicJurisdictionOut(postal_code=j.postal_code, name=j.name, kind=j.kind,
                                       hhs_region=j.hhs_region, cohort=j.cohort.year,
                                       learning_networks=nets_of.get(j.pk, []))
                       for j in jurisdictions],
        learning_networks=[LearningNetworkOut(slug=n.slug, name=n.name,
                                              short_name=n.short_name, aim=n.aim,
                                              jurisdictions=members.get(n.pk, []))
                           for n in LearningNetwork.objects.order_by("position", "slug")])
