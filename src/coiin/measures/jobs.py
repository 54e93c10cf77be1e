"""Large imports run in the background so the page can show how far they have got.

A file with more rows than IMPORT_BACKGROUND_ROWS is stored, and a thread imports it
after the request's transaction commits; the job row records progress and the outcome
(the import itself stays all or nothing). Small files import inline, as before.
"""

from __future__ import annotations

import logging
import threading
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from coiin.network.models import Team, User

from . import io
from .models import ImportJob

log = logging.getLogger(__name__)
Status = ImportJob.Status


def background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 5000)


def start_import(*, user: User, team: Team | None, data: bytes, filename: str,
                 dry_run: bool) -> ImportJob:
    """Store the upload and queue its import; it starts once this transaction commits."""
    path = default_storage.save(f"imports/{uuid.uuid4()}/upload.{io.file_format(filename)}",
                                ContentFile(data))
    job = ImportJob.objects.create(user=user, team=team, filename=filename[:255],
                                   stored_path=path, dry_run=dry_run)
    transaction.on_commit(lambda: _launch(job.pk))
    return job


def _launch(job_id: uuid.UUID) -> None:
    if getattr(settings, "IMPORT_JOBS_INLINE", False):
        run_job(job_id)  # tests, and a deliberately single-threaded deployment
        return
    threading.Thread(target=_in_thread, args=(job_id,), daemon=True,
                     name=f"import-{job_id}").start()


def _in_thread(job_id: uuid.UUID) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        connection.close()


def _update(job_id: uuid.UUID, **fields: object) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


def run_job(job_id: uuid.UUID) -> ImportJob:
    """Import a stored upload, recording progress; never raises for bad data."""
    job = ImportJob.objects.select_related("user", "team").get(pk=job_id)
    try:
        with default_storage.open(job.stored_path, "rb") as fh:
            rows = io.read_table(fh.read(), job.filename)
        _update(job.pk, status=Status.CHECKING, total_rows=len(rows))

        def progress(stage: str, done: int, total: int) -> None:
            _update(job.pk, done_rows=done,
                    status=Status.WRITING if stage == "wrote" else Status.CHECKING)

        result = io.import_rows(rows, user=job.user, check_access=True, only_team=job.team,
                                dry_run=job.dry_run, reason=f"uploaded {job.filename}",
                                progress=progress)
        _update(job.pk, status=Status.DONE, done_rows=len(rows), finished_at=timezone.now(),
                result={"summary": result.summary(),
                        "warnings": [str(w) for w in result.warnings[:500]],
                        "more_warnings": max(0, len(result.warnings) - 500)})
    except io.ImportRefused as exc:
        _update(job.pk, status=Status.REFUSED, finished_at=timezone.now(), result={
            "errors": [str(e) for e in exc.errors[:1000]],
            "more_errors": max(0, len(exc.errors) - 1000),
            "warnings": [str(w) for w in exc.warnings[:500]]})
    except Exception as exc:  # noqa: BLE001 - recorded for the person, logged for us
        log.exception("import job %s failed", job.pk)
        _update(job.pk, status=Status.FAILED, finished_at=timezone.now(),
                result={"message": f"The file could not be imported: {exc}"})
    finally:
        default_storage.delete(job.stored_path)
    job.refresh_from_db()
    return job
