"""The pages a data lead, a coach and backbone staff work in (and the signed-out ones:
sign-in, the public site, refusals) fit the screen at 1280 px and on a 390 px phone:
no element wider than the viewport, no table wider than its box. Screenshots of each
land in test-artifacts/ with COIIN_SCREENSHOTS=1. From 1280 px up the header does not wrap
(faculty and backbone staff have the longest menus). Each person signs in through the form
at 1280 px; at 390 px their browser keeps the session that sign-in gave."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from coiin.measures import services as reporting
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period
from coiin.measures.validation import Entry

from .conftest import screenshot
from .test_my_work_journey import FITS, WIDTHS, sign_in

AT = {"slug": "safe-sleep", "postal": "ga"}
# Wide elements that may scroll on their own inside a box that fits (charts' pictures).
ELEMENTS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [];
  for (const e of document.querySelectorAll('main *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && !e.closest('.table-scroll, .vega-chart, pre')) {
      wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && typeof e.className === 'string' ? '.' + e.className : '') +
                ' right ' + Math.round(r.right) + ' > ' + w);
    }
  }
  return wide.slice(0, 5);
}"""


@pytest.fixture
def months(settings, team, chosen):
    """Last month due at Georgia; the one before submitted, the one before that reviewed
    (as My work's journey has them)."""
    settings.REPORTING_GRACE_DAYS = 60
    last = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team.joined_on = last.start - dt.timedelta(days=400)
    team.save()
    for period, status in ((last.previous(), Submission.Status.SUBMITTED),
                           (last.previous().previous(), Submission.Status.REVIEWED)):
        Submission.objects.create(team=team, frequency="monthly", period_start=period.start,
                                  status=status, submitted_at=timezone.now())
    return last, last.previous(), last.previous().previous()

# From 1280 px up the header keeps to one line: its menu's links and the account links
# all sit on the same row.
ONE_LINE_HEADER = """() => {
  const items = [...document.querySelectorAll('.site-header nav a, .site-header .account a')]
    .map(a => a.getBoundingClientRect()).filter(r => r.width > 0);
  const tops = new Set(items.map(r => Math.round(r.top + r.height / 2)));
  return tops.size <= 1 ? [] : ['header wraps: link rows at ' + [...tops].join(', ')];
}"""


def _report(team, measure, user, periods):
    """Values of a year of crib audits, submitted: the chart and the tables have rows."""
    rng = random.Random(7)  # noqa: S311 - test data
    for period in periods:
        sub = reporting.submission_for(team, period)
        den = rng.randint(40, 60)
        reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                              entries=[Entry(measure, period.label, numerator=str(
                                  rng.randint(15, den)), denominator=str(den), confirm="ok")],
                              today=period.end + dt.timedelta(days=3))
        sub.refresh_from_db()
        if sub.status == Submission.Status.DRAFT:
            reporting.submit(submission=sub, user=user,
                             today=period.end + dt.timedelta(days=3))


def _pages(due):
    return [
        ("my-work", reverse("my_work")),
        ("status", reverse("reporting_status")),
        ("status-network", reverse("reporting_status") + "?network=safe-sleep"),
        ("period-list", reverse("team_data", kwargs=AT)),
        ("entry", reverse("enter_data", kwargs={**AT, "label": due.label})),
        ("event-log", reverse("event_log", kwargs={**AT, "code": "SS-SRID"})),
        ("network-chart-settings", reverse("network_chart_settings",
                                           kwargs={"slug": "safe-sleep", "code": "SS-CRIB"})),
        ("chart", reverse("chart", kwargs={**AT, "code": "SS-CRIB"})),
        ("dashboard", reverse("dashboard", kwargs=AT)),
        ("network-charts", reverse("network_dashboard", kwargs={"slug": "safe-sleep"})),
        ("what-works", reverse("improvement:network_what_works",
                               kwargs={"slug": "safe-sleep"})),
        ("import", reverse("import_data")),
    ]


SIGNED_OUT = [("sign-in", "/accounts/login/"), ("public", "/public/"),
              ("public-network", "/public/networks/safe-sleep/"),
              ("not-found", "/no-such-page/")]


def _check(page, base, name, path, width, problems):
    page.goto(base + path, wait_until="load")
    charts = page.locator(".vega-chart")
    if charts.count():  # the charts draw after the page loads
        charts.first.locator("svg, canvas").first.wait_for(timeout=5_000)
    screenshot(page, f"fits-{name}-{width}")
    found = page.evaluate(FITS) + page.evaluate(ELEMENTS)
    if width >= 1280:
        found += page.evaluate(ONE_LINE_HEADER)
    if found:
        problems.append(f"{name} at {width}: {found}")


def test_the_working_pages_fit_at_1280_and_390_px(chromium, live_server, transactional_db,
                                                  backbone, faculty, data_lead, chosen,
                                                  catalog, team, months):
    due, submitted, reviewed = months
    period, year = reviewed.previous(), []
    for _ in range(12):
        year.insert(0, period)
        period = period.previous()
    _report(team, catalog["SS-CRIB"], data_lead, year)
    reporting.choose_measures(team=team, measures=[*chosen, catalog["SS-SRID"]])
    problems: list[str] = []
    kept: dict = {}  # each person signs in through the form at the first width only
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            for name, path in SIGNED_OUT:
                _check(page, live_server.url, name, path, width, problems)
            sign_in(page, live_server.url, data_lead, kept)
            # Refused: a data lead may not change the network's chart settings.
            _check(page, live_server.url, "refused", reverse("network_chart_settings", kwargs={
                "slug": "safe-sleep", "code": "SS-CRIB"}), width, problems)
            sign_in(page, live_server.url, faculty, kept)  # the coach's menu
            _check(page, live_server.url, "faculty-my-work", reverse("my_work"), width,
                   problems)
            _check(page, live_server.url, "faculty-status", reverse("reporting_status"),
                   width, problems)
            sign_in(page, live_server.url, backbone, kept)
            for name, path in _pages(due):
                _check(page, live_server.url, name, path, width, problems)
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
