"""Background imports are django-tasks tasks: queued after commit, run inline or by a worker."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from coiin.measures import jobs
from coiin.measures.models import DataValue, ImportJob
from tests.schema import default_on_a_new_database

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": ["default"]}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HEADER = "jurisdiction,network,measure,period,numerator,denominator,value,stratum,comment\n"


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


def crib_csv(months) -> bytes:
    return (HEADER + "".join(f"GA,safe-sleep,SS-CRIB,2015-{m:02d},{30 + m},50,,,\n"
                             for m in months)).encode()


def upload(client, data: bytes, **headers):
    return client.post("/data/import/", {
        "file": SimpleUploadedFile("crib.csv", data, content_type="text/csv")}, **headers)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a batch
def test_the_database_backend_queues_the_import_for_a_worker(
        client, settings, backbone, chosen, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    client.force_login(backbone)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, crib_csv(range(1, 6)), HTTP_ACCEPT_LANGUAGE="es")
    job = ImportJob.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "coiin.measures.jobs.import_task"
    # The uploader's language goes with the task, for the messages the worker writes.
    assert queued.args_kwargs == {"args": [str(job.pk), "es"], "kwargs": {}}
    assert job.status == ImportJob.Status.QUEUED and not DataValue.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and 'http-equiv="refresh"' in page

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(),
                 stderr=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.progress, job.done_rows) == (ImportJob.Status.DONE, 100, 5)
    assert job.started_at <= job.finished_at
    assert DataValue.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "5 rows: 5 values were created" in page
    assert 'http-equiv="refresh"' not in page


def test_the_task_waits_for_the_transaction_to_commit(backbone, chosen,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.start_import(user=backbone, team=None, data=crib_csv([1, 2, 3]),
                                filename="crib.csv", dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and not DataValue.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert DataValue.objects.count() == 3


def test_running_the_task_twice_imports_once(backbone, chosen,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_import(user=backbone, team=None, data=crib_csv([1, 2, 3]),
                                filename="crib.csv", dry_run=False)
    result = jobs.import_task.enqueue(str(job.pk))
    assert result.return_value == ImportJob.Status.DONE
    assert DataValue.history.count() == 3


def test_progress_is_recorded_as_rows_are_checked_and_values_stored(
        backbone, chosen, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    real = jobs.io.import_rows

    def watching(rows, **kwargs):
        job = ImportJob.objects.get()
        seen.append((job.status, job.step, job.total_rows))
        given = kwargs["progress"]

        def progress(stage, done, total):
            given(stage, done, total)
            job.refresh_from_db()
            seen.append((job.status, job.step, job.done_rows, job.progress))

        kwargs["progress"] = progress
        return real(rows, **kwargs)

    monkeypatch.setattr(jobs.io, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(jobs.io, "import_rows", watching)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.start_import(user=backbone, team=None, data=crib_csv([1, 2, 3, 4]),
                          filename="crib.csv", dry_run=False)
    running = ImportJob.Status.RUNNING
    assert seen[0] == (running, ImportJob.STEP_CHECKING, 4)
    assert (running, ImportJob.STEP_CHECKING, 2, 50) in seen
    assert seen[-1] == (running, ImportJob.STEP_STORING, 4, 100)
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_a_refused_or_failed_job_records_why(backbone, chosen,
                                             django_capture_on_commit_callbacks):
    bad = crib_csv([1, 2]) + b"GA,safe-sleep,SS-CRIB,2015-03,60,50,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        refused = jobs.start_import(user=backbone, team=None, data=bad, filename="crib.csv",
                                    dry_run=False)
    refused.refresh_from_db()
    assert refused.status == ImportJob.Status.REFUSED and refused.finished
    assert refused.error == "Nothing was stored: 1 problem in the file."
    failed = ImportJob.objects.create(user=backbone, filename="a.csv",
                                      stored_path="imports/missing/upload.csv")
    failed = jobs.run_job(failed.pk)
    assert failed.status == ImportJob.Status.FAILED and failed.finished
    assert failed.error.startswith("The file could not be imported")


def test_no_thread_is_started_for_an_import(client, backbone, chosen, monkeypatch,
                                            django_capture_on_commit_callbacks):
    def no_threads(self):
        raise AssertionError(f"a thread was started: {self.name}")

    monkeypatch.setattr(threading.Thread, "start", no_threads)
    client.force_login(backbone)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, crib_csv(range(1, 6)))
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


# The migration that gave import jobs the shared statuses


@pytest.mark.migrations
@pytest.mark.database_url  # a database of its own on DATABASE_URL's server (both passes)
def test_old_import_statuses_map_onto_the_shared_ones_and_back(django_db_blocker):
    """On a new database migrated only as far as import jobs need (the measures app's first
    two migrations and what they depend on), not the test database stepped back past every
    later migration of the project and forward again."""
    before = [("measures", "0002_importjob")]
    after = [("measures", "0003_importjob_shared_job_shape")]
    with django_db_blocker.unblock(), default_on_a_new_database():
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert after[0] not in MigrationExecutor(connection).loader.applied_migrations
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldJob = old.get_model("measures", "ImportJob")
        backbone = old.get_model("network", "User").objects.create(
            email="bea.backbone@example.org", network_role="backbone")
        common = {"user_id": backbone.pk, "filename": "a.csv", "stored_path": "x"}
        for status, result, done in [
                ("queued", {}, 0), ("checking", {}, 40), ("writing", {}, 90),
                ("done", {"summary": "fine"}, 100),
                ("refused", {"errors": ["row 2, x: bad"], "more_errors": 2}, 0),
                ("failed", {"message": "The file could not be imported: disk"}, 0)]:
            OldJob.objects.create(status=status, result=result, total_rows=100,
                                  done_rows=done, **common)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("measures", "ImportJob")
        got = [(j.status, j.step, j.progress, j.error) for j in new.objects.all()]
        assert sorted(got) == sorted([
            ("queued", "Waiting for a worker", 0, ""),
            ("running", "Checking rows", 40, ""),
            ("running", "Storing values", 90, ""),
            ("done", "Imported", 100, ""),
            ("refused", "Stopped", 0, "Nothing was stored: 3 problems in the file."),
            ("failed", "Stopped", 0, "The file could not be imported: disk"),
        ])

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = MigrationExecutor(connection).loader.project_state(before).apps.get_model(
            "measures", "ImportJob")
        assert sorted(back.objects.values_list("status", flat=True)) == sorted(
            ["queued", "checking", "writing", "done", "refused", "failed"])
