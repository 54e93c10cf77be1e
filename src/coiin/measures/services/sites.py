"""Site values in the import: which rows may name a site, what the sites have stored, and
the teams' figures recomputed from their sites, set-based.

A measure a team reports by site (``TeamMeasure.by_site``) is imported per site (the
``site`` column names the reporting unit); the team's own ``DataValue`` is then the sum of
its sites' numerators, denominators and counts (never a mean of rates), rewritten with
its history in the same transaction by ``rollup.roll_up``, the one roll-up rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from coiin.network.models import ReportingUnit, Team

from ..models import Measure, SiteValue
from .writer import SITE_COLUMNS, ValueTuple

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
    # No ordering: the model's default joins the units and strata and sorts every row.
    return {(v[1], v[2], v[3], v[4]): v for v in SiteValue.objects.filter(
        submission_id__in=submission_ids).order_by().values_list(*SITE_COLUMNS)}
