"""Text that a spreadsheet would run as a formula, written as text (CSV injection).

Every CSV the platform writes goes through ``safe_cell`` or ``SafeWriter``: a cell whose text
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number,
gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of
evaluating it (OWASP's advice for CSV injection). The import takes the apostrophe off again
(``unescape_cell``), so a file exported and imported back stores exactly what it held: text
that already starts with apostrophes before a trigger gets one more, and loses one on import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import IO, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False


def _needs_quote(text: str) -> bool:
    bare = text.lstrip("'")
    if not bare.startswith(TRIGGERS):
        return False
    return bare != text or not _is_number(text)


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it verbatim: text that starts like a formula gets a
    leading apostrophe; numbers (including negative ones) and other values pass unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """The text ``safe_cell`` was given: one leading apostrophe before a trigger comes off."""
    if text.startswith("'") and text.lstrip("'").startswith(TRIGGERS):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose every cell passes through ``safe_cell``."""

    def __init__(self, stream: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
