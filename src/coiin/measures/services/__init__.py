"""The only ways reported data change: saving values (one team-period from its page, or
many rows at once for the import, the API and the demo), and moving a team-period through
draft → submitted → reviewed → locked (and back, recorded).

No other module writes DataValue rows or their audit history.
"""

from .bulk import ImportRefused, ImportResult, ValueRow, add_values
from .reporting import (
    ANNOUNCED,
    Change,
    DataErrors,
    EditConflict,
    ReportingError,
    Status,
    changes_since,
    check,
    choose_measures,
    closes_on,
    due_date,
    grant_exception,
    is_closed,
    lock,
    reopen,
    results_before,
    review,
    save_values,
    submission_for,
    submit,
    team_measures,
    unconfirmed,
    write_values,
)
from .stream import ValueIn, import_stream, import_values

__all__ = [
    "ImportRefused", "ImportResult", "ValueIn", "ValueRow", "add_values", "import_stream",
    "import_values",
    "ANNOUNCED", "Change", "DataErrors", "EditConflict", "ReportingError", "Status",
    "changes_since", "check", "choose_measures", "closes_on", "due_date", "grant_exception",
    "is_closed", "lock", "reopen", "results_before", "review", "save_values",
    "submission_for", "submit", "team_measures", "unconfirmed", "write_values",
]
