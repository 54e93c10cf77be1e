"""Large imports run in the background so the page can show how far they have got.

A file with more rows than IMPORT_BACKGROUND_ROWS is stored, and a django-tasks task
imports it once the request's transaction commits: inline with the immediate backend (the
embedded default), by ``coiin db_worker`` with the database backend. The job row records
progress and the outcome (the import itself stays all or nothing). Small files import
inline, as before.

A task run twice for the same job imports once: a run first claims the queued job.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django_tasks import task

from coiin.jobs import enqueue_on_commit
from coiin.network.models import Team, User

from . import io
from .models import ImportJob

log = logging.getLogger(__name__)


def background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 5000)


def start_import(*, user: User, team: Team | None, data: bytes, filename: str,
                 dry_run: bool) -> ImportJob:
    """Store the upload and queue its import; it starts once this transaction commits. Its
    messages are in the uploader's language at the time (the request's active one)."""
    path = default_storage.save(f"imports/{uuid.uuid4()}/upload.{io.file_format(filename)}",
                                ContentFile(data))
    job = ImportJob.objects.create(user=user, team=team, filename=filename[:255],
                                   stored_path=path, dry_run=dry_run)
    enqueue_on_commit(import_task, str(job.pk), translation.get_language() or "")
    return job


def refused_message(problems: int) -> str:
    return f"Nothing was stored: {problems:,} problem{'' if problems == 1 else 's'} in the file."


@task()
def import_task(job_id: str, language: str = "") -> str:
    """The background task: import the job's upload (a no-op when it has already run);
    its messages in ``language`` ("": the uploader's own, else the default)."""
    return run_job(uuid.UUID(job_id), language).status


def run_job(job_id: uuid.UUID, language: str = "") -> ImportJob:
    """Import a stored upload, recording progress; never raises for bad data."""
    if not ImportJob.mark_running(job_id, step=ImportJob.STEP_CHECKING):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("user", "team").get(pk=job_id)
    with translation.override(language or job.user.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    try:
        with default_storage.open(job.stored_path, "rb") as fh:
            total = io.count_rows(fh, job.filename)
            ImportJob.mark(job.pk, total_rows=total)

            def progress(stage: str, done: int, of: int) -> None:
                ImportJob.mark(job.pk, done_rows=done,
                               progress=min(100, 100 * done // max(of, 1)),
                               step=ImportJob.STEP_STORING if stage == "wrote"
                               else ImportJob.STEP_CHECKING)

            # Streamed from the stored file, a chunk at a time.
            result = io.import_file(fh, job.filename, user=job.user, check_access=True,
                                    only_team=job.team, dry_run=job.dry_run, total=total,
                                    reason=f"uploaded {job.filename}", progress=progress)
        ImportJob.mark_done(job.pk, step="Imported", done_rows=result.rows, result={
            "summary": result.summary(),
            "warnings": [str(w) for w in result.warnings[:500]],
            "more_warnings": max(0, len(result.warnings) - 500),
            "submission_ids": result.submission_ids})
    except io.ImportRefused as exc:
        ImportJob.mark_failed(
            job.pk, refused=True, step="Stopped",
            error=refused_message(len(exc.errors)),
            result={"errors": [str(e) for e in exc.errors[:1000]],
                    "more_errors": max(0, len(exc.errors) - 1000),
                    "warnings": [str(w) for w in exc.warnings[:500]]})
    except Exception as exc:  # noqa: BLE001 - recorded for the person, logged for us
        log.exception("import job %s failed", job.pk)
        message = f"The file could not be imported: {exc}"
        ImportJob.mark_failed(job.pk, error=message, step="Stopped",
                              result={"message": message})
    finally:
        default_storage.delete(job.stored_path)
    job.refresh_from_db()
    return job
