"""What the vitals loader tells an operator about a file: each problem with its line and
column, and the cells it cannot read, in the operator's language (the language active when
the file is read: the page's reader's, or the command's ``--language``). Column names, codes
and the file's own words stay as the file has them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, ngettext

RATE_PLACES = 4  # VitalFigure.published_rate: 12 digits, 4 after the point


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def text(self, file_name: str) -> str:
        return f"{file_name}: {where(self.line, self.column)}: {self.message}"


def where(line: int, column: str = "") -> str:
    """line 4, column DEATHS"""
    if column:
        return gettext("line %(line)s, column %(column)s") % {"line": line, "column": column}
    return gettext("line %(line)s") % {"line": line}


def describe(value: int | None, rate: Decimal | None, suppressed: bool) -> str:
    """A figure in words: "403, rate 6.99", "suppressed", "none"."""
    shown = (gettext("suppressed") if suppressed else
             gettext("none") if value is None else f"{value:,}")
    if rate is None:
        return shown
    return gettext("%(figure)s, rate %(rate)s") % {"figure": shown,
                                                   "rate": f"{rate.normalize():f}"}


def twice(label: str, line: int, here: str, there: str) -> str:
    """A figure the file gives twice, differently."""
    return gettext("%(figure)s is also on line %(line)s with a different figure (%(here)s "
                   "here, %(there)s there)") % {"figure": label, "line": line,
                                                "here": here, "there": there}


def fields_count(found: int, header: int) -> str:
    return ngettext("%(found)s field where the header has %(header)s",
                    "%(found)s fields where the header has %(header)s", found) % {
        "found": found, "header": header}


def unknown_file(expected: str, header: str) -> str:
    return gettext("not a file this loader knows: expected the columns %(expected)s; "
                   "found %(found)s") % {"expected": expected, "found": repr(header[:200])}


def expected_columns(raw: str, clean: str, births: str) -> str:
    return gettext("%(raw)s or %(clean)s (CDC Stats of the States), %(births)s (NVSS births), "
                   "or a tab-separated CDC WONDER export starting with Notes") % {
        "raw": raw, "clean": clean, "births": births}


def wrong_columns(source: str, expected: str, missing: list[str], extra: list[str]) -> str:
    detail = "; ".join(part for part in (
        gettext("missing %(columns)s") % {"columns": ", ".join(missing)} if missing else "",
        gettext("unexpected %(columns)s") % {"columns": ", ".join(extra)} if extra else "",
        "" if missing or extra else gettext("in another order")) if part)
    return gettext("wrong columns for %(source)s: expected %(expected)s; %(detail)s") % {
        "source": source, "expected": expected, "detail": detail}


def wonder_missing(state: bool, year: bool, deaths: bool, births: bool) -> str:
    missing = [name for name, ok in ((gettext("a State column"), state),
                                     (gettext("a Year column"), year),
                                     ("Deaths", deaths), ("Births", births)) if not ok]
    return gettext("wrong columns for a WONDER export: missing %(columns)s") % {
        "columns": ", ".join(missing)}


class Bad(ValueError):
    """A cell that cannot be read; the message says why."""


def count(cell: str) -> int:
    text = cell.strip().replace(",", "")
    if not text.isdigit():
        raise Bad(gettext("%(cell)s is not a whole number") % {"cell": repr(cell.strip())})
    return int(text)


def year(cell: str) -> int:
    text = cell.strip()
    found = int(text) if text.isdigit() else None
    if found is None or not 1900 <= found <= 2100:
        raise Bad(gettext("%(cell)s is not a year") % {"cell": repr(cell.strip())})
    return found


def rate(cell: str) -> Decimal:
    shown = {"cell": repr(cell.strip())}
    try:
        found = Decimal(cell.strip())
    except InvalidOperation:
        raise Bad(gettext("%(cell)s is not a number") % shown) from None
    if not found.is_finite() or found < 0:
        raise Bad(gettext("%(cell)s is not a rate") % shown)
    places = -int(found.as_tuple().exponent)  # an int: the rate is finite
    if places > RATE_PLACES or found.adjusted() >= 12 - RATE_PLACES:
        raise Bad(gettext("%(cell)s: a rate is kept to %(places)s decimal places, below "
                          "100,000,000") % {**shown, "places": RATE_PLACES})
    return found
