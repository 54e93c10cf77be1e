"""Background work: the one shape of a job row, and queueing its task after commit.

A job is a row that a django-tasks task works on while pages poll it: ``queued`` when it
is asked for, ``running`` once a run claims it, then ``done``, ``refused`` (its input was
wrong; nothing was kept) or ``failed`` (an unexpected error; nothing was kept). Each kind
of job (an import, a report) subclasses ``Job`` and may word the statuses its own way.

Which backend runs the tasks is the ``COIIN_TASKS`` setting: ``immediate`` runs each task
inline once the transaction commits, ``database`` queues it for ``coiin db_worker``.
Imports no app.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks.base import Task

STEP_QUEUED = "Waiting for a worker"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused: nothing was kept")
    FAILED = "failed", _("Failed: nothing was kept")


class Job(models.Model):
    """A piece of background work: who can see it is the subclass's business."""

    Status = JobStatus
    FINISHED: ClassVar[tuple[str, ...]] = (JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED)
    # What this kind of job calls a status, where it differs from JobStatus's label.
    STATUS_LABELS: ClassVar[Mapping[str, str]] = {}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=20, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent, 0 to 100."))
    step = models.CharField(max_length=120, default=STEP_QUEUED,
                            help_text=_("What is happening now, for people."))
    error = models.TextField(blank=True, help_text=_("Why the job was refused or failed."))
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100),
                                              name="%(app_label)s_%(class)s_progress_percent")]

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS.get(self.status) or self.get_status_display()  # type: ignore[attr-defined]

    # Each helper is one UPDATE of the row, by primary key: a run never saves a stale copy
    # over what a page or another run wrote.

    @classmethod
    def mark_running(cls, pk: uuid.UUID, **fields: Any) -> bool:
        """Claim a queued job for this run; False when another run has it (or had it)."""
        return bool(cls._default_manager.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), **fields))

    @classmethod
    def mark(cls, pk: uuid.UUID, **fields: Any) -> None:
        """Record progress (``progress``, ``step`` and the subclass's own fields)."""
        cls._default_manager.filter(pk=pk).update(**fields)

    @classmethod
    def mark_done(cls, pk: uuid.UUID, **fields: Any) -> None:
        cls._default_manager.filter(pk=pk).update(
            status=JobStatus.DONE, progress=100, finished_at=timezone.now(), **fields)

    @classmethod
    def mark_failed(cls, pk: uuid.UUID, *, error: str, refused: bool = False,
                    **fields: Any) -> None:
        """Finish the job as failed, or as refused when its input was at fault."""
        cls._default_manager.filter(pk=pk).update(
            status=JobStatus.REFUSED if refused else JobStatus.FAILED,
            finished_at=timezone.now(), error=error, **fields)


def enqueue_on_commit(task: Task[..., Any], *args: Any) -> None:
    """Queue ``task`` once the current transaction commits, so that its run sees the job
    row (and nothing is queued for a job that was rolled back)."""
    transaction.on_commit(lambda: task.enqueue(*args))
