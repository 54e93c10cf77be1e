"""Disparities by race/ethnicity, computed from the stored strata (never typed): the
Black:White ratio of a measure's rate over time per jurisdiction and nationally, every
group against a reference group, and small groups' rates stabilised.

The figures are the teams' locked strata summed per jurisdiction and year, one team per
jurisdiction (``publication.base_data``: a state in several networks counts once), so a
year a jurisdiction reported only in part is a part-year for both groups alike. The
national row of a year sums the jurisdictions that reported both groups that year, and
says how many there were. The statistics are ``coiin.stats.equity``'s: a log-scale Wald
interval for the ratio, a Wald interval for the difference.

``from_release`` computes the same from a public release's cells, which have been
through disclosure control already: a group whose deaths or births are suppressed (1 to
9 events, or hidden to protect another cell) has no ratio there, nor has a
jurisdiction-year whose official figures by race/ethnicity are still provisional.

Where the official figures store holds a jurisdiction-year by the mother's race/ethnicity
(a WONDER export, a vital-records office's entry), the counts come from there
(``coiin.vitals.strata``), not from the teams' copies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from coiin.measures.catalog import FROM_VITALS
from coiin.measures.models import Measure, Stratum
from coiin.stats import equity
from coiin.vitals import strata

from .public.publication import NATIONAL, Level, base_data

if TYPE_CHECKING:  # a release brings the suppression search and scipy: not for the PDFs
    from .public.publication import Release

GROUP, REFERENCE = "nh-black", "nh-white"
FEW_EVENTS = equity.FEW_EVENTS
# The intervals' methods by name (``coiin.stats.equity``), for the reader.
METHOD_NAMES = {"log-scale Wald": gettext_lazy("log-scale Wald"),
                "Wald": gettext_lazy("Wald")}
# The method sentence, in the reader's language (the API's: English unless asked): a whole
# sentence with its full stop, so pages show it after theirs, never inside one of them.
METHOD = format_lazy(
    # Translators: a sentence of its own, starting with a capital letter where the language
    # allows it (the English starts with a figure).
    # xgettext:no-python-format
    gettext_lazy("95 % confidence intervals: {ratio} for the ratio, {difference} for the "
                 "difference."),
    ratio=METHOD_NAMES[equity.RATIO_METHOD], difference=METHOD_NAMES[equity.DIFFERENCE_METHOD])
Counts = Mapping[tuple[str, int, str], tuple[int, int]]  # (unit, year, stratum) -> (n, d)


@dataclass(frozen=True)
class RatioRow:
    """One unit-year: the group against the reference."""

    unit: str
    name: str
    year: int
    group: equity.Comparison
    reference: equity.Comparison
    jurisdictions: int = 1  # national rows: how many were summed

    @property
    def few_events(self) -> bool:
        return self.group.few_events or self.reference.few_events


def measures() -> list[Measure]:
    """Ratio measures reported by race/ethnicity, in code order."""
    return list(Measure.objects.filter(stratification=Stratum.Kind.RACE_ETHNICITY,
                                       type=Measure.Type.RATIO).order_by("code"))


def labels() -> dict[str, str]:
    """Each race/ethnicity group's label by code, in the reader's language (one still in
    English marked as such)."""
    return shown_labels(Stratum.Kind.RACE_ETHNICITY)


def shown_labels(kind: str) -> dict[str, str]:
    return {s.code: s.shown for s in Stratum.objects.filter(kind=kind).order_by("position")}


def code_of_english(kind: str) -> dict[str, str]:
    """{English label: code}: the vitals store names its groups by their English labels."""
    return {s.english: s.code for s in Stratum.objects.filter(kind=kind)}


def stored_counts(measure: Measure) -> tuple[dict[tuple[str, int, str], tuple[int, int]],
                                             dict[str, str]]:
    """Every jurisdiction-year-stratum's (deaths, births), and jurisdiction names: from the
    official figures store where it holds the jurisdiction-year by race/ethnicity (for the
    measures read from it: IMR, NMR, PNMR, SUID), else the teams' locked strata."""
    base = base_data(measure, [Level.JURISDICTION], [Level.JURISDICTION], fingerprint=False)
    counts = {(postal, year, stratum): (n, base.den.get((postal, year, stratum), 0))
              for (postal, year, stratum), n in base.num.items() if stratum is not None}
    names = dict(base.jurisdictions)
    official, official_names = official_counts(measure)
    if official:
        covered = {(postal, year) for postal, year, _ in official}
        counts = {k: v for k, v in counts.items() if (k[0], k[1]) not in covered}
        counts.update({k: (c.events, c.denominator) for k, c in official.items()})
        names.update(official_names)
    return counts, names


