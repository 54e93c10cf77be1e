"""Reading import files, streamed: CSV (UTF-8) and XLSX (the first sheet, read-only).

Rows come one at a time as (row number, cells by column), the header being row 1, so a
file of any size is read in constant memory. A header without the columns refuses the
file at once; a row with more cells than the header is recorded in ``errors`` and left
out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.utils.translation import gettext

from coiin.network.services import RowError
from coiin.spreadsheet import unescape_cell

from .models import Measure
from .services import ImportRefused

COLUMNS = ("jurisdiction", "network", "measure", "period", "numerator", "denominator",
           "value", "stratum", "comment")
# Optional: a survey measure's standard error, 95 % CI and unweighted n (its weighted
# estimate is in ``value``), and the reporting unit (site) of a value a team reports by site.
SURVEY_COLUMNS = ("standard_error", "ci_lower", "ci_upper", "sample_size")
# A sampled measure's individual measurements, separated by semicolons: "21; 14; 35".
OPTIONAL_COLUMNS = (*SURVEY_COLUMNS, "site", "measurements")
NUMBER_COLUMNS = ("numerator", "denominator", "value", *SURVEY_COLUMNS)
# What an export writes: every value's columns, a survey estimate's included.
EXPORT_COLUMNS = (*COLUMNS, *SURVEY_COLUMNS, "measurements")
FORMATS = ("csv", "xlsx")
_TEXT_TYPES = {Measure.Type.CATEGORICAL, Measure.Type.TEXT}

Source = bytes | Path | IO[bytes]
"""The file's bytes, its path, or an open binary file."""


def file_format(name: str) -> str:
    """``csv`` or ``xlsx`` from a file name; ValueError for anything else."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{name!r} is neither a .csv nor an .xlsx file")
    return suffix


def read_table(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """Every row of a CSV (UTF-8) or XLSX (first sheet) file, as (row number, cells).

    Raises ImportRefused for an unreadable file, a header without the columns, or rows
    with more cells than the header.
    """
    errors: list[RowError] = []
    rows = list(iter_table(data, name, errors))
    if errors:
        raise ImportRefused(errors)
    return rows


def read_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    return read_table(path.read_bytes(), path.name)


def iter_table(source: Source, name: str, errors: list[RowError]
               ) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a file one at a time (see the module); ``name`` gives the format."""
    try:
        kind = file_format(name)
    except ValueError as exc:
        raise ImportRefused([RowError(1, "file", str(exc))]) from None
    if kind == "xlsx":
        yield from _rows(_xlsx_records(source), errors)
        return
    if isinstance(source, bytes):
        stream: IO[bytes] = io.BytesIO(source)
    elif isinstance(source, Path):
        stream = source.open("rb")
    else:
        stream = source
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from _rows(([unescape_cell(c) for c in record] for record in csv.reader(text)),
                         errors)
    except UnicodeDecodeError:
        raise ImportRefused([RowError(1, "file", gettext(
            "is not UTF-8 text; save the CSV as UTF-8"))]) from None
    finally:
        text.detach()
        if isinstance(source, Path):
            stream.close()


def count_rows(source: Source, name: str) -> int:
    """About how many rows ``iter_table`` will give, for progress: a CSV is read once
    more; a workbook says how many rows its sheet has (empty ones included)."""
    if Path(name).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source,
                                 read_only=True)
            rows = book.worksheets[0].max_row
            book.close()
        except Exception:  # noqa: BLE001 - the import itself says what is wrong
            return 0
        if not isinstance(source, bytes | Path):
            source.seek(0)
        return max((rows or 1) - 1, 0)
    try:
        return sum(1 for _ in iter_table(source, name, []))
    except ImportRefused:
        return 0
    finally:
        if not isinstance(source, bytes | Path):
            source.seek(0)


def _xlsx_records(source: Source) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source,
                             read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportRefused([RowError(1, "file", gettext(
            "is not an Excel .xlsx workbook"))]) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(min_row=1, values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(v: object) -> str:
    """A cell as text, numbers without float artefacts, dates as month labels."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Decimal):
        return _number_text(v)
    if isinstance(v, dt.datetime | dt.date):
        # Spreadsheets turn "2015-03" into the date 1 March 2015.
        return f"{v.year}-{v.month:02d}"
    return str(v).strip()


def _rows(records: Iterable[list[str]], errors: list[RowError]
          ) -> Iterator[tuple[int, dict[str, str]]]:
    it = iter(records)
    header_cells = next(it, None)
    if header_cells is None:
        raise ImportRefused([RowError(1, "file", gettext("is empty"))])
    header = [h.strip().lower() if isinstance(h, str) else _cell(h) for h in header_cells]
    while header and not header[-1]:
        header.pop()
    refused = [RowError(1, c, gettext("column is missing from the header"))
               for c in COLUMNS if c not in header]
    refused += [RowError(1, h or gettext("column %(n)s") % {"n": i + 1}, gettext(
        "is not a column; use %(columns)s (and optionally %(optional)s)") % {
            "columns": ", ".join(COLUMNS), "optional": ", ".join(OPTIONAL_COLUMNS)})
                for i, h in enumerate(header) if h not in COLUMNS + OPTIONAL_COLUMNS]
    if refused:
        raise ImportRefused(refused)
    width = len(header)
    for number, record in enumerate(it, start=2):
        cells = [c.strip() if isinstance(c, str) else _cell(c) for c in record]
        if not any(cells):
            continue  # spreadsheets keep empty rows at the end
        if len(cells) > width and any(cells[width:]):
            errors.append(RowError(number, "file", gettext("has more cells than the header")))
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield number, dict(zip(header, cells, strict=False))


def _number_text(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d.normalize():f}"


