"""The data-entry form of a team-period: rows to show, and entries read back from a POST."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext

from .messages import localize
from .models import DataValue, Measure, Stratum, Submission
from .recent import Point, recent_series
from .samples import as_text
from .services import official_cells, results_before, team_measures
from .validation import Entry, Issue


@dataclass
class Row:
    """One line of the form: a measure's total, or one of its strata."""

    measure: Measure
    stratum: Stratum | None
    prefix: str
    stored: DataValue | None
    entry: Entry
    issues: list[Issue] = field(default_factory=list)
    last: float | None = None
    baseline: float | None = None
    recent: list[float] = field(default_factory=list)  # the latest earlier results
    charted: list[Point] = field(default_factory=list)  # the same from the stored chart

    @property
    def spark(self) -> Spark | None:
        result = self.stored.result if self.stored is not None else None
        now = float(result) if result is not None else None
        if len(self.charted) >= 2:
            return Spark.of_chart(self.charted, now)
        return Spark.of(self.recent, now)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


SPARK_POINTS = 12
# The sparkline's box: earlier points across 0..88, this period's at 96; y from 2 to 22.
_X_LAST, _X_NOW, _Y_TOP, _Y_BOTTOM = 88.0, 96.0, 2.0, 22.0


def _line(values: list[float | None], low: float, high: float) -> str:
    """A polyline's "x,y ..." over the earlier points' slots (a gap where a value is None
    is bridged: the picture is too small to show it)."""
    step = _X_LAST / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{Spark.y(v, low, high):.1f}"
                    for i, v in enumerate(values) if v is not None)


@dataclass(frozen=True)
class Spark:
    """A small line of a measure's recent results beside the value being entered or
    reviewed, with this period's result as a dot where it falls among them (entry.js
    moves the dot as a value is typed, from ``low`` and ``high``). Drawn from the stored
    chart, it carries the chart's centre line and limits too, and the dot is "out" when it
    falls beyond the latest limits; without limits, when it is beyond every earlier result.
    """

    points: str  # the polyline's "x,y x,y ..."
    low: float  # the picture's y scale
    high: float
    now_y: float | None  # this period's dot, None when there is no result yet
    out_of_range: bool
    lowest: float  # the earlier results' range, for the label
    highest: float
    out_low: float  # beyond these the dot is marked
    out_high: float
    centre: str = ""  # the centre line's polyline, "" without a chart
    lower: str = ""  # the limits' polylines
    upper: str = ""

    @classmethod
    def of(cls, earlier: list[float], now: float | None) -> Spark | None:
        if len(earlier) < 2:
            return None
        low, high = min(earlier), max(earlier)
        return cls(_line(list(earlier), low, high), low, high,
                   None if now is None else cls.y(now, low, high),
                   now is not None and not low <= now <= high, low, high, low, high)

    @classmethod
    def of_chart(cls, charted: list[Point], now: float | None) -> Spark | None:
        shown = charted[-SPARK_POINTS:]
        values = [p.y for p in shown if p.y is not None]
        if len(values) < 2:
            return None
        drawn = values + [v for p in shown for v in (p.lcl, p.ucl) if v is not None]
        low, high = min(drawn), max(drawn)
        latest = shown[-1]
        out_low = latest.lcl if latest.lcl is not None else min(values)
        out_high = latest.ucl if latest.ucl is not None else max(values)
        return cls(_line([p.y for p in shown], low, high), low, high,
                   None if now is None else cls.y(now, low, high),
                   now is not None and not out_low <= now <= out_high,
                   min(values), max(values), out_low, out_high,
                   centre=_line([p.cl for p in shown], low, high),
                   lower=_line([p.lcl for p in shown], low, high),
                   upper=_line([p.ucl for p in shown], low, high))

    @staticmethod
    def y(value: float, low: float, high: float) -> float:
        if high == low:
            return (_Y_TOP + _Y_BOTTOM) / 2
        share = (value - low) / (high - low)
        return max(0.5, min(23.5, _Y_BOTTOM - share * (_Y_BOTTOM - _Y_TOP)))

    @property
    def label(self) -> str:
        text = gettext("Earlier results from %(low)s to %(high)s") % {
            "low": f"{round(self.lowest, 2):g}", "high": f"{round(self.highest, 2):g}"}
        if self.lower or self.upper:
            text += gettext("; the chart's latest limits %(low)s to %(high)s") % {
                "low": f"{round(self.out_low, 2):g}", "high": f"{round(self.out_high, 2):g}"}
        return text


