"""The three interchange formats, registered with the measures app's import and export
(``coiin.measures.io_formats``): detected from a document's content, read into records
and stored by ``services.import_document``, written by ``exporting``."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from coiin.measures import io_formats
from coiin.measures.models import Measure

from . import dhis2, exporting, fhir, mapping, services
from .records import Document, Problem, sampled_refusal

ADX_MARK = dhis2.ADX_NS.encode()


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
    return _head(data).startswith(b"<") and ADX_MARK in data[:4096]


def _refuse_unreadable(kind: str) -> services.InterchangeRefused:
    return services.InterchangeRefused([Problem("file", "", f"is not {kind}")])


def read_document(name: str, data: bytes) -> Document:
    """``name`` is fhir, dhis2-json or adx."""
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
        kw.setdefault("reason", f"imported from {filename}")
        return services.import_document(read_document(name, data), **kw)

    return read


def register_all() -> None:
    io_formats.register(io_formats.Format(
        "fhir", "json", "FHIR R4 Bundle of MeasureReports", is_fhir, _reader("fhir"),
        exporting.write_fhir))
    io_formats.register(io_formats.Format(
        "dhis2-json", "json", "DHIS2 dataValueSets JSON", is_dhis2_json,
        _reader("dhis2-json"), exporting.write_dhis2_json))
    io_formats.register(io_formats.Format(
        "adx", "xml", "ADX XML (DHIS2)", is_adx, _reader("adx"), exporting.write_adx))
