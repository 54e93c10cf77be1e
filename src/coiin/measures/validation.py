"""Checks on reported values. Pure Python: measures are read by attribute, no Django.

Errors block a save; warnings (out of the expected range, a sudden jump against the
team's own history) may be kept when someone confirms them with a reason. Every message
names the measure, the period and the field.

Each issue carries a ``code`` and the ``params`` that fill its template in ``MESSAGES``; its
``message`` is the English text. The pages show it in the reader's language
(``coiin.measures.messages``), so this module stays free of Django.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from .samples import MeasurementError, mean, parse_measurements

JUMP_SDS = 3  # a value this many standard deviations from the recent mean is a jump
JUMP_MIN_HISTORY = 4  # fewer earlier values than this: no jump check
JUMP_HISTORY = 12  # how many earlier values the jump check looks at
# What a survey measure's weighted estimate (given in ``value``) comes with.
SURVEY_FIELDS = ("standard_error", "ci_lower", "ci_upper", "sample_size")
NUMBER_FIELDS = ("numerator", "denominator", "value", *SURVEY_FIELDS)

# Every message, by code: an English template whose {names} the issue's params fill. The
# same templates, marked for translation, are in coiin.measures.messages (a test keeps the
# two the same).
MESSAGES: dict[str, str] = {
    "not_a_number": "{raw} is not a number",
    "one_number_not_list": "{code} takes one number, not a list of measurements",
    "measurements_not_number": "{code} takes its individual measurements, not a single "
                               "number: give them in the measurements field",
    "not_by_stratum": "{code} is not reported by stratum",
    "too_many_measurements": "{count} measurements; at most {most} in one period",
    "measurement_not_number": "measurement {position} ({item}) is not a number; separate "
                              "the measurements with semicolons, commas or spaces",
    "event_log": "{code} is logged event by event, not per period: enter or import its "
                 "events on the team's event log",
    "survey_fields_not_survey": "only survey measures have a standard error, confidence "
                                "interval or unweighted n; {code} is not one",
    "numerator_denominator_not_value": "give the numerator and denominator, not a value",
    "missing": "is missing",
    "negative": "{number} is negative",
    "not_above_zero": "{number} must be more than 0",
    "numerator_above_denominator": "{number} is more than the denominator {denominator}",
    "count_not_ratio": "a count has a value, not a numerator or denominator",
    "not_whole": "{number} is not a whole number of 0 or more",
    "not_a_category": "{text} is not one of: {allowed}",
    "outside_expected": "{number}{unit} is outside the expected range {low} to {high}",
    "sudden_jump": "{number}{unit} is a sudden jump from this team's recent values "
                   "(mean {mean}{unit})",
    "survey_not_ratio": "{code} is a survey measure: give its weighted estimate (value) "
                        "with a standard error or 95 % CI, not a numerator and denominator",
    "estimate_missing": "the weighted estimate is missing",
    "estimate_outside_percent": "the estimate {number} is outside 0–100 %",
    "estimate_negative": "the estimate {number} is negative",
    "ci_end_missing": "is missing; give both ends of the 95 % CI",
    "outside_percent": "{number} is outside 0–100 %",
    "ci_reversed": "{number} is above the upper end {upper}",
    "ci_without_estimate": "the 95 % CI {low}–{high}{unit} does not contain the estimate "
                           "{number}{unit}",
    "no_se_or_ci": "give the estimate's standard error or its 95 % CI (lower and upper)",
    "not_whole_respondents": "{number} is not a whole number of respondents",
    "strata_sum": "the strata add up to {got}, not the total {want}",
    "by_site": "is reported by site: enter its sites' values; the team's figure is their sum",
    "official": "comes from the jurisdiction's official figures ({source}); it is not typed "
                "by teams",
}
Params = tuple[tuple[str, str], ...]


def message(code: str, params: Params = ()) -> str:
    """The English text of a message."""
    return MESSAGES[code].format(**dict(params))


@dataclass
class Entry:
    """One value as typed or imported, before it is checked."""

    measure: Any  # a Measure (code, name, type, multiplier, ...)
    period_label: str
    stratum: Any | None = None  # a Stratum, or None for the total
    numerator: str | Decimal | None = None
    denominator: str | Decimal | None = None
    value: str | Decimal | None = None
    text: str = ""
    comment: str = ""
    confirm: str = ""  # the reason for keeping a value that raised warnings
    row: int | None = None  # the file row, for imports
    # A survey measure's estimate (in ``value``) comes with these:
    standard_error: str | Decimal | None = None
    ci_lower: str | Decimal | None = None
    ci_upper: str | Decimal | None = None
    sample_size: str | Decimal | None = None
    measurements: str = ""  # a sampled measure's individual measurements, as typed
    # Filled in by check_entries:
    parsed: dict[str, Decimal | None] = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)  # the measurements read

    @property
    def survey(self) -> tuple[str | Decimal | None, ...]:
        """The survey fields, in ``SURVEY_FIELDS`` order."""
        return (self.standard_error, self.ci_lower, self.ci_upper, self.sample_size)

    @property
    def is_blank(self) -> bool:
        return all(_blank(v) for v in (self.numerator, self.denominator, self.value,
                                       *self.survey)) and not self.text.strip() \
            and not self.measurements.strip()


@dataclass(frozen=True)
class Issue:
    level: Literal["error", "warning"]
    measure_code: str
    period: str
    field: str
    message: str
    stratum: str = ""
    row: int | None = None
    code: str = ""  # the message's key in MESSAGES ("" for a message made elsewhere)
    params: Params = ()  # what fills the message's template, as (name, text) pairs

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        stratum = f" [{self.stratum}]" if self.stratum else ""
        return f"{where}{self.measure_code} {self.period}{stratum}, {self.field}: {self.message}"


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _number(raw: str | Decimal | None) -> Decimal | None:
    if _blank(raw):
        return None
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise NotANumber(raw) from None
    if not number.is_finite():
        raise NotANumber(raw)
    return number


class NotANumber(ValueError):
    def __init__(self, raw: object) -> None:
        self.params: Params = (("raw", repr(raw)),)
        super().__init__(message("not_a_number", self.params))


def _fmt(d: Decimal | float) -> str:
    d = Decimal(str(d))
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:.4g}"


def check_entries(entries: Sequence[Entry], history: dict[tuple[str, str], list[float]]
                  | None = None) -> list[Issue]:
    """All errors and warnings for a set of entries (one or many periods and measures).

    ``history`` maps (measure code, stratum code or "") to the team's earlier results in
    time order, for the jump check. Parsed numbers are left on each entry.
    """
    history = history or {}
    issues: list[Issue] = []
    for entry in entries:
        issues.extend(_check_one(entry, history))
    issues.extend(_check_strata_sums(entries))
    return issues


def _issue(entry: Entry, level: Literal["error", "warning"], fieldname: str, key: str,
           **params: object) -> Issue:
    """An issue with message ``key`` of MESSAGES, filled with ``params``."""
    pairs = tuple((k, str(v)) for k, v in params.items())
    return Issue(level, entry.measure.code, entry.period_label, fieldname,
                 message(key, pairs), entry.stratum.label if entry.stratum is not None
                 else "", entry.row, key, pairs)


def _check_one(entry: Entry, history: dict[tuple[str, str], list[float]]) -> list[Issue]:
    m, stratum = entry.measure, entry.stratum
    key = (m.code, stratum.code if stratum is not None else "")
    if m.type == "sampled":
        return _check_sampled(entry)
    entry.parsed, issues = check_value(m, entry.period_label, stratum, entry.numerator,
                                       entry.denominator, entry.value, entry.text, entry.row,
                                       history.get(key, ()), survey=entry.survey)
    return issues


Parsed = dict[str, Decimal | None]


def check_sampled(m: Any, period_label: str, stratum: Any | None,
                  numerator: str | Decimal | None, denominator: str | Decimal | None,
                  value: str | Decimal | None, measurements: str, row: int | None
                  ) -> tuple[Parsed, list[Issue]]:
    """``check_value`` for a row that gives measurements, or whose measure takes them (the
    import checks its rows with this): the parsed numbers (the value is the mean)."""
    entry = Entry(m, period_label, stratum, numerator=numerator, denominator=denominator,
                  value=value, measurements=measurements, row=row)
    if m.type != "sampled":
        return dict.fromkeys(NUMBER_FIELDS), [_issue(
            entry, "error", "measurements", "one_number_not_list", code=m.code)]
    issues = _check_sampled(entry)
    return entry.parsed, issues


def _check_sampled(entry: Entry) -> list[Issue]:
    """A sampled measure's measurements: each a number; the value is their mean."""
    entry.parsed = dict.fromkeys(NUMBER_FIELDS)
    entry.samples = []
    if not entry.measurements.strip():
        if any(not _blank(v) for v in (entry.numerator, entry.denominator, entry.value)):
            return [_issue(entry, "error", "measurements", "measurements_not_number",
                           code=entry.measure.code)]
        return []
    if entry.stratum is not None and not entry.measure.stratification:
        return [_issue(entry, "error", "stratum", "not_by_stratum", code=entry.measure.code)]
    try:
        entry.samples = parse_measurements(entry.measurements)
    except MeasurementError as exc:
        return [_issue(entry, "error", "measurements", exc.code, **dict(exc.params))]
    entry.parsed["value"] = mean(entry.samples)
    return []


