"""Reading the files official figures come in: CDC/NCHS Stats of the States (raw and
cleaned), NVSS live births by state, and CDC WONDER linked birth / infant death exports.

``parse`` turns a file's text into figures and problems; it writes nothing (that is
``services.load_file``). Every problem names its line and column, so one pass lists them
all. A file's source is detected from its header unless the caller names it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from coiin.network.models import Jurisdiction

from . import problems as say
from . import wonder_strata
from .models import Item, RateUnit, SourceKind, Status, period_label
from .problems import RATE_PLACES, Bad, Problem, describe  # noqa: F401 - read from here too

Progress = Callable[[int], None]

CDC_RAW = ("YEAR", "STATE", "RATE", "DEATHS", "URL")
CDC_CLEAN = ("year", "state_postal", "state_name", "state_fips", "infant_deaths",
             "imr_per_1000_live_births", "rate_note", "cdc_state_page")
NVSS_BIRTHS = ("year", "state_postal", "state_name", "state_fips", "live_births")
# Below 20 deaths NCHS and WONDER call a rate unreliable.
UNRELIABLE_BELOW = 20


@dataclass(frozen=True)
class FigureIn:
    """One figure read from a file (``line`` is where)."""

    line: int
    jurisdiction_id: int
    jurisdiction: str  # its code, for messages
    year: int
    item: str
    value: int | None
    quarter: int = 0
    month: int = 0
    mother_race: str = ""
    mother_age: str = ""
    published_rate: Decimal | None = None
    rate_unit: str = ""
    status: str = Status.FINAL
    suppressed: bool = False
    unreliable: bool = False

    @property
    def key(self) -> tuple[int, int, int, int, str, str, str]:
        return (self.jurisdiction_id, self.year, self.quarter, self.month, self.mother_race,
                self.mother_age, self.item)

    def facts(self) -> tuple:
        """What a second copy of the figure must repeat to be the same figure."""
        return (self.value, self.published_rate, self.rate_unit, self.status,
                self.suppressed, self.unreliable)

    def label(self) -> str:
        stratum = ", ".join(s for s in (self.mother_race, self.mother_age) if s)
        return (f"{self.jurisdiction} {period_label(self.year, self.quarter, self.month)}"
                f"{f' ({stratum})' if stratum else ''} {self.item}")


FIGURE_FIELDS = [f.name for f in fields(FigureIn) if f.name not in ("line", "jurisdiction")]


@dataclass
class Parsed:
    source: str
    rows: int = 0
    figures: list[FigureIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Places:
    """Jurisdictions found by postal code, name or FIPS code."""

    def __init__(self, rows: Iterable[tuple[int, str, str, str, str]]):
        self.by: dict[str, tuple[int, str]] = {}
        for pk, postal, name, official, fips in rows:
            for key in (postal.upper(), name.lower(), official.lower(), fips):
                if key:
                    self.by.setdefault(key, (pk, postal))

    @classmethod
    def from_db(cls) -> Places:
        return cls(Jurisdiction.objects.values_list("pk", "postal_code", "name",
                                                    "official_name", "fips_code"))

    def find(self, text: str) -> tuple[int, str] | None:
        text = text.strip()
        if text.isdigit():
            return self.by.get(text.zfill(2))
        return self.by.get(text.upper()) or self.by.get(text.lower())


def detect(header: str) -> str | None:
    """The source kind a file's first line announces, or None."""
    if "\t" in header:
        return SourceKind.WONDER if "notes" in _tab_cells(header)[0].lower() else None
    cells = tuple(c.strip() for c in next(csv.reader([header.lstrip("\ufeff")]), []))
    if cells in (CDC_RAW, CDC_CLEAN):
        return SourceKind.CDC_SOS
    if cells == NVSS_BIRTHS:
        return SourceKind.NVSS_BIRTHS
    return None


def parse(text: str, *, places: Places, source: str | None = None,
          progress: Progress | None = None, every: int = 10_000) -> Parsed:
    """Read a whole file; ``source`` None detects it from the header."""
    lines = text.lstrip("\ufeff").splitlines()
    header = lines[0] if lines else ""
    found = detect(header)
    kind = source or found
    if kind is None:
        parsed = Parsed(source="")
        parsed.problems.append(Problem(1, "", say.unknown_file(say.expected_columns(
            ",".join(CDC_RAW), ",".join(CDC_CLEAN), ",".join(NVSS_BIRTHS)), header)))
        return parsed
    reader = _WonderReader if kind == SourceKind.WONDER else _CsvReader
    return reader(kind, places, progress, every).read(lines)


