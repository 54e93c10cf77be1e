"""Errors raised by the SPC engine."""

from __future__ import annotations


class SPCInputError(ValueError):
    """Invalid input to an SPC chart; the message says what is wrong and where."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        point: int | None = None,
        field: str | None = None,
    ) -> None:
        # Keep the location machine-readable too, so callers (CLI, web forms) can point at it.
        self.row = row
        self.point = point
        self.field = field
        super().__init__(message)
