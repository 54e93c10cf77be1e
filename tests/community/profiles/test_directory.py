"""The people directory shows expertise tags and the spaces people are active in, and
finds people by expertise."""

from __future__ import annotations

from django.urls import reverse

from coiin.community.profiles import services as profiles
from tests.community.conftest import post_in


def test_directory_shows_expertise_and_active_spaces(as_persona, lead, member, network_space,
                                                      django_assert_max_num_queries):
    profiles.set_profile(user=lead, expertise=["Safe sleep", "Medicaid data"])
    post_in(network_space, lead, title="Hello")
    client = as_persona("member")
    with django_assert_max_num_queries(20):
        html = client.get(reverse("people")).content.decode()
    assert "medicaid data" in html and "safe sleep" in html
    assert network_space.name in html


def test_search_by_expertise(as_persona, lead, member, faculty):
    profiles.set_profile(user=lead, expertise=["doula programmes"])
    client = as_persona("faculty")
    html = client.get(reverse("people"), {"expertise": "doula programmes"}).content.decode()
    assert "Lena Lead" in html and "Max Member" not in html
    html = client.get(reverse("people"), {"q": "doula"}).content.decode()
    assert "Lena Lead" in html and "Max Member" not in html


def test_active_in_only_lists_spaces_the_viewer_may_see(as_persona, lead, outsider,
                                                        team_space):
    post_in(team_space, lead, title="Private")
    html = as_persona("outsider").get(reverse("people")).content.decode()
    assert team_space.name not in html