def check_value(m: Any, period_label: str, stratum: Any | None,
                numerator: str | Decimal | None, denominator: str | Decimal | None,
                value: str | Decimal | None, text: str, row: int | None,
                earlier: Sequence[float], survey: Sequence[str | Decimal | None] = ()
                ) -> tuple[Parsed, list[Issue]]:
    """The parsed numbers and the errors and warnings of one value, as ``check_entries``
    gives them for an Entry; ``earlier`` are the team's earlier results for the jump check;
    ``survey`` the standard error, CI lower and upper, and unweighted n (``SURVEY_FIELDS``)
    of a survey measure's estimate.

    The import checks its rows one by one with this, without building Entries.
    """
    issues: list[Issue] = []

    def issue(level: Literal["error", "warning"], fieldname: str, key: str,
              **params: object) -> None:
        pairs = tuple((k, str(v)) for k, v in params.items())
        issues.append(Issue(level, m.code, period_label, fieldname, message(key, pairs),
                            stratum.label if stratum is not None else "", row, key, pairs))

    parsed: Parsed = {}
    raws = (numerator, denominator, value, *(tuple(survey) + (None,) * 4)[:4])
    for name, raw in zip(NUMBER_FIELDS, raws, strict=True):
        try:
            parsed[name] = _number(raw)
        except NotANumber as exc:
            issue("error", name, "not_a_number", **dict(exc.params))
            parsed[name] = None
    if issues:
        return parsed, issues
    num, den, val = parsed["numerator"], parsed["denominator"], parsed["value"]
    extra = [parsed[name] for name in SURVEY_FIELDS]
    if num is None and den is None and val is None and not text.strip() \
            and all(x is None for x in extra):
        return parsed, issues  # blank
    if getattr(m, "records_events", False):
        issue("error", "measure", "event_log", code=m.code)
        return parsed, issues
    if stratum is not None and not m.stratification:
        issue("error", "stratum", "not_by_stratum", code=m.code)
    if getattr(m, "is_survey", False) and m.type in ("ratio", "count"):
        _check_survey(m, parsed, issue)
        if issues:
            return parsed, issues
        result = val
    elif any(x is not None for x in extra):
        name = next(n for n in SURVEY_FIELDS if parsed[n] is not None)
        issue("error", name, "survey_fields_not_survey", code=m.code)
        return parsed, issues
    elif m.type == "ratio":
        if val is not None and num is None and den is None:
            issue("error", "value", "numerator_denominator_not_value")
            return parsed, issues
        if num is None:
            issue("error", "numerator", "missing")
        if den is None:
            issue("error", "denominator", "missing")
        if num is not None and num < 0:
            issue("error", "numerator", "negative", number=_fmt(num))
        if den is not None and den <= 0:
            issue("error", "denominator", "not_above_zero", number=_fmt(den))
        if num is not None and den is not None and m.is_proportion and num > den:
            issue("error", "numerator", "numerator_above_denominator", number=_fmt(num),
                  denominator=_fmt(den))
        if issues:
            return parsed, issues
        result = num / den * m.multiplier  # type: ignore[operator]
    elif m.type == "count":
        if num is not None or den is not None:
            issue("error", "value", "count_not_ratio")
            return parsed, issues
        if val is None:
            issue("error", "value", "missing")
            return parsed, issues
        if val < 0 or val != val.to_integral():
            issue("error", "value", "not_whole", number=_fmt(val))
            return parsed, issues
        result = val
    elif m.type == "categorical":
        if text.strip() not in (m.categories or []):
            allowed = ", ".join(m.categories or [])
            issue("error", "value", "not_a_category", text=repr(text.strip()), allowed=allowed)
        return parsed, issues
    else:  # free text
        return parsed, issues
    unit = f" {m.unit}" if getattr(m, "unit", "") else ""
    lo, hi = m.expected_min, m.expected_max
    if (lo is not None and result < lo) or (hi is not None and result > hi):
        issue("warning", "value", "outside_expected", number=_fmt(result), unit=unit,
              low=_fmt(lo) if lo is not None else "…", high=_fmt(hi) if hi is not None else "…")
    recent = earlier[-JUMP_HISTORY:]
    if len(recent) >= JUMP_MIN_HISTORY:
        mean = statistics.fmean(recent)
        sd = statistics.stdev(recent)
        if sd > 0 and abs(float(result) - mean) > JUMP_SDS * sd:
            issue("warning", "value", "sudden_jump", number=_fmt(result), unit=unit,
                  mean=_fmt(round(mean, 4)))
    return parsed, issues


