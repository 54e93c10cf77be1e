"""Bulk import and export of reported values, in one set of columns.

The CLI (``coiin import-data`` / ``coiin export-data``), the upload page and the JSON API
all come through here, so every path applies the same checks:

* a row names its team (jurisdiction postal code + learning-network slug), measure,
  period label, optional stratum, and its numbers (or a text answer in ``value``);
* here each row is read and resolved (unknown references, the measure's frequency,
  numbers the database cannot hold exactly, repeated rows and, for people,
  ``access.can(user, ENTER_DATA, team)``); ``services.import_values`` then checks the
  rows as a whole (validation against each team's shown history, chosen measures, locked
  submissions, closed periods) and stores them, in one transaction, with their history;
* any error anywhere refuses the whole file and lists every bad row; warnings do not
  block and are reported;
* a row identical to what is stored is a no-op, so re-importing a file (or an export)
  changes nothing and writes no history.

Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import F, QuerySet

from coiin import access
from coiin.access import Action
from coiin.network.models import Jurisdiction, LearningNetwork, Team, User
from coiin.network.services import RowError

from . import services
from .models import DataValue, Measure, Stratum, Submission
from .periods import Frequency, Period, PeriodError
from .services import ImportRefused, ImportResult, ValueRow
from .validation import Entry

COLUMNS = ("jurisdiction", "network", "measure", "period", "numerator", "denominator",
           "value", "stratum", "comment")
NUMBER_COLUMNS = ("numerator", "denominator", "value")
FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 10_000
# DataValue numbers are DECIMAL(14, 4); anything finer or bigger would be changed by the
# database, so it is refused rather than silently rounded.
DECIMAL_PLACES = 4
MAX_ABS = Decimal(10) ** (14 - DECIMAL_PLACES)

_FREQUENCY_WORDS = {
    Frequency.MONTHLY: ("monthly", "a month"),
    Frequency.QUARTERLY: ("quarterly", "a quarter"),
    Frequency.HALF_YEARLY: ("half-yearly", "a half-year"),
    Frequency.YEARLY: ("yearly", "a year"),
}
_TEXT_TYPES = {Measure.Type.CATEGORICAL, Measure.Type.TEXT}

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stage is "checked" or "wrote"."""

Rows = Sequence[tuple[int, Mapping[str, Any]]]


# -- reading files ---------------------------------------------------------------------


def file_format(name: str) -> str:
    """``csv`` or ``xlsx`` from a file name; ValueError for anything else."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{name!r} is neither a .csv nor an .xlsx file")
    return suffix


def read_table(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8) or XLSX (first sheet) file, as (row number, cells).

    Raises ImportRefused for an unreadable file or a header without the columns.
    """
    try:
        kind = file_format(name)
    except ValueError as exc:
        raise ImportRefused([RowError(1, "file", str(exc))]) from None
    if kind == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused([RowError(1, "file", "is not UTF-8 text; save the CSV as "
                                                     "UTF-8")]) from None
        return _rows(csv.reader(io.StringIO(text, newline="")))
    return _rows(_xlsx_records(data))


def read_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    return read_table(path.read_bytes(), path.name)


