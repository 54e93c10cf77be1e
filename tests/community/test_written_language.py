"""Texts people write stay in the language they were written in, marked so on every page
(WCAG 3.1.2, language of parts): a post records its writer's language, and the page says it
with lang="…" on the element holding it, whatever the reader's language."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from coiin.community.models import Post
from coiin.community.notifications.services import notify
from coiin.network.written import active_language

from .conftest import post_in


def _marked(page: str, text: str) -> str | None:
    """The lang of the element whose content starts with ``text`` (None: not marked)."""
    match = re.search(r'<(\w+)[^>]*?\blang="([\w-]+)"[^>]*>(?:<a [^>]*>)?' + re.escape(text),
                      page)
    return match.group(2) if match else None


def test_a_post_written_in_spanish_is_marked_spanish_on_an_english_page(
        as_persona, member, lead, team_space):
    member.language = "es"
    member.save(update_fields=["language"])
    response = as_persona("member").post(team_space.get_absolute_url(), {
        "kind": "question", "title": "¿Auditorías de noche?",
        "body": "¿Cómo las programan ustedes?"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.language == "es"
    client = as_persona("lead")  # the lead reads in English (no language chosen)
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<html lang="en' in page
    assert _marked(page, "¿Auditorías de noche?") == "es"
    assert _marked(page, "<p>¿Cómo las programan ustedes?") == "es"
    feed = client.get(team_space.get_absolute_url()).content.decode()
    assert _marked(feed, "¿Auditorías de noche?") == "es"


def test_an_english_post_is_marked_english_on_a_spanish_page(as_persona, lead, member,
                                                             team_space):
    post = post_in(team_space, lead, title="Crib audits at night", body="How do you do it?")
    assert post.language == "en"  # written with English active, as the demo's are
    member.language = "es"
    member.save(update_fields=["language"])
    page = as_persona("member").get(post.get_absolute_url()).content.decode()
    assert '<html lang="es"' in page
    assert _marked(page, "Crib audits at night") == "en"
    assert _marked(page, "<p>How do you do it?") == "en"


def test_the_language_recorded_is_the_writers_active_one(lead, team_space):
    with translation.override("es"):
        assert active_language() == "es"
        assert post_in(team_space, lead, title="Hola").language == "es"
    with translation.override("es-pr"):
        assert active_language() == "es"
    with translation.override("fr"):
        assert active_language() == "en"  # not one of the site's languages


def test_an_inbox_item_is_marked_with_the_language_it_was_worded_in(member, team_space):
    member.language = "es"
    member.save(update_fields=["language"])
    worded = notify(user=member, kind="reply", text=lambda: translation.gettext("Events"),
                    url="/")
    assert (worded.text, worded.language) == ("Eventos", "es")
    plain = notify(user=member, kind="reply", text="Hello", url="/")
    assert plain.language == "en"  # a plain text keeps the language it was made in


def test_the_filter_gives_the_attribute_or_nothing():
    post = Post(language="es")
    out = Template("{% load written %}<p {{ post|lang }}>x</p><p {{ none|lang }}>y</p>").render(
        Context({"post": post, "none": None}))
    assert out == '<p lang="es">x</p><p >y</p>'


def test_a_change_idea_not_yet_in_spanish_is_edited_marked_as_english(as_persona, backbone,
                                                                     networks):
    from coiin.improvement import services as improvement

    idea = improvement.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits", description="Audit every month.",
        evidence="AAP 2016.")
    backbone.language = "es"
    backbone.save(update_fields=["language"])
    page = as_persona("backbone").get(
        f"/networks/safe-sleep/improvement/change-package/{idea.pk}/edit/").content.decode()
    assert re.search(r'<textarea[^>]*lang="en"[^>]*>\s*Audit every month\.', page)
