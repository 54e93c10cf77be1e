"""The only ways discussions change: spaces, posts, comments, answers, moderation, reports.

Pages, the demo and other apps call these functions. Each one that writes several rows
runs in one transaction; e-mail leaves after it commits (see ``notifications``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin import access, markdown
from coiin.access import Action
from coiin.network.models import LearningNetwork, Team, User

from .models import (
    Attachment,
    Comment,
    ModerationAction,
    Post,
    PostSpace,
    Report,
    SearchDocument,
    Space,
    Tag,
    team_space_name,
)
from .notifications import services as notifications
from .notifications.models import Notification
from .resources.models import Resource
from .uploads import CheckedFile

NETWORK_WIDE_NAME = "Whole network"


# Spaces ------------------------------------------------------------------------------

def ensure_spaces() -> int:
    """One network-wide space, one per learning network, one per team; returns how many
    were created. A fixed number of queries, so it is cheap to call after every migrate."""
    created = 0
    if not Space.objects.filter(kind=Space.Kind.NETWORK_WIDE).exists():
        Space.objects.create(kind=Space.Kind.NETWORK_WIDE, name=NETWORK_WIDE_NAME)
        created += 1
    have = set(Space.objects.filter(network__isnull=False).values_list("network_id", flat=True))
    new = [Space(kind=Space.Kind.LEARNING_NETWORK, network=n, name=n.name)
           for n in LearningNetwork.objects.exclude(pk__in=have)]
    have = set(Space.objects.filter(team__isnull=False).values_list("team_id", flat=True))
    new += [Space(kind=Space.Kind.TEAM, team=t, name=team_space_name(t))
            for t in Team.objects.exclude(pk__in=have).select_related(
                "jurisdiction", "learning_network")]
    Space.objects.bulk_create(new, ignore_conflicts=True)
    return created + len(new)


def network_wide_space() -> Space:
    space = Space.objects.filter(kind=Space.Kind.NETWORK_WIDE).first()
    if space is None:
        ensure_spaces()
        space = Space.objects.get(kind=Space.Kind.NETWORK_WIDE)
    return space


def space_for(obj: LearningNetwork | Team) -> Space:
    """The space of a learning network or of a team (created if missing)."""
    field = "team" if isinstance(obj, Team) else "network"
    space = Space.objects.filter(**{field: obj}).first()
    if space is None:
        ensure_spaces()
        space = Space.objects.get(**{field: obj})
    return space


# Mentions ----------------------------------------------------------------------------

def handles_of(user: User) -> set[str]:
    """A person's handles: e-mail local part, and first.last (lower-case, no spaces)."""
    handles = {user.email.split("@")[0].lower()}
    if user.first_name and user.last_name:
        handles.add(f"{user.first_name}.{user.last_name}".lower().replace(" ", ""))
    return handles


def profile_url(user: User) -> str:
    return reverse("people") + f"?q={user.email}"


def resolve_mentions(text: str, *, audience: Sequence[Space]) -> dict[str, User]:
    """Handles in the text that name someone who may see one of these spaces."""
    wanted = markdown.candidate_handles(text)
    if not wanted:
        return {}
    query = Q()
    for handle in wanted:
        query |= Q(email__istartswith=f"{handle}@")
        first, dot, last = handle.partition(".")
        if dot and first and last:
            query |= Q(first_name__iexact=first, last_name__iexact=last)
    found: dict[str, User] = {}
    for user in User.objects.filter(query, is_active=True).order_by("pk"):
        if not any(access.can(user, Action.VIEW_SPACE, s) for s in audience):
            continue
        for handle in handles_of(user) & wanted:
            found.setdefault(handle, user)
    return found


def _render(text: str, audience: Sequence[Space]) -> tuple[markdown.Rendered, list[User]]:
    markdown.check(text)
    people = resolve_mentions(text, audience=audience)
    rendered = markdown.render(text, mentionable={h: profile_url(u) for h, u in people.items()})
    mentioned = list({people[h].pk: people[h] for h in rendered.mentioned}.values())
    return rendered, mentioned


# Posts -------------------------------------------------------------------------------

def _store_files(files: Iterable[CheckedFile], make, names: list[str]) -> None:
    """Save each file through the storage, noting each stored name (to undo on failure)."""
    for f in files:
        row = make(f)
        row.file.save(f.name, f.upload, save=False)
        names.append(row.file.name)
        row.save()


def _undo_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - nothing more we can do; the DB row is gone
            pass


