"""The three interchange formats, registered with the measures app's import and export
(``coiin.measures.io_formats``): detected from a document's content, read into records
and stored by ``services.import_document``, written by ``exporting``.

Registering them (when Django starts) imports none of those: the readers, the writers and
the FHIR models' library (pydantic) are imported when a document is read or written, so a
process that moves no document (a report, most commands) does not load them."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coiin.measures import io_formats
from coiin.measures.models import Measure

from .records import Document, Problem, sampled_refusal

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from coiin.measures.models import Submission

    from . import services


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        return None


def _head(data: bytes) -> bytes:
    return data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")


def is_fhir(data: bytes) -> bool:
    head = _head(data)
    return head.startswith(b"{") and b'"Bundle"' in data[:20000] and \
        isinstance(doc := parse_json(data), dict) and doc.get("resourceType") == "Bundle"


def is_dhis2_json(data: bytes) -> bool:
    head = _head(data)
    return head.startswith(b"{") and b'"dataValues"' in data and \
        isinstance(doc := parse_json(data), dict) and "dataValues" in doc \
        and "resourceType" not in doc


def is_adx(data: bytes) -> bool:
    from .dhis2 import ADX_NS

    return _head(data).startswith(b"<") and ADX_NS.encode() in data[:4096]


def _refuse_unreadable(kind: str) -> services.InterchangeRefused:
    from . import services

    return services.InterchangeRefused([Problem("file", "", f"is not {kind}")])


def read_document(name: str, data: bytes) -> Document:
    """``name`` is fhir, dhis2-json or adx."""
    from . import dhis2, fhir, mapping

    if name == "adx":
        return _refuse_sampled(dhis2.read_adx(data, mapping.current()), "ADX")
    doc = parse_json(data)
    if doc is None:
        raise _refuse_unreadable("JSON (UTF-8)")
    if name == "fhir":
        return fhir.read_bundle(doc)
    return _refuse_sampled(dhis2.read_json(doc, mapping.current()), "DHIS2")


def _refuse_sampled(doc: Document, fmt: str) -> Document:
    """A DHIS2 data value of a sampled measure is one number, where the measure takes its
    individual measurements: each is a problem naming the measure (nothing is stored)."""
    sampled = set(Measure.objects.filter(type=Measure.Type.SAMPLED, code__in={
        r.measure for r in doc.records}).values_list("code", flat=True))
    for r in doc.records:
        if r.measure in sampled:
            doc.problems.append(Problem(r.path("value"), r.value,
                                        sampled_refusal([r.measure], fmt)))
    return doc


def _reader(name: str) -> Any:
    def read(data: bytes, filename: str, **kw: Any) -> services.InterchangeResult:
        from . import services

        kw.setdefault("reason", f"imported from {filename}")
        return services.import_document(read_document(name, data), **kw)

    return read


def _writer(name: str) -> Callable[[QuerySet[Submission]], bytes]:
    """``exporting``'s writer of that name, imported when it first writes."""
    def write(submissions: QuerySet[Submission]) -> bytes:
        from . import exporting

        result: bytes = getattr(exporting, name)(submissions)
        return result

    return write


def register_all() -> None:
    io_formats.register(io_formats.Format(
        "fhir", "json", "FHIR R4 Bundle of MeasureReports", is_fhir, _reader("fhir"),
        _writer("write_fhir")))
    io_formats.register(io_formats.Format(
        "dhis2-json", "json", "DHIS2 dataValueSets JSON", is_dhis2_json,
        _reader("dhis2-json"), _writer("write_dhis2_json")))
    io_formats.register(io_formats.Format(
        "adx", "xml", "ADX XML (DHIS2)", is_adx, _reader("adx"), _writer("write_adx")))
