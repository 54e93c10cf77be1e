"""Sentences kept as message ids with their values, worded in the reader's language only
when they are read.

A chart's summary is stored (``ChartSummary``) and read by people in different languages:
what is stored is what was said, not the words: a ``Said`` is ``{"id": ..., "params":
{...}}``, the id one of ``MESSAGES`` and each value a number, a literal text (a period
label, the engine's own words), a text a person wrote with the language they wrote it in
(``written``: a phase's reason) or another ``Said``. A
stored summary (``Summary``) is one of

- ``{"parts": [{"head": Said | None, "sentences": [Said, ...]}, ...]}``: one phase of the
  chart after another, each sentence capitalised, joined as ``signals.plain_summary`` does;
- ``{"said": Said}``: one sentence as it is (no data, cannot be drawn);
- ``{"rules": [...]}``: the engine's summary of a chart no plain sentences describe (MDC
  rules, funnels), as its phrases (``spc.summary.summary_parts``), worded by ``compose``;
- ``{"text": str}``: words that have no message, shown as they are.

``word`` and ``summary_text`` give the words in the active language; ``summary_html``
gives them as HTML, each written text quoted marked with its language (WCAG 3.1.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

Said = dict[str, Any]
Summary = dict[str, Any]

# ngettext_lazy(..., "n"): the plural form is chosen by the "n" value.
MESSAGES: dict[str, Any] = {
    # How a sentence is put together (no words of its own).
    "with_verdict": "%(sentence)s (%(verdict)s)",
    # signals.describe: Anhøj's rules.
    "better": _("better"),
    "worse": _("worse"),
    "listed_more": _("%(listed)s and %(n)s more"),
    "listed_last": _("%(listed)s and %(last)s"),
    "shift_up_from": _("%(n)s points in a row above the centre line from %(label)s: a "
                       "shift up"),
    "shift_down_from": _("%(n)s points in a row below the centre line from %(label)s: a "
                         "shift down"),
    "run_above_until": _("%(n)s points in a row above the centre line up to %(label)s, "
                         "lower after: a shift down"),
    "run_below_until": _("%(n)s points in a row below the centre line up to %(label)s, "
                         "higher after: a shift up"),
    "few_crossings": _("The points stay on one side of the centre line for long stretches: "
                       "the level has probably changed, so the centre line mixes two levels"),
    "outside_before_shift": ngettext_lazy(
        "%(n)s point outside the limits before %(label)s is the level before the "
        "shift, not a change of their own: the centre line mixes both levels; a new "
        "phase from %(label)s would judge each against its own line",
        "%(n)s points outside the limits before %(label)s are the level before the "
        "shift, not a change of their own: the centre line mixes both levels; a new "
        "phase from %(label)s would judge each against its own line", "n"),
    "level_before_shift": _(
        "The earlier points before %(label)s are the level before the shift, not a "
        "change of their own: the centre line mixes both levels; a new phase from "
        "%(label)s would judge each against its own line"),
    "above_upper": ngettext_lazy(
        "%(n)s point above the upper limit (%(labels)s): unusual, worth a look",
        "%(n)s points above the upper limit (%(labels)s): unusual, worth a look", "n"),
    "below_lower": ngettext_lazy(
        "%(n)s point below the lower limit (%(labels)s): unusual, worth a look",
        "%(n)s points below the lower limit (%(labels)s): unusual, worth a look", "n"),
    "random_limits": _("Only random variation: no shift and no point outside the limits"),
    "random": _("Only random variation: no shift"),
    # signals.plain_summary: the phases.
    "before": _("Before %(label)s"),
    "from_reason": _("From %(label)s (%(reason)s)"),
    "from": _("From %(label)s"),
    # signals_ihi.describe_ihi: the IHI run-chart rules.
    "ihi_too_few_points": _("Too few useful points for the IHI rules (%(n)s; at least 10 "
                            "needed)"),
    "ihi_shift_above": _("Shift: %(n)s points above the centre line from %(start)s to "
                         "%(end)s"),
    "ihi_shift_below": _("Shift: %(n)s points below the centre line from %(start)s to "
                         "%(end)s"),
    "ihi_trend_up": _("Trend: %(n)s points going up from %(start)s to %(end)s"),
    "ihi_trend_down": _("Trend: %(n)s points going down from %(start)s to %(end)s"),
    "ihi_too_few_runs": _("Too few runs (%(runs)s; %(low)s to %(high)s expected)"),
    "ihi_too_many_runs": _("Too many runs (%(runs)s; %(low)s to %(high)s expected)"),
    "ihi_astronomical": ngettext_lazy("An astronomical point at %(labels)s",
                                      "Astronomical points at %(labels)s", "n"),
    "ihi_nothing": _("No shift, trend or unusual number of runs"),
    # A chart with nothing to describe.
    "no_data": _("No data reported yet."),
    "cannot_draw": _("This chart cannot be drawn: %(reason)s"),
    "cannot_draw_yet": _("This chart cannot be drawn yet: %(reason)s."),
}


def said(id: str, **params: Any) -> Said:
    """What is said: message ``id`` with its values."""
    if id not in MESSAGES and id not in _more():
        raise KeyError(f"no message {id!r}")
    # Kept as JSON: the engine's numpy numbers as Python's.
    return {"id": id, "params": {k: v.item() if hasattr(v, "item") else v
                                 for k, v in params.items()}}


def written(text: str, language: str = "") -> dict[str, str] | str:
    """A text a person wrote, quoted in a sentence, with the language they wrote it in
    (the text alone when its language is not known)."""
    return {"written": text, "language": language} if language else text


def _more() -> Mapping[str, Any]:
    """Messages other modules add (the engine's error reasons, ``spc_words``)."""
    from .spc_words import MESSAGES as ENGINE

    return ENGINE


def word(value: Any, html: bool = False) -> str:
    """The words of a ``Said`` (or of a literal value) in the active language; with
    ``html``, escaped, a written text in an element saying its language."""
    if not isinstance(value, dict):
        return escape(str(value)) if html else str(value)
    if "written" in value:
        if not html:
            return str(value["written"])
        return (f'<span lang="{escape(str(value["language"]))}">'
                f'{escape(str(value["written"]))}</span>')
    message = MESSAGES.get(value["id"])
    if message is None:
        message = _more()[value["id"]]
    params = {k: v if isinstance(v, int | float) and not isinstance(v, bool) else word(v, html)
              for k, v in value.get("params", {}).items()}
    if not html:
        return str(message % params) if params else str(message)
    # The words put in as tokens (numbers as they are: they choose the plural form), the
    # sentence escaped, then each token replaced by its (escaped) words.
    tokens = {k: v if isinstance(v, int | float) else f"\x00{i}\x00"
              for i, (k, v) in enumerate(params.items())}
    text = str(escape(str(message % tokens if tokens else message)))
    for i, v in enumerate(params.values()):
        if not isinstance(v, int | float):
            text = text.replace(f"\x00{i}\x00", str(v))
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def summary_text(summary: Mapping[str, Any], html: bool = False) -> str:
    """The words of a stored ``Summary`` in the active language ("" for an empty one);
    with ``html``, escaped, each written text marked with its language."""
    if "text" in summary:
        return escape(str(summary["text"])) if html else str(summary["text"])
    if "said" in summary:
        return word(summary["said"], html)
    if "rules" in summary:
        from coiin.spc.summary import compose

        text = compose(summary["rules"], word)
        return str(escape(text)) if html else text
    texts = []
    for part in summary.get("parts", []):
        body = ". ".join(_cap(word(s, html)) for s in part["sentences"])
        if part.get("head"):
            body = f"{word(part['head'], html)}, {body[:1].lower() + body[1:]}"
        texts.append(body)
    return ". ".join(texts) + "." if texts else ""


def summary_html(summary: Mapping[str, Any]) -> SafeString:
    """``summary_text`` as HTML: a quoted written text (a phase's reason) in an element
    saying the language it was written in."""
    return mark_safe(summary_text(summary, html=True))  # noqa: S308 - escaped above
