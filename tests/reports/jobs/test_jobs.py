"""Reports made in the background: the job's life, its failures, its progress page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import TeamMembership
from coiin.reports.documents import snapshots
from coiin.reports.jobs import services as jobs
from coiin.reports.models import ReportJob, ReportSnapshot
from tests.conftest import fixtures_from, georgia_safe_sleep, make_user, shared_rows

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": ["default"]}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


def report_three_months(rows: SimpleNamespace) -> SimpleNamespace:
    """Three months of Georgia's crib audits, submitted, on Georgia Safe Sleep as
    ``georgia_safe_sleep`` makes it (with its data lead)."""
    team, catalog, data_lead = rows.team, rows.catalog, rows.data_lead
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    period = Period.parse("2015-01")
    for num in (30, 32, 29):
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              entries=[Entry(catalog["SS-CRIB"], period.label, numerator=str(num),
                                             denominator="50", confirm="ok")], today=day)
        reporting.submit(submission=sub, user=data_lead, is_final=True, today=day)
        period = period.next()
    return rows


def load_reported() -> SimpleNamespace:
    return report_three_months(georgia_safe_sleep("data_lead"))


# Georgia's audits are reported once for the module's tests, which follow one another on one
# worker (what a test writes is rolled back after it); the suite's fixtures of the same names
# are these rows. The one test whose rows must be committed makes its own.
_reported_rows, reported_rows = shared_rows("reported_rows", load_reported)
pytestmark = pytest.mark.xdist_group("report-jobs")
globals().update(fixtures_from("reported_rows", "reference", "catalog", "team", "chosen",
                               "data_lead"))


@pytest.fixture
def reported(reported_rows):
    """Three months of Georgia's crib audits, submitted."""
    return reported_rows.team


def ask(client, **fields):
    data = {"kind": "team", "period": "2015-03", "format": "xlsx", **fields}
    return client.post(reverse("request_report"), data)


def test_a_requested_report_is_made_linked_and_downloadable(
        as_persona, reported, lead, django_capture_on_commit_callbacks):
    client = as_persona("lead")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, team=reported.pk)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_job", args=[job.pk])
    assert (job.status, job.progress, job.step) == (ReportJob.Status.DONE, 100, "Ready")
    assert job.requested_by == lead and job.team == reported
    assert job.started_at <= job.finished_at
    snapshot = job.snapshot
    assert (snapshot.kind, snapshot.team, snapshot.period, snapshot.format) == (
        "team", reported, "2015-03", "xlsx")
    assert snapshot.created_by == lead

    page = client.get(response["Location"])
    download = reverse("report_snapshot", args=[snapshot.pk])
    assert page.status_code == 200
    assert f'href="{download}"' in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()  # finished: no more polling
    got = client.get(download)
    assert got.status_code == 200
    assert hashlib.sha256(got.content).hexdigest() == snapshot.sha256


def test_the_task_waits_for_the_transaction_to_commit(reported, lead,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                  team=reported, user=lead)
    job.refresh_from_db()
    assert (job.status, job.progress, job.snapshot) == (ReportJob.Status.QUEUED, 0, None)
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.snapshot.format == "html"


def test_progress_steps_are_recorded_while_the_report_is_made(
        reported, lead, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    real = snapshots.make_report

    def watching(*args, **kwargs):
        job = ReportJob.objects.get()
        seen.append((job.status, job.progress, job.step))
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshots, "make_report", watching)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                  team=reported, user=lead)
    assert seen == [(ReportJob.Status.RUNNING, *jobs.STEP_READING)]
    job.refresh_from_db()
    assert (job.progress, job.step) == jobs.STEP_DONE


def test_a_failing_report_is_recorded_and_nothing_is_kept(
        as_persona, reported, lead, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise ValueError("the chart renderer is missing")

    monkeypatch.setattr(snapshots, "make_report", broken)
    client = as_persona("lead")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, team=reported.pk)
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "The report could not be made: the chart renderer is missing"
    assert job.snapshot is None and job.finished_at is not None
    assert not ReportSnapshot.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "the chart renderer is missing" in page and "No report was kept" in page


def test_a_failure_after_the_report_was_made_removes_it(
        reported, lead, monkeypatch, django_capture_on_commit_callbacks):
    real_set = jobs._set

    def failing_set(job_id, step, **fields):
        if step == jobs.STEP_STORING:
            raise RuntimeError("database went away")
        real_set(job_id, step, **fields)

    monkeypatch.setattr(jobs, "_set", failing_set)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                  team=reported, user=lead)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "database went away" in job.error
    assert not ReportSnapshot.objects.exists()
    assert default_storage.listdir("reports")[1] == []  # the file went with it


