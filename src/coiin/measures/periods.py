"""Reporting periods: months, quarters, half-years and years, and their labels.

Plain Python but for the names and messages people read (months, headings, why a label is
not a period), which follow the active language. A period is its frequency and its first
day; labels are ``2015-03``, ``2015-Q1``, ``2015-H1`` and ``2015``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.value]

    @property
    def adjective(self) -> str:
        """``Monthly``, in the active language."""
        return {"monthly": gettext("Monthly"), "quarterly": gettext("Quarterly"),
                "half_yearly": gettext("Half-yearly"), "yearly": gettext("Yearly")}[self.value]

    @property
    def heading(self) -> str:
        """``Monthly measures``, in the active language."""
        return {"monthly": gettext("Monthly measures"), "quarterly": gettext("Quarterly measures"),
                "half_yearly": gettext("Half-yearly measures"),
                "yearly": gettext("Yearly measures")}[self.value]


_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})$"), Frequency.MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), Frequency.QUARTERLY),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE), Frequency.HALF_YEARLY),
    (re.compile(r"^(\d{4})$"), Frequency.YEARLY),
]


class PeriodError(ValueError):
    """A period label or date that is not a valid reporting period."""


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    frequency: Frequency

    def __post_init__(self) -> None:
        if self.start.day != 1 or (self.start.month - 1) % self.frequency.months:
            raise PeriodError(gettext("%(day)s does not start a %(frequency)s period") % {
                "day": self.start, "frequency": self.frequency.adjective.lower()})

    @classmethod
    def parse(cls, label: str) -> Period:
        """``2015-03`` / ``2015-Q1`` / ``2015-H1`` / ``2015`` to a Period."""
        text = label.strip()
        for pattern, frequency in _PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            year = int(match.group(1))
            if frequency is Frequency.YEARLY:
                return cls(dt.date(year, 1, 1), frequency)
            part = int(match.group(2))
            if frequency is Frequency.MONTHLY and not 1 <= part <= 12:
                break
            month = 1 + (part - 1) * (1 if frequency is Frequency.MONTHLY else frequency.months)
            return cls(dt.date(year, month, 1), frequency)
        raise PeriodError(gettext(
            "%(label)s is not a period: use 2015-03 (month), 2015-Q1 (quarter), "
            "2015-H1 (half-year) or 2015 (year)") % {"label": repr(label)})

    @classmethod
    def containing(cls, day: dt.date, frequency: Frequency) -> Period:
        month = 1 + ((day.month - 1) // frequency.months) * frequency.months
        return cls(dt.date(day.year, month, 1), frequency)

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        return {
            Frequency.MONTHLY: f"{y}-{m:02d}",
            Frequency.QUARTERLY: f"{y}-Q{(m - 1) // 3 + 1}",
            Frequency.HALF_YEARLY: f"{y}-H{(m - 1) // 6 + 1}",
            Frequency.YEARLY: f"{y}",
        }[self.frequency]

    @property
    def display(self) -> str:
        """For people: ``March 2015``, ``Q1 2015``, ``H1 2015``, ``2015``."""
        if self.frequency is Frequency.MONTHLY:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        return self.label.replace(f"{self.start.year}-", "") + f" {self.start.year}" \
            if self.frequency is not Frequency.YEARLY else self.label

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return _add_months(self.start, self.frequency.months) - dt.timedelta(days=1)

    def next(self) -> Period:
        return Period(_add_months(self.start, self.frequency.months), self.frequency)

    def previous(self) -> Period:
        return Period(_add_months(self.start, -self.frequency.months), self.frequency)

    def due_date(self, lag_days: int) -> dt.date:
        """Data are due ``lag_days`` after the period ends."""
        return self.end + dt.timedelta(days=lag_days)

    def __str__(self) -> str:
        return self.label


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last`` inclusive (same frequency)."""
    if first.frequency is not last.frequency:
        raise PeriodError("both ends must have the same frequency")
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out
