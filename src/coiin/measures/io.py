"""Bulk import and export of reported values, in one set of columns.

The CLI (``coiin import-data`` / ``coiin export-data``), the upload page and the JSON API
all come through here, so every path applies the same checks:

* a row names its team (jurisdiction postal code + learning-network slug), measure,
  period label, optional stratum, and its numbers (or a text answer in ``value``); an
  optional ``site`` column names the reporting unit of a measure the team reports by
  site (the team's figure is then the sum of its sites');
* here each row is read and resolved (unknown references, the measure's frequency,
  numbers the database cannot hold exactly, repeated rows and, for people,
  ``access.can(user, ENTER_DATA, team)``); ``services.import_stream`` then checks the
  rows as a whole (validation against each team's shown history, chosen measures, locked
  submissions, closed periods) and stores them, in one transaction, with their history;
* any error anywhere refuses the whole file and lists every bad row; warnings do not
  block and are reported;
* a row identical to what is stored is a no-op, so re-importing a file (or an export)
  changes nothing and writes no history.

Files are streamed: rows are read, resolved (through dictionaries of every reference
table, read once) and checked a chunk at a time by ``services.import_stream``, which
writes them with ``COPY`` / ``executemany``; memory does not grow with the file.

Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from coiin import access
from coiin.access import Action
from coiin.network.models import Jurisdiction, LearningNetwork, ReportingUnit, Team, User
from coiin.network.services import RowError

from . import messages, samples, services
from .io_export import export_rows, submissions_in, write_csv, write_file, write_xlsx
from .io_read import (
    _TEXT_TYPES,
    COLUMNS,
    FORMATS,
    NUMBER_COLUMNS,
    SURVEY_COLUMNS,
    Source,
    _cell,
    count_rows,
    file_format,
    iter_table,
    read_file,
    read_table,
)
from .models import Measure, Stratum
from .periods import Period, PeriodError
from .services import ImportRefused, ImportResult, ValueIn, ValueRow
from .validation import Entry

__all__ = [
    "COLUMNS", "FORMATS", "NUMBER_COLUMNS", "SURVEY_COLUMNS", "ImportRefused", "ImportResult",
    "count_rows", "export_rows", "file_format", "import_file", "import_rows", "iter_table",
    "read_file", "read_table", "submissions_in", "write_csv", "write_file", "write_xlsx",
]

PROGRESS_EVERY = 10_000
# DataValue numbers are DECIMAL(14, 4); anything finer or bigger would be changed by the
# database, so it is refused rather than silently rounded.
DECIMAL_PLACES = 4
MAX_ABS = Decimal(10) ** (14 - DECIMAL_PLACES)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stage is "checked" or "wrote"."""

Rows = Iterable[tuple[int, Mapping[str, Any]]]


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


def import_file(source: Source, name: str, **kw: Any) -> ImportResult:
    """``import_rows`` of a CSV or XLSX file, streamed (see ``import_rows``)."""
    reading: list[RowError] = []
    try:
        return import_rows(iter_table(source, name, reading), read_errors=reading, **kw)
    except ImportRefused as exc:
        raise ImportRefused(_in_order(exc.errors), exc.warnings) from None


def import_rows(rows: Rows, *, user: User | None = None, check_access: bool = False,
                only_team: Team | None = None, dry_run: bool = False,
                reason: str = "import", today: dt.date | None = None,
                progress: Progress | None = None, total: int | None = None,
                read_errors: list[RowError] | None = None) -> ImportResult:
    """Check and store rows of values, all or nothing.

    ``rows`` are (row number, cells by column), a list or a generator (consumed a chunk
    at a time). With ``check_access`` the user must be allowed to enter data for every
    row's team and (unless backbone staff) periods must be open; without it (the
    operator's CLI) neither is checked. ``only_team`` refuses rows of any other team.
    Raises ImportRefused listing every bad row; nothing is written then, nor on a dry
    run. ``user`` is recorded as the author in the history. ``read_errors`` is where the
    file's reader records bad rows while it is read.
    """
    if total is None:
        total = len(rows) if isinstance(rows, Sized) else 0
    errors = read_errors if read_errors is not None else []
    resolver = _Resolver(errors, user=user, check_access=check_access, only_team=only_team)

    def checked() -> Iterator[ValueIn]:
        done = 0
        for done, (number, raw) in enumerate(rows, start=1):  # noqa: B007 - counted below
            row = resolver.resolve(number, raw)
            if row is not None:
                yield row
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress("checked", done, total)
        resolver.rows = done
        if progress is not None and done >= PROGRESS_EVERY and done % PROGRESS_EVERY:
            progress("checked", done, total or done)

    def wrote(stage: str, done: int, of: int) -> None:
        if progress is not None and max(done, of) >= PROGRESS_EVERY:
            progress(stage, done, of or done)

    backbone = user is not None and access.is_backbone(user)
    try:
        result = services.import_stream(
            checked(), user=user, reason=reason, check_closed=check_access and not backbone,
            today=today, dry_run=dry_run, progress=wrote, errors=errors, total=total)
    except ImportRefused as exc:
        raise ImportRefused(_in_order(exc.errors), exc.warnings) from None
    result.rows = resolver.rows
    return result


