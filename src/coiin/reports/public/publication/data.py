"""A measure's locked data as annual sums per jurisdiction (and stratum), with a fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from coiin.measures.models import DataValue, Measure, Stratum, Submission

from .rules import ALGORITHM_VERSION, threshold, unreliable_below, whole_count


@dataclass
class Base:
    """A measure's locked data as annual sums per jurisdiction, and who is in what network.

    Count keys are ``(postal, year, stratum)``: ``stratum`` None for the total, else the
    stratum's code (only where the jurisdiction reported strata that year).
    """

    measure: Measure
    num: dict[tuple[str, int, str | None], int]
    den: dict[tuple[str, int, str | None], int]
    jurisdictions: dict[str, str]  # postal -> name
    networks: dict[str, str]  # slug -> name
    members: dict[str, set[str]]  # slug -> postal codes
    fingerprint: str
    strata: dict[str, str] = field(default_factory=dict)  # code -> label, in order


def base_data(measure: Measure, levels: Iterable[str],
              strata_levels: Iterable[str] = (), *, fingerprint: bool = True) -> Base:
    """One query: the locked values of the measure (strata too when any are published).
    ``fingerprint=False`` leaves the fingerprint empty, for a reader of the sums alone (it
    is a digest of every row, a quarter of the time)."""
    with_strata = bool(measure.stratification) and bool(set(strata_levels))
    values = DataValue.objects.filter(measure=measure,
                                      submission__status=Submission.Status.LOCKED)
    if not with_strata:
        values = values.filter(stratum__isnull=True)
    rows = list(
        values.values_list("submission__team_id", "submission__team__jurisdiction__postal_code",
                           "submission__team__jurisdiction__name",
                           "submission__team__learning_network__slug",
                           "submission__team__learning_network__name",
                           "submission__period_start", "stratum__code", "numerator",
                           "denominator", "value")
        .order_by("submission__team_id", "submission__period_start", "stratum__position",
                  "stratum__code"))
    # A jurisdiction reporting the measure in several teams counts once: the team with the
    # most locked values (then the oldest team), as on the national dashboard.
    per_team: dict[int, int] = defaultdict(int)
    team_of: dict[str, list[int]] = defaultdict(list)
    jurisdictions: dict[str, str] = {}
    networks: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for team_id, postal, jname, slug, nname, _, stratum, *_ in rows:
        if stratum is None:
            per_team[team_id] += 1
        if team_id not in team_of[postal]:
            team_of[postal].append(team_id)
        jurisdictions[postal] = jname
        networks[slug] = nname
        members[slug].add(postal)
    chosen = {min(ids, key=lambda t: (-per_team[t], t)) for ids in team_of.values()}
    num: dict[tuple[str, int, str | None], int] = defaultdict(int)
    den: dict[tuple[str, int, str | None], int] = defaultdict(int)
    ratio = measure.is_ratio
    for team_id, postal, _, _, _, start, stratum, n, d, v in rows:
        if team_id not in chosen:
            continue
        what = f"{measure.code} {postal} {start.isoformat()}"
        if stratum is not None:
            what += f" stratum {stratum}"
        key = (postal, start.year, stratum)
        if ratio:
            if n is None or d is None:
                continue  # a value without both parts has no rate to publish
            num[key] += whole_count(n, what + " numerator")
            den[key] += whole_count(d, what + " denominator")
        elif v is not None:
            num[key] += whole_count(v, what)
    # Strata count only where the jurisdiction-year has a total too.
    for key in [k for k in num if k[2] is not None and (k[0], k[1], None) not in num]:
        num.pop(key)
        den.pop(key, None)
    strata = {}
    if with_strata:
        # Named in the reader's language (the cells keep codes), an English one marked.
        strata = {s.code: s.shown for s in Stratum.objects.filter(
            kind=measure.stratification).order_by("position", "code")}
    digest = ""
    if fingerprint:
        payload = json.dumps([ALGORITHM_VERSION, threshold(), unreliable_below(),
                              sorted(levels), sorted(strata_levels), measure.type,
                              measure.multiplier, [[str(x) for x in r] for r in rows]])
        digest = hashlib.sha256(payload.encode()).hexdigest()
    return Base(measure, dict(num), dict(den), jurisdictions, networks,
                {k: v for k, v in members.items()}, digest, strata)
