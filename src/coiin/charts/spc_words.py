"""The SPC engine's reasons and rule detail in the reader's language.

``coiin.spc`` knows nothing of languages: an ``SPCInputError`` carries its English message
and, for what a person can meet on a chart page, a ``code`` with its values. Here each code
has its message (ids prefixed ``spc:`` among ``said``'s messages); an error without a code
(or with one unknown here) keeps the engine's English words. The rule detail
(``spc.summary``) is said as phrases whose ids (``rule:``) have their messages here too."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from coiin.spc import Chart, mdc
from coiin.spc.summary import compose, summary_parts

from .said import Said

MESSAGES: dict[str, Any] = {
    "spc:needs_n": _("a %(chart)s chart needs denominators"),
    "spc:negative_count": _("row %(row)s: the value is %(value)s; a %(chart)s chart needs "
                            "counts that are not negative"),
    "spc:t_not_positive": _("row %(row)s: the value is %(value)s; a t chart needs times "
                            "between events above 0"),
    "spc:negative_n": _("row %(row)s: the denominator is %(value)s; denominators cannot be "
                        "negative"),
    "spc:zero_n": _("row %(row)s: the denominator is 0 but the numerator is %(value)s"),
    "spc:above_n": _("row %(row)s: the numerator (%(value)s) is above the denominator "
                     "(%(n)s); a proportion cannot exceed 1"),
    "spc:no_subgroup": _("a %(chart)s chart needs at least one baseline subgroup with 2 or "
                         "more values"),
    "spc:no_subgroup_part": _("a %(chart)s chart needs at least one baseline subgroup with "
                              "2 or more values in part %(part)s"),
    "spc:few_baseline": _("a %(chart)s chart needs at least %(need)s baseline points with "
                          "a value, got %(got)s"),
    "spc:few_baseline_part": _("a %(chart)s chart needs at least %(need)s baseline points "
                               "with a value in part %(part)s, got %(got)s"),
    "spc:empty": _("no data"),
    "spc:event_order": _("event %(event)s: %(day)s is before the previous event's "
                         "%(before)s; events must be in date order"),
    "spc:event_negative": _("event %(event)s: a negative count since the previous event "
                            "(%(count)s)"),
    "spc:few_gaps": _("at least two gaps between events are needed"),
    "spc:few_counts": _("at least two counts between events are needed"),
    "spc:mdc_freeze": _("a baseline judged by the NHS Making Data Count rules needs at "
                        "least %(min)s points"),
}
# What no page lets a person do (the pages choose the chart, its rules and settings, and
# give well-formed series), worded all the same: whatever the engine refuses reads in the
# reader's language. %(field)s names the engine's input (y, n, x, …) as it is.
MESSAGES |= {
    "spc:index_not_whole": _("%(field)s: %(value)s is not a whole number"),
    "spc:index_outside": _("%(field)s: subgroup %(value)s is outside 1 to %(count)s (the "
                           "chart has %(count)s subgroups)"),
    "spc:takes_no_n": _("a %(chart)s chart takes no denominators; use a u or p chart for "
                        "rates"),
    "spc:unknown_chart": _("unknown chart %(chart)s; choose one of %(choices)s"),
    "spc:unknown_rules": _("unknown rules %(rules)s; choose one of %(choices)s"),
    "spc:unknown_direction": _("the direction must be one of %(choices)s"),
    "spc:bad_multiply": _("the multiplier must be a positive number, not %(value)s"),
    "spc:bad_target": _("the target must be a finite number"),
    "spc:n_length": _("there are %(n)s denominators but %(y)s values"),
    "spc:last_part": _("subgroup %(count)s is the last one; a new part must leave points "
                       "after it"),
    "spc:bad_freeze": _("the baseline length must be a positive whole number, not "
                        "%(value)s"),
    "spc:long_freeze": _("a baseline of %(freeze)s is longer than the series (%(count)s "
                         "subgroups)"),
    "spc:freeze_and_part": _("a fixed baseline and parts cannot be combined: each part "
                             "already has its own baseline"),
    "spc:not_number": _("row %(row)s: %(field)s is %(value)s, not a number"),
    "spc:infinite": _("row %(row)s: %(field)s is infinite"),
    "spc:x_length": _("there are %(x)s periods but %(y)s values"),
    "spc:x_missing": _("row %(row)s: the period is missing"),
    "spc:batch_shape": _("the values and the denominators must be tables of the same shape "
                         "(series, points); got %(y)s and %(n)s"),
    "spc:batch_negative_y": _("series %(series)s, point %(point)s: the value is negative; "
                              "counts cannot be negative"),
    "spc:batch_negative_n": _("series %(series)s, point %(point)s: the denominator is "
                              "negative; denominators cannot be negative"),
    "spc:batch_zero_n": _("series %(series)s, point %(point)s: the denominator is 0 but the "
                          "value is above 0"),
    "spc:batch_above_n": _("series %(series)s, point %(point)s: the numerator is above the "
                           "denominator; a proportion cannot exceed 1"),
    "spc:runcharter_settings": _("the median's points and the run length must be at least 1"),
    "spc:runcharter_few": _("a run chart with a median of its first %(need)s points needs at "
                            "least %(need)s points, got %(got)s"),
    "spc:event_lengths": _("%(dates)s event dates but %(counts)s counts"),
    "spc:event_chart": _("an event log is charted as a g or t chart, not %(chart)s"),
}
# spc.summary.ENGLISH, in the reader's language.
MESSAGES |= {
    "rule:point": _("point %(k)s"),
    "rule:comma": "%(first)s, %(rest)s",
    "rule:list_and": _("%(listed)s and %(last)s"),
    "rule:list_more": _("%(listed)s and %(n)s more"),
    "rule:no_outside": _("no points outside the limits"),
    "rule:above": ngettext_lazy("%(n)s point above the upper limit (%(listed)s%(judged)s)",
                                "%(n)s points above the upper limit (%(listed)s%(judged)s)",
                                "n"),
    "rule:below": ngettext_lazy("%(n)s point below the lower limit (%(listed)s%(judged)s)",
                                "%(n)s points below the lower limit (%(listed)s%(judged)s)",
                                "n"),
    "rule:judged_improvement": _("; improvement"),
    "rule:judged_deterioration": _("; deterioration"),
    "rule:random": _("random variation around the centre line (no long runs, enough "
                     "crossings)"),
    "rule:shift_up": _("Upward shift%(judged)s: %(n)s points above the centre line from "
                       "%(x)s%(after)s"),
    "rule:shift_down": _("Downward shift%(judged)s: %(n)s points below the centre line from "
                         "%(x)s%(after)s"),
    "rule:improvement": _(" (improvement)"),
    "rule:deterioration": _(" (deterioration)"),
    "rule:after_above": _(" (after %(n)s points above it from %(x)s)"),
    "rule:after_below": _(" (after %(n)s points below it from %(x)s)"),
    "rule:few_crossings": _("too few crossings of the centre line (%(n)s; at least %(min)s "
                            "expected by chance)"),
    "rule:ihi_few": _("too few useful points for the IHI rules (%(n)s; at least 10 needed)"),
    "rule:ihi_shift_above": _("Shift: %(n)s points above the centre line from %(start)s to "
                              "%(end)s"),
    "rule:ihi_shift_below": _("Shift: %(n)s points below the centre line from %(start)s to "
                              "%(end)s"),
    "rule:ihi_trend_up": _("Trend: %(n)s points going up from %(start)s to %(end)s"),
    "rule:ihi_trend_down": _("Trend: %(n)s points going down from %(start)s to %(end)s"),
    "rule:ihi_few_runs": _("too few runs (%(runs)s; expected %(low)s to %(high)s)"),
    "rule:ihi_many_runs": _("too many runs (%(runs)s; expected %(low)s to %(high)s)"),
    "rule:ihi_astronomical": ngettext_lazy("astronomical point at %(listed)s",
                                           "astronomical points at %(listed)s", "n"),
    "rule:ihi_none": _("no shift, trend or unusual number of runs"),
    "rule:mdc_at": _("%(kind)s at %(x)s (%(rules)s)"),
    "rule:mdc_from_to": _("%(kind)s from %(first)s to %(last)s (%(rules)s)"),
    "rule:mdc_common": _("common cause variation only"),
    "rule:common_cause": _("common cause"),
    "rule:special_cause_improvement": _("special cause improvement"),
    "rule:special_cause_concern": _("special cause concern"),
    "rule:special_cause_neutral_high": _("special cause neutral high"),
    "rule:special_cause_neutral_low": _("special cause neutral low"),
    "rule:latest": _("latest point: %(kind)s"),
    "rule:consistent_pass": _("target %(target)s will consistently be met (it is outside "
                              "the limits, on the good side)"),
    "rule:consistent_fail": _("target %(target)s will consistently be missed (it is outside "
                              "the limits, on the bad side)"),
    "rule:inconsistent": _("target %(target)s lies within the limits, so it will be met "
                           "only some of the time"),
    "rule:none": _("no signals"),
    "rule:part": _("Part %(part)s (from %(x)s)"),
    f"rule:mdc:{mdc.ABOVE_UCL}": _("point above the upper limit"),
    f"rule:mdc:{mdc.BELOW_LCL}": _("point below the lower limit"),
    f"rule:mdc:{mdc.TREND_UP}": _("increasing trend of 7 or more"),
    f"rule:mdc:{mdc.TREND_DOWN}": _("decreasing trend of 7 or more"),
    f"rule:mdc:{mdc.TWO_IN_THREE_ABOVE}": _("2 of 3 points near the upper limit"),
    f"rule:mdc:{mdc.TWO_IN_THREE_BELOW}": _("2 of 3 points near the lower limit"),
    f"rule:mdc:{mdc.SHIFT_ABOVE}": _("7 or more points above the mean"),
    f"rule:mdc:{mdc.SHIFT_BELOW}": _("7 or more points below the mean"),
}
# Where the engine names a part (0: the chart has one), the message that says so.
_IN_PART = {"no_subgroup": "no_subgroup_part", "few_baseline": "few_baseline_part"}


def error_said(reason: object) -> Said | str:
    """What an engine error (or another reason, a text) says."""
    code = getattr(reason, "code", "")
    params = dict(getattr(reason, "params", {}) or {})
    if not code:
        return str(reason)
    if code in _IN_PART and params.get("part"):
        code = _IN_PART[code]
    if f"spc:{code}" not in MESSAGES:
        return str(reason)
    return {"id": f"spc:{code}", "params": params}


def rule_detail(chart: Chart) -> str:
    """The engine's summary of ``chart`` (the rules behind its plain sentences) in the
    reader's language."""
    from .said import word

    return compose(summary_parts(chart), word)
