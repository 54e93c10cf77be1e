"""The change package links to the community: a change idea's page lists the library's
resources tagged with it and the posts about it; the list counts the resources. Only what
the viewer may see."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coiin.community import services
from coiin.community.models import Tag
from coiin.community.resources import services as resources
from coiin.community.uploads import check_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str, text: bytes):
    return check_upload(SimpleUploadedFile(name, b"%PDF-1.4 " + text))


@pytest.fixture
def guide(faculty, idea):
    """A document in two versions, tagged with the idea."""
    r = resources.add_resource(by=faculty, title="Crib audit toolkit",
                               file=pdf("toolkit.pdf", b"v1"), tags=[services.tag_for(idea)])
    resources.add_version(resource=r, by=faculty, file=pdf("toolkit-2.pdf", b"v2"),
                          note="New form")
    return r


@pytest.fixture
def link(faculty, idea):
    return resources.add_resource(by=faculty, title="Cribs for Kids", url="https://c4k.example",
                                  tags=[services.tag_for(idea)])


def test_members_see_the_resources_with_their_latest_version(as_persona, member, idea, guide,
                                                             link):
    page = as_persona("member").get(idea.get_absolute_url()).content.decode()
    assert "Resources in the library" in page
    assert f'href="{guide.get_absolute_url()}" lang="en">Crib audit toolkit</a>' in page
    assert "Download version 2" in page and "toolkit-2.pdf" in page
    assert f'href="{guide.get_absolute_url()}#versions">1 older version</a>' in page
    assert 'href="https://c4k.example"' in page


def test_discussions_show_only_posts_the_viewer_may_see(as_persona, lead, outsider, idea,
                                                        team):
    tag = services.tag_for(idea)
    services.create_post(author=lead, spaces=[services.network_wide_space()], kind="win",
                         title="Our audits doubled", body="Yes.", tags=[tag])
    services.create_post(author=lead, spaces=[services.space_for(team)], kind="question",
                         title="Private: who audits nights?", body="?", tags=[tag])
    mine = as_persona("lead").get(idea.get_absolute_url()).content.decode()
    assert "Discussions about this change" in mine
    assert "Our audits doubled" in mine and "Private: who audits nights?" in mine
    assert f'href="/community/?tag={tag.pk}"' in mine


def test_an_outsider_sees_only_the_shared_posts(client, lead, outsider, idea, team):
    tag = services.tag_for(idea)
    services.create_post(author=lead, spaces=[services.network_wide_space()], kind="win",
                         title="Our audits doubled", body="Yes.", tags=[tag])
    services.create_post(author=lead, spaces=[services.space_for(team)], kind="question",
                         title="Private: who audits nights?", body="?", tags=[tag])
    client.force_login(outsider)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Our audits doubled" in page and "Private: who audits nights?" not in page


def test_the_public_sees_neither_resources_nor_discussions(client, idea, guide):
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Crib audit toolkit" not in page and "Discussions about this change" not in page
    assert "sign in</a> to see the resources and discussions" in page


def test_an_idea_with_nothing_says_so_and_reading_creates_no_tag(as_persona, member, idea):
    page = as_persona("member").get(idea.get_absolute_url()).content.decode()
    assert "No resource in the library is tagged with this change yet." in page
    assert "No post you can see is tagged with this change yet." in page
    assert not Tag.objects.exists()


def test_the_change_package_counts_resources_for_members_only(as_persona, client, member,
                                                              idea, guide, link):
    url = "/networks/safe-sleep/improvement/change-package/"
    assert "2 resources in the library" not in client.get(url).content.decode()
    page = as_persona("member").get(url).content.decode()
    assert f'href="{idea.get_absolute_url()}#about-resources">2 resources in the library' \
        in page


def test_the_change_package_counts_in_a_fixed_number_of_queries(as_persona, member, faculty,
                                                                networks, idea):
    from coiin.improvement import services as improvement

    client = as_persona("member")
    url = "/networks/safe-sleep/improvement/change-package/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = queries()
    for i in range(5):
        extra = improvement.save_change_idea(network=networks["safe-sleep"],
                                             title=f"Idea {i}", description="d", evidence="e")
        resources.add_resource(by=faculty, title=f"R{i}", url="https://x.example",
                               tags=[services.tag_for(extra)])
    assert queries() == before
