"""The sign-in page in the platform's own look, without the closed sign-up, and refusals
worded for what was refused."""

from __future__ import annotations

from coiin import access
from coiin.access import Action

from ..conftest import PASSWORD


def test_the_sign_in_page_offers_no_sign_up(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in html and "sign up" not in html.lower()
    assert "Membership is by invitation" in html
    assert '<label for="id_login">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert "/accounts/password/reset/" in html
    assert 'class="narrow card"' in html  # the platform's card, not allauth's bare form


def test_a_wrong_password_is_said_on_the_page(client, data_lead):
    response = client.post("/accounts/login/", {"login": data_lead.email,
                                                 "password": PASSWORD + "-wrong"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_a_member_refused_a_page_is_not_told_they_may_see_it(client, data_lead):
    """The national view is for faculty, backbone staff and the funder: a data lead is a
    member (so 403, not 404), but may not see it."""
    client.force_login(data_lead)
    response = client.get("/national/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "may see this" not in html
    assert "for other roles in the network than yours" in html
    assert 'href="/my-work/"' in html


def test_a_refused_change_still_says_the_thing_may_be_seen():
    assert access.core.default_refusal(Action.REVIEW_DATA) == \
        "You may see this, but not change it."
    assert "may see" not in access.core.default_refusal(Action.VIEW_NETWORK_DATA)


def test_faculty_refused_a_teams_draft_period_is_not_told_they_may_see_it(client, faculty,
                                                                         team):
    """Faculty see a team's submitted periods, not its drafts: the refusal of a draft says
    it is for others, not "you may see this, but not change it"."""
    client.force_login(faculty)
    response = client.get("/networks/safe-sleep/ga/data/2015-01/")  # never started
    html = response.content.decode()
    assert response.status_code == 403
    assert "may see this" not in html
    assert "for other roles in the network than yours" in html
    assert access.core.default_refusal(Action.ENTER_DATA, seen=False) == \
        "This is for other roles in the network than yours."


def test_not_found_points_back_to_my_work(client, data_lead):
    client.force_login(data_lead)
    html = client.get("/networks/no-such-network/zz/").content.decode()
    assert 'href="/my-work/">Back to my work' in html