def test_running_the_task_twice_makes_one_snapshot(reported, lead,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                  team=reported, user=lead)
    job.refresh_from_db()
    first = job.snapshot
    result = jobs.make_report_task.enqueue(str(job.pk))
    assert result.return_value == ReportJob.Status.DONE
    job.refresh_from_db()
    assert ReportSnapshot.objects.count() == 1
    assert job.snapshot == first


def test_a_job_another_worker_is_running_is_left_alone(reported, lead,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                  team=reported, user=lead)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)
    assert jobs.run_job(job.pk).status == ReportJob.Status.RUNNING
    assert not ReportSnapshot.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a batch
def test_the_database_backend_queues_the_job_for_a_worker(
        settings, django_capture_on_commit_callbacks):
    # Committed rows of its own: the worker reads them on its own connection.
    reported = report_three_months(georgia_safe_sleep("data_lead")).team
    lead = make_user("lena.lead@example.org")
    network_services.add_member(team=reported, user=lead, role=TeamMembership.Role.LEAD)
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="pdf",
                                  team=reported, user=lead, language="es")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "coiin.reports.jobs.make_report_task"
    # The requester's language goes with the task: the worker has no request to read it from.
    assert queued.args_kwargs == {"args": [str(job.pk), "es"], "kwargs": {}}
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(),
                 stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.snapshot.format == "pdf"


# The progress page and its JSON


@pytest.fixture
def queued_job(reported, lead, django_capture_on_commit_callbacks) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=False):
        return jobs.request_report(kind="team", period=Period.parse("2015-03"), fmt="html",
                                   team=reported, user=lead)


