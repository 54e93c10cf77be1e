"""The one shape of every error the API answers, and the statuses each operation declares.

Whatever refuses a request (authentication 401, the access policy 403, a missing object 404,
a body that is not JSON 400, a request that does not match the schema or a row that does
not pass the checks 422) answers
``{"detail": ..., "errors": [...], "warnings": [...]}``; ``errors`` names each problem by
``row`` (the position in ``rows``, from 1; 0 for the request itself) and ``column`` (the
field, or the query parameter). The OpenAPI schema declares these for every operation, so a
client can rely on it (tests/api/test_schema_fuzz.py checks every answer against it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Schema
from ninja.parser import Parser


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[RowErrorOut] = []
    warnings: list[RowErrorOut] = []


def responses(ok: Any, *, code: int = 200, auth: bool = True, **more: Any) -> dict[int, Any]:
    """The response map of an operation: its success, and the errors it may answer."""
    out: dict[int, Any] = {code: ok, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                           422: ErrorOut}
    if auth:
        out[401] = ErrorOut
    out.update({int(k.removeprefix("s")): v for k, v in more.items()})
    return out


def from_validation(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's request validation errors in the API's shape."""
    rows = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc[:1] == ["body"]:
            loc = loc[2:] if len(loc) > 1 else loc[1:]  # drop "body" and the payload's name
        row = 0
        if len(loc) >= 2 and loc[0] == "rows" and loc[1].isdigit():
            row, loc = int(loc[1]) + 1, loc[2:3]  # the field; not the union member tried
        elif loc[:1] in (["query"], ["path"]):
            loc = loc[1:2]
        rows.append({"row": row, "column": ".".join(loc) or "request",
                     "message": str(e.get("msg", "is not valid"))})
    return {"detail": f"The request is not valid: {len(rows)} problems.", "errors": rows,
            "warnings": []}


class SingleValuedParser(Parser):
    """Query strings and forms as ninja reads them, except that a parameter given twice where
    the schema wants one value stays a list, so validation refuses it (422, naming the
    parameter) instead of silently keeping the last."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in data.keys():
            values = data.getlist(key)
            out[key] = values if key in list_fields or len(values) > 1 else values[0]
        return out
