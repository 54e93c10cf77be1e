"""A chart's words in the reader's language.

The Vega-Lite specifications are built in pure Python (``vega.py`` and its kin) with fixed
English words: the tooltips' and axes' titles, the signals in the legend and in each point's
row, the goal's and target's labels, the chart's kind in its title, the phase markers.
``in_language`` gives a copy of a spec with those words translated, at the one place where
a spec leaves for a page (the ``_specs.html`` include) or for a report
(``reports.documents.drawing.svg``). A signal is translated in the legend's domain and in
every row alike, so colours and shapes still match. Names from the data (teams, measures,
notes) are left as they are.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

# Titles of axes and tooltips, signals, legend entries: every fixed word the specs carry.
WORDS = {
    "Period": lambda: gettext("Period"),
    "Value": lambda: gettext("Value"),
    "Numerator": lambda: gettext("Numerator"),
    "Denominator": lambda: gettext("Denominator"),
    "Centre line": lambda: gettext("Centre line"),
    "Lower limit": lambda: gettext("Lower limit"),
    "Upper limit": lambda: gettext("Upper limit"),
    "Signal": lambda: gettext("Signal"),
    "95 % CI from": lambda: gettext("95 % CI from"),
    "95 % CI to": lambda: gettext("95 % CI to"),
    "to": lambda: pgettext("a chart's interval", "to"),
    "Marker": lambda: gettext("Marker"),
    "Date": lambda: gettext("Date"),
    "Note": lambda: gettext("Note"),
    "Team": lambda: gettext("Team"),
    "Against the limits": lambda: gettext("Against the limits"),
    "Common cause": lambda: gettext("Common cause"),
    "Outside the limits": lambda: gettext("Outside the limits"),
    "Part of a run or shift": lambda: gettext("Part of a run or shift"),
    "Excluded": lambda: gettext("Excluded"),
    "Usual variation": lambda: gettext("Usual variation"),
    "Unusually high or low": lambda: gettext("Unusually high or low"),
    "Part of a lasting change": lambda: gettext("Part of a lasting change"),
    "Left out": lambda: gettext("Left out"),
    "Month": lambda: gettext("Month"),
    "Quarter": lambda: gettext("Quarter"),
    "Half-year": lambda: gettext("Half-year"),
    "Year": lambda: gettext("Year"),
    "Date of the event": lambda: gettext("Date of the event"),
    "births between events": lambda: gettext("births between events"),
    "days between events": lambda: gettext("days between events"),
    "Off the scale: value": lambda: gettext("Off the scale: value"),
    "Ratio (log scale)": lambda: gettext("Ratio (log scale)"),
    "Ratio": lambda: gettext("Ratio"),
    "Periods since adoption": lambda: gettext("Periods since adoption"),
    "Periods since adoption (0: the period of adoption)": lambda: gettext(
        "Periods since adoption (0: the period of adoption)"),
    "Adopting teams": lambda: gettext("Adopting teams"),
    "fewer than 20 events": lambda: gettext("fewer than 20 events"),
    "inside": lambda: gettext("inside the limits"),
    "above 95%": lambda: gettext("above the limits (95 %)"),
    "above 99.8%": lambda: gettext("above the limits (99.8 %)"),
    "below 95%": lambda: gettext("below the limits (95 %)"),
    "below 99.8%": lambda: gettext("below the limits (99.8 %)"),
}
# Row fields whose values are such words (the rest are data: names, numbers, notes).
WORD_FIELDS = ("signal", "where", "few")
# The goal's and the target's labels: the word, then the figure.
LABELS = {"Goal ": lambda: gettext("Goal"), "National target ": lambda: gettext("National target")}
# The chart's kind (building.CHART_NAMES, samples.SAMPLED_NAMES) closes its title
# ("Infant mortality rate: Run chart") and names it on the chart's page.
KINDS = {
    "Run chart": lambda: gettext("Run chart"),
    "XmR (individuals) chart": lambda: gettext("XmR (individuals) chart"),
    "p chart": lambda: gettext("p chart"),
    "p′ chart (Laney)": lambda: gettext("p′ chart (Laney)"),
    "u chart": lambda: gettext("u chart"),
    "u′ chart (Laney)": lambda: gettext("u′ chart (Laney)"),
    "c chart": lambda: gettext("c chart"),
    "g chart (births between events)": lambda: gettext("g chart (births between events)"),
    "t chart (days between events)": lambda: gettext("t chart (days between events)"),
    "Xbar chart": lambda: gettext("Xbar chart"),
    "S chart": lambda: gettext("S chart"),
    "Xbar chart (mean of the measurements)": lambda: gettext(
        "Xbar chart (mean of the measurements)"),
    "S chart (spread of the measurements)": lambda: gettext(
        "S chart (spread of the measurements)"),
}


def kind_name(english: str) -> str:
    """A chart kind's name (as ``building.CHART_NAMES`` gives it) in the active language."""
    make = KINDS.get(english)
    return make() if make else english


# The markers a chart writes itself (building.py, events.py): a new phase and where a frozen
# baseline ends, with what follows the English prefix kept (the phase's reason, the period).
PHASE = "New phase: "
FROZEN = ("Baseline frozen up to ",
          ": later points are judged against its centre line and limits")


def marker(text: str) -> str:
    """A phase marker's text (``Marker.kind == "phase"``) in the active language."""
    if text.startswith(PHASE):
        return gettext("New phase: %(reason)s") % {"reason": text[len(PHASE):]}
    if text.startswith(FROZEN[0]) and text.endswith(FROZEN[1]):
        return gettext("Baseline frozen up to %(period)s: later points are judged against its "
                       "centre line and limits") % {
            "period": text[len(FROZEN[0]):-len(FROZEN[1])]}
    return text


