"""The language a written text is in, on the element that holds it:

    {% load written %}<article {{ post|lang }}>{{ post.body_html }}</article>

gives ``lang="en"`` for a post written in English, on a Spanish page as on an English one
(network/written.py records it). A text of an object that is not its only written one says
which: ``{{ person|lang:"title" }}`` reads ``person.title_language``."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def lang(obj: object, text: str = "") -> SafeString:
    """``lang="…"`` for an object with a ``language`` (nothing if it has none), or with the
    ``<text>_language`` of one of its texts."""
    language = getattr(obj, f"{text}_language" if text else "language", "")
    return format_html('lang="{}"', language) if language else mark_safe("")
