"""The checks' messages (``validation.MESSAGES``) in the reader's language.

``validation`` is pure Python and writes its messages in English, each with a code and the
params that fill it; this gives the same templates marked for translation, so the entry page
and an import's list of errors read in the person's language. The API's rows keep the
English codes (``field``); their text follows the request's language like any page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .validation import MESSAGES, Issue, strata_sum_params

TEMPLATES = {
    "not_a_number": _("{raw} is not a number"),
    "one_number_not_list": _("{code} takes one number, not a list of measurements"),
    "measurements_not_number": _(
        "{code} takes its individual measurements, not a single number: give them in the "
        "measurements field"
    ),
    "not_by_stratum": _("{code} is not reported by stratum"),
    "too_many_measurements": _("{count} measurements; at most {most} in one period"),
    "measurement_not_number": _(
        "measurement {position} ({item}) is not a number; separate the measurements with "
        "semicolons, commas or spaces"
    ),
    "event_log": _(
        "{code} is logged event by event, not per period: enter or import its events on "
        "the team's event log"
    ),
    "survey_fields_not_survey": _(
        "only survey measures have a standard error, confidence interval or unweighted n;"
        " {code} is not one"
    ),
    "numerator_denominator_not_value": _("give the numerator and denominator, not a value"),
    "missing": _("is missing"),
    "negative": _("{number} is negative"),
    "not_above_zero": _("{number} must be more than 0"),
    "numerator_above_denominator": _("{number} is more than the denominator {denominator}"),
    "count_not_ratio": _("a count has a value, not a numerator or denominator"),
    "not_whole": _("{number} is not a whole number of 0 or more"),
    "not_a_category": _("{text} is not one of: {allowed}"),
    "outside_expected": _("{number}{unit} is outside the expected range {low} to {high}"),
    "sudden_jump": _(
        "{number}{unit} is a sudden jump from this team's recent values (mean {mean}{unit})"
    ),
    "survey_not_ratio": _(
        "{code} is a survey measure: give its weighted estimate (value) with a standard "
        "error or 95 % CI, not a numerator and denominator"
    ),
    "estimate_missing": _("the weighted estimate is missing"),
    "estimate_outside_percent": _("the estimate {number} is outside 0–100 %"),
    "estimate_negative": _("the estimate {number} is negative"),
    "ci_end_missing": _("is missing; give both ends of the 95 % CI"),
    "outside_percent": _("{number} is outside 0–100 %"),
    "ci_reversed": _("{number} is above the upper end {upper}"),
    "ci_without_estimate": _(
        "the 95 % CI {low}–{high}{unit} does not contain the estimate {number}{unit}"
    ),
    "no_se_or_ci": _("give the estimate's standard error or its 95 % CI (lower and upper)"),
    "not_whole_respondents": _("{number} is not a whole number of respondents"),
    "strata_sum": _("the strata add up to {got}, not the total {want}"),
    "by_site": _("is reported by site: enter its sites' values; the team's figure is their "
                 "sum"),
    # {source}: where the figures come from, already in the reader's language
    # (official.Cell.shown), e.g. "from the Georgia vital records office, provisional, ..."
    "official": _("comes from the jurisdiction's official figures ({source}); it is not "
                  "typed by teams"),
}


def text(code: str, params: Iterable[tuple[str, str]], english: str = "") -> str:
    """The message ``code`` filled with ``params``, in the active language; ``english`` (or
    the code) for a code with no template."""
    template = TEMPLATES.get(code)
    if template is None:
        return english or code
    return str(template).format(**dict(params))


def localized(issue: Issue) -> str:
    """The issue's message in the active language."""
    return text(issue.code, issue.params, issue.message) if issue.code else issue.message


def strata_sum_text(got: Decimal, want: Decimal) -> str:
    """The import's check that strata add up to their total, in the active language."""
    return text("strata_sum", strata_sum_params(got, want).items())


def localize(issues: Iterable[Issue]) -> list[Issue]:
    """The issues with their messages in the active language."""
    return [replace(i, message=localized(i)) if i.code else i for i in issues]


assert set(TEMPLATES) == set(MESSAGES), "every check's message has a translatable template"


# The import's own row messages (services/stream.py), in the active language: the uploader's,
# also when a worker runs the import.

def not_draft(what: object, status: str) -> str:
    return gettext("%(what)s is %(status)s; reopen it before changing its values") % {
        "what": what, "status": status}


def closed_on(what: object, on: object) -> str:
    return gettext("%(what)s closed on %(on)s; ask the backbone staff for an exception to "
                   "enter data after that") % {"what": what, "on": formats.date_format(on)}


def not_chosen(team: object, code: str) -> str:
    return gettext("%(team)s has not chosen %(code)s; choose it among the team's measures "
                   "first") % {"team": team, "code": code}


def official_figure(code: str, period: str, jurisdiction: object) -> str:
    return gettext("%(code)s %(period)s comes from %(jurisdiction)s's official figures; "
                   "teams do not type it") % {"code": code, "period": period,
                                              "jurisdiction": jurisdiction}


def repeats_row(first: int) -> str:
    return gettext("repeats row %(first)s (same team, measure, period and stratum)") % {
        "first": first}


# The import's checks of a row's period and stratum (io.py), in the active language.

def wrong_frequency(code: str, label: str, reported: str, given: str) -> str:
    """``SS-TRAIN is reported quarterly; '2015-03' is a month``: ``reported`` and
    ``given`` are frequencies (``monthly``, ``quarterly``, ``half_yearly``, ``yearly``)."""
    how = {"monthly": pgettext("is reported", "monthly"),
           "quarterly": pgettext("is reported", "quarterly"),
           "half_yearly": pgettext("is reported", "half-yearly"),
           "yearly": pgettext("is reported", "yearly")}[reported]
    what = {"monthly": gettext("a month"), "quarterly": gettext("a quarter"),
            "half_yearly": gettext("a half-year"), "yearly": gettext("a year")}[given]
    return gettext("%(code)s is reported %(how)s; %(label)s is %(what)s") % {
        "code": code, "how": how, "label": repr(label), "what": what}


def no_stratum(kind: str, stratum: str, codes: str) -> str:
    """``no race/ethnicity stratum 'x'; use one of: …`` (``kind`` as the reader reads it)."""
    return gettext("no %(kind)s stratum %(stratum)s; use one of: %(codes)s") % {
        "kind": kind, "stratum": repr(stratum), "codes": codes}
