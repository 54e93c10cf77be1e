"""Exporting values in the import's columns: rows, CSV and XLSX files."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import F, QuerySet

from coiin.network.models import Team
from coiin.spreadsheet import safe_cell

from .io_read import _TEXT_TYPES, EXPORT_COLUMNS, NUMBER_COLUMNS, _number_text, file_format
from .models import DataValue, Submission
from .periods import Frequency, Period


def export_rows(submissions: QuerySet[Submission], *, values: QuerySet[DataValue] | None = None,
                with_status: bool = False) -> Iterator[dict[str, str]]:
    """The values of these team-periods in the import's columns (``EXPORT_COLUMNS``:
    with a survey estimate's standard error, CI and unweighted n), in a stable order.

    ``values`` narrows further (e.g. to a measure); ``with_status`` adds each value's
    submission status under "status".
    """
    values = (
        (DataValue.objects.all() if values is None else values)
        .filter(submission__in=submissions.values("pk"))
        .order_by("submission__team__jurisdiction__postal_code",
                  "submission__team__learning_network__slug", "measure__code",
                  "submission__period_start",
                  # The total first, then its strata, on SQLite and PostgreSQL alike.
                  F("stratum__kind").asc(nulls_first=True),
                  F("stratum__position").asc(nulls_first=True))
        .values_list("submission__team__jurisdiction__postal_code",
                     "submission__team__learning_network__slug", "measure__code",
                     "measure__type", "submission__frequency", "submission__period_start",
                     "numerator", "denominator", "value", "text", "stratum__code", "comment",
                     "submission__status", "standard_error", "ci_lower", "ci_upper",
                     "sample_size", "measurements")
    )
    labels: dict[tuple[str, dt.date], str] = {}
    for (postal, network, code, mtype, frequency, start, num, den, value, text, stratum,
         comment, status, se, lower, upper, n, samples) in values.iterator(chunk_size=2000):
        label = labels.get((frequency, start))
        if label is None:
            label = labels[(frequency, start)] = Period(start, Frequency(frequency)).label
        row = {
            "jurisdiction": postal, "network": network, "measure": code, "period": label,
            "numerator": _number_text(num), "denominator": _number_text(den),
            "value": text if mtype in _TEXT_TYPES else _number_text(value),
            "stratum": stratum or "", "comment": comment,
            "standard_error": _number_text(se), "ci_lower": _number_text(lower),
            "ci_upper": _number_text(upper), "sample_size": "" if n is None else str(n),
            # A sampled measure's measurements (``value`` is their mean), as imported.
            "measurements": "; ".join(f"{v:g}" for v in samples or []),
        }
        if with_status:
            row["status"] = status
        yield row


def write_csv(rows: Iterable[Mapping[str, str]], stream: IO[str],
              columns: Sequence[str] = EXPORT_COLUMNS) -> int:
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        count += 1
    return count


def write_xlsx(rows: Iterable[Mapping[str, str]], stream: IO[bytes],
               columns: Sequence[str] = EXPORT_COLUMNS) -> int:
    """An Excel workbook with one sheet: numbers as numbers, text always as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(columns))
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            text = row.get(column, "")
            if column in NUMBER_COLUMNS and text and _is_number(text):
                number = Decimal(text)
                # At most 14 significant digits: a double holds them exactly enough that
                # repr() gives the same decimal back on import.
                cells.append(int(number) if number == number.to_integral() else float(number))
            elif text:
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            else:
                cells.append(None)
        sheet.append(cells)
        count += 1
    book.save(stream)
    return count


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except ArithmeticError:
        return False


def write_file(rows: Iterable[Mapping[str, str]], path: Path,
               columns: Sequence[str] = EXPORT_COLUMNS) -> int:
    """Write rows to ``path`` as CSV or XLSX, following its extension."""
    if file_format(path.name) == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            return write_csv(rows, f, columns)
    with path.open("wb") as f:
        return write_xlsx(rows, f, columns)


def submissions_in(*, network: str | None = None, jurisdiction: str | None = None,
                   team: Team | None = None) -> QuerySet[Submission]:
    """All team-periods, narrowed to a learning network, a jurisdiction or a team."""
    qs = Submission.objects.all()
    if network:
        qs = qs.filter(team__learning_network__slug=network.lower())
    if jurisdiction:
        qs = qs.filter(team__jurisdiction__postal_code=jurisdiction.upper())
    if team is not None:
        qs = qs.filter(team=team)
    return qs
