"""Synthetic site-level data: a few demo teams report their hospitals' measures by site.

The first few preterm-birth and risk-appropriate-care teams (which have three synthetic
hospitals each) report their monthly hospital measures (elective early deliveries,
NTSV cesareans, antenatal transfers) by hospital. Each of the team's stored figures is
split across its hospitals (a hospital's share of the denominator, and a numerator near
the team's rate, the parts adding up exactly), written through
``services.add_site_values``, so the roll-up reproduces the team's figures unchanged.
Now and then a hospital misses a month; its share goes to the others.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from coiin.measures import services
from coiin.measures.models import DataValue, SiteValue, TeamMeasure
from coiin.network.models import ReportingUnit, Team

from .figures import SEED

SITE_MEASURES = ("PT-EED", "PT-NTSV", "RA-ANTENATAL")  # monthly, from hospital records
TEAMS_PER_NETWORK = 2
MISSING_SHARE = 0.08  # how often a hospital misses a month
CHANGE_REASON = "demo data (synthetic, by site)"


def split(total: int, weights: list[float]) -> list[int]:
    """Whole parts of ``total`` in proportion to ``weights``, adding up exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_ratio(num: int, den: int, weights: list[float], rng: random.Random
                ) -> list[tuple[int, int]]:
    """(numerator, denominator) per site: the denominators split by weight, the numerators
    near the team's rate at each site; both add up to the team's, no numerator above its
    denominator."""
    dens = split(den, weights)
    rate = num / den if den else 0
    nums = [min(d, max(0, round(d * rate * rng.uniform(0.8, 1.2)))) for d in dens]
    order = list(range(len(dens)))
    while sum(nums) != num:
        rng.shuffle(order)
        step = 1 if sum(nums) < num else -1
        for i in order:
            if sum(nums) == num:
                break
            if 0 <= nums[i] + step <= dens[i]:
                nums[i] += step
    return list(zip(nums, dens, strict=True))


def site_teams() -> list[Team]:
    """The demo teams that report by site: a few per hospital network, with hospitals."""
    out = []
    for slug in ("preterm-birth", "risk-appropriate-care"):
        teams = (Team.objects.filter(learning_network__slug=slug,
                                     reporting_units__kind=ReportingUnit.Kind.HOSPITAL)
                 .distinct().select_related("jurisdiction")
                 .order_by("jurisdiction__postal_code"))
        out += list(teams[:TEAMS_PER_NETWORK])
    return out


def load_site_demo(log: Callable[[str], None] = print) -> int:
    """Split the chosen teams' hospital measures into site values (idempotent). Returns
    how many site values were added."""
    added = 0
    with transaction.atomic():
        for team in site_teams():
            added += _team(team)
    log(f"Demo site-level data (synthetic): {added} hospital values, rolled up to "
        f"{len(site_teams())} teams.")
    return added


def _team(team: Team) -> int:
    units = list(team.reporting_units.filter(kind=ReportingUnit.Kind.HOSPITAL)
                 .order_by("name"))
    chosen = list(TeamMeasure.objects.filter(team=team, active=True,
                                             measure__code__in=SITE_MEASURES)
                  .select_related("measure"))
    if len(units) < 2 or not chosen or SiteValue.objects.filter(unit__in=units).exists():
        return 0
    measures = [tm.measure for tm in chosen]
    services.set_by_site(team=team, measures=measures)
    rng = random.Random(f"{SEED}|sites|{team.jurisdiction.postal_code}|"  # noqa: S311 - demo data
                        f"{team.learning_network.slug}")
    sizes = [rng.uniform(0.5, 2.0) for _ in units]  # each hospital's share of births
    values = []
    team_values = (DataValue.objects.filter(submission__team=team, measure__in=measures,
                                            stratum__isnull=True)
                   .select_related("measure", "submission").order_by("submission__period_start"))
    for v in team_values:
        present = [i for i in range(len(units)) if rng.random() >= MISSING_SHARE] or [0]
        weights = [sizes[i] for i in present]
        fields: list[dict[str, Decimal] | None]
        if v.measure.is_ratio:
            if not (_whole(v.numerator) and _whole(v.denominator)):
                continue
            parts = split_ratio(int(v.numerator), int(v.denominator), weights, rng)
            fields = [{"numerator": Decimal(n), "denominator": Decimal(d)} if d else None
                      for n, d in parts]  # a hospital with no eligible patients: no value
        else:
            if not _whole(v.value):
                continue
            fields = [{"value": Decimal(p)} for p in split(int(v.value), weights)]
        for i, f in zip(present, fields, strict=True):
            if f is None:
                continue
            values.append(SiteValue(submission=v.submission, unit=units[i], measure=v.measure,
                                    updated_by=v.updated_by, **f))
    entered = {v.submission_id: v.submission.submitted_at or v.submission.updated_at
               for v in values}
    services.add_site_values(values=values, reason=CHANGE_REASON, entered_at=entered)
    return len(values)


def _whole(d: Decimal | None) -> bool:
    return d is not None and d == d.to_integral()
