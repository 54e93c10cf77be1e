"""The resource library: documents (with versions) and links, tagged by learning network,
measure, jurisdiction and any object (e.g. a change idea), and searchable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin import access
from coiin.access import Action
from coiin.network.models import LearningNetwork, User

from .. import search
from ..models import Post, Tag
from ..services import _store_files, _undo_files, tag_for
from ..uploads import CheckedFile
from .models import Resource, ResourceVersion


def add_resource(*, by: User, title: str, description: str = "", url: str = "",
                 file: CheckedFile | None = None, network: LearningNetwork | None = None,
                 tags: Iterable[Tag] = (), note: str = "") -> Resource:
    """A document (with its first version) or a link; all or nothing."""
    if not access.can(by, Action.ADD_RESOURCE):
        raise PermissionDenied(_("You may read the library, but not add to it."))
    if not title.strip():
        raise ValidationError({"title": _("Give the resource a title.")})
    if bool(url) == bool(file):
        raise ValidationError(_("Upload a file or give a link (one of the two)."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            resource = Resource.objects.create(
                kind=Resource.Kind.DOCUMENT if file else Resource.Kind.LINK,
                title=title.strip()[:200], description=description.strip(), url=url,
                network=network, created_by=by)
            resource.tags.set([*tags, *([tag_for(network)] if network else [])])
            if file is not None:
                _store_files([file], lambda f: ResourceVersion(
                    resource=resource, number=1, name=f.name, content_type=f.content_type,
                    size=f.size, uploaded_by=by, note=note), stored)
            search.index_resource(resource)
    except BaseException:
        _undo_files(stored)
        raise
    return resource


def add_version(*, resource: Resource, by: User, file: CheckedFile,
                note: str = "") -> ResourceVersion:
    """Upload a new version; the old ones stay reachable."""
    if not access.can(by, Action.EDIT_RESOURCE, resource):
        raise PermissionDenied(_("Only the person who added it, its faculty or backbone staff "
                                 "may upload a new version."))
    if resource.kind != Resource.Kind.DOCUMENT:
        raise ValidationError(_("A link has no versions."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            number = (locked.versions.order_by("-number").values_list("number", flat=True)
                      .first() or 0) + 1
            rows: list[ResourceVersion] = []

            def make(f: CheckedFile) -> ResourceVersion:
                rows.append(ResourceVersion(resource=locked, number=number, name=f.name,
                                            content_type=f.content_type, size=f.size,
                                            uploaded_by=by, note=note[:300]))
                return rows[-1]

            _store_files([file], make, stored)
            Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())
    except BaseException:
        _undo_files(stored)
        raise
    return rows[0]


def resources_for(obj) -> QuerySet[Resource]:
    """Resources tagged with this object (a change idea, a measure, a network ...), for the
    change package and other pages to link to."""
    return Resource.objects.filter(tags=tag_for(obj))


def _object_tags(model, ids: Iterable[int]) -> QuerySet[Tag]:
    """The tags pointing at these objects, found without creating any (pages only read)."""
    from django.contrib.contenttypes.models import ContentType

    return Tag.objects.filter(content_type=ContentType.objects.get_for_model(model),
                              object_id__in=list(ids))


def resource_counts(user: User, model, ids: Iterable[int]) -> dict[int, int]:
    """How many library resources are tagged with each object: {object id: count}; empty
    for someone who may not read the library."""
    if not access.can(user, Action.VIEW_RESOURCE):
        return {}
    rows = (_object_tags(model, ids).values("object_id")
            .annotate(n=Count("resources", distinct=True)).values_list("object_id", "n"))
    return {object_id: n for object_id, n in rows if n and object_id is not None}


@dataclass
class AboutObject:
    """What the community holds about one object (a change idea): its resources, newest
    version first, and the posts tagged with it; only what the viewer may see."""

    resources: list[Resource]
    posts: list[Post]
    may_see_library: bool
    tag: Tag | None


def about(user: User, obj, *, posts: int = 10) -> AboutObject:
    tag = _object_tags(type(obj), [obj.pk]).first()
    if tag is None or not access.can(user, Action.VIEW_RESOURCE):
        return AboutObject([], [], access.can(user, Action.VIEW_RESOURCE), tag)
    items = list(tag.resources.select_related("network").prefetch_related(
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("-number")))
        .order_by("-updated_at", "-id"))
    for r in items:
        versions = list(r.versions.all())
        # Shown beside each resource on the page (not fields of the model).
        r.latest = versions[0] if versions else None  # type: ignore[attr-defined]
        r.older = len(versions) - 1 if versions else 0  # type: ignore[attr-defined]
    found = (access.visible_posts(user, tag.posts.filter(hidden=False))
             .select_related("author", "space__network", "space__team__jurisdiction",
                             "space__team__learning_network")
             .order_by("-created_at", "-id")[:posts])
    return AboutObject(items, list(found), True, tag)