def official_counts(measure: Measure) -> tuple[dict[tuple[str, int, str], strata.Counts],
                                               dict[str, str]]:
    """The measure's counts by stratum code from the official figures store ({} for a
    measure not read from it), each saying whether all its figures are final."""
    spec = FROM_VITALS.get(measure.code)
    if spec is None or spec.mother_race:
        return {}, {}
    found, names = strata.yearly(spec.numerator, spec.denominator)
    code_of = code_of_english(Stratum.Kind.RACE_ETHNICITY)
    return ({(postal, year, code_of[label]): c for (postal, year, label), c in found.items()
             if label in code_of}, names)


AGE_REFERENCE = "20-34"


def age_labels() -> dict[str, str]:
    """Each maternal age group's label by code, in the reader's language."""
    return shown_labels(Stratum.Kind.AGE_GROUP)


def official_age_counts(measure: Measure) -> tuple[dict[tuple[str, int, str], strata.Counts],
                                                   dict[str, str]]:
    """The measure's counts by the mother's age group (stratum code) from the official
    figures store, and jurisdiction names ({} for a measure not read from it)."""
    spec = FROM_VITALS.get(measure.code)
    if spec is None or spec.mother_race:
        return {}, {}
    found, names = strata.yearly_by_age(spec.numerator, spec.denominator)
    code_of = code_of_english(Stratum.Kind.AGE_GROUP)
    return ({(postal, year, code_of[label]): c for (postal, year, label), c in found.items()
             if label in code_of}, names)


def age_counts(measure: Measure) -> tuple[dict[tuple[str, int, str], tuple[int, int]],
                                          dict[str, str]]:
    """``official_age_counts`` as (events, denominator)."""
    found, names = official_age_counts(measure)
    return {k: (c.events, c.denominator) for k, c in found.items()}, names


def age_groups(measure: Measure, postal: str) -> KeptGroups | None:
    """Every age group of a jurisdiction's latest year with figures by the mother's age
    against mothers aged 20-34; None without such figures."""
    counts, _ = age_counts(measure)
    years = [y for u, y, _ in counts if u == postal]
    if not years:
        return None
    year = max(years)
    compared = every_group(counts, postal, year, per=float(measure.multiplier),
                           reference=AGE_REFERENCE)
    if not compared:
        return None
    named = age_labels()
    return KeptGroups(year, named.get(AGE_REFERENCE, AGE_REFERENCE),
                      [(named.get(c.group, c.group), c) for c in compared])


def provisional_years(measure: Measure) -> set[tuple[str, int]]:
    """Jurisdiction-years whose official strata are not all final, and the national year
    that sums them: the public site shows no disparity for them."""
    found = {(postal, year) for (postal, year, _), c in official_counts(measure)[0].items()
             if not c.final}
    return found | {(NATIONAL, year) for _, year in found}


def ratio_rows(counts: Counts, names: Mapping[str, str], *, per: float,
               group: str = GROUP, reference: str = REFERENCE,
               national: bool = True) -> list[RatioRow]:
    """Per unit and year with both groups, and (``national``) per year summed over the
    units that have both, named ``NATIONAL``. Sorted by unit name, then year."""
    pairs: dict[tuple[str, int], dict[str, tuple[int, int]]] = defaultdict(dict)
    for (unit, year, stratum), nd in counts.items():
        if stratum in (group, reference):
            pairs[(unit, year)][stratum] = nd
    rows = []
    summed: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (unit, year), found in pairs.items():
        if len(found) < 2 or not found[group][1] or not found[reference][1]:
            continue
        rows.append(_row(unit, names.get(unit, unit), year, found[group], found[reference],
                         per, 1, group, reference))
        s = summed[year]
        for i, v in enumerate((*found[group], *found[reference], 1)):
            s[i] += v
    if national:
        for year, (a, na, b, nb, k) in summed.items():
            rows.append(_row(NATIONAL, "All reporting jurisdictions", year, (a, na), (b, nb),
                             per, k, group, reference))
    return sorted(rows, key=lambda r: (r.unit == NATIONAL, r.name, r.year))