def create_post(
    *, author: User, spaces: Sequence[Space], kind: str, title: str, body: str,
    tags: Iterable[Tag] = (), files: Sequence[CheckedFile] = (),
    resource: Resource | None = None, created_at=None,
) -> Post:
    """Post in one or more spaces (the first is its home). All or nothing: a bad text,
    a space the author may not write in or a failing file leaves nothing behind.

    Mentioned people who may see the post are notified (and e-mailed, if they wish).
    """
    if not spaces:
        raise ValidationError({"spaces": _("Choose at least one space.")})
    for space in spaces:
        if not access.can(author, Action.POST_IN_SPACE, space):
            raise PermissionDenied(_("You may not post in %(space)s.") % {"space": space})
    if kind not in Post.Kind.values:
        raise ValidationError({"kind": _("%(kind)s is not a kind of post.") % {"kind": repr(kind)}})
    if resource is not None and not access.can(author, Action.VIEW_RESOURCE):
        raise ValidationError({"resource": _("You cannot see that resource, so you cannot "
                                             "attach it.")})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the post a title.")})
    try:
        rendered, mentioned = _render(body, spaces)
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from None
    now = created_at or timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            post = Post.objects.create(
                author=author, space=spaces[0], kind=kind, title=title[:200], body=body,
                body_html=rendered.html, links=rendered.links, resource=resource,
                created_at=now, updated_at=now)
            PostSpace.objects.bulk_create(
                [PostSpace(post=post, space=s, created_at=now)
                 for s in dict.fromkeys(spaces)])
            post.tags.set(list(tags))
            post.mentions.set(mentioned)
            SearchDocument.objects.create(kind=SearchDocument.Kind.POST, post=post,
                                          title=post.title, body=body, created_at=now)
            _store_files(files, lambda f: Attachment(
                post=post, name=f.name, content_type=f.content_type, size=f.size,
                uploaded_by=author, created_at=now), stored)
            notifications.notify_mentions(post=post, people=mentioned, by=author)
    except BaseException:
        _undo_files(stored)
        raise
    return post


def add_comment(*, post: Post, author: User, body: str, parent: Comment | None = None,
                created_at=None) -> Comment:
    """Comment on a post, or reply to a top-level comment (threads are one level deep).

    The post's author and the parent comment's author hear about it; mentioned people
    who may see the post are notified as mentions instead.
    """
    if not access.can(author, Action.COMMENT_ON_POST, post):
        raise PermissionDenied(_("This thread is locked, or you may only read it."))
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": _("That comment belongs to another post.")})
        if parent.parent_id is not None:
            parent = parent.parent  # one level deep: a reply to a reply joins the thread
    try:
        rendered, mentioned = _render(body, access.post_spaces(post))
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from None
    now = created_at or timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(post=post, parent=parent, author=author, body=body,
                                         body_html=rendered.html, created_at=now)
        post.mentions.add(*mentioned)
        SearchDocument.objects.create(kind=SearchDocument.Kind.COMMENT, post=post,
                                      comment=comment, title=post.title, body=body,
                                      created_at=now)
        Post.objects.filter(pk=post.pk).update(updated_at=now)
        notifications.notify_mentions(post=post, people=mentioned, by=author, comment=comment)
        told = {u.pk for u in mentioned} | {author.pk}
        for person in ([post.author] + ([parent.author] if parent else [])):
            if person.pk in told:
                continue
            told.add(person.pk)
            on_comment = parent is not None and person == parent.author

            def text(on_comment: bool = on_comment) -> str:
                words = {"who": author.display_name, "title": post.title}
                if on_comment:
                    return _("%(who)s replied to your comment on “%(title)s”") % words
                return _("%(who)s replied to your post “%(title)s”") % words
            notifications.notify(user=person, kind=Notification.Kind.REPLY, text=text,
                                 url=comment.get_absolute_url(), space=post.space,
                                 source=comment)
    return comment


def mark_answered(*, post: Post, comment: Comment, by: User) -> Post:
    """Mark a question answered by one of its comments (its author or faculty)."""
    if not access.can(by, Action.MARK_ANSWER, post):
        raise PermissionDenied(_("Only the question's author or faculty may mark the answer."))
    if comment.post_id != post.pk or comment.hidden:
        raise ValidationError(_("That comment is not an answer to this question."))
    with transaction.atomic():
        post.answer = comment
        post.answered_by = by
        post.answered_at = timezone.now()
        post.save(update_fields=["answer", "answered_by", "answered_at"])
        for person, text in [
            (post.author, lambda: _("Your question “%(title)s” is answered")
             % {"title": post.title}),
            (comment.author, lambda: _("Your comment was marked as the answer to "
                                             "“%(title)s”") % {"title": post.title}),
        ]:
            if person.pk != by.pk:
                notifications.notify(user=person, kind=Notification.Kind.ANSWER, text=text,
                                     url=comment.get_absolute_url(), space=post.space,
                                     source=post)
    return post


def clear_answer(*, post: Post, by: User) -> Post:
    if not access.can(by, Action.MARK_ANSWER, post):
        raise PermissionDenied(_("Only the question's author or faculty may change the answer."))
    post.answer = None
    post.answered_by = None
    post.answered_at = None
    post.save(update_fields=["answer", "answered_by", "answered_at"])
    return post


# Moderation --------------------------------------------------------------------------

