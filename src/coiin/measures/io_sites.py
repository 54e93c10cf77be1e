"""The sites' values in the export's columns, with the ``site`` column naming the reporting
unit: the rows a team reports by site, beside its (rolled-up) totals that ``io.export_rows``
gives. The API's value list and ``coiin export-data`` append these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import F, QuerySet

from .models import SiteValue, Submission
from .periods import Frequency, Period


def _number_text(d) -> str:
    return "" if d is None else f"{d.normalize():f}"


def site_export_rows(submissions: QuerySet[Submission], *,
                     values: QuerySet[SiteValue] | None = None,
                     with_status: bool = False) -> Iterator[dict[str, str]]:
    """The sites' values of these team-periods, in a stable order (team, measure, period,
    site, then strata): the import's columns plus ``site``. ``values`` narrows further (a
    measure, the sites a person may see)."""
    rows = (
        (SiteValue.objects.all() if values is None else values)
        .filter(submission__in=submissions.values("pk"))
        .order_by("submission__team__jurisdiction__postal_code",
                  "submission__team__learning_network__slug", "measure__code",
                  "submission__period_start", "unit__name",
                  F("stratum__kind").asc(nulls_first=True),
                  F("stratum__position").asc(nulls_first=True))
        .values_list("submission__team__jurisdiction__postal_code",
                     "submission__team__learning_network__slug", "measure__code",
                     "submission__frequency", "submission__period_start", "numerator",
                     "denominator", "value", "stratum__code", "comment", "submission__status",
                     "unit__name")
    )
    labels: dict[tuple[str, dt.date], str] = {}
    for (postal, network, code, frequency, start, num, den, value, stratum, comment, status,
         site) in rows.iterator(chunk_size=2000):
        label = labels.get((frequency, start))
        if label is None:
            label = labels[(frequency, start)] = Period(start, Frequency(frequency)).label
        row = {"jurisdiction": postal, "network": network, "measure": code, "period": label,
               "numerator": _number_text(num), "denominator": _number_text(den),
               "value": _number_text(value), "stratum": stratum or "", "comment": comment,
               "site": site}
        if with_status:
            row["status"] = status
        yield row
