"""Disparities by the mother's age group where those by race/ethnicity are shown: the
national page, the reports, both APIs and the public site. Each group is compared with
mothers aged 20-34 by ``coiin.reports.equity``'s own functions (``every_group``,
``national_groups``, ``kept_groups``): the statistics are computed in one place only.

The counts are the official figures' (``equity.age_counts``: WONDER's nine age groups
folded into the catalog's three, a group with any suppressed part left without a figure).
A sum over jurisdictions adds up only the jurisdiction-years with a figure for every age
group, so that each group's sum covers the same jurisdictions as the reference's.

In public (``public_groups``) disclosure control covers the age groups too: a
jurisdiction-year's groups appear only when every one of them rests on at least
``publication.threshold()`` events (and births) and none of their figures is
provisional, and the national sums add up only the jurisdiction-years shown. Either every
group of a jurisdiction-year is shown or none is, so no hidden group can be worked out
from the jurisdiction's published total and the groups shown, nor a hidden
jurisdiction's group from a national sum and the jurisdictions shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from coiin.measures.catalog import FROM_VITALS
from coiin.measures.models import Measure
from coiin.stats import equity as stats

from . import equity
from .equity import AGE_REFERENCE, KeptGroups
from .public import publication
from .public.publication import NATIONAL, Level, threshold

if TYPE_CHECKING:
    # A release's module brings the suppression search (and scipy), which a report's
    # disparities do not need: ``published`` reaches it through the package when called.
    from .public.publication import Release

RACE, AGE = "race", "age"
By = Literal["race", "age"]  # what the APIs' ``by`` may be (any other value: 422)
Counts = dict[tuple[str, int, str], tuple[int, int]]


def has_ages(measure: Measure) -> bool:
    """Whether the measure is read from the official figures store, which holds the
    figures by the mother's age group."""
    spec = FROM_VITALS.get(measure.code)
    return measure.is_ratio and spec is not None and not spec.mother_race


def complete(counts: Mapping[tuple[str, int, str], tuple[int, int]],
             codes: Iterable[str]) -> Counts:
    """Only the unit-years with a figure (and births) for every one of ``codes``."""
    wanted = set(codes)
    found: dict[tuple[str, int], set[str]] = {}
    for (u, y, s), (_, d) in counts.items():
        if d:
            found.setdefault((u, y), set()).add(s)
    return {k: v for k, v in counts.items() if found.get((k[0], k[1]), set()) >= wanted}


def _kept(year: int, compared: list[stats.Comparison]) -> KeptGroups:
    named = equity.age_labels()
    return KeptGroups(year, named.get(AGE_REFERENCE, AGE_REFERENCE),
                      [(named.get(c.group, c.group), c) for c in compared])


def national(measure: Measure, year: int | None) -> KeptGroups | None:
    """Every age group against 20-34 in ``year`` (else the latest year with figures),
    summed over the jurisdictions with a figure for every group; None without any."""
    counts = complete(equity.age_counts(measure)[0], equity.age_labels())
    years = {y for _, y, _ in counts}
    if not years:
        return None
    year = year if year in years else max(years)
    compared = equity.national_groups(counts, year, AGE_REFERENCE,
                                      per=float(measure.multiplier))
    return _kept(year, compared) if compared else None