# -- cells -----------------------------------------------------------------------------------


_count, _year, _rate = say.count, say.year, say.rate


class _Reader:
    """Shared by the readers: problems, duplicates within the file, progress."""

    def __init__(self, kind: str, places: Places, progress: Progress | None, every: int):
        self.parsed = Parsed(source=kind)
        self.places = places
        self.progress = progress
        self.every = max(1, every)
        self.seen: dict[tuple, FigureIn] = {}

    def problem(self, line: int, column: str, message: str) -> None:
        self.parsed.problems.append(Problem(line, column, message))

    def cell(self, line: int, column: str, read: Callable[[str], object], text: str) -> object:
        try:
            return read(text)
        except Bad as exc:
            self.problem(line, column, str(exc))
            return None

    def place(self, line: int, column: str, text: str) -> tuple[int, str] | None:
        found = self.places.find(text)
        if found is None:
            self.problem(line, column, gettext(
                "no jurisdiction with the code, name or FIPS code %(text)s") % {
                "text": repr(text.strip())})
        return found

    def add(self, figure: FigureIn) -> None:
        before = self.seen.get(figure.key)
        if before is None:
            self.seen[figure.key] = figure
            self.parsed.figures.append(figure)
        elif before.facts() != figure.facts():
            self.problem(figure.line, "", say.twice(
                figure.label(), before.line,
                describe(figure.value, figure.published_rate, figure.suppressed),
                describe(before.value, before.published_rate, before.suppressed)))

    def counted(self) -> None:
        self.parsed.rows += 1
        if self.progress and self.parsed.rows % self.every == 0:
            self.progress(self.parsed.rows)

    def finish(self) -> Parsed:
        if self.progress and self.parsed.rows % self.every:
            self.progress(self.parsed.rows)
        return self.parsed


class _CsvReader(_Reader):
    """Stats of the States (raw or cleaned) and NVSS births: one state-year per row."""

    def read(self, lines: list[str]) -> Parsed:
        rows = csv.reader(lines)
        header = tuple(c.strip() for c in next(rows, []))
        known: dict[str, tuple[tuple[str, ...], ...]] = {
            SourceKind.NVSS_BIRTHS: (NVSS_BIRTHS,), SourceKind.CDC_SOS: (CDC_RAW, CDC_CLEAN)}
        expected = known[self.parsed.source]
        if header not in expected:
            self._wrong_columns(header, expected)
            return self.parsed
        names = dict(zip(header, range(len(header)), strict=True))
        for number, row in enumerate(rows, start=2):
            if not any(c.strip() for c in row):
                continue
            self.counted()
            if len(row) != len(header):
                self.problem(number, "", say.fields_count(len(row), len(header)))
                continue
            cells = {name: row[i] for name, i in names.items()}
            if header == CDC_RAW:
                self._cdc(number, cells, "YEAR", "STATE", "DEATHS", "RATE")
            elif header == CDC_CLEAN:
                if self._same_place(number, cells):
                    self._cdc(number, cells, "year", "state_postal", "infant_deaths",
                              "imr_per_1000_live_births")
            elif self._same_place(number, cells):
                self._births(number, cells)
        return self.finish()

    def _wrong_columns(self, header: tuple[str, ...], expected: tuple) -> None:
        best = min(expected, key=lambda cols: len(set(cols) ^ set(header)))
        missing = [c for c in best if c not in header]
        extra = [c for c in header if c not in best]
        self.problem(1, "", say.wrong_columns(self.parsed.source, ",".join(best), missing,
                                              extra))

    def _same_place(self, number: int, cells: dict[str, str]) -> bool:
        """The cleaned files repeat the state as name and FIPS code: all three must agree."""
        place = self.place(number, "state_postal", cells["state_postal"])
        if place is None:
            return False
        for column in ("state_name", "state_fips"):
            other = self.places.find(cells[column]) if cells[column].strip() else place
            if other != place:
                self.problem(number, column, gettext("%(cell)s is not %(state)s") % {
                    "cell": repr(cells[column].strip()),
                    "state": cells["state_postal"].strip()})
                return False
        return True

    def _cdc(self, number: int, cells: dict[str, str], year_col: str, state_col: str,
             deaths_col: str, rate_col: str) -> None:
        year = self.cell(number, year_col, _year, cells[year_col])
        place = self.place(number, state_col, cells[state_col])
        deaths_text, rate_text = cells[deaths_col].strip(), cells[rate_col].strip()
        deaths = rate = None
        unreliable = rate_text.lower() == "unreliable"
        if deaths_text:
            deaths = self.cell(number, deaths_col, _count, deaths_text)
        if rate_text and not unreliable:
            rate = self.cell(number, rate_col, _rate, rate_text)
        if not deaths_text and (rate_text or unreliable):
            self.problem(number, deaths_col, gettext("a rate with no deaths"))
            return
        if not deaths_text:
            self.problem(number, deaths_col, gettext("no deaths"))
            return
        if not (isinstance(year, int) and place and isinstance(deaths, int)):
            return
        if isinstance(rate, Decimal) and rate == 0 and deaths:
            # CDC prints 0 for some rates from fewer than 20 deaths (Vermont 2020): no rate.
            if deaths >= UNRELIABLE_BELOW:
                self.problem(number, rate_col, gettext("a rate of 0 with %(deaths)s deaths")
                             % {"deaths": deaths})
                return
            rate = None
        elif isinstance(rate, Decimal) and rate > 0 and deaths == 0:
            self.problem(number, rate_col, gettext("a rate of %(rate)s with 0 deaths")
                         % {"rate": rate_text})
            return
        self.add(FigureIn(
            line=number, jurisdiction_id=place[0], jurisdiction=place[1], year=year,
            item=Item.INFANT_DEATHS, value=deaths,
            published_rate=rate if isinstance(rate, Decimal) else None,
            rate_unit=RateUnit.PER_1000 if isinstance(rate, Decimal) else "",
            unreliable=unreliable or deaths < UNRELIABLE_BELOW))

    def _births(self, number: int, cells: dict[str, str]) -> None:
        year = self.cell(number, "year", _year, cells["year"])
        births = self.cell(number, "live_births", _count, cells["live_births"])
        place = self.places.find(cells["state_postal"])
        if isinstance(year, int) and isinstance(births, int) and place:
            self.add(FigureIn(line=number, jurisdiction_id=place[0], jurisdiction=place[1],
                              year=year, item=Item.BIRTHS, value=births))