def _row(unit: str, name: str, year: int, g: tuple[int, int], r: tuple[int, int],
         per: float, k: int, group: str = GROUP, reference: str = REFERENCE) -> RatioRow:
    ref, grp = equity.compare({reference: r, group: g}, reference, per=per)
    return RatioRow(unit, name, year, grp, ref, k)


def every_group(counts: Counts, unit: str, year: int, *, per: float,
                reference: str = REFERENCE) -> list[equity.Comparison]:
    """Every group of one unit-year against the reference; [] without the reference."""
    groups = {s: nd for (u, y, s), nd in counts.items() if u == unit and y == year and nd[1]}
    if reference not in groups or not groups[reference][1]:
        return []
    return equity.compare(groups, reference, per=per)


def stabilised(rows: Iterable[RatioRow]) -> dict[str, equity.Stabilised]:
    """The group's rate in each jurisdiction (one year's rows), shrunk towards the mean
    of all of them: a small jurisdiction's rate resting on a few deaths moves most."""
    mine = [r for r in rows if r.unit != NATIONAL]
    out = equity.stabilise([r.group.events for r in mine],
                           [r.group.denominator for r in mine])
    return {r.unit: s for r, s in zip(mine, out, strict=True)}


def from_release(release: Release, *, unit: str | None = None) -> list[RatioRow]:
    """The ratio rows a public release allows: only years where both groups' deaths and
    births were published (disclosure control has hidden every count under 10)."""
    counts: dict[tuple[str, int, str], tuple[int, int]] = {}
    names: dict[str, str] = {}
    provisional = provisional_years(release.measure)
    for c in release.cells:
        if c["year"] is None or c.get("stratum") not in (GROUP, REFERENCE):
            continue
        if c["level"] not in (Level.JURISDICTION, Level.NATIONAL):
            continue
        if unit is not None and c["unit"] != unit:
            continue
        if c["n"] is None or c["d"] is None or (c["unit"], c["year"]) in provisional:
            continue
        counts[(c["unit"], c["year"], c["stratum"])] = (c["n"], c["d"])
        names[c["unit"]] = c["name"]
    # The national cells are published sums of their own: no second sum here.
    return ratio_rows(counts, names, per=float(release.measure.multiplier), national=False)


def groups_from_release(release: Release, reference: str, *, unit: str | None = None
                        ) -> list[tuple[str, str, int, equity.Comparison]]:
    """Every published group of each jurisdiction-year (and national year) against
    ``reference``: (unit, name, year, comparison), the reference's own row first. Only
    cells whose deaths and births were both published count (disclosure control has
    hidden every count under the threshold), and no year whose official strata are
    provisional; a unit-year without the reference group has no rows."""
    provisional = provisional_years(release.measure)
    counts: dict[tuple[str, int, str], tuple[int, int]] = {}
    names: dict[str, str] = {}
    for c in release.cells:
        if c["year"] is None or not c.get("stratum") or c["n"] is None or c["d"] is None:
            continue
        if unit is not None and c["unit"] != unit:
            continue
        if (c["unit"], c["year"]) in provisional or not c["d"]:
            continue
        counts[(c["unit"], c["year"], c["stratum"])] = (c["n"], c["d"])
        names[c["unit"]] = c["name"]
    out = []
    per = float(release.measure.multiplier)
    for u, year in sorted({(u, y) for u, y, _ in counts}, key=lambda k: (
            k[0] == NATIONAL, names[k[0]], k[1])):
        for comparison in every_group(counts, u, year, per=per, reference=reference):
            out.append((u, names[u], year, comparison))
    return out


