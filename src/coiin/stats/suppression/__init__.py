"""Small-number disclosure control: primary and complementary cell suppression.

A *linear table* is a set of cells holding non-negative integer counts and a list of additive
constraints ``total = sum(parts)``, where totals are cells too (so a small total is suppressed
like any other cell). Two-way tables with margins, one-way tables (strata and their total),
n-way tables and several tables or periods that share cells are all linear tables. A table
may also state inequalities ``lesser <= greater`` that an intruder knows to hold, such as a
rate's numerator never exceeding its denominator; they narrow what can be inferred, so the
search and the audit both use them.

Some cells can be *latent*: part of the system (an intruder knows they exist and add up) but
never published, such as the jurisdiction counts behind published network sums. A latent
cell is always hidden; it needs protection only if its own count is small. A *confidential*
cell is a latent cell protected whatever its count (a sum that must not be worked out). A
*published* cell is public already, through another release: it is never hidden.

Rules (the public-output policy of the network):

* **Primary**: a count from 1 to ``threshold - 1`` (default 1 to 9) is suppressed. Zero is
  published by default: a zero reveals nobody, and hiding every zero in sparse monthly tables
  would blank most of them (``suppress_zero=True`` hides zeros too).
* **Complementary**: more cells are hidden until no suppressed cell can be narrowed down from
  what is published. For every suppressed cell, the smallest and largest value it can take in
  any table of non-negative counts consistent with the published cells and all constraints
  (both found by linear programming) must lie at least ``threshold`` apart. Complementary
  cells are protected too: they are suppressed cells like the others.
* As few extra cells as possible, then the smallest total count hidden. Small tables are
  searched exhaustively (``method="exact"``, or automatically in ``"auto"``); larger ones use
  a greedy LP heuristic followed by a pruning pass. Either way the pattern is audited at the
  end and the exact intervals are returned as the proof.

The result is deterministic: the same table always gives the same pattern.

``suppress`` is the one way to suppress a table, for every release (the public figures and
the storyboards alike); the search behind it (``_search``, ``_lp``) is internal.
"""

from typing import TYPE_CHECKING

from coiin.lazy import lazy_names

if TYPE_CHECKING:
    from .control import suppress
    from .result import Interval, SuppressionResult, audit
    from .rules import (
        DEFAULT_THRESHOLD,
        UNRELIABLE_BELOW,
        AuditError,
        Key,
        Method,
        Reason,
        SuppressionError,
        flag_unreliable,
        primary_mask,
    )
    from .tables import LinearTable, array_table, one_way_table, two_way_table

# Each name is imported from its module on first use (PEP 562): a page that only builds a
# table (``LinearTable``, scipy's sparse matrices) does not load, at start-up, the search
# and the audit behind ``suppress`` (scipy's optimiser, linear algebra and graph modules,
# about half a second of imports in every process that loads the URLs).
_HOME = {
    "suppress": "control",
    "Interval": "result", "SuppressionResult": "result", "audit": "result",
    "DEFAULT_THRESHOLD": "rules", "UNRELIABLE_BELOW": "rules", "AuditError": "rules",
    "Key": "rules", "Method": "rules", "Reason": "rules", "SuppressionError": "rules",
    "flag_unreliable": "rules", "primary_mask": "rules",
    "LinearTable": "tables", "array_table": "tables", "one_way_table": "tables",
    "two_way_table": "tables",
}

__getattr__ = lazy_names(__name__, _HOME)

__all__ = [
    "DEFAULT_THRESHOLD",
    "UNRELIABLE_BELOW",
    "AuditError",
    "Interval",
    "Key",
    "LinearTable",
    "Method",
    "Reason",
    "SuppressionError",
    "SuppressionResult",
    "array_table",
    "audit",
    "flag_unreliable",
    "one_way_table",
    "primary_mask",
    "suppress",
    "two_way_table",
]
