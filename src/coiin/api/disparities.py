"""Disparities for signed-in callers: every stratum of a measure against a reference
stratum, per jurisdiction and year and for all reporting jurisdictions, computed from the
stored strata (the official figures where the store holds them, else the teams' locked
strata: ``coiin.reports.equity``) as the equity pages show them.

Unlike the public API's (``/public/disparities``), nothing is suppressed: a caller sees
every count of the jurisdictions whose figures ``coiin.access`` lets them see
(``VIEW_JURISDICTION_DATA``), and the sums over all jurisdictions (``US``) only if they
may see the national figures (``VIEW_NATIONAL``), exactly as on the pages.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from coiin import access
from coiin.access import Action
from coiin.measures.models import Measure, Stratum
from coiin.network.models import Jurisdiction
from coiin.reports import equity
from coiin.reports.equity import AGE_REFERENCE
from coiin.reports.equity_ages import AGE, RACE, By, has_ages, signed_in_rows
from coiin.reports.public.publication import NATIONAL
from coiin.stats import equity as stats

from .auth import TOKEN_OR_SESSION
from .errors import responses
from .public import GroupRowOut

router = Router(auth=TOKEN_OR_SESSION, tags=["data"])


class DisparityGroupsOut(Schema):
    measure: str
    reference: str
    method: str
    rows: list[GroupRowOut]


@router.get("/disparities/{code}/groups", response=responses(DisparityGroupsOut))
def group_disparities(request: HttpRequest, code: str, reference: str = "",
                      unit: str | None = None, year: int | None = None, by: By = RACE
                      ) -> DisparityGroupsOut:
    """Every stratum of a measure against ``reference`` (a stratum code; non-Hispanic
    White by default for race/ethnicity, 20-34 for the mother's age group): rate ratio
    and rate difference with 95 % confidence intervals, per jurisdiction the caller may
    see and year, and summed over all reporting jurisdictions (``unit`` ``US``, for those
    who see national figures). ``by`` ``race`` (the measure's strata, by default) or
    ``age`` (the mother's age group, from the official figures). ``unit`` and ``year``
    narrow the rows. 404 for a measure without such strata or an unknown jurisdiction;
    403 for a jurisdiction (or ``US``) the caller may not see; 422 for a ``by`` or a
    reference that is none."""
    measure = get_object_or_404(Measure, code=code)
    ages = by == AGE
    if not measure.is_ratio or not (has_ages(measure) if ages else measure.stratification):
        raise Http404("No strata" + (" by the mother's age group" if ages else ""))
    kind = Stratum.Kind.AGE_GROUP if ages else measure.stratification
    default = AGE_REFERENCE if ages else equity.REFERENCE
    codes = set(Stratum.objects.filter(kind=kind).values_list("code", flat=True))
    reference = reference or (default if default in codes else min(codes, default=""))
    if reference not in codes:
        raise HttpError(422, f"reference: {reference!r} is not a stratum of {measure.code} "
                             f"by {by} (one of {', '.join(sorted(codes))})")
    wanted = unit.upper() if unit else None
    national = access.can(request.user, Action.VIEW_NATIONAL)
    if wanted == NATIONAL:
        access.require(request.user, Action.VIEW_NATIONAL)
    elif wanted is not None:
        access.require(request.user, Action.VIEW_JURISDICTION_DATA,
                       get_object_or_404(Jurisdiction, postal_code=wanted))
    if ages:
        rows = signed_in_rows(measure, reference, lambda found: _visible(request, found),
                              unit=wanted, year=year, national=national)
    else:
        rows = _race_rows(request, measure, reference, wanted, year, national)
    return DisparityGroupsOut(measure=measure.code, reference=reference, method=str(equity.METHOD),
                              rows=[GroupRowOut(
                                  unit=u, unit_name=name, year=y, group=c.group,
                                  reference=c.reference, events=c.events,
                                  denominator=c.denominator, rate=c.rate or 0.0,
                                  ratio=c.ratio, ratio_lower=c.ratio_lower,
                                  ratio_upper=c.ratio_upper, difference=c.difference or 0.0,
                                  difference_lower=c.difference_lower,
                                  difference_upper=c.difference_upper,
                                  few_events=c.few_events, corrected=c.corrected)
                                  for u, name, y, c in rows])


def _race_rows(request: HttpRequest, measure: Measure, reference: str, wanted: str | None,
               year: int | None, national: bool
               ) -> list[tuple[str, str, int, stats.Comparison]]:
    counts, names = equity.stored_counts(measure)
    per = float(measure.multiplier)
    seen = _visible(request, {u for u, _, _ in counts})
    units = sorted({(u, y) for u, y, _ in counts if u in seen
                    and wanted in (None, u) and year in (None, y)},
                   key=lambda k: (names.get(k[0], k[0]), k[1]))
    rows = [(u, names.get(u, u), y, c) for u, y in units
            for c in equity.every_group(counts, u, y, per=per, reference=reference)]
    if national and wanted in (None, NATIONAL):
        for y in sorted({y for _, y, _ in counts if year in (None, y)}):
            rows += [(NATIONAL, "All reporting jurisdictions", y, c)
                     for c in equity.national_groups(counts, y, reference, per=per)]
    return rows


def _visible(request: HttpRequest, postals: set[str]) -> set[str]:
    """The postal codes among these whose figures the caller may see."""
    return {j.postal_code for j in Jurisdiction.objects.filter(postal_code__in=postals)
            if access.can(request.user, Action.VIEW_JURISDICTION_DATA, j)}