def sentence(row: RatioRow, measure: Measure, labels: Mapping[str, str]) -> str:
    """The row in words, for everyone (and for screen readers)."""
    g, r = row.group, row.reference
    who = labels.get(GROUP, GROUP)
    ref = labels.get(REFERENCE, REFERENCE)
    where = (gettext("across the reporting jurisdictions") if row.unit == NATIONAL
             else gettext("in {name}").format(name=row.name))
    unit = measure.unit or gettext("per {multiplier}").format(
        multiplier=f"{measure.multiplier:,}")
    if g.ratio is None:
        return gettext("In {year} {where}, no ratio can be given: the {reference} group had "
                       "no events.").format(year=row.year, where=where, reference=ref)
    # xgettext:no-python-format
    text = gettext("In {year} {where}, the {measure} of the {group} group was {ratio} times "
                   "that of the {reference} group (95 % CI {lower} to {upper}): {rate} "
                   "against {reference_rate} {unit}, a difference of {difference} "
                   "({difference_lower} to {difference_upper}).").format(
        year=row.year, where=where, measure=measure.name.lower(), group=who,
        ratio=f"{g.ratio:.2f}", reference=ref, lower=f"{g.ratio_lower:.2f}",
        upper=f"{g.ratio_upper:.2f}", rate=f"{g.rate:.2f}", reference_rate=f"{r.rate:.2f}",
        unit=unit, difference=f"{g.difference:+.2f}",
        difference_lower=f"{g.difference_lower:+.2f}",
        difference_upper=f"{g.difference_upper:+.2f}")
    if row.few_events:
        text += " " + gettext("At least one of the rates rests on fewer than 20 events: read "
                              "it with care.")
    return text


class _Labelled:
    labels: dict[str, str]

    @property
    def group_label(self) -> str:
        return self.labels.get(GROUP, GROUP)

    @property
    def reference_label(self) -> str:
        return self.labels.get(REFERENCE, REFERENCE)


@dataclass
class NationalView(_Labelled):
    measure: Measure
    labels: dict[str, str]
    national: list[RatioRow]  # one a year
    year: int | None
    years: list[int]
    jurisdictions: list[tuple[RatioRow, equity.Stabilised]]  # the year's, by name
    summary: str
    groups: list[equity.Comparison] = field(default_factory=list)  # the year, every group
    chosen_reference: str = REFERENCE

    @property
    def chosen_reference_label(self) -> str:
        return self.labels.get(self.chosen_reference, self.chosen_reference)

    @property
    def labelled_groups(self) -> list[tuple[str, equity.Comparison]]:
        return [(self.labels.get(c.group, c.group), c) for c in self.groups]


def national_sums(counts: Counts, year: int, reference: str) -> dict[str, tuple[int, int]]:
    """Each group's (events, denominator) in a year, summed over the units that reported
    the reference group that year."""
    with_reference = {u for (u, y, s), nd in counts.items()
                      if y == year and s == reference and nd[1]}
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (u, y, s), (n, d) in counts.items():
        if y == year and u in with_reference:
            summed[s][0] += n
            summed[s][1] += d
    return {s: (v[0], v[1]) for s, v in summed.items()}


def national_groups(counts: Counts, year: int, reference: str, *,
                    per: float) -> list[equity.Comparison]:
    """Every group against ``reference`` in a year, each summed over the jurisdictions
    that reported the reference group that year."""
    summed = national_sums(counts, year, reference)
    return every_group({(NATIONAL, year, s): nd for s, nd in summed.items()}, NATIONAL,
                       year, per=per, reference=reference)


def national_view(measure: Measure, year: int | None,
                  reference: str = REFERENCE) -> NationalView:
    counts, names = stored_counts(measure)
    rows = ratio_rows(counts, names, per=float(measure.multiplier))
    national = [r for r in rows if r.unit == NATIONAL]
    years = [r.year for r in national]
    if year not in years:
        year = years[-1] if years else None
    theirs = [r for r in rows if r.year == year and r.unit != NATIONAL]
    shrunk = stabilised(theirs)
    found = labels()
    latest = next((r for r in reversed(national) if r.year == year), None)
    if reference not in found:
        reference = REFERENCE
    groups = national_groups(counts, year, reference, per=float(measure.multiplier)) \
        if year else []
    return NationalView(measure, found, national, year, years,
                        [(r, shrunk[r.unit]) for r in theirs],
                        sentence(latest, measure, found) if latest else "", groups, reference)


@dataclass
class JurisdictionView(_Labelled):
    measure: Measure
    labels: dict[str, str]
    rows: list[RatioRow]  # one a year
    year: int | None
    groups: list[equity.Comparison]  # every group against the reference, that year
    summary: str
    chosen_reference: str = REFERENCE
    ages: KeptGroups | None = None  # by the mother's age group, from the official figures
    stabilised: equity.Stabilised | None = None  # the group's rate that year, shrunk

    @property
    def chosen_reference_label(self) -> str:
        return self.labels.get(self.chosen_reference, self.chosen_reference)

    @property
    def labelled_groups(self) -> list[tuple[str, equity.Comparison]]:
        return [(self.labels.get(c.group, c.group), c) for c in self.groups]


