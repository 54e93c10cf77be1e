"""The qic() entry point: one chart with limits, signals, runs analysis and rule sets.

qic(y, n, x, ...): y holds values or numerator counts, n denominators, x dates / numbers /
labels (rows sharing an x are aggregated). freeze, part and exclude are 1-based subgroup
indices, as in qicharts2. With rules="mdc", freeze is NHSRplotthedots' fix_after_n_points,
applied within each part (rebase group), and an i chart uses its 2.66 * AMR limits. funnel
(default: x are labels) turns off runs signals and uses sd(z) in Laney charts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import mdc
from .aggregate import XKind, XValue, aggregate, normalise_x, to_float_array
from .errors import SPCInputError
from .limits import CHARTS, COUNT_CHARTS, RATIO_CHARTS, PartInput, part_limits
from .rules_ihi import IHIResult, ihi_rules
from .runs import RunsResult, runs_analysis
from .summary import summarise

RULE_SETS = ("anhoej", "ihi", "mdc")
# Minimum number of non-missing base points per part needed to estimate each chart.
MIN_BASE_POINTS = {"i": 2, "mr": 2, "t": 2, "pp": 2, "up": 2}
MDC_MIN_FIX = 12  # NHSRplotthedots refuses fix_after_n_points below 12
INDEXED_OPTIONS = Sequence[int] | int | None


@dataclass
class Point:
    """One subgroup of a chart (numbers already multiplied; None = missing)."""

    x: XValue
    y: float | None
    n: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    lcl_2s: float | None
    ucl_2s: float | None
    sigma_signal: bool
    part: int
    baseline: bool
    include: bool
    y_sum: float | None = None
    subgroup_size: int = 0
    special_cause_type: str | None = None  # rules="mdc" only
    special_cause_flag: bool | None = None
    point_type: str | None = None

    def to_dict(self, mdc_fields: bool = False) -> dict[str, object]:
        """JSON form: the fields listed in the CLI contract."""
        x: object = self.x.isoformat() if isinstance(self.x, dt.date) else self.x
        d: dict[str, object] = {
            "x": x,
            "y": self.y,
            "n": self.n,
            "cl": self.cl,
            "lcl": self.lcl,
            "ucl": self.ucl,
            "lcl_2s": self.lcl_2s,
            "ucl_2s": self.ucl_2s,
            "sigma_signal": self.sigma_signal,
            "part": self.part,
            "baseline": self.baseline,
            "include": self.include,
        }
        if mdc_fields:
            d["special_cause_flag"] = self.special_cause_flag
            d["point_type"] = self.point_type
        return d


@dataclass
class Chart:
    """Result of qic(): per-point values, runs analysis per part and a plain-language summary."""

    chart: str
    rules: str
    x_kind: XKind
    points: list[Point]
    runs: list[RunsResult]
    summary: str = ""
    direction: str | None = None
    target: float | None = None
    multiply: float = 1.0
    funnel: bool = False
    variation: str | None = None  # rules="mdc": point_type of the last point
    assurance: str | None = None  # rules="mdc" with a target and a direction
    ihi: list[IHIResult] | None = None  # rules="ihi": one result per part
    warnings: list[str] = field(default_factory=list)

    def array(self, name: str) -> np.ndarray:
        """One per-point field as a float array (None -> NaN), e.g. chart.array("ucl")."""
        return np.array(
            [np.nan if getattr(p, name) is None else getattr(p, name) for p in self.points],
            dtype=float,
        )

    def to_dict(self) -> dict[str, object]:
        """The JSON object printed by `coiin spc ... --json`."""
        is_mdc = self.rules == "mdc"
        d: dict[str, object] = {
            "chart": self.chart,
            "points": [p.to_dict(is_mdc) for p in self.points],
            "runs": [r.to_dict() for r in self.runs],
            "summary": self.summary,
        }
        if is_mdc:
            d["variation"] = self.variation
            d["assurance"] = self.assurance
        if self.ihi is not None:
            d["ihi"] = [r.to_dict() for r in self.ihi]
        return d


def _num(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def _indices(value: INDEXED_OPTIONS, name: str, count: int) -> list[int]:
    """Validate 1-based subgroup indices given as an int or a sequence of ints."""
    if value is None:
        return []
    raw = [value] if isinstance(value, int | np.integer) else list(value)
    out: list[int] = []
    for v in raw:
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise SPCInputError(f"{name}: {v!r} is not a whole number", field=name,
                                code="index_not_whole", params={"field": name, "value": repr(v)})
        if not 1 <= v <= count:
            raise SPCInputError(
                f"{name}: subgroup {v} is outside 1..{count} (the chart has {count} subgroups)",
                field=name, code="index_outside",
                params={"field": name, "value": str(v), "count": count},
            )
        out.append(int(v))
    return sorted(set(out))


def _a(chart: str) -> str:
    """Article for a chart name as read aloud ("an i chart", "an MR chart", "a p chart")."""
    return "an" if chart in ("i", "mr", "xbar", "s") else "a"


def _check_rows(chart: str, y: np.ndarray, n: np.ndarray | None) -> None:
    """Row-level validation, so messages can name the offending input row."""
    if chart in RATIO_CHARTS and n is None:
        raise SPCInputError(f"{_a(chart)} {chart} chart needs denominators (n)", field="n",
                            code="needs_n", params={"chart": chart})
    if chart in ("c", "g", "xbar", "s") and n is not None:
        raise SPCInputError(
            f"{_a(chart)} {chart} chart takes no denominators (n); use a u or p chart for rates",
            field="n", code="takes_no_n", params={"chart": chart},
        )
    for i in range(y.size):
        v = y[i]
        d = math.nan if n is None else n[i]
        if chart in COUNT_CHARTS and v < 0:
            raise SPCInputError(
                f"row {i + 1}: y is {v:g}; {_a(chart)} {chart} chart needs counts that are not "
                "negative",
                row=i + 1, field="y", code="negative_count",
                params={"row": i + 1, "value": f"{v:g}", "chart": chart},
            )
        if chart == "t" and v <= 0:
            raise SPCInputError(
                f"row {i + 1}: y is {v:g}; a t chart needs times between events above 0",
                row=i + 1, field="y", code="t_not_positive",
                params={"row": i + 1, "value": f"{v:g}"},
            )
        if d < 0:
            raise SPCInputError(
                f"row {i + 1}: n is {d:g}; denominators cannot be negative", row=i + 1, field="n",
                code="negative_n", params={"row": i + 1, "value": f"{d:g}"},
            )
        if d == 0 and not math.isnan(v) and v != 0:
            raise SPCInputError(
                f"row {i + 1}: n is 0 but y is {v:g}", row=i + 1, field="n",
                code="zero_n", params={"row": i + 1, "value": f"{v:g}"},
            )
        if chart in ("p", "pp") and v > d:
            raise SPCInputError(
                f"row {i + 1}: y ({v:g}) is above n ({d:g}); a proportion cannot exceed 1",
                row=i + 1, field="y", code="above_n",
                params={"row": i + 1, "value": f"{v:g}", "n": f"{d:g}"},
            )


def _check_enough(chart: str, d: PartInput, base: np.ndarray, part: int, nparts: int) -> None:
    where = f" in part {part}" if nparts > 1 else ""
    need = MIN_BASE_POINTS.get(chart, 1)
    if chart in ("xbar", "s"):
        ok = int(np.count_nonzero(base & (d.size >= 2)))
        if ok < 1:
            raise SPCInputError(
                f"{_a(chart)} {chart} chart needs at least one baseline subgroup with 2 or "
                f"more values{where}", field="y", code="no_subgroup",
                params={"chart": chart, "part": part if nparts > 1 else 0},
            )
        return
    vals = d.y_sum if chart in RATIO_CHARTS else d.y
    got = int(np.count_nonzero(base & ~np.isnan(vals)))
    if got < need:
        raise SPCInputError(
            f"{_a(chart)} {chart} chart needs at least {need} non-missing baseline point"
            f"{'s' if need > 1 else ''}{where}, got {got}",
            field="y", code="few_baseline",
            params={"chart": chart, "need": need, "got": got, "part": part if nparts > 1 else 0},
        )


def qic(
    y: Sequence[float | str | None] | np.ndarray,
    n: Sequence[float | str | None] | np.ndarray | None = None,
    x: Sequence[object] | np.ndarray | None = None,
    *,
    chart: str = "run",
    freeze: int | None = None,
    part: INDEXED_OPTIONS = None,
    exclude: INDEXED_OPTIONS = None,
    multiply: float = 1,
    screen_mr: bool = True,
    rules: str = "anhoej",
    direction: str | None = None,
    target: float | None = None,
    funnel: bool | None = None,
) -> Chart:
    """Build an SPC chart as qicharts2's qic() does (see the module docstring for options)."""
    chart = str(chart).lower()
    if chart not in CHARTS:
        raise SPCInputError(
            f"unknown chart {chart!r}; choose one of {', '.join(CHARTS)}", field="chart",
            code="unknown_chart", params={"chart": repr(chart), "choices": ", ".join(CHARTS)},
        )
    if rules not in RULE_SETS:
        raise SPCInputError(
            f"unknown rules {rules!r}; choose one of {', '.join(RULE_SETS)}", field="rules",
            code="unknown_rules", params={"rules": repr(rules), "choices": ", ".join(RULE_SETS)},
        )
    if direction is not None and direction not in mdc.DIRECTIONS:
        raise SPCInputError(
            f"direction must be one of {', '.join(mdc.DIRECTIONS)}", field="direction",
            code="unknown_direction", params={"choices": ", ".join(mdc.DIRECTIONS)},
        )
    if not (isinstance(multiply, int | float) and math.isfinite(multiply) and multiply > 0):
        raise SPCInputError(
            f"multiply must be a positive number, got {multiply!r}", field="multiply",
            code="bad_multiply", params={"value": repr(multiply)},
        )
    if target is not None and not math.isfinite(float(target)):
        raise SPCInputError("target must be a finite number", field="target",
                            code="bad_target")

    yv = to_float_array(y, "y")
    nv = None if n is None else to_float_array(n, "n")
    if nv is not None and nv.size != yv.size:
        raise SPCInputError(f"n has {nv.size} values but y has {yv.size}", field="n",
                            code="n_length", params={"n": int(nv.size), "y": int(yv.size)})
    if yv.size == 0:
        raise SPCInputError("no data: y is empty", field="y", code="empty")
    _check_rows(chart, yv, nv)
    xs, kind = normalise_x(x, yv.size)
    sg = aggregate(yv, nv, xs, kind)
    count = len(sg)
    is_funnel = (kind == "label") if funnel is None else bool(funnel)

    cuts = _indices(part, "part", count)
    if cuts and cuts[-1] == count:
        raise SPCInputError(
            f"part: {count} is the last subgroup; a part boundary must leave points after it",
            field="part", code="last_part", params={"count": count},
        )
    excluded = _indices(exclude, "exclude", count)
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, int | np.integer) or freeze < 1:
            raise SPCInputError(f"freeze must be a positive whole number, got {freeze!r}",
                                field="freeze", code="bad_freeze",
                                params={"value": repr(freeze)})
        if freeze > count:
            raise SPCInputError(
                f"freeze = {freeze} is longer than the series ({count} subgroups)",
                field="freeze", code="long_freeze", params={"freeze": freeze, "count": count},
            )
        if rules == "mdc" and freeze < MDC_MIN_FIX:
            raise SPCInputError(
                f"freeze (fix_after_n_points) must be at least {MDC_MIN_FIX} for rules='mdc'",
                field="freeze", code="mdc_freeze", params={"min": MDC_MIN_FIX},
            )
        if cuts and rules != "mdc":
            raise SPCInputError(
                "freeze and part cannot be combined: each part already has its own baseline",
                field="freeze", code="freeze_and_part",
            )

    part_no = np.ones(count, dtype=int)
    for c in cuts:
        part_no[c:] += 1
    nparts = int(part_no[-1])
    include = np.ones(count, dtype=bool)
    include[[e - 1 for e in excluded]] = False
    pos = np.arange(count)
    baseline = np.ones(count, dtype=bool)
    if freeze is not None:
        if rules == "mdc":
            starts = np.array([0, *cuts])
            baseline = pos - starts[part_no - 1] < freeze
        else:
            baseline = pos < freeze

    # Count charts plot the subgroup total, which is what their centre line averages.
    y_in = sg.y_sum if chart == "c" else sg.y
    out = {k: np.full(count, np.nan) for k in ("y", "cl", "lcl", "ucl", "lcl2", "ucl2")}
    labels: list[str | None] = [None] * count
    runs: list[RunsResult] = []
    ihi: list[IHIResult] = []
    warnings: list[str] = []
    for p in range(1, nparts + 1):
        sl = np.flatnonzero(part_no == p)
        d = PartInput(y_in[sl], sg.n[sl], sg.y_sum[sl], sg.size[sl], sg.mean[sl], sg.sd[sl])
        base = baseline[sl] & include[sl]
        _check_enough(chart, d, base, p, nparts)
        lim = part_limits(chart, d, base, screen_mr=screen_mr, funnel=is_funnel)
        if rules == "mdc" and chart == "i":
            mean, lpl, upl, nlpl, nupl = mdc.xmr_limits(lim.y, base, screen_mr)
            k = sl.size
            lim.cl, lim.lcl, lim.ucl = np.full(k, mean), np.full(k, lpl), np.full(k, upl)
            lim.lcl2, lim.ucl2 = np.full(k, nlpl), np.full(k, nupl)
        for key, arr in (("y", lim.y), ("cl", lim.cl), ("lcl", lim.lcl), ("ucl", lim.ucl),
                         ("lcl2", lim.lcl2), ("ucl2", lim.ucl2)):
            out[key][sl] = arr
        runs.append(
            runs_analysis(
                lim.y, lim.cl, include[sl], part=p, first_point=int(sl[0]) + 1,
                allow_signal=chart != "mr" and not is_funnel,
            )
        )
        if rules == "mdc":
            if sl.size < 13:
                warnings.append(
                    f"part {p} has {sl.size} points; Making Data Count recommends at least 12"
                )
            for at, label in zip(sl.tolist(), mdc.special_cause_types(
                lim.y, lim.cl, lim.lcl, lim.ucl, lim.lcl2, lim.ucl2
            ), strict=True):
                labels[at] = label
        elif rules == "ihi":
            inc = include[sl]
            with np.errstate(invalid="ignore"):
                outside = (lim.y > lim.ucl) | (lim.y < lim.lcl)
            # On a control chart a point beyond the 3-sigma limits is the objective version of
            # an astronomical point; on a run chart that rule stays a human judgement.
            astro = [int(sl[j]) + 1 for j in np.flatnonzero(outside & inc)]
            ihi.append(
                ihi_rules(lim.y[inc], lim.cl[inc], points=sl[inc] + 1, part=p, astronomical=astro)
            )

    with np.errstate(invalid="ignore"):
        signal = (out["y"] > out["ucl"]) | (out["y"] < out["lcl"])
    m = float(multiply)
    if m != 1:
        for key in out:
            out[key] = out[key] * m

    direction_used = direction or ("increase" if rules == "mdc" else None)
    points: list[Point] = []
    for i in range(count):
        pt = Point(
            x=sg.x[i],
            y=_num(out["y"][i]),
            n=_num(sg.n[i]),
            cl=_num(out["cl"][i]),
            lcl=_num(out["lcl"][i]),
            ucl=_num(out["ucl"][i]),
            lcl_2s=_num(out["lcl2"][i]),
            ucl_2s=_num(out["ucl2"][i]),
            sigma_signal=bool(signal[i]),
            part=int(part_no[i]),
            baseline=bool(baseline[i]),
            include=bool(include[i]),
            y_sum=_num(sg.y_sum[i]),
            subgroup_size=int(sg.size[i]),
        )
        lab = labels[i]
        if lab is not None:
            pt.special_cause_type = lab
            pt.special_cause_flag = lab != mdc.COMMON_CAUSE
            pt.point_type = mdc.point_type(lab, direction_used or "increase")
        points.append(pt)

    result = Chart(
        chart=chart,
        rules=rules,
        x_kind=kind,
        points=points,
        runs=runs,
        direction=direction_used,
        target=None if target is None else float(target),
        multiply=m,
        funnel=is_funnel,
        ihi=ihi if rules == "ihi" else None,
        warnings=warnings,
    )
    if rules == "mdc":
        last = points[-1]
        result.variation = last.point_type
        result.assurance = mdc.assurance(
            result.target,
            math.nan if last.lcl is None else last.lcl,
            math.nan if last.ucl is None else last.ucl,
            direction_used or "increase",
        )
    result.summary = summarise(result)
    return result