def test_the_requester_sees_progress_and_the_page_refreshes_itself(as_persona, queued_job):
    page = as_persona("lead").get(reverse("report_job", args=[queued_job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waiting for a worker" in html and 'value="0"' in html
    assert '<meta http-equiv="refresh" content="3">' in html  # without JavaScript
    assert reverse("report_job_status", args=[queued_job.pk]) in html  # the script's poll
    assert "reports/report_job.js" in html


def test_the_status_json_follows_the_job(as_persona, queued_job):
    client = as_persona("lead")
    url = reverse("report_job_status", args=[queued_job.pk])
    before = client.get(url).json()
    assert before == {"status": "queued", "status_display": "Waiting to start", "progress": 0,
                      "step": "Waiting for a worker", "finished": False, "error": "",
                      "download": None}
    jobs.run_job(queued_job.pk)
    after = client.get(url).json()
    queued_job.refresh_from_db()
    assert after["finished"] is True and after["progress"] == 100
    assert after["download"] == reverse("report_snapshot", args=[queued_job.snapshot_id])


@pytest.mark.parametrize("persona", ["member", "faculty", "backbone", "funder"])
def test_people_who_may_see_the_team_data_see_the_job(as_persona, persona, queued_job):
    assert as_persona(persona).get(reverse("report_job", args=[queued_job.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "stranger"])
def test_others_get_404_for_the_page_and_its_json(as_persona, persona, queued_job):
    client = as_persona(persona)
    assert client.get(reverse("report_job", args=[queued_job.pk])).status_code == 404
    assert client.get(reverse("report_job_status", args=[queued_job.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, queued_job):
    response = client.get(reverse("report_job", args=[queued_job.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_job_is_404(as_persona, reported):
    assert as_persona("lead").get(reverse("report_job", args=[uuid.uuid4()])).status_code == 404


def test_the_progress_page_is_read_only(as_persona, queued_job):
    assert as_persona("lead").post(reverse("report_job", args=[queued_job.pk])).status_code == 405


# Asking for a report


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"period": "2015-13"}, "period", "is not a period"),
    ({"period": ""}, "period", "This field is required."),
    ({"format": "docx"}, "format", "Select a valid choice."),
    ({"kind": "county"}, "kind", "Select a valid choice."),
    ({"period": "2999-01"}, "period", "2999-01 has not started yet."),
])
def test_a_bad_request_names_the_field_and_queues_nothing(as_persona, reported, fields, field,
                                                          message):
    response = ask(as_persona("lead"), team=reported.pk, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html and message in html
    assert not ReportJob.objects.exists()


def test_a_team_report_without_a_team_is_404(as_persona, reported):
    assert ask(as_persona("lead")).status_code == 404
    assert not ReportJob.objects.exists()


def test_an_outsider_cannot_ask_for_another_teams_report(as_persona, reported):
    assert ask(as_persona("outsider"), team=reported.pk).status_code == 404
    assert not ReportJob.objects.exists()


def test_a_member_cannot_ask_for_the_national_report(as_persona, reported):
    assert ask(as_persona("member"), kind="national").status_code == 404
    assert not ReportJob.objects.exists()


def test_faculty_ask_for_their_networks_report(as_persona, reported, faculty,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = ask(as_persona("faculty"), kind="network",
                       network=reported.learning_network.slug)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert (job.kind, job.network, job.team, job.requested_by) == (
        "network", reported.learning_network, None, faculty)


def test_asking_needs_post_and_a_signed_in_person(as_persona, client, reported):
    assert client.post(reverse("request_report"), {}).status_code == 302
    assert as_persona("lead").get(reverse("request_report")).status_code == 405


def test_a_funder_asks_for_the_national_report_and_sees_it(
        as_persona, reported, funder, django_capture_on_commit_callbacks):
    client = as_persona("funder")
    with django_capture_on_commit_callbacks(execute=False):
        response = ask(client, kind="national", format="pdf")
    job = ReportJob.objects.get()
    assert (job.kind, job.team, job.network, job.requested_by) == (
        "national", None, None, funder)
    page = client.get(response["Location"]).content.decode()
    assert "National report to the funder: the national network, up to 2015-03" in page


def test_faculty_see_a_national_job_they_did_not_ask_for_but_members_do_not(
        as_persona, reported, funder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.request_report(kind="national", period=Period.parse("2015-03"), fmt="pdf",
                                  user=funder)
    url = reverse("report_job", args=[job.pk])
    assert as_persona("faculty").get(url).status_code == 200
    client = as_persona("member")
    assert client.get(url).status_code == 404


# Which backend runs the tasks

PROBE = "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'])"


def tasks_backend(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COIIN_TASKS"}
    env.update({"DJANGO_SETTINGS_MODULE": "coiin.settings", "COIIN_DEV": "1"})
    if value is not None:
        env["COIIN_TASKS"] = value
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=60)


def test_tasks_run_inline_unless_the_database_backend_is_chosen():
    assert tasks_backend(None).stdout.strip() == IMMEDIATE["default"]["BACKEND"]
    assert tasks_backend("Database").stdout.strip() == DATABASE["default"]["BACKEND"]
    refused = tasks_backend("celery")
    assert refused.returncode != 0
    assert "COIIN_TASKS must be one of immediate, database, not 'celery'" in refused.stderr


def test_a_job_left_unfinished_for_long_says_so(as_persona, queued_job):
    client = as_persona("lead")
    url = reverse("report_job", args=[queued_job.pk])
    assert "background worker may have stopped" not in client.get(url).content.decode()
    ReportJob.objects.filter(pk=queued_job.pk).update(
        created_at=queued_job.created_at - dt.timedelta(minutes=31))
    assert "background worker may have stopped" in client.get(url).content.decode()


def test_a_failed_job_s_text_and_steps_read_in_the_reader_s_language(
        as_persona, reported, lead, monkeypatch, django_capture_on_commit_callbacks):
    """The worker stores English; the person who asked (or anyone else) reads it in their
    language, and a text stored otherwise (an older job's) is shown as it is."""
    def broken(*args, **kwargs):
        raise ValueError("the chart renderer is missing")

    monkeypatch.setattr(snapshots, "make_report", broken)
    client = as_persona("lead")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, team=reported.pk)
    job = ReportJob.objects.get()
    assert job.error == "The report could not be made: the chart renderer is missing"
    spanish = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No se pudo hacer el informe: the chart renderer is missing" in spanish
    assert "Falló: no se guardó ningún informe" in spanish
    status = client.get(reverse("report_job_status", args=[job.pk]),
                        HTTP_ACCEPT_LANGUAGE="es").json()
    assert status["error"].startswith("No se pudo hacer el informe:")
    assert status["step"] == "Detenido"
    english = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The report could not be made: the chart renderer is missing" in english

    ReportJob.objects.filter(pk=job.pk).update(error="Timed out", step="Halfway")
    job.refresh_from_db()
    with translation.override("es"):
        assert (job.error_text, job.step_text) == ("Timed out", "Halfway")
