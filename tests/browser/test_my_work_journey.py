"""Each role signs in, lands on My work, and reaches their first task in at most two
clicks, at 1280 px and on a 390 px phone, with nothing wider than the screen and no
table that has to be scrolled sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period

from ..conftest import PASSWORD
from .conftest import screenshot

WIDTHS = (1280, 390)

# What fits: the page is no wider than the screen, and every table fits its box.
FITS = """() => {
  const w = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > w) problems.push(
      'page ' + document.documentElement.scrollWidth + ' > ' + w);
  for (const t of document.querySelectorAll('main table')) {
    const box = t.parentElement.clientWidth;
    if (t.scrollWidth > box + 1) problems.push(
        'table ' + (t.className || '') + ' ' + t.scrollWidth + ' > ' + box);
  }
  return problems;
}"""


@pytest.fixture
def months(settings, team, chosen):
    """Last month due at Georgia; the one before submitted, the one before that reviewed."""
    settings.REPORTING_GRACE_DAYS = 60
    last = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team.joined_on = last.start - dt.timedelta(days=400)
    team.save()
    for period, status in ((last.previous(), Submission.Status.SUBMITTED),
                           (last.previous().previous(), Submission.Status.REVIEWED)):
        Submission.objects.create(team=team, frequency="monthly", period_start=period.start,
                                  status=status, submitted_at=timezone.now())
    return last, last.previous(), last.previous().previous()


def sign_in(page, base, user, kept: dict | None = None):
    """Sign in through the form and land on My work. With ``kept``, only the person's first
    sign-in in the test goes through the form: later ones (the same journey at another width)
    put back the cookies that sign-in gave, as the person's browser keeps them, and open
    My work; the form is still used once per person."""
    page.context.clear_cookies()
    if kept is not None and user.pk in kept:
        page.context.add_cookies(kept[user.pk])
        page.goto(base + "/my-work/")
        assert page.url == base + "/my-work/", page.url
        return
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/my-work/")
    if kept is not None:
        kept[user.pk] = page.context.cookies()


def check_fits(page, name):
    screenshot(page, name)
    assert page.evaluate(FITS) == [], name


def first_task(page, persona, months):
    """Click through to the role's first task; returns the number of clicks."""
    due, submitted, reviewed = months
    if persona in ("data_lead", "lead", "member"):
        page.get_by_role("link", name=f"Enter data for Georgia Safe Sleep, {due.display}").click()
        page.wait_for_url(re.compile(rf"/data/{due.label}/$"))
        assert page.get_by_role("button", name="Save draft").is_visible()
        return 1
    if persona == "faculty":
        page.get_by_role("link", name=f"Review Georgia Safe Sleep, {submitted.display}").click()
        page.wait_for_url(re.compile(rf"/data/{submitted.label}/$"))
        assert page.get_by_role("button", name="Mark reviewed").is_visible()
        return 1
    if persona == "backbone":
        page.get_by_role("link", name=f"Lock Georgia Safe Sleep, {reviewed.display}").click()
        page.wait_for_url(re.compile(rf"/data/{reviewed.label}/$"))
        page.get_by_text("Lock period…").click()
        assert page.get_by_role("button", name=f"Yes, lock {reviewed.display}").is_visible()
        return 2
    assert persona == "funder"
    page.get_by_role("link", name="Safe Sleep", exact=True).click()
    page.wait_for_url(re.compile(r"/data/status/\?network=safe-sleep$"))
    return 1


@pytest.mark.parametrize("persona", ["data_lead", "lead", "member", "faculty", "backbone",
                                     "funder"])
def test_each_role_reaches_its_first_task_from_my_work(chromium, live_server, transactional_db,
                                                       request, persona, months):
    user = request.getfixturevalue(persona)
    kept: dict = {}
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            sign_in(page, live_server.url, user, kept)
            assert page.get_by_role("heading", name="My work", level=1).is_visible()
            check_fits(page, f"my-work-{persona}-{width}")
            assert first_task(page, persona, months) <= 2
            check_fits(page, f"first-task-{persona}-{width}")
        finally:
            context.close()
