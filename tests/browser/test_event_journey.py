"""Faculty schedule a webinar from the events page (fixing a wrong link first); a team
member answers going; the faculty member cancels it and the member finds it marked
cancelled, with a notice in the inbox."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coiin.community.events.models import EventDetail

from .conftest import screenshot
from .test_data_entry_journey import sign_in


def test_faculty_schedule_and_cancel_a_webinar(page, live_server, transactional_db, team,
                                               faculty, member):
    base = live_server.url
    day = timezone.now().date() + dt.timedelta(days=30)
    sign_in(page, base, faculty)
    page.goto(base + "/community/events/")
    page.get_by_role("link", name="Schedule an event").click()
    page.get_by_label("Title").fill("Night audits webinar")
    page.get_by_label("Kind").select_option("webinar")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at", exact=True).fill("15:00")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Join link").fill("http://example.org/zoom")
    page.get_by_role("button", name="Schedule").click()
    assert "must start with https://" in page.locator(".has-error").inner_text()
    screenshot(page, "event-form-error")
    assert not EventDetail.objects.exists()
    page.get_by_label("Join link").fill("https://example.org/zoom")
    page.get_by_role("button", name="Schedule").click()
    assert "is on the calendar" in page.locator(".messages").inner_text()
    # 2 pm Central is 3 pm Eastern, the faculty member's (default) zone.
    assert "3:00–4:00 pm E" in page.locator(".event-start").inner_text()

    sign_in(page, base, member)
    page.goto(base + EventDetail.objects.get().get_absolute_url())
    page.get_by_label("Going", exact=True).check()
    page.get_by_role("button", name="Save my answer").click()

    sign_in(page, base, faculty)
    page.goto(base + EventDetail.objects.get().get_absolute_url())
    page.get_by_text("Cancel this event…").click()
    page.get_by_role("button", name="Cancel the event").click()
    assert "This event was cancelled" in page.locator("main").inner_text()

    sign_in(page, base, member)
    page.goto(base + "/community/events/")
    assert "Cancelled" in page.locator("tr.is-cancelled").inner_text()
    page.get_by_role("link", name="Inbox").click()
    assert "“Night audits webinar” is cancelled" in page.locator(".inbox").inner_text()
    screenshot(page, "event-cancelled-inbox")
