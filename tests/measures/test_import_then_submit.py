"""After an import: the periods the file touched, their status, and submitting them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period

from .test_io_import import csv_bytes


@pytest.fixture
def months(settings, team):
    settings.REPORTING_GRACE_DAYS = 60
    last = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team.joined_on = last.start.replace(year=last.start.year - 1)
    team.save()
    return last.previous(), last


def upload(client, *rows):
    return client.post("/data/import/", {"file": SimpleUploadedFile("data.csv",
                                                                    csv_bytes(*rows))})


def test_the_periods_touched_are_listed_and_submitted_in_one_go(as_persona, chosen, data_lead,
                                                                months):
    client = as_persona("data_lead")
    rows = [f"GA,safe-sleep,{code},{m.label},30,40,,," for m in months
            for code in ("SS-CRIB", "SS-EDU")]
    page = upload(client, *rows).content.decode()
    assert "Periods in this file" in page and "stay drafts until their period is submitted" \
        in page
    ids = list(Submission.objects.order_by("period_start").values_list("pk", flat=True))
    assert len(ids) == 2
    for pk in ids:
        assert f'name="submission" value="{pk}" checked' in page
    assert "Submit these for review" in page
    response = client.post("/data/import/submit/", {"submission": [str(pk) for pk in ids]})
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    assert set(Submission.objects.values_list("status", flat=True)) == {"submitted"}
    assert "Submitted 2 periods for review." in client.get("/my-work/").content.decode()


def test_a_member_sees_the_periods_but_may_not_submit_them(as_persona, chosen, member, months):
    client = as_persona("member")
    page = upload(client, f"GA,safe-sleep,SS-CRIB,{months[1].label},30,40,,,").content.decode()
    assert "Periods in this file" in page and "Draft" in page
    assert 'name="submission"' not in page and "Submit these for review" not in page
    pk = Submission.objects.get().pk
    client.post("/data/import/submit/", {"submission": [str(pk)]})
    assert Submission.objects.get().status == "draft"


def test_nobody_submits_periods_they_may_not_see(client, chosen, data_lead, outsider, months):
    client.force_login(data_lead)
    upload(client, f"GA,safe-sleep,SS-CRIB,{months[1].label},30,40,,,")
    pk = Submission.objects.get().pk
    client.force_login(outsider)
    client.post("/data/import/submit/", {"submission": [str(pk)]})
    assert Submission.objects.get().status == "draft"
