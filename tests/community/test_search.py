"""Search: ranked by relevance, filtered by space, kind, tag and date, over posts,
comments and resources, on SQLite (FTS5) and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from coiin.community import search, services
from coiin.community.models import SearchDocument
from coiin.community.resources import services as resources

from .conftest import post_in


def titles(hits):
    return [h.title for h in hits]


def test_a_title_match_ranks_above_a_passing_mention(lead, team_space):
    post_in(team_space, lead, title="Budget notes", body="We also talked about doulas once.")
    post_in(team_space, lead, title="Doulas in rural counties",
            body="Doulas help with doulas-related safe sleep teaching.")
    assert titles(search.search(lead, "doulas")) == ["Doulas in rural counties",
                                                     "Budget notes"]


def test_words_are_all_required_and_the_last_is_a_prefix(lead, team_space):
    post_in(team_space, lead, title="Crib audit checklist", body="Night shifts")
    post_in(team_space, lead, title="Crib distribution", body="Day shifts")
    assert titles(search.search(lead, "crib audi")) == ["Crib audit checklist"]


def test_search_syntax_in_the_query_is_just_text(lead, team_space):
    post_in(team_space, lead, title="Safe sleep", body="Back to sleep")
    for query in ['"unbalanced', "sleep OR", "NEAR(", "title:sleep", "*", "sleep)"]:
        search.search(lead, query)  # never an error
    assert search.search(lead, "   ") == []


def test_comments_and_resources_are_found(lead, member, team_space):
    post = post_in(team_space, lead, title="Question", body="Anything?")
    services.add_comment(post=post, author=member, body="Try kangaroo care")
    resources.add_resource(by=lead, title="Kangaroo care guide", url="https://x.example/k")
    kinds = {h.kind for h in search.search(member, "kangaroo")}
    assert kinds == {"comment", "resource"}


def test_filters_by_space_kind_tag_and_date(lead, team_space, network_space, catalog):
    tag = services.tag_for(catalog["SS-CRIB"])
    old = timezone.now() - dt.timedelta(days=40)
    post_in(team_space, lead, title="Sleep sacks idea", kind="idea", tags=[tag])
    post_in(network_space, lead, title="Sleep sacks question", kind="question")
    post_in(network_space, lead, title="Sleep sacks win", kind="win", created_at=old)
    assert titles(search.search(lead, "sleep sacks", space=team_space)) == ["Sleep sacks idea"]
    assert titles(search.search(lead, "sleep sacks", kind="question")) == [
        "Sleep sacks question"]
    assert titles(search.search(lead, "sleep sacks", tag=tag)) == ["Sleep sacks idea"]
    since = (timezone.now() - dt.timedelta(days=7)).date()
    assert set(titles(search.search(lead, "sleep sacks", since=since))) == {
        "Sleep sacks idea", "Sleep sacks question"}
    assert titles(search.search(lead, "sleep sacks", until=old.date())) == ["Sleep sacks win"]


def test_hidden_posts_and_comments_are_not_found(lead, member, faculty, team_space):
    post = post_in(team_space, lead, title="Platypus", body="x")
    other = post_in(team_space, lead, title="Other", body="x")
    comment = services.add_comment(post=other, author=member, body="platypus too")
    services.moderate(post=post, action="hide", by=faculty, reason="spam")
    services.hide_comment(comment=comment, by=faculty, reason="spam")
    assert search.search(member, "platypus") == []


def test_paging_through_results(lead, team_space):
    for i in range(5):
        post_in(team_space, lead, title=f"Wombat {i}", body="wombat")
    first = titles(search.search(lead, "wombat", limit=3))
    rest = titles(search.search(lead, "wombat", limit=3, offset=3))
    assert len(first) == 3 and len(rest) == 2 and not set(first) & set(rest)


def test_the_sqlite_index_follows_updates_and_deletes(lead, team_space):
    if connection.vendor != "sqlite":
        return
    post = post_in(team_space, lead, title="Echidna", body="x")
    doc = SearchDocument.objects.get(post=post, kind="post")
    doc.title = "Numbat"
    doc.save()
    assert titles(search.search(lead, "numbat")) == ["Numbat"]
    assert search.search(lead, "echidna") == []
    post.delete()
    assert search.search(lead, "numbat") == []


def test_the_search_page_filters_and_pages(as_persona, lead, team_space):
    for i in range(25):
        post_in(team_space, lead, title=f"Quokka {i}", body="quokka")
    client = as_persona("lead")
    page1 = client.get("/community/search/?q=quokka").content.decode()
    assert page1.count('<span class="kind kind-post">') == 20 and "Next →" in page1
    page2 = client.get("/community/search/?q=quokka&page=2").content.decode()
    assert page2.count('<span class="kind kind-post">') == 5
    assert client.get("/community/search/?q=quokka&kind=win").content.decode().count(
        'kind-post">') == 0
