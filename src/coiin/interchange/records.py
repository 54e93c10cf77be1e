"""What every interchange format is read into and written from: values in the import's
columns, the workflow status a document gives each team-period, and the problems found
while reading, each named by its place in the document. Pure Python: no Django."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# The canonical base of the platform's FHIR definitions (Measure URLs, extensions). A
# Measure's canonical URL ends in /Measure/<code> whichever instance wrote it.
CANONICAL = "https://coiin.invalid/fhir"
STATUSES = ("draft", "submitted", "reviewed", "locked")
# A survey measure's (PRAMS, BRFSS) weighted estimate is its ``value``; these travel with
# it, as the CSV import's optional columns of the same names.
SURVEY_COLUMNS = ("standard_error", "ci_lower", "ci_upper", "sample_size")
# A sampled measure's individual measurements, "21; 14; 35" (the import's column of that
# name): its value is their mean, so they travel instead of a value.
COLUMNS = ("jurisdiction", "network", "measure", "period", "numerator", "denominator",
           "value", "stratum", "comment", *SURVEY_COLUMNS, "measurements")


@dataclass
class Record:
    """One value: a team's measure in a period, in total (stratum "") or for one stratum.

    ``where`` names the place in the document it came from; ``paths`` the place of each
    column that has its own (a numerator's population, a data value), for errors."""

    jurisdiction: str
    network: str
    measure: str
    period: str  # the platform's label: 2017-12, 2017-Q4, 2017-H1, 2017
    stratum: str = ""
    numerator: str = ""
    denominator: str = ""
    value: str = ""  # a count, or a categorical or free-text answer
    comment: str = ""
    standard_error: str = ""  # a survey estimate's, with its 95 % CI and unweighted n
    ci_lower: str = ""
    ci_upper: str = ""
    sample_size: str = ""
    measurements: str = ""  # a sampled measure's, "21; 14; 35"
    where: str = ""
    paths: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # as the document gave each column

    def cells(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS}

    def path(self, column: str) -> str:
        return self.paths.get(column, self.where)

    @property
    def period_key(self) -> tuple[str, str, str]:
        return (self.jurisdiction, self.network, self.period)


class CannotCarry(ValueError):
    """A format that cannot carry what a measure reports (a sampled measure's individual
    measurements in DHIS2's one number per data value); the message names the measures."""


def sampled_refusal(codes: list[str], fmt: str) -> str:
    """Why ``fmt`` cannot carry these sampled measures, naming them."""
    return (f"{', '.join(sorted(set(codes)))}: a sampled measure's value is the mean of its "
            f"individual measurements, which {fmt} cannot carry (one number per data value); "
            "exchange it as a FHIR MeasureReport or in the CSV import's measurements column")


@dataclass
class StatusClaim:
    """A document's word on where a team-period stands in the workflow."""

    jurisdiction: str
    network: str
    period: str
    status: str
    where: str


@dataclass
class Problem:
    """Something wrong in a document: where, the value found there, and why it is refused."""

    where: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = f" ({self.value!r})" if self.value else ""
        return f"{self.where}{shown}: {self.reason}"


@dataclass
class Document:
    records: list[Record] = field(default_factory=list)
    statuses: list[StatusClaim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# -- periods ---------------------------------------------------------------------------------

_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
_DHIS2 = [
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "monthly"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})S([12])$"), "half_yearly"),
    (re.compile(r"^(\d{4})$"), "yearly"),
]
_LABEL = [
    (re.compile(r"^(\d{4})-(\d{2})$"), "monthly"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})-H([12])$"), "half_yearly"),
    (re.compile(r"^(\d{4})$"), "yearly"),
]
_ADX_SPANS = {"P1M": "monthly", "P3M": "quarterly", "P6M": "half_yearly", "P1Y": "yearly",
              "P12M": "yearly"}
_ADX_NAMES = {"monthly": "P1M", "quarterly": "P3M", "half_yearly": "P6M", "yearly": "P1Y"}


class BadPeriod(ValueError):
    pass


def _parse(label: str, patterns: list[tuple[re.Pattern[str], str]]) -> tuple[int, int, str]:
    for pattern, freq in patterns:
        m = pattern.match(label.strip())
        if m:
            part = int(m.group(2)) if freq != "yearly" else 1
            return int(m.group(1)), part, freq
    raise BadPeriod(label)


def _label(year: int, part: int, freq: str) -> str:
    return {"monthly": f"{year}-{part:02d}", "quarterly": f"{year}-Q{part}",
            "half_yearly": f"{year}-H{part}", "yearly": f"{year}"}[freq]


def _start(year: int, part: int, freq: str) -> dt.date:
    return dt.date(year, 1 + (part - 1) * _MONTHS[freq], 1)


def label_to_dhis2(label: str) -> str:
    """2017-12 → 201712, 2017-Q4 → 2017Q4, 2017-H1 → 2017S1, 2017 → 2017."""
    year, part, freq = _parse(label, _LABEL)
    return {"monthly": f"{year}{part:02d}", "quarterly": f"{year}Q{part}",
            "half_yearly": f"{year}S{part}", "yearly": f"{year}"}[freq]


def dhis2_to_label(iso: str) -> str:
    """A DHIS2 ISO period (201712, 2017Q4, 2017S1, 2017) as the platform's label;
    BadPeriod for anything else (a week, a financial year, a typo)."""
    return _label(*_parse(iso, _DHIS2))


def label_dates(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period label."""
    year, part, freq = _parse(label, _LABEL)
    start = _start(year, part, freq)
    index = start.year * 12 + start.month - 1 + _MONTHS[freq]
    return start, dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def dates_to_label(start: str, end: str) -> str:
    """A FHIR period (first and last day) as a label; BadPeriod unless it is exactly one
    month, quarter, half-year or year."""
    try:
        first, last = dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
    except ValueError:
        raise BadPeriod(f"{start}/{end}") from None
    months = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
    freq = {v: k for k, v in _MONTHS.items()}.get(months)
    if freq is None or first.day != 1 or (first.month - 1) % _MONTHS[freq]:
        raise BadPeriod(f"{start}/{end}")
    label = _label(first.year, (first.month - 1) // _MONTHS[freq] + 1, freq)
    if label_dates(label) != (first, last):
        raise BadPeriod(f"{start}/{end}")
    return label


def label_to_adx(label: str) -> str:
    """2017-12 → 2017-12-01/P1M (ADX periods are ISO 8601 start/duration)."""
    year, part, freq = _parse(label, _LABEL)
    return f"{_start(year, part, freq).isoformat()}/{_ADX_NAMES[freq]}"


def adx_to_label(text: str) -> str:
    start, _, span = text.partition("/")
    freq = _ADX_SPANS.get(span.upper())
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise BadPeriod(text) from None
    if freq is None or first.day != 1 or (first.month - 1) % _MONTHS[freq]:
        raise BadPeriod(text)
    return _label(first.year, (first.month - 1) // _MONTHS[freq] + 1, freq)


def status_order(status: str) -> int:
    return STATUSES.index(status)
