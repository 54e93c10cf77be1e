"""Errors raised by the SPC engine."""

from __future__ import annotations


class SPCInputError(ValueError):
    """Invalid input to an SPC chart; the message says what is wrong and where (in English),
    ``code`` and ``params`` the same for a caller to put in other words (or "")."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        point: int | None = None,
        field: str | None = None,
        code: str = "",
        params: dict[str, object] | None = None,
    ) -> None:
        # Keep the location machine-readable too, so callers (CLI, web forms) can point at it.
        self.row = row
        self.point = point
        self.field = field
        # What went wrong as a code with its values (the message is in English): callers
        # that speak other languages word it themselves (``charts.spc_words``).
        self.code = code
        self.params = dict(params or {})
        super().__init__(message)