_FLAGS = {
    ModerationAction.Action.HIDE: ("hidden", True),
    ModerationAction.Action.UNHIDE: ("hidden", False),
    ModerationAction.Action.LOCK: ("locked", True),
    ModerationAction.Action.UNLOCK: ("locked", False),
    ModerationAction.Action.PIN: ("pinned", True),
    ModerationAction.Action.UNPIN: ("pinned", False),
}


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the reason is recorded with the action.")})
    return reason


def moderate(*, post: Post, action: str, by: User, reason: str,
             to_space: Space | None = None) -> ModerationAction:
    """Hide, show, lock, unlock, pin, unpin or move a post; recorded with who and why."""
    if not access.can(by, Action.MODERATE_POST, post):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    reason = _require_reason(reason)
    moved: dict = {}
    with transaction.atomic():
        if action in _FLAGS:
            field, value = _FLAGS[ModerationAction.Action(action)]
            setattr(post, field, value)
            post.save(update_fields=[field])
        elif action == ModerationAction.Action.MOVE:
            if to_space is None or not access.can(by, Action.MODERATE_SPACE, to_space):
                raise ValidationError({"to_space": _("Choose a space you moderate.")})
            moved = {"from_space": post.space, "to_space": to_space}
            PostSpace.objects.filter(post=post, space=post.space).delete()
            PostSpace.objects.get_or_create(post=post, space=to_space,
                                            defaults={"created_at": post.created_at})
            post.space = to_space
            post.save(update_fields=["space"])
            post.__dict__.pop("_spaces", None)
        else:
            raise ValidationError({"action": _("%(action)s is not a moderation action.")
                                             % {"action": repr(action)}})
        return ModerationAction.objects.create(post=post, action=action, actor=by,
                                               reason=reason, **moved)


def hide_comment(*, comment: Comment, by: User, reason: str) -> ModerationAction:
    post = comment.post
    if not access.can(by, Action.MODERATE_POST, post):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    reason = _require_reason(reason)
    with transaction.atomic():
        comment.hidden = True
        comment.save(update_fields=["hidden"])
        if post.answer_id == comment.pk:
            clear_answer(post=post, by=by)
        return ModerationAction.objects.create(post=post, comment=comment, actor=by,
                                               action=ModerationAction.Action.HIDE_COMMENT,
                                               reason=reason)


def report(*, post: Post, by: User, reason: str, comment: Comment | None = None) -> Report:
    """Anyone who can see a post may report it; the home space's moderators are told."""
    if not access.can(by, Action.VIEW_POST, post):
        raise PermissionDenied(_("You cannot see this post."))
    reason = _require_reason(reason)
    with transaction.atomic():
        row = Report.objects.create(post=post, comment=comment, reporter=by, reason=reason)
        notifications.notify_each(
            people=[p for p in moderators_of(post.space) if p.pk != by.pk],
            kind=Notification.Kind.REPORT, url=post.get_absolute_url(), space=post.space,
            source=row, text=lambda: _("A post was reported in %(space)s: “%(title)s”")
            % {"space": post.space.display_name, "title": post.title})
    return row


def resolve_report(*, report_row: Report, by: User, reason: str) -> ModerationAction:
    post = report_row.post
    if not access.can(by, Action.MODERATE_POST, post):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    reason = _require_reason(reason)
    with transaction.atomic():
        report_row.resolved_at = timezone.now()
        report_row.resolved_by = by
        report_row.save(update_fields=["resolved_at", "resolved_by"])
        return ModerationAction.objects.create(post=post, actor=by, reason=reason,
                                               action=ModerationAction.Action.RESOLVE_REPORT)


def moderators_of(space: Space) -> list[User]:
    """Faculty of the space's learning network (backbone staff for the network-wide one)."""
    network_id = space.learning_network_id
    if network_id is None:
        return list(User.objects.filter(network_role=User.NetworkRole.BACKBONE,
                                        is_active=True))
    return list(User.objects.filter(faculty_roles__learning_network_id=network_id,
                                    is_active=True))


# Tags --------------------------------------------------------------------------------

def tag_for(obj) -> Tag:
    """The tag that points at a measure, jurisdiction, learning network or any object."""
    from django.contrib.contenttypes.models import ContentType

    from coiin.measures.models import Measure
    from coiin.network.models import Jurisdiction

    if isinstance(obj, Measure):
        return Tag.objects.get_or_create(measure=obj, defaults={"label": obj.code})[0]
    if isinstance(obj, Jurisdiction):
        return Tag.objects.get_or_create(jurisdiction=obj, defaults={"label": obj.name})[0]
    if isinstance(obj, LearningNetwork):
        return Tag.objects.get_or_create(network=obj, defaults={"label": obj.short_name})[0]
    ct = ContentType.objects.get_for_model(obj)
    return Tag.objects.get_or_create(content_type=ct, object_id=obj.pk,
                                     defaults={"label": str(obj)[:160]})[0]
