"""Charts' fixed words in the reader's language, for the page:

    {% load chart_language %}{{ spec|in_language|json_script:sid }} · {{ tc.name|chart_kind }}
    {{ row.where|chart_word }}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from coiin.charts import spec_language

register = template.Library()


@register.filter
def in_language(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    return spec_language.in_language(spec)


@register.filter
def chart_kind(name: str) -> str:
    return spec_language.kind_name(name) if isinstance(name, str) else name


@register.filter
def chart_word(text: str) -> str:
    return spec_language.word(text) if isinstance(text, str) else text


@register.filter
def chart_marker(marker: Any) -> SafeString:
    """A marker's text in the active language (a phase's words; the rest as written), the
    words a person wrote in it (a note, a phase's reason) marked with their language."""
    text = getattr(marker, "text", "")
    language = getattr(marker, "language", "")
    if getattr(marker, "kind", "") == "phase":
        return spec_language.marker_html(text, language)
    if language:
        return format_html('<span lang="{}">{}</span>', language, text)
    return conditional_escape(text)
