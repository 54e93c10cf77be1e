"""After an import: the periods the file touched, their status, and submitting them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period

from ..sitedata import make_sites
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


def test_a_template_for_a_period_imports_back_once_filled_in(as_persona, chosen, data_lead,
                                                             months):
    client = as_persona("data_lead")
    last = months[1]
    team_id = data_lead.memberships.get().team_id
    entry = client.get(f"/networks/safe-sleep/ga/data/{last.label}/").content.decode()
    assert f"/data/import/template/?team={team_id}&amp;period={last.label}" in entry
    response = client.get(f"/data/import/template/?team={team_id}&period={last.label}")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["measure"], r["period"], r["stratum"]) for r in rows] == [
        ("SS-CRIB", last.label, ""), ("SS-EDU", last.label, "")]
    assert all(r["numerator"] == "" for r in rows)
    # Filled in and uploaded, it stores the values; the template then shows them.
    for r in rows:
        r["numerator"], r["denominator"] = "30", "40"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    page = client.post("/data/import/", {"file": SimpleUploadedFile(
        "filled.csv", out.getvalue().encode())}).content.decode()
    assert "Imported filled.csv" in page
    again = client.get(f"/data/import/template/?team={team_id}&period={last.label}")
    assert ",30,40," in again.content.decode()


def test_only_the_team_gets_its_template(client, chosen, data_lead, outsider, months):
    team_id = data_lead.memberships.get().team_id
    client.force_login(outsider)
    response = client.get(f"/data/import/template/?team={team_id}&period={months[1].label}")
    assert response.status_code == 404


def test_a_site_teams_template_has_a_row_per_site_and_imports_back(as_persona, chosen,
                                                                   catalog, data_lead, months):
    team = data_lead.memberships.get().team
    make_sites(team, catalog)
    client = as_persona("data_lead")
    url = f"/data/import/template/?team={team.pk}&period={months[1].label}"
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert [(r["measure"], r["site"]) for r in rows] == [
        ("SS-CRIB", "Grady Memorial"), ("SS-CRIB", "Piedmont Atlanta"), ("SS-EDU", "")]
    for r in rows:
        r["numerator"], r["denominator"] = "30", "40"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    page = client.post("/data/import/", {"file": SimpleUploadedFile(
        "filled.csv", out.getvalue().encode())}).content.decode()
    assert "Imported filled.csv" in page, page
