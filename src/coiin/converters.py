"""URL converters, and the one rule for what a jurisdiction code may look like.

A jurisdiction's code (``Jurisdiction.postal_code``) is 2 to 8 letters and digits starting
with a letter: the 59 states, DC, territories and freely associated states keep their USPS
codes (``GA``); a tribal nation, a city health department or a new grouping gets a longer
or numbered one (``NAV``, ``C01``). Codes are stored in capitals and written in URLs in
lower case; URLs accept either.

A code shares its place in a URL with literal words (``/networks/<slug>/reports/`` beside
``/networks/<slug>/<code>/``), so those words are reserved: no code may spell one, and the
converter does not match them (``tests/network/test_any_jurisdiction.py`` checks the list against
every route).
"""

from __future__ import annotations

import re

from django.urls import register_converter

# Literal path segments that sit where a code can sit; a code may not spell one of them.
RESERVED_CODES = frozenset({"CHARTS", "REPORTS", "MEASURES"})

CODE_MAX_LENGTH = 8
_CODE = f"[A-Za-z][A-Za-z0-9]{{1,{CODE_MAX_LENGTH - 1}}}"
_RESERVED = "|".join(sorted(w.lower() for w in RESERVED_CODES))
# Not a reserved word followed by the end of the segment, then the code itself.
CODE_REGEX = f"(?!(?i:{_RESERVED})(?![A-Za-z0-9])){_CODE}"
_FULL = re.compile(CODE_REGEX)


def is_jurisdiction_code(value: str) -> bool:
    """Whether ``value`` is a well-formed code (either case), reserved words excluded."""
    return _FULL.fullmatch(value) is not None


class PostalCode:
    """A jurisdiction code in a URL (ga, GA, nav, c01)."""

    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostalCode, "postal")
