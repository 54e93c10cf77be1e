"""Preview cards for change ideas and PDSA cycles; the tag and resource pickers of the post
form; tag links that filter the feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from coiin.community import previews, services
from coiin.community.forms import MAX_TAGS, PostForm
from coiin.community.models import Post, Tag
from coiin.community.resources import services as resources
from coiin.improvement import services as improvement
from coiin.improvement.models import ChangeIdea, PDSACycle

from .conftest import post_in

PLAN = {
    "objective": "Find out whether night staff can run the monthly crib audit.",
    "questions": "Can night staff audit 20 cribs in one shift?",
    "predictions": "Yes, in under an hour.",
    "plan_who": "Two night-shift nurses", "plan_what": "Audit 20 cribs",
    "plan_where": "Newborn unit", "starts": dt.date(2015, 6, 1), "ends": dt.date(2015, 6, 30),
}


@pytest.fixture
def idea(networks) -> ChangeIdea:
    return improvement.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits in birthing hospitals",
        description="Audit infant sleep environments every month.",
        evidence="AAP 2016 safe sleep recommendations; Cribs for Kids certification.")


@pytest.fixture
def cycle(team, idea, lead) -> PDSACycle:
    return improvement.plan_cycle(team=team, change_idea=idea, user=lead,
                                  title="Night-shift crib audit", **PLAN)


def idea_path(idea: ChangeIdea) -> str:
    return f"/networks/safe-sleep/improvement/change-package/{idea.pk}/"


def cycle_path(cycle: PDSACycle) -> str:
    return f"/networks/safe-sleep/ga/improvement/cycles/{cycle.number}/"


class TestChangeIdeaCards:
    def test_a_change_idea_link_shows_its_title_network_evidence_and_adoption(
            self, lead, team, idea):
        improvement.set_status(team=team, change_idea=idea, status="testing",
                               on=dt.date(2015, 5, 1), user=lead)
        card = previews.card_for(lead, idea_path(idea))
        assert card.kind == "Change idea" and card.title == idea.title
        assert card.url == idea.get_absolute_url()
        assert team.learning_network.name in card.subtitle
        assert "Adopted by 1 team" in card.subtitle
        assert card.summary.startswith("Evidence: AAP 2016")

    def test_an_unknown_idea_or_one_under_another_network_shows_no_card(self, lead, idea):
        assert previews.card_for(lead, f"/networks/safe-sleep/improvement/change-package/"
                                       f"{idea.pk + 99}/") is None
        assert previews.card_for(
            lead, f"/networks/smoking-cessation/improvement/change-package/{idea.pk}/") is None


class TestInTheReadersLanguage:
    def test_cards_are_worded_in_the_readers_language(self, lead, team, idea, cycle):
        improvement.set_status(team=team, change_idea=idea, status="testing",
                               on=dt.date(2015, 5, 1), user=lead)
        with translation.override("es"):
            card = previews.card_for(lead, idea_path(idea))
            assert card.kind == "Idea de cambio"
            assert card.subtitle.startswith("Paquete de cambios de ")
            assert card.subtitle.endswith(" · Adoptada por 1 equipo")
            assert card.summary.startswith("Evidencia: ")
            cycle_card = previews.card_for(lead, cycle_path(cycle))
            assert cycle_card.kind == "Ciclo PDSA"
            assert cycle_card.summary == "En curso desde el 1 Jun 2015."
            team_card = previews.card_for(lead, "/networks/safe-sleep/ga/")
            assert team_card.kind == "Equipo" and team_card.summary.startswith("Se unió en ")


class TestCycleCards:
    def test_the_team_sees_the_cycle_title_team_idea_and_status(self, lead, team, cycle):
        card = previews.card_for(lead, cycle_path(cycle))
        assert card.kind == "PDSA cycle" and card.title == f"PDSA 1: {cycle.title}"
        assert str(team) in card.subtitle and cycle.change_idea.title in card.subtitle
        assert card.summary == "Running since Jun 1, 2015."

    def test_a_closed_cycle_card_gives_the_decision(self, lead, faculty, cycle):
        improvement.close_cycle(cycle=cycle, decision="adopt", what_happened="Went well",
                                learned="Night staff can do it", on=dt.date(2015, 7, 2))
        assert previews.card_for(faculty, cycle_path(cycle)).summary == \
            "Closed Jul 2, 2015: adopt."

    @pytest.mark.parametrize("persona", ["faculty", "backbone", "funder"])
    def test_those_close_to_the_team_see_the_card(self, request, cycle, persona):
        assert previews.card_for(request.getfixturevalue(persona), cycle_path(cycle)) \
            is not None

    @pytest.mark.parametrize("persona", ["outsider", "stranger"])
    def test_someone_who_may_not_see_the_team_gets_no_card(self, request, cycle, persona):
        assert previews.card_for(request.getfixturevalue(persona), cycle_path(cycle)) is None

    def test_in_a_post_the_outsider_sees_a_plain_link_and_never_the_title(
            self, as_persona, lead, outsider, cycle, wide):
        post = post_in(wide, lead, title="Our night audit",
                       body=f"How we ran [our test]({cycle_path(cycle)}).")
        page = as_persona("outsider").get(post.get_absolute_url()).content.decode()
        assert f'href="{cycle_path(cycle)}"' in page  # the author's link stays
        assert 'class="preview-card"' not in page
        assert cycle.title not in page and "PDSA cycle" not in page

    def test_in_a_post_the_team_sees_the_cycle_and_idea_cards(self, as_persona, lead, cycle,
                                                              idea, wide):
        post = post_in(wide, lead, title="Our night audit",
                       body=f"[test]({cycle_path(cycle)}) of [the idea]({idea_path(idea)})")
        page = as_persona("lead").get(post.get_absolute_url()).content.decode()
        assert page.count('class="preview-card"') == 2
        assert "PDSA 1: Night-shift crib audit" in page and "Running since" in page
        assert "Change idea" in page and "Evidence: AAP 2016" in page


class TestTagPicker:
    def test_the_form_groups_ideas_measures_and_jurisdictions(self, as_persona, lead,
                                                              team_space, idea, catalog):
        page = as_persona("lead").get(team_space.get_absolute_url()).content.decode()
        assert '<select name="tags"' in page and "multiple" in page
        assert '<optgroup label="Change ideas: Safe Sleep">' in page
        assert f'<option value="idea:{idea.pk}" title="{idea.title}">{idea.title}</option>' \
            in page
        assert '<optgroup label="Measures">' in page and 'value="measure:SS-CRIB"' in page
        assert '<optgroup label="Jurisdictions">' in page and 'value="jurisdiction:GA"' in page
        assert "community/tag-picker" in page  # the filter box, for those with scripts

    def test_a_post_is_tagged_and_its_tags_link_to_the_pages(self, as_persona, lead,
                                                             team_space, idea, catalog):
        client = as_persona("lead")
        response = client.post(team_space.get_absolute_url(), {
            "kind": "idea", "title": "Audits at night", "body": "Try it.",
            "tags": [f"idea:{idea.pk}", "measure:SS-CRIB", "jurisdiction:GA"]})
        post = Post.objects.get()
        assert response.status_code == 302
        assert {t.label for t in post.tags.all()} == {idea.title, "SS-CRIB", "Georgia"}
        page = client.get(post.get_absolute_url()).content.decode()
        assert f'href="{idea.get_absolute_url()}"' in page
        assert 'href="/measures/SS-CRIB/"' in page
        assert f'href="{reverse("jurisdiction", args=["ga"])}"' in page
        tag = Tag.objects.get(object_id=idea.pk)
        assert f'href="/community/?tag={tag.pk}"' in page

    def test_an_unknown_tag_is_refused_on_its_field_and_nothing_is_stored(
            self, as_persona, lead, team_space):
        response = as_persona("lead").post(team_space.get_absolute_url(), {
            "kind": "idea", "title": "T", "body": "B", "tags": ["measure:NOPE"]})
        assert response.status_code == 400
        assert response.context["form"].errors["tags"] == [
            "Unknown tag “measure:NOPE”: choose change ideas, measures and jurisdictions "
            "from the list."]
        assert not Post.objects.exists() and not Tag.objects.exists()

    def test_too_many_tags_are_refused(self, lead, team_space, jurisdictions):
        codes = sorted(jurisdictions)[:MAX_TAGS + 1]
        form = PostForm({"kind": "idea", "title": "T", "body": "B",
                         "tags": [f"jurisdiction:{c}" for c in codes]}, user=lead)
        assert not form.is_valid()
        assert form.errors["tags"] == [f"At most {MAX_TAGS} tags; you chose {MAX_TAGS + 1}."]


class TestResourcePicker:
    def test_a_post_attaches_a_library_resource(self, as_persona, lead, faculty, team_space):
        guide = resources.add_resource(by=faculty, title="Crib audit form",
                                       url="https://c4k.example/form")
        client = as_persona("lead")
        page = client.get(team_space.get_absolute_url()).content.decode()
        assert f'<option value="{guide.pk}" lang="en">Crib audit form</option>' in page
        response = client.post(team_space.get_absolute_url(), {
            "kind": "resource", "title": "A form we like", "body": "See the form.",
            "resource": guide.pk})
        post = Post.objects.get()
        assert response.status_code == 302 and post.resource == guide
        page = client.get(post.get_absolute_url()).content.decode()
        assert f'href="{guide.get_absolute_url()}" lang="en">Crib audit form</a>' in page

    def test_a_missing_resource_is_refused_on_its_field(self, as_persona, lead, team_space):
        response = as_persona("lead").post(team_space.get_absolute_url(), {
            "kind": "idea", "title": "T", "body": "B", "resource": 999})
        assert response.status_code == 400
        assert "not in the library" in response.context["form"].errors["resource"][0]
        assert not Post.objects.exists()

    def test_someone_who_may_not_read_the_library_may_not_attach(self, faculty, stranger):
        guide = resources.add_resource(by=faculty, title="Guide", url="https://x.example")
        form = PostForm({"kind": "idea", "title": "T", "body": "B", "resource": guide.pk},
                        user=stranger)
        assert not form.is_valid()
        assert form.errors["resource"] == [
            "You cannot see that resource, so you cannot attach it."]


class TestFeedByTag:
    def test_a_tag_link_filters_the_feed(self, as_persona, lead, team_space, wide, catalog):
        tag = services.tag_for(catalog["SS-CRIB"])
        post_in(team_space, lead, title="Tagged post", tags=[tag])
        post_in(wide, lead, title="Untagged post")
        client = as_persona("lead")
        feed = client.get("/community/").content.decode()
        assert f'href="/community/?tag={tag.pk}"' in feed
        filtered = client.get(f"/community/?tag={tag.pk}").content.decode()
        assert "Tagged post" in filtered and "Untagged post" not in filtered
        assert "Show all tags" in filtered
        both = client.get(f"/community/?tag={tag.pk}&only=team").content.decode()
        assert "Tagged post" in both

    def test_the_tag_filter_never_shows_posts_the_reader_may_not_see(
            self, as_persona, lead, outsider, team_space, catalog):
        tag = services.tag_for(catalog["SS-CRIB"])
        post_in(team_space, lead, title="Private team post", tags=[tag])
        page = as_persona("outsider").get(f"/community/?tag={tag.pk}").content.decode()
        assert "Private team post" not in page

    @pytest.mark.parametrize("value", ["999", "abc"])
    def test_an_unknown_tag_is_404(self, as_persona, lead, value):
        assert as_persona("lead").get(f"/community/?tag={value}").status_code == 404
