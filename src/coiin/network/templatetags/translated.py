"""A translated model field (django-modeltranslation) for the page, in one place: the text in
the reader's language, or else the one it falls back to, marked with its language so a screen
reader switches pronunciation, and with a short note saying it is not translated yet.

    {% load translated %}{{ measure|translated:"name" }}
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

register = template.Library()


def _note(language: str) -> str:
    """The note after a text shown in another language than the page's."""
    notes = {"en": gettext("(in English)"), "es": gettext("(in Spanish)")}
    return notes.get(language, f"({language})")


def text_and_language(obj: object, field: str) -> tuple[str, str | None]:
    """The field's text for the reader and, when it is a fallback, the language it is in
    (None: in the reader's language, or the field is not translated at all)."""
    try:
        options = translator.get_options_for_model(type(obj))
    except NotRegistered:
        return str(getattr(obj, field) or ""), None
    if field not in options.all_fields:
        return str(getattr(obj, field) or ""), None
    active = get_language()
    for language in resolution_order(active, getattr(type(obj), field).fallback_languages):
        value = getattr(obj, build_localized_fieldname(field, language), None)
        if value:
            return str(value), (None if language == active else language)
    return "", None


@register.filter
def translated(obj: object, field: str) -> SafeString:
    """The text of ``obj.<field>``, escaped; a fallback is wrapped in ``<span lang>`` and
    followed by a note, e.g. "(en inglés)"."""
    text, language = text_and_language(obj, field)
    if language is None:
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span> <span class="muted small '
                       'untranslated">{}</span>', language, text, _note(language))


def plain(obj: object, field: str) -> str:
    """The text of ``obj.<field>`` for plain text (a chart's labels, a select's options, a
    workbook): a fallback is followed by its note, e.g. "Hispanic (en inglés)"."""
    text, language = text_and_language(obj, field)
    return f"{text} {_note(language)}" if language is not None and text else text
