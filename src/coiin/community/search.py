"""Search over posts, comments and resources, ranked by relevance, behind one interface.

SQLite (the embedded default): an FTS5 table, ``community_search_fts``, mirrors
``SearchDocument`` through triggers (created by migration 0002) and ranks with bm25.
PostgreSQL: a tsvector computed from the same columns, ranked with ts_rank.
Either way the access policy is part of the query, so a result the reader may not see is
never counted, ranked or returned.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from coiin import access
from coiin.access import Action, AnyUser

from .models import Comment, Post, PostSpace, SearchDocument, Space, Tag
from .resources.models import Resource

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    document: SearchDocument
    score: float
    title: str
    url: str
    kind: str
    snippet: str
    post: Post | None = None
    comment: Comment | None = None
    resource: Resource | None = None


def terms(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:12]


def _fts_query(words: list[str]) -> str:
    # Each word quoted (so FTS5 syntax in the input means nothing), the last as a prefix.
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _filtered(user: AnyUser, *, space: Space | None, kind: str | None, tag: Tag | None,
              since: dt.date | dt.datetime | None, until: dt.date | dt.datetime | None
              ) -> QuerySet[SearchDocument]:
    ids = access.visible_space_ids(user)
    if space is not None:
        ids = [i for i in ids if i == space.pk]
    docs = SearchDocument.objects.all()
    placed = PostSpace.objects.filter(post=OuterRef("post_id"), space_id__in=ids)
    on_posts = Q(post__isnull=False) & Q(Exists(placed)) & Q(post__hidden=False) & (
        Q(comment__isnull=True) | Q(comment__hidden=False))
    show_resources = access.can(user, Action.VIEW_RESOURCE) and space is None and (
        kind in (None, "", Post.Kind.RESOURCE))
    visible = on_posts | Q(resource__isnull=False) if show_resources else on_posts
    if not ids and not show_resources:
        return docs.none()
    docs = docs.filter(visible)
    if kind:
        docs = docs.filter(Q(post__kind=kind) | Q(resource__isnull=False))
    if tag is not None:
        docs = docs.filter(Q(post__tags=tag) | Q(resource__tags=tag))
    if since:
        docs = docs.filter(created_at__date__gte=since)
    if until:
        docs = docs.filter(created_at__date__lte=until)
    return docs


def search(user: AnyUser, query: str, *, space: Space | None = None, kind: str | None = None,
           tag: Tag | None = None, since: dt.date | None = None, until: dt.date | None = None,
           limit: int = 20, offset: int = 0) -> list[Hit]:
    """The best matches the user may see, most relevant first."""
    words = terms(query)
    if not words:
        return []
    docs = _filtered(user, space=space, kind=kind, tag=tag, since=since, until=until)
    if connection.vendor == "sqlite":
        ranked = docs.extra(  # noqa: S610 - fixed SQL; the user's words are a parameter
            tables=["community_search_fts"],
            where=["community_search_fts.rowid = community_searchdocument.id",
                   "community_search_fts MATCH %s"],
            params=[_fts_query(words)],
            select={"score": "bm25(community_search_fts, 4.0, 1.0)"},
        ).order_by("score", "-created_at")
    else:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "body", weight="B", config="english")
        q = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw",
                        config="english")
        ranked = (docs.alias(v=vector).filter(v=q).annotate(score=-SearchRank(vector, q))
                  .order_by("score", "-created_at"))
    rows = list(ranked.select_related("post__author", "comment__author", "resource")
                [offset:offset + limit])
    return [_hit(d, words) for d in rows]


def _hit(doc: SearchDocument, words: list[str]) -> Hit:
    if doc.kind == SearchDocument.Kind.RESOURCE:
        url = doc.resource.get_absolute_url()
        title = doc.resource.title
    elif doc.kind == SearchDocument.Kind.COMMENT:
        url = doc.comment.get_absolute_url()
        title = gettext("Comment on “%(title)s”") % {"title": doc.title}
    else:
        url = doc.post.get_absolute_url()
        title = doc.title
    return Hit(document=doc, score=-float(getattr(doc, "score", 0) or 0), title=title,
               url=url, kind=doc.kind, snippet=snippet(doc.body, words), post=doc.post,
               comment=doc.comment, resource=doc.resource)


def snippet(text: str, words: list[str], width: int = 220) -> str:
    """Plain text around the first matching word (escaped by the template)."""
    low = text.lower()
    at = min((i for i in (low.find(w) for w in words) if i >= 0), default=0)
    start = max(at - width // 3, 0)
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def index_resource(resource: Resource) -> None:
    """(Re)index a resource's title and description."""
    SearchDocument.objects.update_or_create(
        resource=resource, defaults={"kind": SearchDocument.Kind.RESOURCE, "post": None,
                                     "title": resource.title,
                                     "body": resource.description or resource.title,
                                     "created_at": resource.created_at})
