"""Formats of values beyond the import's own columns (FHIR MeasureReport, DHIS2), which an
app above this one registers when Django starts. The import page and the ``import-data`` /
``export-data`` commands read and write them through here, so the measures app need not
import the app that knows them; every format still stores values through
``services.import_stream``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Submission
from .services import ImportResult


@dataclass(frozen=True)
class Format:
    name: str  # as ``--format`` names it: fhir, dhis2-json, adx
    suffix: str  # the file's extension when written
    label: str  # for people: "FHIR R4 Bundle of MeasureReports"
    # Whether these bytes are a document of this format (read from its content).
    detect: Callable[[bytes], bool]
    # read(data, name, user=, check_access=, only_team=, dry_run=, reason=) -> ImportResult;
    # raises ImportRefused listing every problem, nothing stored.
    read: Callable[..., ImportResult]
    # write(submissions) -> the document's bytes: the values of these team-periods.
    write: Callable[[QuerySet[Submission]], bytes]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


def detect(data: bytes) -> Format | None:
    """The registered format this document is in, or None (CSV, XLSX or unknown)."""
    for fmt in FORMATS.values():
        if fmt.detect(data):
            return fmt
    return None


def names() -> list[str]:
    return list(FORMATS)


def read(fmt: Format, data: bytes, name: str, **kw: Any) -> ImportResult:
    return fmt.read(data, name, **kw)