# The entry form's field of each survey number (its prefix's suffix).
SURVEY_INPUTS = {"standard_error": "se", "ci_lower": "lo", "ci_upper": "hi",
                 "sample_size": "n"}


def prefix_for(measure: Measure, stratum: Stratum | None) -> str:
    return f"m-{measure.code}" + (f"-s-{stratum.code}" if stratum is not None else "")


def _text(value: Decimal | int | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


def build_rows(submission: Submission, measures: list[Measure],
               data: QueryDict | None = None) -> list[Row]:
    """Rows for every measure (and stratum), filled from the POST or from what is stored."""
    stored = {(v.measure_id, v.stratum_id): v
              for v in submission.values.select_related("stratum")} if submission.pk else {}
    strata_by_kind: dict[str, list[Stratum]] = {}
    for s in Stratum.objects.all():
        strata_by_kind.setdefault(s.kind, []).append(s)
    history = results_before(submission.team, submission.period, [m.code for m in measures])
    charted = recent_series(submission.team, [m.pk for m in measures], submission.period.start)
    rows = []
    label = submission.period.label
    for measure in measures:
        for stratum in [None, *strata_by_kind.get(measure.stratification, [])]:
            prefix = prefix_for(measure, stratum)
            value = stored.get((measure.pk, stratum.pk if stratum else None))
            if data is not None:
                entry = Entry(measure, label, stratum,
                              numerator=data.get(f"{prefix}-num", ""),
                              denominator=data.get(f"{prefix}-den", ""),
                              value=data.get(f"{prefix}-val", ""),
                              text=data.get(f"{prefix}-text", ""),
                              measurements=data.get(f"{prefix}-meas", ""),
                              comment=data.get(f"{prefix}-comment", ""),
                              confirm=data.get(f"{prefix}-confirm", ""),
                              **{name: data.get(f"{prefix}-{suffix}", "")
                                 for name, suffix in SURVEY_INPUTS.items()}
                              if measure.is_survey else {})
            else:
                entry = Entry(measure, label, stratum,
                              numerator=_text(value.numerator) if value else "",
                              denominator=_text(value.denominator) if value else "",
                              value=_text(value.value) if value else "",
                              text=value.text if value else "",
                              measurements=as_text(value.measurements) if value else "",
                              comment=value.comment if value else "",
                              confirm=value.warnings_confirmed if value else "",
                              **{name: _text(getattr(value, name)) if value else ""
                                 for name in SURVEY_INPUTS})
            earlier = history.get((measure.code, stratum.code if stratum else ""), [])
            rows.append(Row(
                measure=measure, stratum=stratum, prefix=prefix, stored=value, entry=entry,
                last=earlier[-1] if earlier else None,
                baseline=statistics.median(earlier[:12]) if earlier else None,
                recent=earlier[-SPARK_POINTS:],
                charted=charted.get(measure.pk, []) if stratum is None else [],
            ))
    return rows


def attach_issues(rows: list[Row], issues: list[Issue]) -> list[Issue]:
    """Put each issue on its row; returns those that belong to no row."""
    by_key = {(r.measure.code, r.stratum.label if r.stratum else ""): r for r in rows}
    loose = []
    for issue in localize(issues):  # in the reader's language
        row = by_key.get((issue.measure_code, issue.stratum))
        if row is None:
            loose.append(issue)
        else:
            row.issues.append(issue)
    return loose


@dataclass(frozen=True)
class OfficialRow:
    """A read-only line: a measure's value from the jurisdiction's official figures."""

    measure: Measure
    stratum: Stratum | str  # the store's group (by its English label) as a stratum, or ""
    numerator: int
    denominator: int
    result: Decimal | None
    source: str


def official_rows(submission: Submission) -> list[OfficialRow]:
    """The team-period's official outcomes, as the jurisdiction's store holds them."""
    measures = team_measures(submission.team, submission.period.frequency)
    held = official_cells(submission, measures)
    # The store names its groups by their English labels; the page shows the reader's.
    strata = {(s.kind, s.english): s for s in Stratum.objects.all()}
    rows = []
    for measure in measures:
        found = {label: strata.get((measure.stratification, label)) for label in
                 held.get(measure.pk, {})}
        for label, cell in sorted(held.get(measure.pk, {}).items(), key=lambda kv: (
                kv[0] != "", getattr(found[kv[0]], "position", 99))):
            rows.append(OfficialRow(measure, found[label] or label, cell.numerator,
                                    cell.denominator,
                                    measure.scaled(Decimal(cell.numerator),
                                                   Decimal(cell.denominator)),
                                    cell.shown()))
    return rows
