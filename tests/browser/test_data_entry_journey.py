"""A data lead enters a month, fixes a validation error and submits; faculty reviews it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period

from ..conftest import PASSWORD
from .conftest import screenshot


@pytest.fixture
def month(settings):
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


def sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")


def test_data_lead_enters_fixes_and_submits_then_faculty_reviews(
        page, live_server, transactional_db, team, chosen, data_lead, faculty, month):
    base = live_server.url
    team.joined_on = month.start.replace(year=month.start.year - 1)
    team.save()
    sign_in(page, base, data_lead)
    page.goto(base + "/networks/safe-sleep/ga/")
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("link", name=f"Enter data for {month.display}").click()
    page.wait_for_url(base + f"/networks/safe-sleep/ga/data/{month.label}/")

    # Typing shows the result at once; a numerator above the denominator is refused.
    page.get_by_label("SS-CRIB numerator").fill("46")
    page.get_by_label("SS-CRIB denominator").fill("40")
    row = page.locator("tr", has=page.get_by_label("SS-CRIB numerator"))
    assert row.locator("output.result").inner_text() == "115"
    page.get_by_label("SS-EDU numerator").fill("31")
    page.get_by_label("SS-EDU denominator").fill("35")
    page.get_by_role("button", name="Save and submit").click()
    assert "Nothing was saved: fix 1 problem" in page.locator(".error-summary").inner_text()
    assert "46 is more than the denominator 40" in row.inner_text()
    screenshot(page, "entry-with-error")
    assert not DataValue.objects.exists()

    # Fix it and submit.
    page.get_by_label("SS-CRIB numerator").fill("36")
    assert row.locator("output.result").inner_text() == "90"
    page.get_by_role("button", name="Save and submit").click()
    assert "submitted for review" in page.locator(".messages").inner_text()
    submission = Submission.objects.get()
    assert submission.status == "submitted"
    assert {(v.measure.code, int(v.numerator), int(v.denominator))
            for v in DataValue.objects.select_related("measure")} == {
        ("SS-CRIB", 36, 40), ("SS-EDU", 31, 35)}

    # Faculty of the network reviews it.
    sign_in(page, base, faculty)
    page.goto(base + f"/networks/safe-sleep/ga/data/{month.label}/")
    page.get_by_label("Assessment").fill("Crib audits look strong; spread to the second unit.")
    page.get_by_role("button", name="Mark reviewed").click()
    assert "reviewed" in page.locator(".messages").inner_text()
    assert "Crib audits look strong" in page.locator(".assessment").inner_text()
    screenshot(page, "entry-reviewed")
    submission.refresh_from_db()
    assert submission.status == "reviewed" and submission.reviewed_by == faculty
