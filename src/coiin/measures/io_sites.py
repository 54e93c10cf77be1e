"""The sites' values in the export's columns, with the ``site`` column naming the reporting
unit: the rows a team reports by site, beside its (rolled-up) totals that ``io.export_rows``
gives. The API's value list appends these; ``coiin export-data`` writes ``file_rows``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import chain

from django.db.models import Exists, F, OuterRef, QuerySet

from .io_export import export_rows
from .io_read import EXPORT_COLUMNS
from .models import DataValue, SiteValue, Submission, TeamMeasure
from .periods import Frequency, Period
from .samples import as_text


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
                     "unit__name", "measurements")
    )
    labels: dict[tuple[str, dt.date], str] = {}
    for (postal, network, code, frequency, start, num, den, value, stratum, comment, status,
         site, samples) in rows.iterator(chunk_size=2000):
        label = labels.get((frequency, start))
        if label is None:
            label = labels[(frequency, start)] = Period(start, Frequency(frequency)).label
        row = {"jurisdiction": postal, "network": network, "measure": code, "period": label,
               "numerator": _number_text(num), "denominator": _number_text(den),
               "value": _number_text(value), "stratum": stratum or "", "comment": comment,
               "site": site}
        if samples:  # a sampled measure's measurements at the site (value: their mean)
            row["measurements"] = as_text(samples)
        if with_status:
            row["status"] = status
        yield row


FILE_COLUMNS = (*EXPORT_COLUMNS, "site")
"""A file that the import reads back as it was: the export's columns and ``site``."""


def file_rows(submissions: QuerySet[Submission]) -> Iterator[dict[str, str]]:
    """The values of these team-periods as a file to import again (``FILE_COLUMNS``): the
    teams' own values, then the sites' values of the measures reported by site. A by-site
    measure's team figure is left out: it is the sum of its sites', which the import
    rolls up again (and refuses to be given)."""
    by_site = TeamMeasure.objects.filter(team_id=OuterRef("submission__team_id"),
                                         measure_id=OuterRef("measure_id"), by_site=True)
    own = DataValue.objects.exclude(Exists(by_site))
    return chain(export_rows(submissions, values=own), site_export_rows(submissions))
