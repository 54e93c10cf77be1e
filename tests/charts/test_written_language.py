"""A phase's reason and a chart note are written texts: the chart card and the sentence
that quotes a reason mark them with the language they were written in (WCAG 3.1.2)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from coiin.charts.said import said, summary_html, summary_text, written
from coiin.charts.spec_language import PHASE
from coiin.charts.templatetags.chart_language import chart_marker
from coiin.charts.vega import Marker


def test_the_sentence_marks_the_reason_it_quotes_with_its_language():
    summary = {"parts": [
        {"head": said("before", label="2014-05"), "sentences": [said("random")]},
        {"head": said("from_reason", label="2014-05",
                      reason=written("Policy <adopted> & audited", "en")),
         "sentences": [said("random")]}]}
    with translation.override("es"):
        html = summary_html(summary)
        text = summary_text(summary)
    assert '(<span lang="en">Policy &lt;adopted&gt; &amp; audited</span>)' in html
    assert "(Policy <adopted> & audited)" in text  # the plain words are unchanged
    assert html.startswith("Antes de 2014-05")


def test_a_reason_without_a_language_is_quoted_as_it_is():
    with translation.override("es"):
        html = summary_html({"said": said("from_reason", label="x", reason="a < b")})
    assert "a &lt; b" in html and "<span" not in html


def test_markers_mark_what_a_person_wrote():
    day = dt.date(2014, 5, 1)
    with translation.override("es"):
        phase = chart_marker(Marker(day, PHASE + "New policy", "phase", language="en"))
        note = chart_marker(Marker(day, "Audit <started>", language="en"))
        unknown = chart_marker(Marker(day, "PDSA 1: audit", "pdsa"))
    assert phase == 'Nueva fase: <span lang="en">New policy</span>'
    assert note == '<span lang="en">Audit &lt;started&gt;</span>'
    assert unknown == "PDSA 1: audit"