_UNKNOWN: Any = object()


class _Resolver:
    """Rows to ValueIn, through dictionaries: a reference seen once is not looked up
    again. A row the quick path doubts goes through ``_resolve``, which names every
    problem as the messages always have."""

    def __init__(self, errors: list[RowError], *, user: User | None, check_access: bool,
                 only_team: Team | None) -> None:
        self.errors, self.user, self.only_team = errors, user, only_team
        self.check_access = check_access
        self.lk = _Lookups()
        self.teams: dict[tuple[str, str], Team | None] = {}
        self.measures: dict[str, Measure | None] = {}
        self.periods: dict[str, Period | None] = {}
        self.may_enter: dict[int, bool] = {}
        self.units = {(u.team_id, u.name.lower()): u for u in ReportingUnit.objects.all()}
        self.rows = 0

    def resolve(self, number: int, raw: Mapping[str, Any]) -> ValueIn | None:
        row = self._quick(number, raw)
        if row is None:
            found = _resolve(number, raw, self.lk, self.errors)
            if found is None:
                return None
            e = found.entry
            row = ValueIn(number, found.team, found.measure, found.period, found.stratum,
                          e.numerator, e.denominator, e.value, e.text, e.comment, None,
                          *e.survey, measurements=e.measurements)
        team = row.team
        site = raw.get("site")
        site = site.strip() if site.__class__ is str else _cell(site)
        if site:
            unit = self.units.get((team.id, site.lower()))
            if unit is None:
                self.errors.append(RowError(number, "site", gettext(
                    "%(team)s has no site %(site)s") % {"team": team, "site": repr(site)}))
                return None
            row = row._replace(unit=unit)
        if self.check_access:
            may = self.may_enter.get(team.pk)
            if may is None:
                may = self.may_enter[team.pk] = access.can(self.user or _anonymous(),
                                                           Action.ENTER_DATA, team)
            if not may:
                self.errors.append(RowError(number, "jurisdiction", gettext(
                    "you may not enter data for %(team)s") % {"team": team}))
                return None
        if self.only_team is not None and team.pk != self.only_team.pk:
            self.errors.append(RowError(number, "jurisdiction", gettext(
                "this upload is for %(upload)s; the row is for %(team)s") % {
                    "upload": self.only_team, "team": team}))
            return None
        return row

    def _quick(self, number: int, raw: Mapping[str, Any]) -> ValueIn | None:
        cells = [v.strip() if v.__class__ is str else _cell(v)
                 for v in map(raw.get, COLUMNS)]
        where, network, code, label, num, den, value, stratum_code, comment = cells
        team = self.teams.get((where, network), _UNKNOWN)
        if team is _UNKNOWN:
            team = self.teams[(where, network)] = self._team(where, network)
        measure = self.measures.get(code, _UNKNOWN)
        if measure is _UNKNOWN:
            measure = self.measures[code] = self.lk.measure(code) if code else None
        period = self.periods.get(label, _UNKNOWN)
        if period is _UNKNOWN:
            period = self.periods[label] = _period(self.lk, label)
        if team is None or measure is None or period is None \
                or period.frequency is not measure.freq or measure.is_survey \
                or measure.is_sampled or _cell(raw.get("measurements")) \
                or any(_cell(raw.get(c)) for c in SURVEY_COLUMNS):
            return None
        stratum = None
        if stratum_code:
            stratum = self.lk.strata.get((measure.stratification, stratum_code.lower()))
            if stratum is None or not measure.stratification:
                return None
        if measure.type in _TEXT_TYPES:
            if num or den:
                return None
            return ValueIn(number, team, measure, period, stratum, None, None, None, value,
                           comment)
        numbers = (_quick_number(num), _quick_number(den), _quick_number(value))
        if _UNKNOWN in numbers:
            return None
        return ValueIn(number, team, measure, period, stratum, *numbers, "", comment)

    def _team(self, where: str, network: str) -> Team | None:
        j = self.lk.jurisdictions.get(where.upper())
        n = self.lk.networks.get(network.lower())
        return self.lk.teams.get((j.pk, n.pk)) if j is not None and n is not None else None


def _period(lk: _Lookups, label: str) -> Period | None:
    try:
        return lk.period(label) if label else None
    except PeriodError:
        return None


def _quick_number(text: str) -> Decimal | str | None:
    """A storable number, text for validation to name, or _UNKNOWN when not storable."""
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "") if "," in text else text)
    except ArithmeticError:
        return text
    if not number.is_finite():
        return text
    if (number.as_tuple().exponent < -DECIMAL_PLACES  # type: ignore[operator]
            and number.normalize().as_tuple().exponent < -DECIMAL_PLACES) \
            or abs(number) >= MAX_ABS:  # type: ignore[operator]
        return _UNKNOWN
    return number


