"""Large uploads import in the background and report their progress."""

from __future__ import annotations

import pytest

from coiin.measures import jobs
from coiin.measures.models import DataValue, ImportJob

HEADER = "jurisdiction,network,measure,period,numerator,denominator,value,stratum,comment\n"


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path


def csv_for(months):
    return HEADER + "".join(f"GA,safe-sleep,SS-CRIB,2015-{m:02d},{30 + m},50,,,\n"
                            for m in months)


def upload(client, text, name="crib.csv", dry_run=False, capture=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    with capture(execute=True):
        return client.post("/data/import/", data)


def test_a_large_upload_runs_as_a_job_and_shows_its_outcome(client, backbone, chosen,
                                                            django_capture_on_commit_callbacks,
                                                            tmp_path):
    client.force_login(backbone)  # backbone staff may load closed (historical) periods
    response = upload(client, csv_for(range(1, 6)), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/data/import/jobs/{job.pk}/"
    assert job.status == "done" and job.total_rows == 5 and job.done_rows == 5
    assert DataValue.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "5 rows: 5 values were created" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    assert not any(tmp_path.rglob("upload.csv"))  # the stored upload is removed


def test_a_refused_job_lists_the_bad_rows_and_stores_nothing(client, backbone, chosen,
                                                            django_capture_on_commit_callbacks):
    client.force_login(backbone)
    text = csv_for(range(1, 5)) + "GA,safe-sleep,SS-CRIB,2015-05,60,50,,,\n"
    response = upload(client, text, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "refused"
    assert len(job.result["errors"]) == 1
    assert job.result["errors"][0].startswith("row 6")
    assert "60 is more than the denominator 50" in job.result["errors"][0]
    assert DataValue.objects.count() == 0
    assert "Nothing was stored" in client.get(response["Location"]).content.decode()


def test_a_running_job_page_refreshes_and_shows_progress(client, data_lead, team):
    job = ImportJob.objects.create(user=data_lead, team=team, filename="big.csv",
                                   stored_path="imports/x/upload.csv", status="checking",
                                   total_rows=100_000, done_rows=40_000)
    client.force_login(data_lead)
    html = client.get(f"/data/import/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert "Checked 40,000 of 100,000 rows (40 %)" in html


def test_someone_elses_job_is_not_found(client, data_lead, member, team):
    job = ImportJob.objects.create(user=data_lead, filename="a.csv", stored_path="x")
    client.force_login(member)
    assert client.get(f"/data/import/jobs/{job.pk}/").status_code == 404


def test_a_job_that_cannot_read_its_file_fails_clearly(data_lead, team):
    job = ImportJob.objects.create(user=data_lead, filename="a.csv",
                                   stored_path="imports/missing/upload.csv")
    job = jobs.run_job(job.pk)
    assert job.status == "failed"
    assert job.result["message"].startswith("The file could not be imported")


def test_small_uploads_still_import_inline(client, backbone, chosen, settings,
                                           django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(backbone)
    response = upload(client, csv_for([1, 2]), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert DataValue.objects.count() == 2


def test_a_background_import_writes_its_errors_in_the_uploader_s_language(
        client, backbone, chosen, django_capture_on_commit_callbacks):
    client.force_login(backbone)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    text = csv_for(range(1, 5)) + "GA,safe-sleep,SS-CRIB,2015-05,60,50,,,\n"
    upload(client, text, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "refused"
    assert job.result["errors"] == ["fila 6, numerator: 60 es mayor que el denominador 50"]
