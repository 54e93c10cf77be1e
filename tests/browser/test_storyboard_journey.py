"""Backbone staff publish an approved storyboard; an anonymous visitor reads it, opens the
strategy's public charts and downloads their CSV, in which no small count appears."""

from __future__ import annotations

import csv
import re

import pytest

from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.network.models import FacultyAssignment, Team, TeamMembership
from coiin.network.services import add_member
from coiin.reports.public import publication
from coiin.storyboards import services as service
from coiin.storyboards.models import Storyboard

from ..conftest import PASSWORD, make_user
from ..reports.public.test_data import build_release, report
from ..storyboards.test_storyboards import CRIB, STORY, small
from .conftest import screenshot


@pytest.fixture
def approved(transactional_db, backbone):
    """The public release of IMR (Florida's 2015 count of 3 among it), and Georgia Safe
    Sleep's storyboard on its crib audits, written, submitted and approved."""
    jurisdictions, networks = load_reference()[:2]
    catalog = load_catalog()
    teams = build_release(jurisdictions, networks, catalog, backbone)
    for level in ("jurisdiction", "network", "national"):
        publication.publish(measure=catalog["IMR"], level=level, user=backbone)
    ga: Team = teams["GA"]
    reporting.choose_measures(team=ga, measures=[catalog["SS-CRIB"]])
    for label, (n, d) in CRIB.items():
        report(ga, catalog["SS-CRIB"], label, n, d, user=backbone)
    lead = make_user("lena.lead@example.org")
    add_member(team=ga, user=lead, role=TeamMembership.Role.LEAD)
    coach = make_user("fay.faculty@example.org")
    FacultyAssignment.objects.create(learning_network=ga.learning_network, user=coach)
    sb = service.save_storyboard(team=ga, user=lead, measure=catalog["SS-CRIB"], **STORY)
    service.submit_storyboard(storyboard=sb, user=lead)
    return service.approve_storyboard(storyboard=sb, user=coach, comment="Ready.")


def _rows(path: str) -> tuple[str, list[dict[str, str]]]:
    text = open(path, encoding="utf-8").read()  # noqa: SIM115 - read once, closed by GC
    return text, list(csv.DictReader(text.splitlines()))


def test_backbone_publishes_and_the_public_reads_it(chromium, live_server, approved,
                                                    backbone):
    base = live_server.url
    staff = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(backbone.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")
    page.goto(base + "/networks/safe-sleep/improvement/")
    page.get_by_role("link", name="The teams' storyboards: review and publish").click()
    page.wait_for_url(base + "/networks/safe-sleep/improvement/storyboards/")
    approved_section = page.locator("#to-publish")
    assert STORY["title"] in approved_section.inner_text()
    screenshot(page, "storyboard-queue")
    approved_section.get_by_role("button", name=f"Publish “{STORY['title']}”").click()
    page.wait_for_url(base + "/networks/safe-sleep/improvement/storyboards/")
    assert "Published on the public site." in page.locator(".messages").inner_text()
    assert STORY["title"] in page.locator("#published").inner_text()
    staff.close()
    approved.refresh_from_db()
    assert approved.status == Storyboard.Status.PUBLISHED

    visitor = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    page = visitor.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/public/")
    page.locator("#storyboards").get_by_role("link", name=STORY["title"]).click()
    page.wait_for_url(base + f"/public/storyboards/{approved.pk}/")
    assert "Only half of the cribs" in page.locator("#story-problem").inner_text()
    page.locator("#story-chart .vega-chart svg").wait_for()
    page.locator("#story-chart summary").click()
    january = page.locator("#story-chart tr", has=page.locator("th", has_text="2015-01"))
    assert "suppressed*" in january.inner_text()
    screenshot(page, "storyboard-public")
    with page.expect_download() as story_csv:
        page.get_by_role("link", name="Download exactly these figures (CSV)").click()
    _, rows = _rows(story_csv.value.path())
    assert [r["period"] for r in rows] == list(CRIB)
    assert not any(small(r[c]) for r in rows for c in ("numerator", "denominator"))

    page.get_by_role("link", name=re.compile(r"network's published figures$")).click()
    page.wait_for_url(base + "/public/networks/safe-sleep/")
    page.locator(".vega-chart svg").first.wait_for()
    screenshot(page, "storyboard-strategy-charts")
    with page.expect_download() as network_csv:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    text, rows = _rows(network_csv.value.path())
    assert rows and {r["measure"] for r in rows} == {"IMR"}
    assert not any(small(r[c]) for r in rows for c in ("numerator", "denominator"))
    assert ",3," not in text  # Florida's 2015 deaths
    visitor.close()
