"""Sections that apps above reports add to the public site's index page.

Reports never imports the apps above it: each of them registers its section here in its
``AppConfig.ready()``. The index includes each section's template with ``section`` in its
context: the section's own data, and ``template``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IndexSection:
    template: str
    data: Callable[[], dict[str, Any]]  # called on each view of the index


INDEX_SECTIONS: list[IndexSection] = []


def add_index_section(section: IndexSection) -> None:
    if section not in INDEX_SECTIONS:
        INDEX_SECTIONS.append(section)


def index_sections() -> list[dict[str, Any]]:
    """Each registered section's data, with its template, in the order registered."""
    return [{"template": s.template, **s.data()} for s in INDEX_SECTIONS]
