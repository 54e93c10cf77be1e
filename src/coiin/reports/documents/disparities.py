"""Disparities in a report: the Black:White ratio by year and every group against the
reference group in the latest year (by race/ethnicity, and by the mother's age group
against 20-34), summed over the report's jurisdictions (all of them
for the national report, the network's for a network report), from the stored strata.

The counts are kept in the report's inputs (``disparities_json``) and the ratios and
intervals computed from them when the report is drawn (``disparity``), so a snapshot
shows the same figures whatever is loaded later. ``coiin.reports.equity`` is imported
inside the functions: it sums the strata as the public release does, and that brings
scipy, which drawing a report does not need.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coiin.measures.models import Measure

DISPARITIES = ("IMR",)  # outcomes whose Black:White ratio the reports show


def disparities_json(measures: Iterable[Measure], year: int,
                     postals: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The kept series of the measures (of ``DISPARITIES``) that have strata."""
    wanted = [m for m in measures if m.code in DISPARITIES and m.stratification]
    if not wanted:
        return []
    from .. import equity, equity_ages

    chosen = None if postals is None else list(postals)
    return [{**equity.national_json(m, year, chosen),
             "age_groups": equity_ages.kept_json(m, year, chosen)} for m in wanted]


def disparity(kept: dict[str, Any]) -> dict[str, Any]:
    """A kept series, with its ratios, intervals, the latest year in words and every
    group of the latest year against the reference, and by the mother's age group
    against 20-34 (None when none were kept, as in a report made before they were)."""
    from .. import equity, equity_ages

    rows = equity.national_rows(kept)
    stand_in = Measure(code=kept["measure"], name=kept["name"], unit=kept["unit"],
                       multiplier=kept["multiplier"])
    labels = {equity.GROUP: kept["labels"][0], equity.REFERENCE: kept["labels"][1]}
    return {"name": kept["name"], "rows": rows, "group_label": kept["labels"][0],
            "reference_label": kept["labels"][1],
            "summary": equity.sentence(rows[-1], stand_in, labels) if rows else "",
            "groups": equity.kept_groups(kept), "age_groups": equity_ages.kept_groups(kept),
            "few": equity.FEW_EVENTS,
            "method": equity.METHOD}
