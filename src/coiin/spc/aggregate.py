"""Input cleaning and aggregation of rows into subgroups (one subgroup per distinct x)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .errors import SPCInputError

XKind = Literal["index", "date", "number", "label"]
XValue = int | float | str | dt.date | dt.datetime


@dataclass
class Subgroups:
    """Rows aggregated by x, in chart order; arrays hold NaN for missing values."""

    x: list[XValue]
    x_kind: XKind
    y: np.ndarray  # ratio y_sum/n when n is given, otherwise the mean of the rows
    n: np.ndarray  # summed denominators (NaN without n)
    y_sum: np.ndarray
    size: np.ndarray  # number of rows with a usable value
    mean: np.ndarray
    sd: np.ndarray  # sample sd (n - 1) of the rows; NaN below two rows
    has_n: bool
    rows: list[list[int]]  # 0-based input rows of each subgroup

    def __len__(self) -> int:
        return len(self.x)


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float | np.floating) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip().upper() in ("", "NA", "NAN", "NULL")


def to_float_array(values: Sequence[object] | np.ndarray, field: str) -> np.ndarray:
    """Convert a sequence of numbers / numeric strings / None to a float array (NaN = missing)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        return np.asarray(values, dtype=float).ravel()
    out = np.empty(len(values), dtype=float)
    for i, v in enumerate(values):
        if _is_missing(v):
            out[i] = np.nan
            continue
        if isinstance(v, bool | np.bool_):
            raise SPCInputError(
                f"row {i + 1}: {field} is {v!r}, not a number", row=i + 1, field=field,
                code="not_number", params={"row": i + 1, "field": field, "value": repr(v)},
            )
        try:
            f = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SPCInputError(
                f"row {i + 1}: {field} is {v!r}, not a number", row=i + 1, field=field,
                code="not_number", params={"row": i + 1, "field": field, "value": repr(v)},
            ) from None
        if math.isinf(f):
            raise SPCInputError(f"row {i + 1}: {field} is infinite", row=i + 1, field=field,
                                code="infinite", params={"row": i + 1, "field": field})
        out[i] = f
    return out


def _parse_date(s: str) -> dt.date | dt.datetime | None:
    s = s.strip()
    if len(s) < 10 or s[4] != "-":
        return None
    try:
        if len(s) == 10:
            return dt.date.fromisoformat(s)
        d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Midnight timestamps are calendar dates in all the data we chart; keep them as dates.
    if d.time() == dt.time(0) and d.tzinfo is None:
        return d.date()
    return d


def _parse_number(s: str) -> int | float | None:
    s = s.strip()
    try:
        return int(s)
    except ValueError:
        pass
    try:
        f = float(s)
    except ValueError:
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def normalise_x(x: Sequence[object] | np.ndarray | None, length: int) -> tuple[list[XValue], XKind]:
    """Return x as comparable Python values plus its kind (dates, numbers or labels)."""
    if x is None:
        return list(range(1, length + 1)), "index"
    values = list(x.tolist() if isinstance(x, np.ndarray) else x)
    if len(values) != length:
        raise SPCInputError(
            f"x has {len(values)} values but y has {length}", field="x",
            code="x_length", params={"x": len(values), "y": length},
        )
    for i, v in enumerate(values):
        if _is_missing(v):
            raise SPCInputError(f"row {i + 1}: x is missing", row=i + 1, field="x",
                                code="x_missing", params={"row": i + 1})
    if all(isinstance(v, dt.date) for v in values):
        if any(isinstance(v, dt.datetime) for v in values):
            if all(
                not isinstance(v, dt.datetime) or (v.time() == dt.time(0) and v.tzinfo is None)
                for v in values
            ):
                return [v.date() if isinstance(v, dt.datetime) else v for v in values], "date"
            # Mixed dates and timestamps: compare them all as timestamps.
            return [
                v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)  # noqa: DTZ001
                for v in values
            ], "date"
        return values, "date"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return values, "number"
    if all(isinstance(v, str) for v in values):
        dates = [_parse_date(v) for v in values]
        if all(d is not None for d in dates):
            return normalise_x(dates, length)
        numbers = [_parse_number(v) for v in values]
        if all(n is not None for n in numbers):
            return numbers, "number"  # type: ignore[return-value]
        return [v.strip() for v in values], "label"
    # Anything else (mixed types) is treated as labels, in order of first appearance.
    return [str(v) for v in values], "label"


def _fsum_mean_sd(v: list[float]) -> tuple[float, float]:
    # math.fsum is exactly rounded, so results do not depend on row order.
    k = len(v)
    if k == 0:
        return math.nan, math.nan
    m = math.fsum(v) / k
    if k < 2:
        return m, math.nan
    return m, math.sqrt(math.fsum((a - m) ** 2 for a in v) / (k - 1))


def aggregate(
    y: np.ndarray, n: np.ndarray | None, xs: list[XValue], kind: XKind
) -> Subgroups:
    """Group rows by x; with n: y = sum(y)/sum(n), without n: y = mean(y)."""
    if kind == "index":
        groups = [[i] for i in range(len(xs))]
        keys: list[XValue] = list(xs)
    else:
        index: dict[XValue, list[int]] = {}
        for i, v in enumerate(xs):
            index.setdefault(v, []).append(i)
        keys = list(index)
        if kind != "label":
            keys.sort()  # type: ignore[arg-type]
        groups = [index[k] for k in keys]
    g = len(groups)
    out_y = np.full(g, np.nan)
    out_n = np.full(g, np.nan)
    out_sum = np.full(g, np.nan)
    size = np.zeros(g)
    mean = np.full(g, np.nan)
    sd = np.full(g, np.nan)
    for j, rows in enumerate(groups):
        if n is not None:
            ok = [r for r in rows if not (math.isnan(y[r]) or math.isnan(n[r]))]
        else:
            ok = [r for r in rows if not math.isnan(y[r])]
        if not ok:
            continue
        vals = [float(y[r]) for r in ok]
        size[j] = len(ok)
        out_sum[j] = math.fsum(vals)
        mean[j], sd[j] = _fsum_mean_sd(vals)
        if n is not None:
            out_n[j] = math.fsum(float(n[r]) for r in ok)
            out_y[j] = out_sum[j] / out_n[j] if out_n[j] > 0 else math.nan
        else:
            out_y[j] = mean[j]
    return Subgroups(
        x=keys,
        x_kind=kind,
        y=out_y,
        n=out_n,
        y_sum=out_sum,
        size=size,
        mean=mean,
        sd=sd,
        has_n=n is not None,
        rows=groups,
    )