def jurisdiction_view(measure: Measure, postal: str, name: str,
                      reference: str = REFERENCE) -> JurisdictionView:
    """The Black:White ratio over time, and every group against ``reference`` (White
    unless another group is chosen) in the latest year."""
    counts, names = stored_counts(measure)
    mine = {k: v for k, v in counts.items() if k[0] == postal}
    rows = ratio_rows(mine, {postal: name}, per=float(measure.multiplier), national=False)
    year = rows[-1].year if rows else None
    shrunk = stabilised(r for r in ratio_rows(counts, names, per=float(measure.multiplier),
                                              national=False) if r.year == year)
    found = labels()
    if reference not in found:
        reference = REFERENCE
    groups = every_group(mine, postal, year, per=float(measure.multiplier),
                         reference=reference) if year else []
    return JurisdictionView(measure, found, rows, year, groups,
                            sentence(rows[-1], measure, found) if rows else "", reference,
                            age_groups(measure, postal), shrunk.get(postal))


def national_json(measure: Measure, up_to: int,
                  postals: Iterable[str] | None = None) -> dict[str, object]:
    """The Black:White rows summed over the jurisdictions (``postals``; all by default) up
    to a year, as a report keeps them in its inputs: ``[year, jurisdictions, group events,
    group births, reference events, reference births]``; and ``groups``, every group's
    ``[events, births]`` in the latest of those years, summed over the jurisdictions that
    reported the reference group. The report computes ratios and intervals from these
    (``national_rows``, ``kept_groups``)."""
    counts, names = stored_counts(measure)
    if postals is not None:
        wanted = set(postals)
        counts = {k: v for k, v in counts.items() if k[0] in wanted}
    counts = {k: v for k, v in counts.items() if k[1] <= up_to}
    rows = [r for r in ratio_rows(counts, names, per=float(measure.multiplier))
            if r.unit == NATIONAL]
    found = labels()
    year = max((k[1] for k in counts), default=None)
    sums = national_sums(counts, year, REFERENCE) if year else {}
    return {"measure": measure.code, "name": measure.name, "unit": measure.unit,
            "multiplier": measure.multiplier,
            "labels": [found.get(GROUP, GROUP), found.get(REFERENCE, REFERENCE)],
            "rows": [[r.year, r.jurisdictions, r.group.events, r.group.denominator,
                      r.reference.events, r.reference.denominator] for r in rows],
            "groups": {"year": year, "reference": REFERENCE,
                       "labels": {code: found.get(code, code) for code in sums},
                       "counts": {code: list(nd) for code, nd in sums.items()}}}


def national_rows(kept: dict) -> list[RatioRow]:
    """The rows ``national_json`` kept, with their ratios and intervals (no query)."""
    per = float(kept["multiplier"])
    return [_row(NATIONAL, "All reporting jurisdictions", year, (a, na), (b, nb), per, k)
            for year, k, a, na, b, nb in kept["rows"]]


@dataclass
class KeptGroups:
    """Every group against the reference in one year, from a report's kept counts: what
    the ``_equity_groups.html`` partial shows (as a ``view``)."""

    year: int | None
    chosen_reference_label: str
    labelled_groups: list[tuple[str, equity.Comparison]]

    @property
    def groups(self) -> list[equity.Comparison]:
        return [c for _, c in self.labelled_groups]


def kept_groups(kept: dict) -> KeptGroups | None:
    """The ``groups`` ``national_json`` kept, compared (no query); None when none were
    kept (an older report) or the reference group has no births."""
    found = kept.get("groups")
    if not found or not found["year"] or found["reference"] not in found["counts"]:
        return None
    names = found["labels"]
    compared = every_group({(NATIONAL, found["year"], s): (n, d)
                            for s, (n, d) in found["counts"].items()}, NATIONAL,
                           found["year"], per=float(kept["multiplier"]),
                           reference=found["reference"])
    if not compared:
        return None
    return KeptGroups(found["year"], names.get(found["reference"], found["reference"]),
                      [(names.get(c.group, c.group), c) for c in compared])
