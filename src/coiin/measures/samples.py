"""A sampled measure's individual measurements (e.g. days from birth to the postpartum
visit, one per patient sampled in the period): reading them as typed or imported, and the
period's value, their mean. Pure Python: no Django.

The xbar chart draws each period's mean and the s chart their spread, from these lists.
"""

from __future__ import annotations

import math
import re
import statistics
from decimal import Decimal

# Between measurements: semicolons (the CSV column), commas, spaces or new lines.
_SEPARATORS = re.compile(r"[;,\s]+")
MAX_MEASUREMENTS = 10_000


class MeasurementError(ValueError):
    """A list of measurements that cannot be read; the message names the bad entry. ``code``
    and ``params`` give it as ``validation.MESSAGES`` does, for showing it translated."""

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = tuple(params.items())


def parse_measurements(text: str) -> list[float]:
    """The numbers in ``text`` (empty for a blank text); raises MeasurementError naming the
    first entry that is not a finite number, by its position and as typed."""
    items = [t for t in _SEPARATORS.split(text.strip()) if t]
    if len(items) > MAX_MEASUREMENTS:
        count, most = f"{len(items):,}", f"{MAX_MEASUREMENTS:,}"
        raise MeasurementError(f"{count} measurements; at most {most} in one period",
                               "too_many_measurements", count=count, most=most)
    out = []
    for k, item in enumerate(items, 1):
        try:
            number = float(item)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise MeasurementError(f"measurement {k} ({item!r}) is not a number; separate "
                                   "the measurements with semicolons, commas or spaces",
                                   "measurement_not_number", position=str(k), item=repr(item))
        out.append(number)
    return out


def mean(measurements: list[float]) -> Decimal | None:
    """The period's value: the mean of its measurements, to four decimals (as stored)."""
    if not measurements:
        return None
    return Decimal(str(round(statistics.fmean(measurements), 4)))


def as_text(measurements: list[float] | None) -> str:
    """The measurements as the form and the CSV show them: ``3; 14; 21``."""
    return "; ".join(f"{v:g}" for v in measurements or [])