def _in_order(errors: list[RowError]) -> list[RowError]:
    order = COLUMNS + SURVEY_COLUMNS
    return sorted(errors, key=lambda e: (e.row, order.index(e.field) if e.field in order
                                         else len(order)))


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _resolve(number: int, raw: Mapping[str, Any], lk: _Lookups,
             errors: list[RowError]) -> ValueRow | None:
    cells = {c: _cell(raw.get(c)) for c in (*COLUMNS, *SURVEY_COLUMNS, "measurements")}
    bad = len(errors)

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    jurisdiction = lk.jurisdictions.get(cells["jurisdiction"].upper())
    if not cells["jurisdiction"]:
        error("jurisdiction", gettext("is missing; give the postal code, e.g. GA"))
    elif jurisdiction is None:
        error("jurisdiction", gettext("no jurisdiction with the postal code {code}").format(
            code=repr(cells["jurisdiction"])))
    network = lk.networks.get(cells["network"].lower())
    if not cells["network"]:
        error("network", gettext("is missing; give the learning network's code, e.g. "
                                 "safe-sleep"))
    elif network is None:
        error("network", gettext("no learning network {network}; use one of: {codes}").format(
            network=repr(cells["network"]), codes=", ".join(lk.networks)))
    team = None
    if jurisdiction is not None and network is not None:
        team = lk.teams.get((jurisdiction.pk, network.pk))
        if team is None:
            error("network", gettext("{jurisdiction} has no team in the {network} learning "
                                     "network").format(jurisdiction=jurisdiction.name,
                                                       network=network.name))
    measure = lk.measure(cells["measure"])
    if not cells["measure"]:
        error("measure", gettext("is missing"))
    elif measure is None:
        error("measure", gettext("no measure with the code {code}").format(
            code=repr(cells["measure"])))
    period = None
    if not cells["period"]:
        error("period", gettext("is missing; use 2015-03, 2015-Q1, 2015-H1 or 2015"))
    else:
        try:
            period = lk.period(cells["period"])
        except PeriodError as exc:
            error("period", str(exc))
    if period is not None and measure is not None and period.frequency is not measure.freq:
        error("period", messages.wrong_frequency(measure.code, cells["period"],
                                                 measure.freq.value, period.frequency.value))
    stratum = None
    if cells["stratum"] and measure is not None:
        if not measure.stratification:
            error("stratum", gettext("{code} is not reported by stratum; leave it blank")
                  .format(code=measure.code))
        else:
            stratum = lk.strata.get((measure.stratification, cells["stratum"].lower()))
            if stratum is None:
                kind = str(Stratum.Kind(measure.stratification).label).lower()
                error("stratum", messages.no_stratum(kind, cells["stratum"],
                                                     lk.strata_codes(measure.stratification)))
    if measure is not None and (measure.is_sampled or cells["measurements"]):
        if measure.is_sampled and cells["value"] and _their_mean(cells):
            cells["value"] = ""  # the export's mean beside its measurements: worked out again
        for column in ("numerator", "denominator", "value", *SURVEY_COLUMNS):
            if measure.is_sampled and cells[column]:
                error(column, gettext("{code} takes its individual measurements, in the "
                                      "measurements column (separated by semicolons), not a "
                                      "number").format(code=measure.code))
        if not measure.is_sampled:
            error("measurements", gettext("{code} takes one number, not a list of "
                                          "measurements; leave the measurements column blank")
                  .format(code=measure.code))
    elif measure is not None:
        if measure.type in _TEXT_TYPES:
            for column in ("numerator", "denominator", *SURVEY_COLUMNS):
                if cells[column]:
                    error(column, gettext("{code} has a text answer, in the value column")
                          .format(code=measure.code))
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
                  comment=cells["comment"], row=number, measurements=cells["measurements"],
                  **{c: None if text_answer else cells[c] for c in SURVEY_COLUMNS})
    return ValueRow(number, team, measure, period, stratum, entry)


def _their_mean(cells: Mapping[str, str]) -> bool:
    """The value is the mean of the row's measurements (as the export writes it)."""
    try:
        return Decimal(cells["value"]) == samples.mean(
            samples.parse_measurements(cells["measurements"]))
    except (ArithmeticError, ValueError):
        return False


def _storable(text: str) -> str:
    """Why a number cannot be stored exactly, or ""; unparsable text is validation's."""
    try:
        number = Decimal(text.replace(",", "")) if text else None
    except ArithmeticError:
        return ""
    if number is None or not number.is_finite():
        return ""
    if number.normalize().as_tuple().exponent < -DECIMAL_PLACES:  # type: ignore[operator]
        return gettext("{number} has more than {places} decimal places; round it").format(
            number=text, places=DECIMAL_PLACES)
    if abs(number) >= MAX_ABS:
        return gettext("{number} is too large to store").format(number=text)
    return ""


