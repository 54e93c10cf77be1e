"""The only ways reported data change: saving values (one team-period from its page, or
many rows at once for the import, the API and the demo), saving sites' values and rolling
the team's figure up from them, and moving a team-period through
draft → submitted → reviewed → locked (and back, recorded).

No other module writes DataValue or SiteValue rows or their audit history.
"""

from .bulk import ImportRefused, ImportResult, ValueRow, add_values
from .official import official_cells, sync
from .reporting import (
    ANNOUNCED,
    Change,
    DataErrors,
    EditConflict,
    ReportingError,
    Status,
    bring_forward,
    changes_since,
    check,
    choose_measures,
    closes_on,
    due_date,
    grant_exception,
    is_closed,
    lock,
    lock_many,
    reopen,
    results_before,
    review,
    review_many,
    save_values,
    staff_unit_id,
    submission_for,
    submit,
    submit_many,
    team_measures,
    unconfirmed,
    unlock,
    unreview,
    write_values,
)
from .rollup import ROLL_UP_REASON, by_site_pairs, roll_up
from .site_entry import (
    SiteEntry,
    add_site_values,
    check_sites,
    may_report_by_site,
    save_site_values,
    set_by_site,
    site_measures,
    write_site_values,
)
from .stream import ValueIn, import_stream, import_values

__all__ = [
    "ImportRefused", "ImportResult", "ValueIn", "ValueRow", "add_values", "import_stream",
    "import_values",
    "ANNOUNCED", "bring_forward", "Change", "DataErrors", "EditConflict", "ReportingError",
    "Status",
    "changes_since", "check", "choose_measures", "closes_on", "due_date", "grant_exception",
    "is_closed", "lock", "lock_many", "unlock", "reopen", "results_before", "review", "review_many",
    "save_values", "unreview",
    "submission_for", "submit", "submit_many", "team_measures", "unconfirmed", "write_values",
    "official_cells", "sync",
    "ROLL_UP_REASON", "by_site_pairs", "roll_up",
    "SiteEntry", "add_site_values", "check_sites", "may_report_by_site", "save_site_values",
    "set_by_site", "site_measures", "staff_unit_id", "write_site_values",
]
