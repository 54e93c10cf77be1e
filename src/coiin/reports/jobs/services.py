"""Reports made in the background, with their progress, and reports made on a schedule.

``request_report`` records a job and queues a django-tasks task once the transaction
commits; the task makes the report through ``snapshots.make_report`` and records each step
on the job so a page can show how far it has got. With the immediate backend (the embedded
default) the task runs inline right after the commit; with the database backend a
``coiin db_worker`` runs it.

A task run twice for the same job makes one snapshot: a run first claims the job with a
conditional update, and only a queued job can be claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin.jobs import enqueue_on_commit
from coiin.measures.periods import Frequency, Period
from coiin.network.models import LearningNetwork, Team, User

from ..documents import snapshots
from ..documents.models import ReportSnapshot
from . import make_report_task
from .models import (
    FAILED_PREFIX,
    STEP_DONE,
    STEP_QUEUED,
    STEP_READING,
    STEP_STOPPED,
    STEP_STORING,
    ReportJob,
    ReportSchedule,
)

log = logging.getLogger(__name__)
Status = ReportJob.Status
Kind = ReportSnapshot.Kind



class ReportRequestError(ValueError):
    """A report that cannot be requested; ``field`` names the input that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_request(*, kind: str, period: Period, fmt: str, team: Team | None,
                  network: LearningNetwork | None) -> None:
    """Raise ReportRequestError unless this is a report that can be made."""
    if kind not in Kind.values:
        raise ReportRequestError("kind", _("Choose a team, learning-network or national report."))
    if fmt not in ReportSnapshot.Format.values:
        raise ReportRequestError("format", _("Choose PDF, Excel or HTML."))
    if kind == Kind.TEAM and team is None:
        raise ReportRequestError("team", _("A team report needs a team."))
    if kind == Kind.NETWORK and network is None:
        raise ReportRequestError("network", _("A learning-network report needs a network."))
    if period.start > timezone.localdate():
        raise ReportRequestError("period", _("%(period)s has not started yet.")
                                           % {"period": period.label})


def request_report(*, kind: str, period: Period, fmt: str, team: Team | None = None,
                   network: LearningNetwork | None = None, user: User | None = None,
                   schedule: ReportSchedule | None = None, language: str = "") -> ReportJob:
    """Record a report job and queue it to run once the current transaction commits.

    The caller has checked that ``user`` may see the report's object. ``language``: the
    report's (a request's active language); "" for the person's own, else the default.
    """
    check_request(kind=kind, period=period, fmt=fmt, team=team, network=network)
    job = ReportJob.objects.create(
        kind=kind, period=period.label, format=fmt, requested_by=user, schedule=schedule,
        team=team if kind == Kind.TEAM else None,
        network=(network or (team.learning_network if team else None))
        if kind != Kind.NATIONAL else None,
        progress=STEP_QUEUED[0], step=STEP_QUEUED[1])
    enqueue_on_commit(make_report_task, str(job.pk), language)
    return job


def _set(job_id: uuid.UUID, step: tuple[int, str], **fields: object) -> None:
    ReportJob.mark(job_id, progress=step[0], step=step[1], **fields)


def _claim(job_id: uuid.UUID) -> bool:
    """Mark a queued job running; False when another run has it (or had it) already."""
    return ReportJob.mark_running(job_id, progress=STEP_READING[0], step=STEP_READING[1])


def run_job(job_id: uuid.UUID, language: str = "") -> ReportJob:
    """Make a job's report, recording each step; a failure is recorded, never raised."""
    if not _claim(job_id):
        return ReportJob.objects.get(pk=job_id)
    job = ReportJob.objects.select_related(
        "team__jurisdiction", "team__learning_network", "network", "requested_by").get(pk=job_id)
    snapshot: ReportSnapshot | None = None
    try:
        period = Period.parse(job.period)
        snapshot, _data = snapshots.make_report(
            job.kind, period=period, fmt=job.format, team=job.team, network=job.network,
            user=job.requested_by, language=language)
        _set(job.pk, STEP_STORING)
        # One statement links the snapshot and finishes the job, so a job is never "done"
        # without its report, nor linked to a report while still running.
        ReportJob.mark_done(job.pk, step=STEP_DONE[1], snapshot=snapshot)
    except Exception as exc:  # noqa: BLE001 - recorded for the person, logged for us
        log.exception("report job %s failed", job.pk)
        if snapshot is not None:
            _discard(snapshot)
        ReportJob.mark_failed(job.pk, error=f"{FAILED_PREFIX}{exc}", progress=0,
                              step=STEP_STOPPED)
    job.refresh_from_db()
    return job


def _discard(snapshot: ReportSnapshot) -> None:
    """Remove a snapshot whose job could not be finished, file and all."""
    try:
        default_storage.delete(snapshot.file)
        snapshot.delete()
    except Exception:  # noqa: BLE001 - the job's failure is what the person needs to see
        log.exception("could not remove snapshot %s of a failed report job", snapshot.pk)


# Schedules


def due_period(frequency: str, today: dt.date) -> Period:
    """The latest period of this frequency that has closed by ``today``."""
    return Period.containing(today, Frequency(frequency)).previous()


def run_schedules(*, today: dt.date | None = None,
                  log_line: Callable[[str], object] = lambda _line: None) -> list[ReportJob]:
    """Request the reports of every active schedule whose latest closed period has not run.

    Idempotent: a schedule records the period it ran for, under a row lock, in the same
    transaction as its jobs, so running this twice requests each report once. A schedule
    that missed periods (paused, or the runner was down) catches up with the latest
    closed period only.
    """
    today = today or timezone.localdate()
    requested: list[ReportJob] = []
    for schedule_id in ReportSchedule.objects.filter(active=True).values_list("pk", flat=True):
        with transaction.atomic():
            schedule = (ReportSchedule.objects.select_for_update(of=("self",))
                        .select_related("network", "created_by").filter(pk=schedule_id,
                                                                          active=True).first())
            if schedule is None:
                continue
            period = due_period(schedule.frequency, today)
            if schedule.last_run_period == period.label:
                continue
            jobs = _request_for_schedule(schedule, period)
            schedule.last_run_period = period.label
            schedule.last_run_at = timezone.now()
            schedule.save(update_fields=["last_run_period", "last_run_at"])
        log_line(f"{schedule}: {len(jobs)} report{'s' if len(jobs) != 1 else ''} "
                 f"requested for {period.label}")
        requested.extend(jobs)
    return requested


def _request_for_schedule(schedule: ReportSchedule, period: Period) -> list[ReportJob]:
    common = partial(request_report, period=period, fmt=schedule.format,
                     user=schedule.created_by, schedule=schedule)
    if schedule.kind == ReportSchedule.Kind.NETWORK:
        return [common(kind=Kind.NETWORK, network=schedule.network)]
    teams = (Team.objects.filter(learning_network=schedule.network, joined_on__lte=period.end)
             .select_related("jurisdiction", "learning_network")
             .order_by("jurisdiction__postal_code"))
    return [common(kind=Kind.TEAM, team=team) for team in teams]
