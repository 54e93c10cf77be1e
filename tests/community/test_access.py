"""Who sees and writes what, for every kind of space and every persona: the space page,
a post, its attachment and search results all follow the same rule."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coiin.community import search, services
from coiin.community.uploads import check_upload

from ..conftest import PERSONAS

# Expected status of a GET, per space kind and persona (302: sign in first).
SEES = {
    "wide": {"anonymous": 302, "stranger": 404, "member": 200, "data_lead": 200, "lead": 200,
             "faculty": 200, "outsider": 200, "backbone": 200, "funder": 200},
    "network": {"anonymous": 302, "stranger": 404, "member": 200, "data_lead": 200,
                "lead": 200, "faculty": 200, "outsider": 404, "backbone": 200,
                "funder": 200},
    "team": {"anonymous": 302, "stranger": 404, "member": 200, "data_lead": 200, "lead": 200,
             "faculty": 200, "outsider": 404, "backbone": 200, "funder": 404},
    "other_team": {"anonymous": 302, "stranger": 404, "member": 404, "data_lead": 404,
                   "lead": 404, "faculty": 404, "outsider": 200, "backbone": 200,
                   "funder": 404},
}
CASES = [(kind, persona) for kind in SEES for persona in PERSONAS]


@pytest.fixture
def world(spaces, backbone, member, data_lead, lead, faculty, outsider, funder, stranger):
    """A post with a PDF attachment in each space, written by backbone staff."""
    posts = {}
    for kind, space in spaces.items():
        pdf = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 zebrafinch " + kind.encode())
        posts[kind] = services.create_post(
            author=backbone, spaces=[space], kind="idea", title=f"zebrafinch in {kind}",
            body=f"zebrafinch notes for the {kind} space", files=[check_upload(pdf)])
    return posts


@pytest.mark.parametrize("kind, persona", CASES)
def test_space_page_follows_the_policy(as_persona, world, spaces, kind, persona):
    response = as_persona(persona).get(spaces[kind].get_absolute_url())
    assert response.status_code == SEES[kind][persona]
    if response.status_code == 200:
        assert world[kind].title in response.content.decode()


@pytest.mark.parametrize("kind, persona", CASES)
def test_post_page_follows_the_policy(as_persona, world, kind, persona):
    response = as_persona(persona).get(world[kind].get_absolute_url())
    assert response.status_code == SEES[kind][persona]
    if response.status_code == 200:
        assert f"zebrafinch notes for the {kind} space" in response.content.decode()


@pytest.mark.parametrize("kind, persona", CASES)
def test_attachment_follows_its_post(as_persona, world, kind, persona):
    attachment = world[kind].attachments.get()
    response = as_persona(persona).get(attachment.get_absolute_url())
    assert response.status_code == SEES[kind][persona]
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 zebrafinch")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_search_results_follow_the_policy(request, world, persona):
    user = request.getfixturevalue(persona)
    found = {h.title for h in search.search(user, "zebrafinch", limit=50)}
    expected = {f"zebrafinch in {k}" for k in SEES if SEES[k][persona] == 200}
    assert found == expected


def test_the_search_page_never_lists_a_post_the_reader_may_not_see(as_persona, world):
    body = as_persona("outsider").get("/community/search/?q=zebrafinch").content.decode()
    assert "zebrafinch in other_team" in body and "zebrafinch in wide" in body
    assert "zebrafinch in team" not in body and "zebrafinch in network" not in body


def test_the_public_sees_nothing_of_the_community(client, world):
    for url in ["/community/", "/community/search/?q=zebrafinch", "/community/resources/",
                "/community/ta/", "/community/inbox/", world["wide"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kind", ["wide", "network"])
def test_the_funder_reads_but_may_not_post(as_persona, spaces, funder, kind):
    response = as_persona("funder").post(spaces[kind].get_absolute_url(), {
        "kind": "idea", "title": "From the funder", "body": "Hello"})
    assert response.status_code == 403


def test_the_funder_may_not_comment(as_persona, world):
    response = as_persona("funder").post(f"/community/posts/{world['wide'].pk}/comment/",
                                         {"body": "A remark"})
    assert response.status_code == 403
    assert not world["wide"].comments.exists()


def test_an_outsider_cannot_comment_on_a_team_post(as_persona, world):
    response = as_persona("outsider").post(f"/community/posts/{world['team'].pk}/comment/",
                                           {"body": "Let me in"})
    assert response.status_code == 404


def test_faculty_moderate_their_network_but_not_the_network_wide_space(as_persona, world):
    client = as_persona("faculty")
    ok = client.post(f"/community/posts/{world['team'].pk}/moderate/",
                     {"action": "pin", "reason": "Useful for every team"})
    assert ok.status_code == 302
    refused = client.post(f"/community/posts/{world['wide'].pk}/moderate/",
                          {"action": "pin", "reason": "Mine"})
    assert refused.status_code == 403


def test_a_member_may_not_moderate(as_persona, world):
    response = as_persona("member").post(f"/community/posts/{world['team'].pk}/moderate/",
                                         {"action": "hide", "reason": "I do not like it"})
    assert response.status_code == 403
    world["team"].refresh_from_db()
    assert not world["team"].hidden
