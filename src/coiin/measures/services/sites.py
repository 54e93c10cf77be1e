"""Site values in the import: which rows may name a site, what the sites have stored, and
the teams' figures recomputed from their sites, set-based.

A measure a team reports by site (``TeamMeasure.by_site``) is imported per site (the
``site`` column names the reporting unit); the team's own ``DataValue`` is then the sum of
its sites' numerators, denominators and counts (never a mean of rates), rewritten with
its history in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Sum

from coiin.network.models import ReportingUnit, Team

from ..models import DataValue, Measure, SiteValue
from .writer import SITE_COLUMNS, VALUE_COLUMNS, ValueTuple, ValueWriter

BATCH = 500
_TEXT_TYPES = (Measure.Type.CATEGORICAL, Measure.Type.TEXT)

Key = tuple[int, int, int | None]  # (submission id, measure id, stratum id)


def site_problem(team: Team, measure: Measure, by_site: bool,
                 unit: ReportingUnit | None) -> str:
    """Why a row may not be stored as it names (or does not name) a site, or ""."""
    if unit is None:
        return (f"{team} reports {measure.code} by site: give the site (the team's figure "
                "is the sum of its sites')")
    if not by_site:
        return f"{team} reports {measure.code} for the team, not by site; leave the site blank"
    if measure.type in _TEXT_TYPES:
        return f"{measure.code} has a text answer; sites report numbers"
    return ""


def stored_site_values(submission_ids: Sequence[int]
                       ) -> dict[tuple[int, int, int, int | None], ValueTuple]:
    """The sites' stored values of these team-periods, by (submission, unit, measure,
    stratum), in ``SITE_COLUMNS`` order."""
    return {(v[1], v[2], v[3], v[4]): v for v in SiteValue.objects.filter(
        submission_id__in=submission_ids).values_list(*SITE_COLUMNS)}


def roll_up(writer: ValueWriter, keys: set[Key]) -> int:
    """Make each team figure of ``keys`` the sum of its sites' values (creating, changing
    or clearing the ``DataValue``, with its history); returns how many changed."""
    if not keys:
        return 0
    ids = sorted({k[0] for k in keys})
    creates: list[ValueTuple] = []
    changes: list[tuple[int, str, ValueTuple]] = []
    deletes: list[ValueTuple] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        in_batch = set(batch)
        sums: dict[Key, tuple] = {(s, m, st): (n, d, v) for s, m, st, n, d, v in SiteValue.objects
                .filter(submission_id__in=batch)
                .values("submission_id", "measure_id", "stratum_id")
                .annotate(n=Sum("numerator"), d=Sum("denominator"), v=Sum("value"))
                .values_list("submission_id", "measure_id", "stratum_id", "n", "d", "v")}
        stored = {(v[1], v[2], v[3]): v for v in DataValue.objects.filter(
            submission_id__in=batch).values_list(*VALUE_COLUMNS)}
        for key in keys:
            if key[0] not in in_batch:
                continue
            total, current = sums.get(key), stored.get(key)
            if total is None or total == (None, None, None):
                if current is not None:
                    deletes.append(current)
            elif current is None:
                creates.append((*key, *total, "", ""))
            elif tuple(current[4:7]) != total:
                changes.append((current[0], current[9], (*key, *total, current[7], current[8])))
    writer.insert(creates)
    writer.update(changes)
    writer.delete(deletes)
    return len(creates) + len(changes) + len(deletes)
