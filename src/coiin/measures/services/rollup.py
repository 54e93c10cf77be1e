"""A team's figure for a measure it reports by site: the roll-up of its sites' values.

For a measure a team reports by site (``TeamMeasure.by_site``) the team's ``DataValue``
is the sum of its sites' ``SiteValue`` rows in that team-period: the sum of numerators
and the sum of denominators for a ratio (so a team's rate is its sites' pooled rate,
never a mean of their rates), the sum of values for a count; for a sampled measure, its
sites' individual measurements pooled (its value their mean, never a mean of means).
Sites that did not report are left out; no site reported: no team figure. A team's strata
are rolled up the same way from its sites' strata, where the sites report them.

``roll_up`` is set-based (a fixed number of queries per 500 team-periods) so the import
can call it once after writing many site rows. It writes team values with their history,
as every other writer here does, and tells ``changes.values_changed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coiin.network.models import User

from ..changes import values_changed
from ..models import DataValue, Measure, SiteValue, Submission, TeamMeasure
from ..samples import mean

ROLL_UP_REASON = "rolled up from the sites' values"
CHUNK = 500  # team-periods per query: well under SQLite's 999-parameter floor

Key = tuple[int, int, int | None]  # (submission id, measure id, stratum id)


def by_site_pairs(team_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(team id, measure id) of the measures these teams report by site."""
    return set(TeamMeasure.objects.filter(team_id__in=set(team_ids), by_site=True,
                                          active=True)
               .values_list("team_id", "measure_id"))


def rolled_up_fields(measure: Measure, num: Decimal | None, den: Decimal | None,
                     val: Decimal | None, measurements: list[float] | None = None
                     ) -> dict[str, Any]:
    """The team value's numbers from its sites' sums; a sampled measure's, from its sites'
    measurements pooled (the team's value is the mean of them all, not a mean of means)."""
    if measure.is_sampled:
        pooled = list(measurements or [])
        return {"numerator": None, "denominator": None, "value": mean(pooled),
                "measurements": pooled}
    if measure.is_ratio:
        return {"numerator": num, "denominator": den, "value": None}
    return {"numerator": None, "denominator": None, "value": val}


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):
        return list(a) == list(b)
    return Decimal(str(a)) == Decimal(str(b))


def _site_measurements(sids: list[int], measure_ids: set[int]) -> dict[Key, list[float]]:
    """The sites' measurements of these sampled measures pooled per team value, the sites
    in name order."""
    out: dict[Key, list[float]] = {}
    for sid, mid, stratum, values in (
            SiteValue.objects.filter(submission_id__in=sids, measure_id__in=measure_ids)
            .order_by("submission_id", "measure_id", "stratum_id", "unit__name", "unit_id")
            .values_list("submission_id", "measure_id", "stratum_id", "measurements")):
        out.setdefault((sid, mid, stratum), []).extend(float(v) for v in values or [])
    return out


def roll_up(submission_ids: Iterable[int], measure_ids: Iterable[int], *,
            user: User | None = None, reason: str = ROLL_UP_REASON) -> int:
    """Recompute the team values of these team-periods and measures from their sites.

    Only the (team, measure) pairs the team reports by site are touched; others are left
    alone, so passing every measure of a file is safe. A team value whose sums did not
    change is not written (no history); one whose sites all cleared theirs is deleted.
    Runs in the caller's transaction (or its own); does not bump the team-periods'
    versions (the caller that wrote site rows does). Returns the team values written.
    """
    sids = sorted(set(submission_ids))
    mids = set(measure_ids)
    if not sids or not mids:
        return 0
    changed = 0
    with transaction.atomic():
        for start in range(0, len(sids), CHUNK):
            changed += _roll_up_chunk(sids[start:start + CHUNK], mids, user=user,
                                      reason=reason)
    return changed


def _roll_up_chunk(sids: list[int], mids: set[int], *, user: User | None,
                   reason: str) -> int:
    team_of = dict(Submission.objects.filter(pk__in=sids).values_list("pk", "team_id"))
    pairs = by_site_pairs(team_of.values()) if team_of else set()
    wanted = {(s, m) for s, t in team_of.items() for m in mids if (t, m) in pairs}
    if not wanted:
        return 0
    measures = {m.pk: m for m in Measure.objects.filter(pk__in={m for _, m in wanted})}
    sums: dict[Key, dict[str, Any]] = {}
    sampled = {pk for pk, m in measures.items() if m.is_sampled}
    pooled = _site_measurements(sids, sampled) if sampled else {}
    for row in (SiteValue.objects.filter(submission_id__in=sids, measure_id__in=mids)
                .values("submission_id", "measure_id", "stratum_id")
                .annotate(num=Sum("numerator"), den=Sum("denominator"), val=Sum("value"),
                          n=Count("id"))):
        key: Key = (row["submission_id"], row["measure_id"], row["stratum_id"])
        if key[:2] in wanted:
            sums[key] = rolled_up_fields(measures[key[1]], row["num"], row["den"],
                                         row["val"], pooled.get(key))
    stored: dict[Key, DataValue] = {
        (v.submission_id, v.measure_id, v.stratum_id): v
        for v in DataValue.objects.filter(submission_id__in=sids, measure_id__in=mids)
        if (v.submission_id, v.measure_id) in wanted}
    now = timezone.now()
    create: list[DataValue] = []
    update: list[DataValue] = []
    for key, fields in sums.items():
        current = stored.get(key)
        if current is None:
            create.append(DataValue(submission_id=key[0], measure_id=key[1],
                                    stratum_id=key[2], updated_by=user, updated_at=now,
                                    **fields))
        elif not all(_same(getattr(current, k), v) for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.updated_by, current.updated_at = user, now
            update.append(current)
    # The total goes when no site has one; strata only where the sites report strata (a
    # team's strata of a measure whose sites report totals only are left as they are).
    with_strata = {key[:2] for key in sums if key[2] is not None}
    delete = [v for key, v in stored.items() if key not in sums
              and (key[2] is None or key[:2] in with_strata)]
    if create:
        bulk_create_with_history(create, DataValue, batch_size=CHUNK, default_user=user,
                                 default_change_reason=reason, default_date=now)
    if update:
        bulk_update_with_history(update, DataValue,
                                 ["numerator", "denominator", "value", "measurements",
                                  "updated_by", "updated_at"], batch_size=CHUNK,
                                 default_user=user,
                                 default_change_reason=reason, default_date=now)
    for current in delete:
        # simple_history reads these off the instance; they are not fields
        current._change_reason = reason  # type: ignore[attr-defined]
        current._history_user = user  # type: ignore[attr-defined]
        current.delete()
    touched = create + update + delete
    values_changed({(team_of[v.submission_id], v.measure_id) for v in touched})
    return len(touched)
