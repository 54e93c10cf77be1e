"""Reports made in the background: the tasks, their models, services, pages and URLs.

The django-tasks entry points live here because a queued task is stored under its import
path (``coiin.reports.jobs.make_report_task``): it must not move while tasks wait. They
import the services when they run, so loading the models does not load the documents.
"""

from __future__ import annotations

import uuid

from django_tasks import task


@task()
def make_report_task(job_id: str, language: str = "") -> str:
    """The background task: make the job's report (a no-op when it has already run), in the
    language it was asked for in ("": the requester's own, else the site's)."""
    from .services import run_job

    job = run_job(uuid.UUID(job_id), language=language)
    return job.status


@task()
def run_schedules_task() -> int:
    """The schedules as a task, for a periodic runner that enqueues rather than runs."""
    from .services import run_schedules

    return len(run_schedules())