def kept_json(measure: Measure, up_to: int,
              postals: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The age groups' ``[events, births]`` in the latest year up to ``up_to``, summed over
    the jurisdictions (``postals``; all by default) with every group: a report keeps them
    in its inputs, in the shape of ``equity.national_json``'s ``groups``. None without."""
    if not has_ages(measure):
        return None
    named = equity.age_labels()
    counts = complete(equity.age_counts(measure)[0], named)
    wanted = None if postals is None else set(postals)
    counts = {k: v for k, v in counts.items()
              if k[1] <= up_to and (wanted is None or k[0] in wanted)}
    year = max((k[1] for k in counts), default=None)
    if year is None:
        return None
    sums = equity.national_sums(counts, year, AGE_REFERENCE)
    return {"year": year, "reference": AGE_REFERENCE,
            "labels": {code: named.get(code, code) for code in sums},
            "counts": {code: list(nd) for code, nd in sums.items()}}


def kept_groups(kept: Mapping[str, Any]) -> KeptGroups | None:
    """A report's kept age groups compared (no query); None when none were kept."""
    found = kept.get("age_groups")
    if not found:
        return None
    return equity.kept_groups({"groups": found, "multiplier": kept["multiplier"]})


def signed_in_rows(measure: Measure, reference: str,
                   visible: Callable[[set[str]], set[str]], *, unit: str | None,
                   year: int | None, national: bool
                   ) -> list[tuple[str, str, int, stats.Comparison]]:
    """Every age group against ``reference`` per jurisdiction (those of the postal codes
    ``visible`` keeps) and year, and (``national``) summed over the jurisdictions with
    every group: no suppression."""
    counts, names = equity.age_counts(measure)
    seen = visible({u for u, _, _ in counts})
    per = float(measure.multiplier)
    units = sorted({(u, y) for u, y, _ in counts if u in seen and unit in (None, u)
                    and year in (None, y)}, key=lambda k: (names.get(k[0], k[0]), k[1]))
    rows = [(u, names.get(u, u), y, c) for u, y in units
            for c in equity.every_group(counts, u, y, per=per, reference=reference)]
    if national and unit in (None, NATIONAL):
        summed = complete(counts, equity.age_labels())
        for y in sorted({y for _, y, _ in summed if year in (None, y)}):
            rows += [(NATIONAL, "All reporting jurisdictions", y, c)
                     for c in equity.national_groups(summed, y, reference, per=per)]
    return rows


def published(release: Release) -> bool:
    """Whether the release may show age groups: the measure is read from the official
    figures and its strata are published per jurisdiction."""
    return has_ages(release.measure) and Level.JURISDICTION in release.levels and \
        Level.JURISDICTION in publication.published_strata(release.measure)[1]


def public_groups(release: Release, reference: str = AGE_REFERENCE, *,
                  unit: str | None = None) -> list[tuple[str, str, int, stats.Comparison]]:
    """Every age group of each jurisdiction-year of the release (its jurisdictions only)
    that disclosure control lets through, and of each year's sum over those, against
    ``reference``: (unit, name, year, comparison), sorted as the race/ethnicity rows."""
    if not published(release):
        return []
    found, names = equity.official_age_counts(release.measure)
    codes = set(equity.age_labels())
    units = set(release.units(Level.JURISDICTION))
    thr = threshold()
    by_unit_year: dict[tuple[str, int], dict[str, Any]] = {}
    for (u, y, s), c in found.items():
        if u in units:
            by_unit_year.setdefault((u, y), {})[s] = c
    shown: Counts = {}
    for (u, y), groups in by_unit_year.items():
        if set(groups) >= codes and all(
                c.final and c.events >= thr and c.denominator >= thr
                for c in groups.values()):
            shown.update({(u, y, s): (c.events, c.denominator) for s, c in groups.items()})
    per = float(release.measure.multiplier)
    out = []
    for u, y in sorted({(u, y) for u, y, _ in shown}, key=lambda k: (names[k[0]], k[1])):
        if unit in (None, u):
            out += [(u, names[u], y, c)
                    for c in equity.every_group(shown, u, y, per=per, reference=reference)]
    if unit in (None, NATIONAL):
        for y in sorted({y for _, y, _ in shown}):
            out += [(NATIONAL, "All reporting jurisdictions", y, c)
                    for c in equity.national_groups(shown, y, reference, per=per)]
    return out


def public_latest(release: Release, unit: str | None) -> KeptGroups | None:
    """The public age groups of a jurisdiction (``unit``) or of all of them (None) in their
    latest year, for the public site."""
    rows = public_groups(release, unit=unit or NATIONAL)
    if not rows:
        return None
    year = max(y for _, _, y, _ in rows)
    return _kept(year, [c for _, _, y, c in rows if y == year])
