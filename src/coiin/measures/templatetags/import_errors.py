"""An import's problems as a page shows them: the file's column names are names, not words of
the page's language, so they are shown as code (WCAG 3.1.2; a Spanish reader reads
"no es una columna; use <code>jurisdiction, network, …</code>"), and a problem with the whole
file says so in the reader's language.

    {% load import_errors %}<td>{{ e.field|where_in_file:document }}</td>
    <td>{{ e.message|columns_as_code }}</td>
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from coiin.measures.io_read import COLUMNS, OPTIONAL_COLUMNS
from coiin.measures.services.events import EVENT_COLUMNS

register = template.Library()

_NAMES = "|".join(sorted({*COLUMNS, *OPTIONAL_COLUMNS, *EVENT_COLUMNS}, key=len, reverse=True))
# A list of two or more column names ("jurisdiction, network, measure"): the columns a
# message names.
_LIST = re.compile(rf"\b(?:{_NAMES})\b(?:, (?:{_NAMES})\b)+")


@register.filter
def where_in_file(field: str, document: object = None) -> SafeString | str:
    """The whole file, a column's name (as code) or, in a document, where in it."""
    if field == "file":
        return gettext("the whole file")
    if document:
        return field
    return format_html("<code>{}</code>", field)


@register.filter
def columns_as_code(message: str) -> SafeString:
    """The message, with each list of column names in it as code."""
    # The message is escaped first; only the <code> around column names is added.
    return mark_safe(_LIST.sub(lambda m: f"<code>{m.group(0)}</code>",  # noqa: S308
                               escape(str(message))))