def _xlsx_records(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportRefused([RowError(1, "file", "is not an Excel .xlsx workbook")]) from None
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


def _rows(records: Iterable[list[str]]) -> list[tuple[int, dict[str, str]]]:
    it = iter(records)
    header_cells = next(it, None)
    if header_cells is None:
        raise ImportRefused([RowError(1, "file", "is empty")])
    header = [h.strip().lower() for h in header_cells]
    while header and not header[-1]:
        header.pop()
    errors = [RowError(1, c, "column is missing from the header")
              for c in COLUMNS if c not in header]
    errors += [RowError(1, h or f"column {i + 1}",
                        f"is not a column; use {', '.join(COLUMNS)}")
               for i, h in enumerate(header) if h not in COLUMNS]
    if errors:
        raise ImportRefused(errors)
    out = []
    for number, record in enumerate(it, start=2):
        cells = [c.strip() if isinstance(c, str) else _cell(c) for c in record]
        if not any(cells):
            continue  # spreadsheets keep empty rows at the end
        if any(cells[len(header):]):
            errors.append(RowError(number, "file", "has more cells than the header"))
            continue
        out.append((number, dict(zip(header, cells + [""] * (len(header) - len(cells)),
                                     strict=False))))
    if errors:
        raise ImportRefused(errors)
    return out


# -- importing -------------------------------------------------------------------------


class _Lookups:
    """Every reference table an import needs, read once."""

    def __init__(self) -> None:
        self.jurisdictions = {j.postal_code.upper(): j for j in Jurisdiction.objects.all()}
        self.networks = {n.slug.lower(): n for n in LearningNetwork.objects.all()}
        self.teams = {
            (t.jurisdiction_id, t.learning_network_id): t
            for t in Team.objects.select_related("jurisdiction", "learning_network")
        }
        self.measures = {m.code: m for m in Measure.objects.all()}
        self.measures_upper = {m.code.upper(): m for m in self.measures.values()}
        self.strata = {(s.kind, s.code.lower()): s for s in Stratum.objects.all()}
        self.periods: dict[str, Period] = {}

    def measure(self, code: str) -> Measure | None:
        return self.measures.get(code) or self.measures_upper.get(code.upper())

    def period(self, label: str) -> Period:
        if label not in self.periods:
            self.periods[label] = Period.parse(label)
        return self.periods[label]

    def strata_codes(self, kind: str) -> str:
        return ", ".join(s.code for (k, _), s in self.strata.items() if k == kind)


def import_rows(rows: Rows, *, user: User | None = None, check_access: bool = False,
                only_team: Team | None = None, dry_run: bool = False,
                reason: str = "import", today: dt.date | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Check and store rows of values, all or nothing.

    ``rows`` are (row number, cells by column). With ``check_access`` the user must be
    allowed to enter data for every row's team and (unless backbone staff) periods must
    be open; without it (the operator's CLI) neither is checked. ``only_team`` refuses
    rows of any other team. Raises ImportRefused listing every bad row; nothing is
    written then, nor on a dry run. ``user`` is recorded as the author in the history.
    """
    lookups = _Lookups()
    errors: list[RowError] = []
    resolved: list[ValueRow] = []
    seen: dict[tuple, int] = {}
    may_enter: dict[int, bool] = {}
    total = len(rows)
    for done, (number, raw) in enumerate(rows, start=1):
        row = _resolve(number, raw, lookups, errors)
        if row is not None:
            if check_access:
                if row.team.pk not in may_enter:
                    may_enter[row.team.pk] = access.can(user or _anonymous(),
                                                        Action.ENTER_DATA, row.team)
                if not may_enter[row.team.pk]:
                    errors.append(RowError(number, "jurisdiction",
                                           f"you may not enter data for {row.team}"))
                    row = None
            if row is not None and only_team is not None and row.team.pk != only_team.pk:
                errors.append(RowError(number, "jurisdiction",
                                       f"this upload is for {only_team}; the row is for "
                                       f"{row.team}"))
                row = None
        if row is not None:
            first = seen.setdefault(row.value_key, number)
            if first != number:
                errors.append(RowError(number, "measure",
                                       f"repeats row {first} (same team, measure, period and "
                                       "stratum)"))
            else:
                resolved.append(row)
        if progress and (done % PROGRESS_EVERY == 0 or done == total) and total >= PROGRESS_EVERY:
            progress("checked", done, total)

    def wrote(stage: str, done: int, written: int) -> None:
        if progress is not None and written >= PROGRESS_EVERY:
            progress(stage, done, written)

    backbone = user is not None and access.is_backbone(user)
    try:
        # With errors already found the rows are still checked, so that every bad row is
        # listed at once, but nothing is written.
        result = services.import_values(
            rows=resolved, user=user, reason=reason, check_closed=check_access and not backbone,
            today=today, dry_run=dry_run or bool(errors), progress=wrote)
    except ImportRefused as exc:
        raise ImportRefused(_in_order(errors + exc.errors), exc.warnings) from None
    if errors:
        raise ImportRefused(_in_order(errors), result.warnings)
    result.rows = total
    return result


def _in_order(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.field) if e.field in COLUMNS
                                         else len(COLUMNS)))


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _resolve(number: int, raw: Mapping[str, Any], lk: _Lookups,
             errors: list[RowError]) -> ValueRow | None:
    cells = {c: _cell(raw.get(c)) for c in COLUMNS}
    bad = len(errors)

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    jurisdiction = lk.jurisdictions.get(cells["jurisdiction"].upper())
    if not cells["jurisdiction"]:
        error("jurisdiction", "is missing; give the postal code, e.g. GA")
    elif jurisdiction is None:
        error("jurisdiction", f"no jurisdiction with the postal code {cells['jurisdiction']!r}")
    network = lk.networks.get(cells["network"].lower())
    if not cells["network"]:
        error("network", "is missing; give the learning network's code, e.g. safe-sleep")
    elif network is None:
        error("network", f"no learning network {cells['network']!r}; use one of: "
                         f"{', '.join(lk.networks)}")
    team = None
    if jurisdiction is not None and network is not None:
        team = lk.teams.get((jurisdiction.pk, network.pk))
        if team is None:
            error("network", f"{jurisdiction.name} has no team in the {network.name} learning "
                             "network")
    measure = lk.measure(cells["measure"])
    if not cells["measure"]:
        error("measure", "is missing")
    elif measure is None:
        error("measure", f"no measure with the code {cells['measure']!r}")
    period = None
    if not cells["period"]:
        error("period", "is missing; use 2015-03, 2015-Q1, 2015-H1 or 2015")
    else:
        try:
            period = lk.period(cells["period"])
        except PeriodError as exc:
            error("period", str(exc))
    if period is not None and measure is not None and period.frequency is not measure.freq:
        error("period", f"{measure.code} is reported {_FREQUENCY_WORDS[measure.freq][0]}; "
                        f"{cells['period']!r} is {_FREQUENCY_WORDS[period.frequency][1]}")
    stratum = None
    if cells["stratum"] and measure is not None:
        if not measure.stratification:
            error("stratum", f"{measure.code} is not reported by stratum; leave it blank")
        else:
            stratum = lk.strata.get((measure.stratification, cells["stratum"].lower()))
            if stratum is None:
                kind = Stratum.Kind(measure.stratification).label.lower()
                error("stratum", f"no {kind} stratum {cells['stratum']!r}; use one of: "
                                 f"{lk.strata_codes(measure.stratification)}")
    if measure is not None:
        if measure.type in _TEXT_TYPES:
            for column in ("numerator", "denominator"):
                if cells[column]:
                    error(column, f"{measure.code} has a text answer, in the value column")
        else:
            for column in NUMBER_COLUMNS:
                problem = _storable(cells[column])
                if problem:
                    error(column, problem)
    if len(errors) > bad or team is None or measure is None or period is None:
        return None
    text_answer = measure.type in _TEXT_TYPES
    entry = Entry(measure, period.label, stratum=stratum,
                  numerator=None if text_answer else cells["numerator"],
                  denominator=None if text_answer else cells["denominator"],
                  value=None if text_answer else cells["value"],
                  text=cells["value"] if text_answer else "",
                  comment=cells["comment"], row=number)
    return ValueRow(number, team, measure, period, stratum, entry)


def _storable(text: str) -> str:
    """Why a number cannot be stored exactly, or ""; unparsable text is validation's."""
    try:
        number = Decimal(text.replace(",", "")) if text else None
    except ArithmeticError:
        return ""
    if number is None or not number.is_finite():
        return ""
    if number.normalize().as_tuple().exponent < -DECIMAL_PLACES:  # type: ignore[operator]
        return f"{text} has more than {DECIMAL_PLACES} decimal places; round it"
    if abs(number) >= MAX_ABS:
        return f"{text} is too large to store"
    return ""


# -- exporting -------------------------------------------------------------------------


def export_rows(submissions: QuerySet[Submission], *, values: QuerySet[DataValue] | None = None,
                with_status: bool = False) -> Iterator[dict[str, str]]:
    """The values of these team-periods in the import's columns, in a stable order.

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
                     "submission__status")
    )
    labels: dict[tuple[str, dt.date], str] = {}
    for (postal, network, code, mtype, frequency, start, num, den, value, text, stratum,
         comment, status) in values.iterator(chunk_size=2000):
        label = labels.get((frequency, start))
        if label is None:
            label = labels[(frequency, start)] = Period(start, Frequency(frequency)).label
        row = {
            "jurisdiction": postal, "network": network, "measure": code, "period": label,
            "numerator": _number_text(num), "denominator": _number_text(den),
            "value": text if mtype in _TEXT_TYPES else _number_text(value),
            "stratum": stratum or "", "comment": comment,
        }
        if with_status:
            row["status"] = status
        yield row


def _number_text(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d.normalize():f}"


def write_csv(rows: Iterable[Mapping[str, str]], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(rows: Iterable[Mapping[str, str]], stream: IO[bytes]) -> int:
    """An Excel workbook with one sheet: numbers as numbers, text always as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        cells = []
        for column in COLUMNS:
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


def write_file(rows: Iterable[Mapping[str, str]], path: Path) -> int:
    """Write rows to ``path`` as CSV or XLSX, following its extension."""
    if file_format(path.name) == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            return write_csv(rows, f)
    with path.open("wb") as f:
        return write_xlsx(rows, f)


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
