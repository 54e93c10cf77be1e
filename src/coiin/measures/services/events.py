"""The only ways a team's event log changes (``RareEvent``, for a measure that records
events): one event from the team's page, one removed, or a CSV of events imported all or
nothing. Each change tells ``changes.values_changed``, so the charts follow."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from coiin.network.models import Team, User
from coiin.network.services import BulkLoadError, RowError

from ..changes import values_changed
from ..models import Measure
from ..rare_events import RareEvent

EVENT_COLUMNS = ("date", "births_since_previous", "note")
NOTE_CHARS = 300


def _check_measure(measure: Measure) -> None:
    if not measure.records_events:
        raise ValidationError({"measure": _("%(measure)s is not logged event by event.")
                                          % {"measure": measure.code}})


def _check(on: dt.date, births: int | None, note: str, today: dt.date) -> dict[str, str]:
    """What is wrong with one event, by field."""
    errors = {}
    if on > today:
        errors["date"] = f"{on} is in the future"
    if births is not None and births < 0:
        errors["births_since_previous"] = "cannot be negative"
    if len(note) > NOTE_CHARS:
        errors["note"] = f"is longer than {NOTE_CHARS} characters"
    return errors


@transaction.atomic
def record_event(*, team: Team, measure: Measure, on: dt.date, user: User | None,
                 births_since_previous: int | None = None, note: str = "",
                 today: dt.date | None = None) -> RareEvent:
    """Log one event; refused (ValidationError by field) for a date in the future, a
    negative count or too long a note."""
    _check_measure(measure)
    errors = _check(on, births_since_previous, note.strip(), today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    event = RareEvent.objects.create(team=team, measure=measure, on=on,
                                     births_since_previous=births_since_previous,
                                     note=note.strip(), created_by=user)
    values_changed([(team.pk, measure.pk)])
    return event


@transaction.atomic
def remove_event(*, event: RareEvent, user: User | None, reason: str = "") -> None:
    event._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    event._change_reason = reason or "event removed"  # type: ignore[attr-defined]
    event.delete()
    values_changed([(event.team_id, event.measure_id)])


def parse_events(text: str, today: dt.date) -> list[tuple[dt.date, int | None, str]]:
    """The events of a CSV (columns date, births_since_previous, note; the last two may
    be empty), or ``BulkLoadError`` listing every bad row with its field."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise BulkLoadError([RowError(1, "file", gettext("is empty"))])
    errors = [RowError(1, c, gettext("column is missing from the header"))
              for c in EVENT_COLUMNS[:1] if c not in header]
    errors += [RowError(1, h or gettext("(blank)"), gettext(
        "is not a column; use %(columns)s") % {"columns": ", ".join(EVENT_COLUMNS)})
               for h in header if h not in EVENT_COLUMNS]
    if errors:
        raise BulkLoadError(errors)
    out = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        row_errors: dict[str, str] = {}
        on = None
        try:
            on = dt.date.fromisoformat(row.get("date", ""))
        except ValueError:
            row_errors["date"] = f"{row.get('date', '')!r} is not a date (YYYY-MM-DD)"
        births = None
        text_births = row.get("births_since_previous", "")
        if text_births:
            if text_births.isdigit():
                births = int(text_births)
            else:
                row_errors["births_since_previous"] = (
                    f"{text_births!r} is not a whole number of births (0 or more)")
        note = row.get("note", "")
        if on is not None:
            row_errors.update(_check(on, births, note, today))
        errors += [RowError(number, f, m) for f, m in row_errors.items()]
        if on is not None and not row_errors:
            out.append((on, births, note))
    if errors:
        raise BulkLoadError(errors)
    if not out:
        raise BulkLoadError([RowError(2, "file", gettext("has no events"))])
    return out


@transaction.atomic
def import_events(*, team: Team, measure: Measure, text: str, user: User | None,
                  today: dt.date | None = None) -> list[RareEvent]:
    """Log every event of a CSV, or none: ``BulkLoadError`` lists every bad row."""
    _check_measure(measure)
    parsed = parse_events(text, today or timezone.localdate())
    events = [RareEvent.objects.create(team=team, measure=measure, on=on,
                                       births_since_previous=births, note=note,
                                       created_by=user)
              for on, births, note in parsed]
    values_changed([(team.pk, measure.pk)])
    return events


@transaction.atomic
def add_generated_events(*, team: Team, measure: Measure,
                         events: list[tuple[dt.date, int | None, str]],
                         reason: str) -> int:
    """Log many generated events at once (the demo's), with their history records under
    ``reason``; returns how many."""
    from simple_history.utils import bulk_create_with_history

    _check_measure(measure)
    rows = [RareEvent(team=team, measure=measure, on=on, births_since_previous=births,
                      note=note) for on, births, note in events]
    bulk_create_with_history(rows, RareEvent, default_change_reason=reason)
    values_changed([(team.pk, measure.pk)])
    return len(rows)
