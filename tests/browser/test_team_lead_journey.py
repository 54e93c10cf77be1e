"""A team lead signs in, follows the map to their team and invites a member."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from coiin.demo.network import DEMO_LOGINS, DEMO_PASSWORD
from coiin.network.models import Invitation

from .conftest import screenshot


@pytest.fixture
def demo_network(transactional_db):
    call_command("demo", "--network-only", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_team_lead_invites_a_member_from_the_map(page, live_server, demo_network, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(DEMO_LOGINS["lead"].email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + "/my-work/")
    assert page.locator(".who").inner_text() == "Tasha Greene"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.wait_for_url(live_server.url + "/")

    # The overview: 59 squares, styled by the app's own stylesheet.
    assert page.locator(".tilegrid .tile").count() == 59
    tile_colour = page.locator(".tile[data-postal=GA]").evaluate(
        "el => getComputedStyle(el).backgroundColor")
    assert tile_colour == "rgb(31, 95, 153)"  # the 2012 cohort's blue
    screenshot(page, "overview-lead")

    # Filter the map by learning network, then follow Georgia's square.
    page.get_by_role("link", name=re.compile(r"^Safe Sleep")).click()
    page.wait_for_url(re.compile(r"\?network=safe-sleep$"))
    assert page.locator(".tile[data-postal=GA]").get_attribute("class").count("is-out") == 0
    page.locator(".tile[data-postal=GA] a").click()
    page.wait_for_url(live_server.url + "/jurisdictions/ga/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Georgia")

    page.get_by_role("link", name="SIDS/SUID and Safe Sleep").click()
    page.wait_for_url(live_server.url + "/networks/safe-sleep/ga/")
    assert page.get_by_role("cell", name="Team lead").count() >= 1

    page.get_by_role("link", name="Invite a member").click()
    page.get_by_label("E-mail address").fill("new.colleague@example.org")
    page.get_by_label("Role").select_option("data_lead")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(live_server.url + "/networks/safe-sleep/ga/")
    assert "Invitation sent to new.colleague@example.org as Data lead" in page.locator(
        ".messages").inner_text()
    assert "new.colleague@example.org" in page.locator("main").inner_text()
    screenshot(page, "team-after-invite")

    invitation = Invitation.objects.get(email="new.colleague@example.org")
    assert invitation.role == "data_lead"
    assert invitation.invited_by.email == DEMO_LOGINS["lead"].email
    assert mail.outbox[-1].to == ["new.colleague@example.org"]
    assert live_server.url + "/invitations/" in mail.outbox[-1].body