def marker_html(text: str, language: str = "") -> SafeString:
    """``marker`` as HTML, the reason a person wrote marked with its ``language``."""
    if text.startswith(PHASE) and language:
        reason = format_html('<span lang="{}">{}</span>', language, text[len(PHASE):])
        return mark_safe(escape(gettext("New phase: %(reason)s")) % {  # noqa: S308
            "reason": reason})
    return escape(marker(text))


def word(text: str) -> str:
    """One of the specs' fixed words (a signal, a funnel's "above 95%") in the active
    language; any other text as it is."""
    make = WORDS.get(text)
    return make() if make else text


_word = word


def _title(text: str) -> str:
    for english, make in KINDS.items():
        if text.endswith(f": {english}"):
            return f"{text[:-len(english)]}{make()}"
    return _word(text)


def _label(text: str) -> str:
    for prefix, make in LABELS.items():
        if text.startswith(prefix):
            return f"{make()} {text[len(prefix):]}"
    return text


def _rows(rows: Any) -> None:
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        for name in WORD_FIELDS:
            if isinstance(row.get(name), str):
                row[name] = _word(row[name])
        if isinstance(row.get("label"), str):
            row["label"] = _label(row["label"])
        if row.get("kind") == "phase" and isinstance(row.get("text"), str):
            row["text"] = marker(row["text"])


def _walk(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in ("title", "description") and isinstance(value, str):
            node[key] = _title(value)
        elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
            value["text"] = _title(value["text"])
        elif key == "domain" and isinstance(value, list):
            node[key] = [_word(v) if isinstance(v, str) else v for v in value]
        elif key == "values":
            _rows(value)
        elif key == "datasets" and isinstance(value, dict):
            for rows in value.values():
                _rows(rows)
        else:
            _walk(value)


# What a screen reader is told each mark is (Vega's own word is its English mark type).
MARK_ROLES = {
    "point": lambda: pgettext("a mark of a chart", "point"),
    "rule": lambda: pgettext("a mark of a chart", "line"),
    "bar": lambda: pgettext("a mark of a chart", "bar"),
}
DESCRIPTION = "_description"  # the field each datum's own sentence is calculated into


def _piece(entry: dict[str, Any]) -> str:
    """A Vega expression for one tooltip entry's value as the tooltip shows it."""
    value = f"datum[{json.dumps(entry['field'])}]"
    fmt = entry.get("format")
    if entry.get("type") == "temporal":
        shown = f"timeFormat(toDate({value}), {json.dumps(fmt or '%Y-%m-%d')})"
    elif fmt:
        shown = f"format({value}, {json.dumps(fmt)})"
    else:
        shown = f"'' + {value}"
    return f"(isValid({value}) ? {shown} : '—')"


def _aria(node: Any) -> None:
    """Every mark a reader can reach says what it is and shows in the reader's language:
    a point's (or bar's, rule's) description is its tooltip's titles and values, calculated
    per datum, in place of Vega's generated English; marks without a tooltip (lines, labels)
    and the axes and legends, whose generated descriptions are English too, are left out of
    what a screen reader reads (the page's table has every value)."""
    if isinstance(node, list):
        for item in node:
            _aria(item)
        return
    if not isinstance(node, dict):
        return
    mark = node.get("mark")
    if mark is not None:
        mark = node["mark"] = mark if isinstance(mark, dict) else {"type": mark}
        encoding = node.setdefault("encoding", {})
        tips = encoding.get("tooltip")
        tips = [tips] if isinstance(tips, dict) else tips
        tips = [t for t in tips or [] if isinstance(t, dict) and t.get("field")]
        if not tips:
            mark["aria"] = False
        else:
            expr = " + '; ' + ".join(
                f"{json.dumps(str(t.get('title') or t['field']) + ': ')} + {_piece(t)}"
                for t in tips)
            node["transform"] = [*node.get("transform", []),
                                 {"calculate": expr, "as": DESCRIPTION}]
            encoding["description"] = {"field": DESCRIPTION}
            role = MARK_ROLES.get(mark.get("type", ""))
            mark["ariaRoleDescription"] = role() if role else mark.get("type", "")
    for key in ("layer", "hconcat", "vconcat", "concat"):
        _aria(node.get(key))
    if isinstance(node.get("spec"), dict):
        _aria(node["spec"])


def _guides_silent(spec: dict[str, Any]) -> None:
    config = spec.setdefault("config", {})
    for guide in ("axis", "legend"):
        config[guide] = {**config.get(guide, {}), "aria": False}


def in_language(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of ``spec`` with its fixed words in the active language (``spec`` itself is
    left alone: it may be a stored one); ``spec`` may also be a list of data rows (a small
    multiple's, see ``summaries.stored.mini_values``), whose signals are translated as the
    shared picture's legend is. In a language other than English, what a screen
    reader reads of the chart is in that language too (see ``_aria``); the chart's own
    description (its title) is translated with the rest."""
    if not spec:
        return spec
    out = copy.deepcopy(spec)
    _walk(out)
    if isinstance(out, list):  # a small multiple's rows, drawn with its shared picture
        _rows(out)
    if not (get_language() or "en").startswith("en") and any(
            k in out for k in ("mark", "layer", "hconcat", "vconcat", "concat")):
        _aria(out)
        _guides_silent(out)
    return out
