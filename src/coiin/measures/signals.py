"""What the reporting workflow tells other apps (the community inbox listens).

Both are sent after the transaction that caused them commits, with ``send_robust``: a
failing listener is logged and never undoes or breaks the reporting step.

* ``submission_moved``: a team-period was submitted, reviewed or reopened (returned).
  Arguments: ``submission``, ``action`` ("submitted", "reviewed", "reopened"), ``by``
  (the user), ``event`` (the ``SubmissionEvent`` recorded, unique per step).
* ``period_due``: the reminders job found a period coming due (or overdue) for a team.
  Arguments: ``submission`` (the team-period), ``kind`` (``Reminder.Kind``), ``due`` (date).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

submission_moved = Signal()
period_due = Signal()


def send_after_commit(signal: Signal, **kwargs: object) -> None:
    """Send the signal once the current transaction commits (at once outside one)."""
    from .models import Submission

    def send() -> None:
        for receiver, result in signal.send_robust(sender=Submission, **kwargs):
            if isinstance(result, Exception):
                log.error("%s failed for %s: %s", receiver, kwargs.get("submission"), result,
                          exc_info=result)

    transaction.on_commit(send)
