"""The only ways chart settings change; each keeps who and why (simple-history)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from coiin.measures import changes
from coiin.measures.models import Measure
from coiin.network.models import Team, User

from .models import Annotation, ChartExclusion, ChartPhase, ChartSettings


def _changed(team_id: int, measure_id: int) -> None:
    """The series is charted differently now: its stored summary follows (after commit)."""
    changes.values_changed([(team_id, measure_id)])


def _settings(team: Team, measure: Measure) -> ChartSettings:
    return ChartSettings.objects.get_or_create(team=team, measure=measure)[0]


@transaction.atomic
def set_rules(*, team: Team, measure: Measure, rules: str, user: User, reason: str = "") -> None:
    s = _settings(team, measure)
    s.rules, s.updated_by, s.reason = rules, user, reason
    # simple_history reads these off the instance; they are not fields, so mypy cannot see them
    s._change_reason = reason or f"rule set: {rules}"  # type: ignore[attr-defined]
    s._history_user = user  # type: ignore[attr-defined]
    s.save()
    _changed(team.pk, measure.pk)


@transaction.atomic
def set_chart_type(*, team: Team, measure: Measure, chart_type: str, user: User,
                   reason: str) -> None:
    """The team's choice of chart for the measure ("" : chosen from the data again)."""
    from .building import chart_types_for

    if chart_type and chart_type not in chart_types_for(measure):
        raise ValueError(f"A {chart_type} chart does not suit {measure.code}.")
    s = _settings(team, measure)
    s.chart_type, s.updated_by, s.reason = chart_type, user, reason
    s._change_reason = history_reason(reason) or f"chart type: {chart_type or 'automatic'}"  # type: ignore[attr-defined]
    s._history_user = user  # type: ignore[attr-defined]
    s.save()
    _changed(team.pk, measure.pk)


def history_reason(reason: str) -> str:
    """A setting's reason as its history row keeps it: the history's column holds 100
    characters (the setting itself keeps the whole reason)."""
    return reason if len(reason) <= 100 else reason[:99] + "…"


@transaction.atomic
def set_baseline(*, team: Team, measure: Measure, baseline_end: dt.date | None, user: User,
                 reason: str) -> None:
    s = _settings(team, measure)
    s.baseline_end, s.updated_by, s.reason = baseline_end, user, reason
    s._change_reason = history_reason(reason)  # type: ignore[attr-defined]  # read by simple_history
    s._history_user = user  # type: ignore[attr-defined]
    s.save()
    _changed(team.pk, measure.pk)


def add_phase(*, team: Team, measure: Measure, starts: dt.date, user: User,
              reason: str) -> ChartPhase:
    phase, _ = ChartPhase.objects.update_or_create(
        team=team, measure=measure, starts=starts,
        defaults={"reason": reason, "created_by": user})
    _changed(team.pk, measure.pk)
    return phase


def remove_phase(*, phase: ChartPhase, user: User, reason: str = "") -> None:
    phase._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    phase._change_reason = reason or "phase removed"  # type: ignore[attr-defined]
    phase.delete()
    _changed(phase.team_id, phase.measure_id)


def add_exclusion(*, team: Team, measure: Measure, period_start: dt.date, user: User,
                  reason: str) -> ChartExclusion:
    exclusion, _ = ChartExclusion.objects.update_or_create(
        team=team, measure=measure, period_start=period_start,
        defaults={"reason": reason, "created_by": user})
    _changed(team.pk, measure.pk)
    return exclusion


def remove_exclusion(*, exclusion: ChartExclusion, user: User, reason: str = "") -> None:
    exclusion._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    exclusion._change_reason = reason or "exclusion removed"  # type: ignore[attr-defined]
    exclusion.delete()
    _changed(exclusion.team_id, exclusion.measure_id)


def add_annotation(*, team: Team, measure: Measure | None, on: dt.date, text: str,
                   user: User, link: str = "") -> Annotation:
    """A note on a team's chart; too long a text or a bad link is refused (ValidationError
    naming the field) on every database, not cut or refused by one of them only."""
    note = Annotation(team=team, measure=measure, on=on, text=text.strip(), link=link,
                      created_by=user)
    note.full_clean(exclude=["created_by"])  # a note may come from no one (an import)
    note.save()
    return note


@transaction.atomic
def change_settings(*, team: Team, measure: Measure, user: User, reason: str,
                    rules: str | None = None, baseline_end: dt.date | None | bool = False,
                    new_phase: dt.date | None = None, exclude: dt.date | None = None,
                    chart_type: str | None = None) -> list[str]:
    """Several chart settings at once, with one reason, all or none; returns what changed.
    ``baseline_end=False`` leaves the baseline as it is (``None`` removes it)."""
    done = []
    if chart_type is not None:
        set_chart_type(team=team, measure=measure, chart_type=chart_type, user=user,
                       reason=reason)
        done.append("chart type")
    if rules is not None:
        set_rules(team=team, measure=measure, rules=rules, user=user, reason=reason)
        done.append("rule set")
    if baseline_end is not False:
        set_baseline(team=team, measure=measure,
                     baseline_end=baseline_end if isinstance(baseline_end, dt.date) else None,
                     user=user, reason=reason)
        done.append("baseline")
    if new_phase is not None:
        add_phase(team=team, measure=measure, starts=new_phase, user=user, reason=reason)
        done.append("new phase")
    if exclude is not None:
        add_exclusion(team=team, measure=measure, period_start=exclude, user=user,
                      reason=reason)
        done.append("point left out")
    return done
