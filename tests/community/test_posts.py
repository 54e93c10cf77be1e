"""Posting, commenting, answering and moderating, through the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coiin.community import services
from coiin.community.models import Comment, ModerationAction, Post, SearchDocument
from coiin.community.notifications.models import Notification

from .conftest import post_in


def test_a_lead_posts_a_question_tagged_and_cross_posted(as_persona, lead, team_space,
                                                         network_space, catalog, jurisdictions):
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "question", "title": "Crib audits at night?", "body": "Do you audit **nights**?",
        "also_in": [network_space.pk], "tags": ["measure:SS-CRIB", "jurisdiction:GA"]})
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.space == team_space and set(post.spaces.all()) == {team_space, network_space}
    assert {t.label for t in post.tags.all()} == {"SS-CRIB", "Georgia"}
    assert post.body_html == "<p>Do you audit <strong>nights</strong>?</p>\n"
    page = as_persona("lead").get(post.get_absolute_url()).content.decode()
    assert "Open question" in page and "<strong>nights</strong>" in page


def test_the_space_page_has_the_new_post_form(as_persona, member, team_space):
    page = as_persona("member").get(team_space.get_absolute_url()).content.decode()
    assert 'name="title"' in page and 'enctype="multipart/form-data"' in page


def test_an_over_long_post_is_refused_and_nothing_is_stored(as_persona, lead, team_space,
                                                           settings):
    settings.COMMUNITY_MAX_POST_CHARS = 50
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "idea", "title": "Long", "body": "x" * 51})
    assert response.status_code == 400
    assert "51 characters long; the limit is 50" in response.content.decode()
    assert not Post.objects.exists() and not SearchDocument.objects.exists()


def test_malformed_markdown_is_refused_with_a_clear_error(as_persona, lead, team_space):
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "idea", "title": "Code", "body": "```python\nprint(1)\n"})
    assert response.status_code == 400
    assert "never closed" in response.content.decode()
    assert not Post.objects.exists()


def test_wrong_method_on_a_post_action_is_refused(as_persona, lead, team_space):
    post = post_in(team_space, lead)
    assert as_persona("lead").get(f"/community/posts/{post.pk}/comment/").status_code == 405
    assert as_persona("lead").put(post.get_absolute_url()).status_code == 405


def test_comments_are_threaded_one_level_deep(lead, member, faculty, team_space):
    post = post_in(team_space, lead)
    top = services.add_comment(post=post, author=member, body="First")
    reply = services.add_comment(post=post, author=faculty, body="Reply", parent=top)
    deeper = services.add_comment(post=post, author=lead, body="Reply to reply", parent=reply)
    assert reply.parent == top and deeper.parent == top


def test_the_post_author_hears_about_a_comment(lead, member, team_space):
    post = post_in(team_space, lead)
    services.add_comment(post=post, author=member, body="Nice")
    note = Notification.objects.get(user=lead)
    assert note.kind == "reply" and "replied to your post" in note.text


def test_a_question_is_marked_answered_by_its_author(as_persona, lead, faculty, team_space):
    post = post_in(team_space, lead, kind="question", title="How?")
    answer = services.add_comment(post=post, author=faculty, body="Like this.")
    response = as_persona("lead").post(f"/community/posts/{post.pk}/answer/",
                                       {"comment": answer.pk})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.answer == answer and post.answered_by == lead
    page = as_persona("lead").get(post.get_absolute_url()).content.decode()
    assert "Answered" in page and "The answer" in page
    assert Notification.objects.filter(user=faculty, kind="answer").exists()


def test_someone_else_may_not_mark_the_answer(as_persona, lead, member, faculty, team_space):
    post = post_in(team_space, lead, kind="question", title="How?")
    answer = services.add_comment(post=post, author=faculty, body="Like this.")
    response = as_persona("member").post(f"/community/posts/{post.pk}/answer/",
                                         {"comment": answer.pk})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.answer is None


def test_faculty_may_mark_the_answer(lead, member, faculty, team_space):
    post = post_in(team_space, lead, kind="question", title="How?")
    answer = services.add_comment(post=post, author=member, body="Like this.")
    services.mark_answered(post=post, comment=answer, by=faculty)
    assert Post.objects.get(pk=post.pk).answer == answer


@pytest.mark.parametrize("action, field, value", [
    ("hide", "hidden", True), ("lock", "locked", True), ("pin", "pinned", True)])
def test_every_moderation_action_is_recorded_with_who_and_why(as_persona, lead, faculty,
                                                              team_space, action, field,
                                                              value):
    post = post_in(team_space, lead)
    as_persona("faculty").post(f"/community/posts/{post.pk}/moderate/",
                               {"action": action, "reason": "Because"})
    post.refresh_from_db()
    assert getattr(post, field) is value
    log = ModerationAction.objects.get()
    assert (log.action, log.actor, log.reason) == (action, faculty, "Because")


def test_moderation_needs_a_reason(as_persona, lead, faculty, team_space):
    post = post_in(team_space, lead)
    response = as_persona("faculty").post(f"/community/posts/{post.pk}/moderate/",
                                          {"action": "hide", "reason": ""})
    assert response.status_code == 400
    post.refresh_from_db()
    assert not post.hidden and not ModerationAction.objects.exists()


def test_a_hidden_post_is_gone_for_members_but_not_for_moderators(as_persona, lead, member,
                                                                  faculty, team_space):
    post = post_in(team_space, lead)
    services.moderate(post=post, action="hide", by=faculty, reason="Off topic")
    assert as_persona("member").get(post.get_absolute_url()).status_code == 404
    assert as_persona("faculty").get(post.get_absolute_url()).status_code == 200


def test_a_locked_thread_takes_no_more_comments(as_persona, lead, member, faculty,
                                                team_space):
    post = post_in(team_space, lead)
    services.moderate(post=post, action="lock", by=faculty, reason="Resolved")
    response = as_persona("member").post(f"/community/posts/{post.pk}/comment/",
                                         {"body": "One more thing"})
    assert response.status_code == 403 and not Comment.objects.exists()


def test_faculty_move_a_post_to_the_network_space(lead, faculty, team_space, network_space):
    post = post_in(team_space, lead)
    services.moderate(post=post, action="move", by=faculty, reason="Of wider interest",
                      to_space=network_space)
    post.refresh_from_db()
    assert post.space == network_space and list(post.spaces.all()) == [network_space]
    assert ModerationAction.objects.get().to_space == network_space


def test_anyone_who_sees_a_post_can_report_it_and_moderators_hear(as_persona, lead, member,
                                                                  faculty, team_space):
    post = post_in(team_space, lead)
    response = as_persona("member").post(f"/community/posts/{post.pk}/report/",
                                         {"reason": "Contains a patient's name"})
    assert response.status_code == 302
    assert post.reports.get().reason == "Contains a patient's name"
    assert Notification.objects.filter(user=faculty, kind="report").exists()


def _feed_queries(client, per_page):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/community/?per_page={per_page}")
    assert response.status_code == 200
    return len(ctx)


def test_the_feed_takes_the_same_number_of_queries_for_10_or_50_posts(
        as_persona, lead, team_space, network_space, wide, catalog):
    tag = services.tag_for(catalog["SS-CRIB"])
    for i in range(50):
        post = post_in([team_space, network_space, wide][i % 3], lead, title=f"Post {i}",
                       tags=[tag])
        services.add_comment(post=post, author=lead, body="Self-comment")
    client = as_persona("lead")
    assert _feed_queries(client, 10) == _feed_queries(client, 50)


def test_the_feed_filters_what_matters(as_persona, lead, member, faculty, team_space,
                                       network_space, wide):
    post_in(wide, faculty, title="Network-wide news")
    post_in(network_space, faculty, title="Network news")
    post_in(team_space, lead, title="Team news")
    post_in(wide, lead, title="A greeting", body="Hello @max.member")
    client = as_persona("member")
    mentions = client.get("/community/?only=mentions").content.decode()
    assert "A greeting" in mentions and "Team news" not in mentions
    team_page = client.get("/community/?only=team").content.decode()
    assert "Team news" in team_page and "Network news" not in team_page
    net_page = client.get("/community/?only=networks").content.decode()
    assert "Network news" in net_page and "Team news" not in net_page
