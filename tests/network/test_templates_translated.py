"""Every word a person reads in the translated templates is marked for translation.

The check strips comments, scripts, styles, ``{% blocktranslate %}`` blocks and every other
``{% %}`` / ``{{ }}``, then the HTML tags, and reports any word left over, and any word in a
``title``, ``alt``, ``aria-label``, ``placeholder`` or ``data-label`` attribute, or in a plain
string of words handed to an included template (``with caption="..."``), by file and line.
It covers the templates listed below, and a check that the list leaves no template folder of
the interface out.
"""

from __future__ import annotations

import re
from pathlib import Path

import coiin

SRC = Path(coiin.__file__).resolve().parent

# Whole folders, and single templates of folders not yet wholly done.
COVERED = [
    "templates",
    "reports/templates/reports",
    "charts/templates/charts",
    "measures/templates/measures",
    "improvement/templates/improvement",
    "community/templates/community",
    "network/templates/network",
    "storyboards/templates/storyboards",
    "vitals/templates/vitals",
    "interchange/templates/interchange",
    "api/templates/api",
]
# Templates of covered folders not yet marked (none at the moment).
NOT_YET: set[str] = set()
# Words that read the same in both languages.
SAME = {"CoIIN", "CSV", "PNG", "SVG", "XLSX", "PDF", "JSON", "FHIR", "SCIM", "English", "Español",
        "Excel",
        # the column names the import reads, shown as they must be written
        "jurisdiction", "network", "measure", "period", "numerator", "denominator", "stratum",
        "comment"}

_REMOVED = [
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    r"\{#.*?#\}",
    r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}",
    r"<script\b.*?</script>",
    r"<style\b.*?</style>",
    r"<!--.*?-->",
    r"\{%.*?%\}|\{\{.*?\}\}",
]
# A sentence handed to an included template as a plain string: {% include ... with x="..." %}.
_ARGUMENT = re.compile(r'\{%\s*(?:include|with)\b[^%]*?\b\w+="([^"]*\s[^"]*)"[^%]*%\}')
_ATTRIBUTE = re.compile(r'\b(?:title|alt|aria-label|placeholder|data-label)="([^"]*)"')
_WORD = re.compile(r"[^\W\d_]{2,}")


def _lines_kept(match: re.Match) -> str:
    return " " + "\n" * match.group(0).count("\n")


def unmarked(text: str) -> list[tuple[int, str]]:
    """(line, text) of each piece of readable text not marked for translation."""
    arguments = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _ARGUMENT.finditer(text)
                 if any(w not in SAME for w in _WORD.findall(m.group(1)))]
    for pattern in _REMOVED:
        text = re.sub(pattern, _lines_kept, text, flags=re.S)
    found = [(text.count("\n", 0, m.start()) + 1, m.group(0))
             for m in _ATTRIBUTE.finditer(text)
             if any(w not in SAME for w in _WORD.findall(m.group(1)))]
    text = re.sub(r"&#?\w+;", " ", re.sub(r"<[^>]*>", _lines_kept, text, flags=re.S))
    found += [(number, line.strip()) for number, line in enumerate(text.split("\n"), 1)
              if any(w not in SAME for w in _WORD.findall(line))]
    return sorted(found + arguments)


def _templates() -> list[Path]:
    out = []
    for entry in COVERED:
        path = SRC / entry
        out += sorted(p for p in path.rglob("*") if p.suffix in {".html", ".txt"}) \
            if path.is_dir() else [path]
    return [p for p in out if str(p.relative_to(SRC)) not in NOT_YET]


def test_the_translated_templates_have_no_unmarked_text():
    templates = _templates()
    assert len(templates) >= 30
    offenders = [f"{p.relative_to(SRC)}:{line}: {text[:80]}"
                 for p in templates for line, text in unmarked(p.read_text(encoding="utf-8"))]
    assert not offenders, "text not marked for translation:\n" + "\n".join(offenders)


def test_every_template_folder_is_covered():
    folders = {str(p.relative_to(SRC)) for p in SRC.glob("*/templates")} | {"templates"}
    covered = {entry.split("/")[0] + "/templates" if "/" in entry else entry for entry in COVERED}
    assert folders <= covered, f"template folders not in the check: {sorted(folders - covered)}"


def test_the_check_finds_unmarked_text_and_lets_marked_text_pass():
    sample = ('{% load i18n %}<h1>{% translate "Charts" %}</h1>\n'
              '<p title="Plain title">{{ team }}</p>\n'
              '{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}\n'
              '<p>Left out</p>{# a comment #}<script>var x = "words";</script>\n'
              '<a aria-label="{% translate "Next" %}">PNG</a>\n'
              '{% include "x.html" with note="Plain words" key="key" done=_("Marked words") %}')
    assert unmarked(sample) == [(2, 'title="Plain title"'), (4, "Left out"), (6, "Plain words")]