def _check_survey(m: Any, parsed: Parsed, issue: Any) -> None:
    """A survey measure's weighted estimate (``value``), with its standard error or 95 %
    CI: no numerator or denominator (the respondents are not the trials of a
    proportion); a percentage and its interval within 0–100; the interval around the
    estimate."""
    num, den, val = parsed["numerator"], parsed["denominator"], parsed["value"]
    se, lo, hi, n = (parsed[name] for name in SURVEY_FIELDS)
    if num is not None or den is not None:
        issue("error", "numerator" if num is not None else "denominator",
              "survey_not_ratio", code=m.code)
        return
    if val is None:
        issue("error", "value", "estimate_missing")
        return
    percent = getattr(m, "is_proportion", False)
    unit = " %" if percent else ""
    if percent and not 0 <= val <= 100:
        issue("error", "value", "estimate_outside_percent", number=_fmt(val))
    elif val < 0:
        issue("error", "value", "estimate_negative", number=_fmt(val))
    if se is not None and se < 0:
        issue("error", "standard_error", "negative", number=_fmt(se))
    if (lo is None) != (hi is None):
        missing = "ci_upper" if hi is None else "ci_lower"
        issue("error", missing, "ci_end_missing")
    elif lo is not None and hi is not None:
        if percent:
            for name, end in (("ci_lower", lo), ("ci_upper", hi)):
                if not 0 <= end <= 100:
                    issue("error", name, "outside_percent", number=_fmt(end))
        if lo > hi:
            issue("error", "ci_lower", "ci_reversed", number=_fmt(lo), upper=_fmt(hi))
        elif not lo <= val <= hi:
            issue("error", "ci_lower" if val < lo else "ci_upper",
                  "ci_without_estimate", low=_fmt(lo), high=_fmt(hi), unit=unit,
                  number=_fmt(val))
    if se is None and lo is None and hi is None:
        issue("error", "standard_error", "no_se_or_ci")
    if n is not None and (n < 1 or n != n.to_integral()):
        issue("error", "sample_size", "not_whole_respondents", number=_fmt(n))


