"""The data lead's core journey and a coach's review with the keyboard only: Tab, Shift+Tab,
Enter and typing; never the mouse. Every control reached shows where the focus is."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period

from ..conftest import PASSWORD

pytestmark = pytest.mark.template_only

# The focused element, and whether it shows it: an outline or a ring drawn around it.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2)
    || (s.boxShadow && s.boxShadow !== "none");
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(),
          label: el.getAttribute("aria-label") || (el.labels && el.labels[0]
                 ? el.labels[0].innerText.trim() : ""),
          href: el.getAttribute("href") || "", visible: ring};
}"""


def tab_to(page, matches, *, back: bool = False, limit: int = 250) -> dict:
    """Press Tab (Shift+Tab) until the focused element matches; every element passed on the
    way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:
            continue
        assert focused["visible"], f"focus not visible on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"no focusable element matched after {limit} presses")


def sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    tab_to(page, lambda f: f["tag"] == "input" and f["label"].startswith("Email"))
    page.keyboard.type(email)
    tab_to(page, lambda f: f["tag"] == "input" and f["label"].startswith("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/my-work/")


@pytest.fixture
def month(settings):
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


def test_data_lead_reports_and_coach_reviews_with_the_keyboard_only(
        page, live_server, transactional_db, team, chosen, data_lead, faculty, month):
    base = live_server.url
    team.joined_on = month.start.replace(year=month.start.year - 1)
    team.save()

    # Sign in, open the due period from My work.
    sign_in(page, base, data_lead.email)
    tab_to(page, lambda f: f["text"].startswith("Enter data") and month.label in f["href"])
    page.keyboard.press("Enter")
    page.wait_for_url(base + f"/networks/safe-sleep/ga/data/{month.label}/")

    # Enter values: a numerator above its denominator is refused first, then corrected.
    for label, value in (("SS-CRIB numerator", "46"), ("SS-CRIB denominator", "40"),
                         ("SS-EDU numerator", "31"), ("SS-EDU denominator", "35")):
        tab_to(page, lambda f, label=label: f["label"] == label)
        page.keyboard.type(value)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save and submit")
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    assert not DataValue.objects.exists()
    # Back to the numerator from the top of the form, the other way round.
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save and submit")
    tab_to(page, lambda f: f["label"] == "SS-CRIB numerator", back=True)
    page.keyboard.press("Control+A")
    page.keyboard.type("36")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save and submit")
    page.keyboard.press("Enter")
    page.locator(".messages").wait_for()
    assert "submitted for review" in page.locator(".messages").inner_text()
    assert Submission.objects.get().status == "submitted"

    # See the chart: the team's charts, then the crib audits'.
    page.goto(base + "/my-work/")
    tab_to(page, lambda f: f["text"] == "Charts" and f["href"].endswith(
        "/networks/safe-sleep/ga/charts/"))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/")
    tab_to(page, lambda f: f["href"].endswith("/charts/SS-CRIB/"))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/networks/safe-sleep/ga/charts/SS-CRIB/")
    page.locator(".vega-chart svg").first.wait_for()
    tab_to(page, lambda f: f["tag"] == "summary" and f["text"].startswith("The data as a table"))
    page.keyboard.press("Space")  # opens the chart's table
    table = page.locator(".chart-table table")
    table.wait_for()
    assert "90" in table.inner_text()

    # The coach reviews it.
    sign_in(page, base, faculty.email)
    page.goto(base + f"/networks/safe-sleep/ga/data/{month.label}/")
    tab_to(page, lambda f: f["tag"] == "textarea" and f["label"].startswith("Assessment"))
    page.keyboard.type("Crib audits look strong; spread to the second unit.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Mark reviewed")
    page.keyboard.press("Enter")
    page.locator(".assessment").wait_for()
    assert "Crib audits look strong" in page.locator(".assessment").inner_text()
    submission = Submission.objects.get()
    assert submission.status == "reviewed" and submission.reviewed_by == faculty
