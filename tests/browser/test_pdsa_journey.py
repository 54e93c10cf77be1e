"""A team lead logs a PDSA cycle naming a measure, sees it marked on that measure's chart,
and closes the cycle with a decision."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.improvement import services
from coiin.improvement.models import PDSACycle
from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

from ..conftest import PASSWORD
from .conftest import screenshot

VALUES = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32,
          40, 41, 42, 40, 43, 41, 42, 44, 41, 42, 43, 42]
TITLE = "Crib audit by night staff"


@pytest.fixture
def crib(team, chosen, catalog, data_lead):
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    period = Period.parse("2015-01")
    for num in VALUES:
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              entries=[Entry(catalog["SS-CRIB"], period.label,
                                             numerator=str(num), denominator="50",
                                             confirm="ok")], today=day)
        reporting.submit(submission=sub, user=data_lead, today=day)
        period = period.next()


@pytest.fixture
def idea(networks):
    return services.save_change_idea(
        network=networks["safe-sleep"], title="Hospital safe sleep policy with crib audits",
        description="Audit cribs monthly.", evidence="AAP 2016 safe sleep recommendations.")


def test_lead_logs_a_cycle_sees_it_on_the_chart_and_records_the_decision(
        page, live_server, transactional_db, crib, idea, lead):
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")

    page.goto(base + "/networks/safe-sleep/ga/improvement/")
    page.get_by_role("link", name="Log a PDSA cycle").first.click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/improvement/cycles/new/")
    page.get_by_label("Change idea tested").select_option(label=idea.title)
    page.get_by_label("Or start a new ramp").fill("Crib audits on every shift")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Objective").fill("See whether night staff can run the crib audit.")
    page.get_by_label("Questions").fill("Can two nurses audit 20 cribs in one night?")
    page.get_by_label("Predictions").fill("Yes, in under an hour; 60 % of cribs safe.")
    page.get_by_label("Who").fill("Two night-shift nurses")
    page.get_by_label("What", exact=True).fill("Audit 20 cribs with the audit form")
    page.get_by_label("Where").fill("Newborn unit")
    page.get_by_label("Starts").fill("2016-01-04")
    page.get_by_label("Planned end").fill("2016-01-31")
    page.get_by_label("SS-CRIB: Infants observed in a safe sleep environment").check()
    screenshot(page, "pdsa-plan")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/improvement/cycles/1/")
    assert "PDSA 1: Crib audit by night staff planned." in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == f"PDSA 1: {TITLE}"

    # The measure the cycle names links to its chart; the chart marks the cycle's start.
    page.get_by_role("link", name="SS-CRIB").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/")
    page.locator(".vega-chart svg").first.wait_for()
    spec = page.locator("script#spec-SS-CRIB").text_content()
    screenshot(page, "pdsa-on-chart")

    # Back to the cycle: record what happened and decide.
    page.go_back()
    page.wait_for_url(base + "/networks/safe-sleep/ga/improvement/cycles/1/")
    close = page.locator("#close-cycle")
    close.get_by_role("button", name="Close the cycle").click()
    # No decision, no closing: the browser holds the form (the server refuses it too).
    assert close.get_by_label("Adopt").evaluate("el => el.validity.valueMissing")
    assert PDSACycle.objects.get(number=1).closed_on is None
    close.get_by_label("Do: what happened").fill("Audited 18 cribs in 45 minutes.")
    close.get_by_label("Study: what we learned").fill("Quicker than predicted; 55 % safe.")
    close.get_by_label("Adapt").check()
    close.get_by_label("Closed on").fill("2016-02-02")
    close.get_by_role("button", name="Close the cycle").click()
    page.wait_for_url(base + "/networks/safe-sleep/ga/improvement/cycles/1/")
    assert "closed: adapt" in page.locator(".messages").inner_text()
    assert page.locator("#cycle-decision").inner_text() == "Adapt"
    screenshot(page, "pdsa-closed")
    cycle = PDSACycle.objects.get(number=1)
    assert (cycle.decision, cycle.closed_on) == ("adapt", dt.date(2016, 2, 2))

    # The improvement app registers its cycles as chart markers (coiin.charts.markers):
    # the cycle's start as a marker on SS-CRIB.
    assert f"PDSA 1: {TITLE}" in spec
