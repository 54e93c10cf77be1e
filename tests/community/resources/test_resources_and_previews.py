"""The resource library with versions; preview cards for links; the community profile."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coiin.community import previews, services
from coiin.community.profiles import services as profiles
from coiin.community.profiles.models import CommunityProfile
from coiin.community.resources import services as resources
from coiin.community.resources.models import Resource, ResourceVersion
from coiin.community.uploads import check_upload
from tests.community.conftest import post_in


def pdf(name="guide.pdf", text=b"v1"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + text)


def test_a_new_version_keeps_the_old_one_reachable(as_persona, faculty, networks, lead):
    response = as_persona("faculty").post("/community/resources/", {
        "title": "Safe sleep guide", "description": "For nurses",
        "network": networks["safe-sleep"].pk, "file": pdf()})
    resource = Resource.objects.get()
    assert response.status_code == 302 and resource.kind == "document"
    client = as_persona("faculty")
    response = client.post(f"/community/resources/{resource.pk}/versions/",
                           {"file": pdf("guide-2.pdf", b"v2"), "note": "Updated figures"})
    assert response.status_code == 302
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    old = client.get(f"/community/resources/{resource.pk}/v1/")
    assert b"".join(old.streaming_content) == b"%PDF-1.4 v1"
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Version 2: guide-2.pdf" in page and "Version 1: guide.pdf" in page
    assert "Safe Sleep" in page  # tagged with its network


def test_a_bad_version_stores_nothing(as_persona, faculty):
    resource = resources.add_resource(by=faculty, title="Guide", file=check_upload(pdf()))
    response = as_persona("faculty").post(f"/community/resources/{resource.pk}/versions/",
                                          {"file": SimpleUploadedFile("x.pdf", b"MZ...")})
    assert response.status_code == 400 and ResourceVersion.objects.count() == 1


def test_only_the_adder_faculty_or_backbone_upload_versions(as_persona, faculty, member,
                                                            networks):
    resource = resources.add_resource(by=faculty, title="Guide", file=check_upload(pdf()),
                                      network=networks["safe-sleep"])
    response = as_persona("member").post(f"/community/resources/{resource.pk}/versions/",
                                         {"file": pdf()})
    assert response.status_code == 403


def test_links_are_resources_too(faculty):
    r = resources.add_resource(by=faculty, title="AAP policy", url="https://aap.example/p")
    assert r.kind == "link" and not r.versions.exists()


@pytest.mark.parametrize("persona, status", [
    ("member", 200), ("funder", 200), ("outsider", 200), ("stranger", 404),
    ("anonymous", 302)])
def test_the_library_is_for_members(as_persona, faculty, persona, status, member, funder,
                                    outsider, stranger):
    resources.add_resource(by=faculty, title="Guide", file=check_upload(pdf()))
    assert as_persona(persona).get("/community/resources/").status_code == status


def test_the_funder_may_not_add_resources(as_persona, funder):
    response = as_persona("funder").post("/community/resources/", {
        "title": "Mine", "url": "https://x.example"})
    assert response.status_code == 403


def test_resources_are_found_by_the_object_they_are_tagged_with(faculty, catalog):
    tag = services.tag_for(catalog["SS-CRIB"])
    r = resources.add_resource(by=faculty, title="Audit tool", url="https://x.example",
                               tags=[tag])
    assert list(resources.resources_for(catalog["SS-CRIB"])) == [r]


class TestPreviewCards:
    def test_a_chart_link_shows_a_card_to_those_who_may_see_the_data(
            self, lead, team, chosen, team_space):
        post = post_in(team_space, lead, body="See [our chart]"
                       "(/networks/safe-sleep/ga/charts/SS-CRIB/).")
        card = previews.card_for(lead, post.links[0])
        assert card.kind == "Chart" and "Georgia" in card.subtitle
        assert card.summary == "No data reported yet."

    def test_no_chart_card_for_someone_who_may_not_see_the_data(self, lead, outsider, team, chosen):
        assert previews.card_for(outsider, "/networks/safe-sleep/ga/charts/SS-CRIB/") is None

    def test_measure_and_team_cards(self, lead, team, catalog):
        assert previews.card_for(lead, "/measures/SS-CRIB/").title == catalog["SS-CRIB"].name
        assert previews.card_for(lead, "/networks/safe-sleep/ga/").kind == "Team"
        assert previews.card_for(lead, "/no/such/page/") is None

    def test_the_post_page_shows_the_cards(self, as_persona, lead, team, chosen, team_space):
        post = post_in(team_space, lead, body="[chart](/networks/safe-sleep/ga/charts/"
                       "SS-CRIB/) and [measure](/measures/SS-CRIB/)")
        page = as_persona("lead").get(post.get_absolute_url()).content.decode()
        assert page.count('class="preview-card"') == 2

    def test_other_apps_register_previews(self, lead):
        previews.register("overview")(lambda user: previews.Card("Home", "Overview", "/"))
        try:
            assert previews.card_for(lead, "/").title == "Overview"
        finally:
            del previews.REGISTRY["overview"]


def test_a_member_sets_expertise_tags(as_persona, member, team_space, lead):
    response = as_persona("member").post("/community/profile/", {
        "expertise": "Safe sleep, Medicaid data, safe sleep", "about": "Nurse"})
    assert response.status_code == 302
    profile = CommunityProfile.objects.get(user=member)
    assert sorted(t.name for t in profile.expertise.all()) == ["medicaid data", "safe sleep"]
    post_in(team_space, member)
    extras = profiles.directory_extras([member], viewer=lead)
    assert extras[member.pk] == {"expertise": ["medicaid data", "safe sleep"],
                                 "spaces": [team_space.display_name]}


def test_directory_extras_hide_spaces_the_viewer_cannot_see(member, outsider, team_space):
    post_in(team_space, member)
    assert profiles.directory_extras([member], viewer=outsider)[member.pk]["spaces"] == []
