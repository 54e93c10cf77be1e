"""Mississippi's lead finds Georgia among the suggested mentors for the crib audit and asks
for an introduction; Georgia's lead accepts, and Mississippi records the first meeting."""

from __future__ import annotations

import re

import pytest

from coiin.community.mentoring.models import MentorPairing

from ..community.mentoring.test_mentoring import (  # noqa: F401 - fixtures
    crib,
    ms_lead,
    report_teams,
    save_idea,
)
from .conftest import screenshot
from .test_data_entry_journey import sign_in


# The browser reads through a live server, so the teams are made for this test and committed
# (the mentoring tests' shared rows are never committed).
@pytest.fixture
def idea(networks):
    return save_idea(networks)


@pytest.fixture
def teams(jurisdictions, networks, team, crib, data_lead, idea):  # noqa: F811
    return report_teams(jurisdictions, networks, team, crib, data_lead, idea)


def test_a_team_requests_a_mentor_and_the_mentor_team_accepts(
        page, live_server, transactional_db, teams, ms_lead, lead):  # noqa: F811
    base = live_server.url
    sign_in(page, base, ms_lead)
    page.goto(base + "/community/")
    page.get_by_role("link", name="Mentoring").click()
    page.get_by_role("link", name=str(teams["MS"])).click()
    spot = page.locator("section.bright-spot")
    assert "held a sustained improvement" in spot.inner_text()
    assert "Crib audits in birthing hospitals" in spot.inner_text()
    spot.get_by_label(re.compile("Message to")).fill("How did you run night audits?")
    spot.get_by_role("button", name=re.compile("Request an introduction")).click()
    assert "Requested" in page.locator(".pairing-status").inner_text()
    screenshot(page, "mentoring-requested")

    sign_in(page, base, lead)
    page.goto(base + "/community/inbox/")
    page.get_by_role("link", name=re.compile("asks .* to mentor them")).click()
    page.get_by_role("button", name="Accept").click()
    assert "Accepted" in page.locator(".pairing-status").inner_text()

    sign_in(page, base, ms_lead)
    page.goto(base + MentorPairing.objects.get().get_absolute_url())
    page.get_by_label("Date").fill("2017-02-01")
    page.get_by_label("Notes").fill("Walked through Georgia's audit rota.")
    page.get_by_role("button", name="Record meeting").click()
    assert "Walked through Georgia's audit rota." in page.locator("main").inner_text()
    screenshot(page, "mentoring-accepted")
    pairing = MentorPairing.objects.get()
    assert pairing.status == "accepted" and pairing.meetings.count() == 1
