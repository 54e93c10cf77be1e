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


def test_a_job_title_is_marked_with_the_language_it_was_written_in(as_persona, lead, member):
    """A title is the person's own words (WCAG 3.1.2): written on the profile page in Spanish
    it says lang="es" on an English reader's directory; titles from before are English."""
    lead.title = "Network director"
    lead.save()
    lead.refresh_from_db()
    assert lead.title_language == "en"
    member.language = "es"
    member.save()
    client = as_persona("member")
    client.post(reverse("community:profile"), {"title": "Coordinadora de datos",
                                               "expertise": "", "about": ""})
    member.refresh_from_db()
    assert (member.title, member.title_language) == ("Coordinadora de datos", "es")
    member.language = "en"
    member.save()
    html = client.get(reverse("people")).content.decode()
    assert '<span class="muted small" lang="es">Coordinadora de datos</span>' in html
    assert '<span class="muted small" lang="en">Network director</span>' in html
