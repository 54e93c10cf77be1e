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
    """The background task: make the job's report (a no-op when it has already run), in
    ``language`` (the requester's at the time; "": their profile's, else the default)."""
    from .services import run_job

    job = run_job(uuid.UUID(job_id), language)
    return job.status


@task()
def run_schedules_task() -> int:
    """The schedules as a task, for a periodic runner that enqueues rather than runs."""
    from .services import run_schedules

    return len(run_schedules())