def _check_strata_sums(entries: Iterable[Entry]) -> list[Issue]:
    """Where strata must add up, their numerators and denominators equal the total's."""
    groups: dict[tuple[str, str], dict[str, list[Entry]]] = {}
    for e in entries:
        # A stratum's weighted estimate (or a sampled measure's mean) is not a part of the
        # total's: nothing to add up.
        if e.is_blank or not getattr(e.measure, "strata_sum_to_total", False) \
                or not e.measure.stratification or getattr(e.measure, "is_survey", False) \
                or getattr(e.measure, "is_sampled", False):
            continue
        g = groups.setdefault((e.measure.code, e.period_label), {"total": [], "strata": []})
        g["total" if e.stratum is None else "strata"].append(e)
    issues = []
    for (_code, _period), g in groups.items():
        if len(g["total"]) != 1 or not g["strata"]:
            continue
        total = g["total"][0]
        for name in ("numerator", "denominator", "value"):
            want = total.parsed.get(name)
            parts = [s.parsed.get(name) for s in g["strata"]]
            if want is None or any(p is None for p in parts):
                continue
            got = sum(parts, Decimal(0))  # type: ignore[arg-type]
            if got != want:
                issues.append(_issue(total, "error", name, "strata_sum", **strata_sum_params(got,
                                                                                       want)))
    return issues


def strata_sum_params(got: Decimal, want: Decimal) -> dict[str, str]:
    return {"got": _fmt(got), "want": _fmt(want)}


def strata_sum_message(got: Decimal, want: Decimal) -> str:
    return message("strata_sum", tuple(strata_sum_params(got, want).items()))