# -- CDC WONDER --------------------------------------------------------------------------------

SUPPRESSED, UNRELIABLE, NOT_APPLICABLE = "suppressed", "unreliable", "not applicable"
MONTH_CODE = re.compile(r"^(\d{4})/(\d{1,2})$")


def _tab_cells(line: str) -> list[str]:
    return [c.strip().strip('"').strip() for c in line.split("\t")]


class _WonderReader(_Reader):
    """A WONDER export: tab-separated, quoted, a Notes column (``Total`` marks subtotal
    rows), then ``---`` and a footer of notes that says which dataset it is."""

    STATE = ("State Code", "State", "Residence State Code", "Residence State")
    YEAR = ("Year of Death Code", "Year of Death", "Year Code", "Year")
    MONTH = ("Month Code", "Month")
    RACE = ("Mother's Single Race 6", "Mother's Bridged Race", "Mother's Race")
    AGE = ("Age of Mother 9 Code", "Age of Mother 9", "Age of Mother Code", "Age of Mother")

    def read(self, lines: list[str]) -> Parsed:
        header = _tab_cells(lines[0])
        cols = {name: i for i, name in enumerate(header)}
        pick = {role: next((c for c in names if c in cols), None) for role, names in (
            ("state", self.STATE), ("year", self.YEAR), ("month", self.MONTH),
            ("race", self.RACE), ("origin", wonder_strata.ORIGIN_COLUMNS),
            ("age", self.AGE))}
        self.pending: dict[tuple, dict[tuple[str, str], FigureIn]] = {}
        if not (pick["state"] and pick["year"] and "Deaths" in cols and "Births" in cols):
            self.problem(1, "", say.wonder_missing(bool(pick["state"]), bool(pick["year"]),
                                                   "Deaths" in cols, "Births" in cols))
            return self.parsed
        body, footer = _split_footer(lines[1:])
        status = Status.PROVISIONAL if "provisional" in footer.lower() else Status.FINAL
        for number, line in body:
            cells = _tab_cells(line)
            if cells[0].lower() == "total":
                continue  # WONDER's subtotals: derived, not stored
            self.counted()
            if len(cells) != len(header):
                self.problem(number, "", say.fields_count(len(cells), len(header)))
                continue
            self._row(number, {name: cells[i] for name, i in cols.items()}, pick, status)
        for parts in self.pending.values():
            self.add(_summed(list(parts.values())))
        return self.finish()

    def _row(self, number: int, cells: dict[str, str], pick: dict[str, str | None],
             status: str) -> None:
        state, year_col = pick["state"] or "", pick["year"] or ""
        place = self.place(number, state, cells[state])
        year = self.cell(number, year_col, _year, cells[year_col])
        month = self._month(number, pick["month"], cells) if pick["month"] else 0
        deaths, deaths_hidden = self._value(number, "Deaths", cells["Deaths"])
        births, births_hidden = self._value(number, "Births", cells["Births"])
        rate, flagged = self._rate(number, cells.get("Death Rate", ""))
        if not (place and isinstance(year, int) and month is not None) or (
                deaths is False or births is False or rate is False):
            return
        race = cells[pick["race"]] if pick["race"] else None
        origin = cells[pick["origin"]] if pick["origin"] else None
        try:
            stratum = wonder_strata.stratum(race, origin)
        except wonder_strata.UnknownLabel as exc:
            self.problem(number, pick[wonder_strata.which_unknown(race, origin)] or "",
                         str(exc))
            return
        printed = rate if isinstance(rate, Decimal) else None
        common: dict[str, Any] = dict(line=number, jurisdiction_id=place[0], jurisdiction=place[1],
                      year=year, month=month, status=status, mother_race=stratum,
                      mother_age=cells[pick["age"]] if pick["age"] else "")
        few = isinstance(deaths, int) and deaths < UNRELIABLE_BELOW
        figures = (FigureIn(item=Item.INFANT_DEATHS, value=deaths, suppressed=deaths_hidden,
                            published_rate=printed,
                            rate_unit=RateUnit.PER_1000 if printed is not None else "",
                            unreliable=flagged or few, **common),
                   FigureIn(item=Item.BIRTHS, value=births, suppressed=births_hidden, **common))
        for figure in figures:
            if origin is None:
                self.add(figure)
            else:  # several rows can make one stratum: summed once all are read
                self._part(figure, (race or "", origin))

    def _part(self, figure: FigureIn, labels: tuple[str, str]) -> None:
        parts = self.pending.setdefault(figure.key, {})
        before = parts.get(labels)
        if before is None:
            parts[labels] = figure
        elif before.facts() != figure.facts():
            self.problem(figure.line, "", say.twice(
                f"{figure.label()} ({', '.join(x for x in labels if x)})", before.line,
                describe(figure.value, figure.published_rate, figure.suppressed),
                describe(before.value, before.published_rate, before.suppressed)))

    def _month(self, number: int, column: str | None, cells: dict[str, str]) -> int | None:
        text = cells[column or ""]
        match = MONTH_CODE.match(text)
        if match and 1 <= int(match[2]) <= 12:
            return int(match[2])
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        self.problem(number, column or "", gettext("%(cell)s is not a month (YYYY/MM)")
                     % {"cell": repr(text)})
        return None

    def _value(self, number: int, column: str, text: str) -> tuple[int | None | bool, bool]:
        """(count, suppressed); (False, False) for an unreadable cell."""
        if text.lower() == SUPPRESSED:
            return None, True
        if text.lower() == NOT_APPLICABLE:
            return None, False
        count = self.cell(number, column, _count, text)
        return (count if isinstance(count, int) else False), False

    def _rate(self, number: int, text: str) -> tuple[Decimal | None | bool, bool]:
        """(published rate, unreliable); (False, _) for an unreadable cell."""
        lowered = text.lower()
        if lowered in ("", SUPPRESSED, NOT_APPLICABLE):
            return None, False
        if lowered == UNRELIABLE:
            return None, True
        flagged = lowered.endswith("(unreliable)")
        number_text = text[: -len("(unreliable)")] if flagged else text
        rate = self.cell(number, "Death Rate", _rate, number_text)
        return (rate if isinstance(rate, Decimal) else False), flagged


def _summed(parts: list[FigureIn]) -> FigureIn:
    """One stratum's figure from the WONDER rows that make it: their sum (suppressed if
    any part is; none if any part has none); a printed rate only from a single row."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    suppressed = any(p.suppressed for p in parts)
    values = [p.value for p in parts]
    value = None if suppressed or None in values else sum(v for v in values if v is not None)
    few = first.item == Item.INFANT_DEATHS and value is not None and value < UNRELIABLE_BELOW
    return replace(first, value=value, suppressed=suppressed, published_rate=None,
                   rate_unit="", unreliable=few or (value is None and any(
                       p.unreliable for p in parts)))


def _split_footer(lines: list[str]) -> tuple[Iterator[tuple[int, str]], str]:
    """The data lines (numbered from 2) and the footer's text after ``---``."""
    end = next((i for i, line in enumerate(lines) if line.strip().strip('"') == "---"),
               len(lines))
    body = ((i + 2, line) for i, line in enumerate(lines[:end]) if line.strip())
    return body, "\n".join(lines[end + 1:])
