"""Faculty set the primary measure of a change idea the driver diagram links to two
measures, and its estimate appears with the event-study chart; an adoption typed with an
earlier date changes nothing until faculty confirm that date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coiin.improvement import services

from ..conftest import PASSWORD
from ..improvement.effects_data import build
from .conftest import screenshot

LONG_AGO = dt.date(2015, 3, 2)


@pytest.fixture
def known(transactional_db, jurisdictions, networks, catalog):
    """The small network whose truth is known, with "Crib audits" also hanging from a
    second driver (measured by SS-EDU), so faculty must choose its primary measure."""
    known = build(jurisdictions, networks, catalog)
    diagram = services.diagram_for(known["network"])
    families = services.add_node(diagram=diagram, kind="primary", text="Families learn",
                                 measure=catalog["SS-EDU"])
    teach = services.add_node(diagram=diagram, kind="secondary", text="Teach-back",
                              parent=families)
    services.add_node(diagram=diagram, kind="change", text="", parent=teach,
                      change_idea=known["works"])
    return known


def _sentence(page) -> str:
    return page.locator("#effect .effect-sentence").inner_text()


def test_faculty_set_the_primary_measure_and_confirm_a_back_dated_adoption(
        page, live_server, known, faculty):
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(faculty.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/my-work/")

    idea = known["works"]
    page.goto(base + idea.get_absolute_url())
    effect = page.locator("#effect")
    expect(effect).to_contain_text("Faculty choose the one its effect is judged on")
    expect(effect.locator(".effect-sentence")).to_have_count(0)
    expect(effect.locator(".vega-chart")).to_have_count(0)

    choice = page.get_by_label("Primary measure")
    expect(choice.locator("option")).to_have_text([re.compile(r"^SS-CRIB"),
                                                    re.compile(r"^SS-EDU")])
    choice.select_option(value=str(known["measure"].pk))
    page.get_by_role("button", name="Set primary measure").click()
    expect(page.locator("body")).to_contain_text("The primary measure of Crib audits is now "
                                                 "SS-CRIB")
    expect(effect).to_contain_text("Primary measure: SS-CRIB")
    expect(effect.locator(".effect-sentence")).to_contain_text(
        "Teams that adopted Crib audits improved their")
    expect(effect.locator(".effect-sentence")).to_contain_text("12 adopting")
    # vega-embed drew the event study: an svg or canvas inside the chart's element.
    expect(effect.locator(".vega-chart svg, .vega-chart canvas").first).to_be_visible()
    before = _sentence(page)
    screenshot(page, "what-works-primary-measure")

    # A team that never adopted Crib audits records today that it began in March 2015.
    team = known["teams"][1]
    services.set_status(team=team, change_idea=idea, status="testing", on=LONG_AGO)
    page.reload()
    expect(effect).to_contain_text("Back-dated adoptions awaiting confirmation")
    expect(effect).to_contain_text("count from the day recorded until faculty confirm")
    assert _sentence(page) == before  # same adopting teams, same estimate

    page.get_by_role("button", name="Confirm 2 Mar 2015").click()
    expect(page.locator("body")).to_contain_text("is confirmed: the estimate now counts it "
                                                 "from then")
    expect(effect.locator(".effect-sentence")).to_contain_text("13 adopting")
    after = _sentence(page)
    assert after != before and "12 adopting" not in after
    expect(effect).not_to_contain_text("Back-dated adoptions awaiting confirmation")
    expect(effect.locator(".vega-chart svg, .vega-chart canvas").first).to_be_visible()
    screenshot(page, "what-works-confirmed")
