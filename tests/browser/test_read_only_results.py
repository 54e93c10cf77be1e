"""A read-only period shows every result in Chromium: the script that computes results
as they are typed leaves alone the rows that have nothing typed in them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coiin.measures import services
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry

from ..conftest import PASSWORD
from .conftest import screenshot


@pytest.fixture
def submitted(settings, team, chosen, catalog, data_lead):
    settings.REPORTING_GRACE_DAYS = 60
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team.joined_on = month.start.replace(year=month.start.year - 1)
    team.save()
    before = month.previous()  # a second month, so the current one has a series to show
    earlier = services.submission_for(team, before)
    services.save_values(submission=earlier, user=data_lead, expected_version=0, entries=[
        Entry(catalog["SS-CRIB"], before.label, numerator="21", denominator="42")],
        today=before.end + dt.timedelta(days=1))
    services.submit(submission=earlier, user=data_lead,
                    today=before.end + dt.timedelta(days=1))
    submission = services.submission_for(team, month)
    services.save_values(submission=submission, user=data_lead, expected_version=0, entries=[
        Entry(catalog["SS-CRIB"], month.label, numerator="30", denominator="42"),
        Entry(catalog["SS-EDU"], month.label, numerator="31", denominator="35")])
    services.submit(submission=submission, user=data_lead)
    return month


def sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")


def test_read_only_period_shows_every_result(page, live_server, transactional_db, submitted,
                                             faculty, data_lead):
    base = live_server.url
    for user in (faculty, data_lead):  # reviewing, and looking back at one's own
        sign_in(page, base, user)
        page.goto(base + f"/networks/safe-sleep/ga/data/{submitted.label}/")
        page.wait_for_load_state("load")
        assert page.locator("input.in-num").count() == 0  # read-only
        results = page.locator("table.entry output.result").all_inner_texts()
        assert results == ["71.43", "88.57"], results
    screenshot(page, "read-only-results")


def test_typing_moves_this_periods_dot_on_the_small_chart(page, live_server, transactional_db,
                                                          submitted, data_lead):
    """The page shows the stored series without a script; typing moves this period's dot
    to where the new value falls, before anything is submitted."""
    base = live_server.url
    sign_in(page, base, data_lead)
    page.goto(base + f"/networks/safe-sleep/ga/data/{submitted.next().label}/")
    row = page.locator("tr", has=page.get_by_label("SS-CRIB numerator"))
    dot = row.locator("svg.spark circle.now")
    assert "none" in dot.get_attribute("class")  # nothing typed yet: no dot
    page.get_by_label("SS-CRIB numerator").fill("40")
    page.get_by_label("SS-CRIB denominator").fill("42")  # 95.24 %: above both earlier months
    assert dot.get_attribute("class") == "now out"
    high = float(dot.get_attribute("cy"))
    page.get_by_label("SS-CRIB numerator").fill("26")  # 61.9 %: between 50 and 71.43
    assert dot.get_attribute("class") == "now"
    assert 2 < float(dot.get_attribute("cy")) < 22 and high < 2  # lower on the page
