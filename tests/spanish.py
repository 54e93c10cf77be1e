"""What a person reads or hears on a page, and whether any of it is English where the page is
Spanish: for the check that every page of every role reads in Spanish
(tests/browser/test_accessibility.py).

A page's words are its text nodes outside <script>, <style> and <template>, the attributes a
screen reader speaks or a form shows (alt, title, aria-label, placeholder; value of a button
or submit input) and its <option> texts. Text inside an element whose ``lang`` is not Spanish
(a post written in English, a measure's definition not yet translated, marked by the
``translated`` filter) is not the interface's and is left out, with its descendants, unless a
descendant says lang="es" again.

English is told by its function words that are not Spanish words, and by the interface's most
common English words; a code (SS-CRIB), a name (New Jersey) or a unit is not English."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

# English words that are not Spanish words: an English sentence or label has one of them, a
# Spanish one never does. Left out because Spanish has them too: a, no, me, he, con, son, sin.
FUNCTION_WORDS = frozenset("""
the and of with your this that for from is are has have will you which what when there
been was were their they them these those would could should can't don't isn't it's its
who whom whose into onto about after before than then until while where why how
our ours we us she his her him it be being do does did done not any each every some
more most other such only own same so too very just also but if or at by on in to an
""".split())
# The interface's common English words that Spanish does not share (not error, idea, ideas,
# total, which it does): labels are often one word.
LABEL_WORDS = frozenset("""
save submit cancel edit delete remove add back next previous download upload search sign
show hide view open close closed send reply comment comments answer answers post posts
share yes settings help home page pages sort filter filters clear apply change changes
new read unread team teams measure measures chart charts report reports data enter entry
due overdue review reviewed locked lock unlock submitted draft published publish
status name email password account profile people members member network networks
network's jurisdiction jurisdictions event events resource resources request requests
notes note goal aim cycle cycles month months year years week weeks day days
today yesterday tomorrow none all select choose loading errors warning required
optional summary details
""".split())
# What is not English though it has such words, and why.
NOT_ENGLISH = [
    # E-mail and web addresses, file names and time zones (America/New_York): identifiers.
    re.compile(r"\S+@\S+|\b\w+://\S+|\S+\.(csv|xlsx|ics|json)\b|\b[A-Z]\w+/[A-Z]\w+\S*"),
    # The site's own paths (p. ej. /networks/safe-sleep/ga/charts/) and hashes (SHA-256 …).
    re.compile(r"(?<!\S)/[\w/.-]+|\b[0-9a-f]{12,}\b"),
    # A term Spanish health care uses in English, kept in the Spanish texts in parentheses.
    re.compile(r"\(teach-back\)"),
    # The events CSV's column names, in the sentence that lists them (a form's help text).
    re.compile(r"births_since_previous, note\b"),
]
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")
SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
# Not read, or not words: <code> holds commands, column names and addresses.
SKIPPED = {"script", "style", "template", "code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def english_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The English words of a text (none: it reads as Spanish, a code or a name); ``names``
    are proper names (WCAG 3.1.2 does not ask them to be marked), taken out first."""
    for name in names:
        text = text.replace(name, "")
    for pattern in NOT_ENGLISH:
        text = pattern.sub("", text)
    found = []
    for match in WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        if (lower in FUNCTION_WORDS or lower in LABEL_WORDS) and not word.isupper():  # US, IT
            found.append(word)
    return found


@dataclass
class Spoken:
    where: str  # the element, e.g. "button" or "img[alt]"
    text: str


class _Reader(HTMLParser):
    """Collects what is read or heard in Spanish parts of a page, and the <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # (tag, language, skipped)
        self.html_lang: str | None = None
        self.spoken: list[Spoken] = []
        self.foreign: list[str] = []  # the texts of parts marked as another language

    def _language(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = values.get("lang")
        language = values["lang"] if "lang" in values else self._language()
        skipped = self._skipped() or tag in SKIPPED
        if not skipped and is_spanish(language):
            for name in SPOKEN_ATTRIBUTES:
                if values.get(name, "").strip():
                    self.spoken.append(Spoken(f"{tag}[{name}]", values[name]))
            # A <button>'s value is sent, not shown (its content is); an input button's is.
            kind = values.get("type", "").lower()
            if values.get("value", "").strip() and tag == "input" and kind in {
                    "submit", "button", "reset"}:
                self.spoken.append(Spoken(f"{tag}[value]", values["value"]))
        if tag not in VOID:
            self.stack.append((tag, language, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):  # closes what was left open inside
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip() or self._skipped():
            return
        text = " ".join(data.split())
        if is_spanish(self._language()):
            self.spoken.append(Spoken(self.stack[-1][0] if self.stack else "text", text))
        else:
            self.foreign.append(text)


def is_spanish(language: str) -> bool:
    return language.lower().split("-")[0] == "es"


def read(html: str) -> tuple[str | None, list[Spoken]]:
    """(the <html lang>, what is read or heard in its Spanish parts). Where no markup can go
    (the <title>, an attribute), a text marked as another language elsewhere on the page
    (a post's title in its heading) is taken out: it is quoted, not the interface's."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    quoted = sorted({t for t in reader.foreign if len(t) > 3}, key=len, reverse=True)
    spoken = []
    for said in reader.spoken:
        if said.where == "title" or said.where.endswith("]"):
            for text in quoted:
                said.text = said.text.replace(text, "")
        spoken.append(said)
    return reader.html_lang, spoken


def english(html: str, names: Iterable[str] = ()) -> list[str]:
    """Each English text of a Spanish page, with where it is, e.g. 'button: Save'."""
    _, spoken = read(html)
    names = sorted(names, key=len, reverse=True)
    return [f"{s.where}: {s.text[:120]}" for s in spoken if english_words(s.text, names)]
