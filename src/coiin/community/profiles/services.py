"""The only way a community profile changes, and what the people directory shows of it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from coiin import access
from coiin.network.models import User
from coiin.network.written import active_language

from ..models import Comment, Post, Space
from .models import CommunityProfile, ExpertiseTag


def set_profile(*, user: User, expertise: Sequence[str], about: str = "",
                title: str | None = None):
    """Replace a person's expertise tags and introduction, and their job title if given: a
    changed title is recorded as written in the writer's language (network/written.py)."""
    with transaction.atomic():
        if title is not None and title.strip() != user.title:
            user.title = title.strip()[:120]
            user.title_language = active_language()
            user.save(update_fields=["title", "title_language"])
        profile, _ = CommunityProfile.objects.get_or_create(user=user)
        profile.about = about.strip()[:1000]
        profile.save(update_fields=["about"])
        tags = [ExpertiseTag.objects.get_or_create(name=n.strip().lower()[:60])[0]
                for n in expertise if n.strip()]
        profile.expertise.set(tags)
    return profile


def directory_extras(users: Sequence[User], *, viewer: User
                     ) -> dict[int, dict[str, list[str]]]:
    """For the people directory: each person's expertise tags and the spaces (that the
    viewer may see) they have posted or commented in; a few queries however many people."""
    ids = [u.pk for u in users]
    out: dict[int, dict[str, list[str]]] = {i: {"expertise": [], "spaces": []} for i in ids}
    if not ids:
        return out
    # One query in all (a UNION): the page of people is checked against a query budget.
    through = CommunityProfile.expertise.through
    visible = access.visible_spaces_subquery(viewer)
    rows = through.objects.filter(communityprofile__user_id__in=ids).annotate(
        what=Value("expertise"), person=F("communityprofile__user_id"),
        # (django-stubs cannot see names annotated on an auto-created through model)
        label=F("expertisetag__name")).values_list("what", "person", "label").order_by().union(  # type: ignore[misc]
        Post.objects.filter(author_id__in=ids, space__in=visible).annotate(
            what=Value("spaces"), person=F("author_id"),
            label=Cast("space_id", CharField()))
        .values_list("what", "person", "label").order_by(),
        Comment.objects.filter(author_id__in=ids, post__space__in=visible).annotate(
            what=Value("spaces"), person=F("author_id"),
            label=Cast("post__space_id", CharField()))
        .values_list("what", "person", "label").order_by())
    found = list(rows)
    # The spaces by their names in the reader's language (one more query).
    spaces = {str(s.pk): s.display_name for s in Space.objects.select_related(
        "network", "team__jurisdiction", "team__learning_network").filter(
        pk__in={label for what, _person, label in found if what == "spaces"})}
    named = [(what, person, spaces.get(label, label) if what == "spaces" else label)
             for what, person, label in found]
    for what, person, label in sorted(named, key=lambda r: (r[0], r[2])):
        if label not in out[person][what]:
            out[person][what].append(label)
    return out
