"""The online community: spaces, posts, comments, tags, attachments, moderation, search
documents, resources, technical assistance, notifications and e-mail preferences.

Rows change only through the service modules (``services``, ``ta``, ``notifications``,
``resources``); who may see what is decided in ``policy``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from coiin.measures.models import Measure
from coiin.network.models import Jurisdiction, LearningNetwork, Team

USER = settings.AUTH_USER_MODEL
DEFAULT_TIME_ZONE = "America/New_York"


def upload_path(instance: models.Model, filename: str) -> str:
    """community/<uuid>/<safe name>: unguessable, and the original name survives."""
    name = get_valid_filename(PurePosixPath(filename).name)[:120] or "file"
    return f"community/{uuid.uuid4().hex}/{name}"


class Space(models.Model):
    """Where posts live: the whole network, one learning network, or one team (private)."""

    class Kind(models.TextChoices):
        NETWORK_WIDE = "network_wide", "Network-wide"
        LEARNING_NETWORK = "learning_network", "Learning network"
        TEAM = "team", "Team"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    network = models.OneToOneField(LearningNetwork, on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="community_space")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="community_space")
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="space_kind_matches_owner",
                condition=(Q(kind="network_wide", network__isnull=True, team__isnull=True)
                           | Q(kind="learning_network", network__isnull=False,
                               team__isnull=True)
                           | Q(kind="team", network__isnull=True, team__isnull=False))),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="network_wide"),
                                    name="one_network_wide_space"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:space", args=[self.pk])

    @property
    def learning_network_id(self) -> int | None:
        """The learning network this space belongs to (a team's network for team spaces)."""
        if self.kind == self.Kind.TEAM:
            return self.team.learning_network_id if self.team else None
        return self.network_id


class Tag(models.Model):
    """A label that links to a measure, a jurisdiction, a learning network or any object
    (by content type and id, e.g. a change idea or a PDSA cycle)."""

    label = models.CharField(max_length=160)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="community_tags")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="community_tags")
    network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE, null=True,
                                blank=True, related_name="community_tags")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["measure"], name="tag_measure_once"),
            models.UniqueConstraint(fields=["jurisdiction"], name="tag_jurisdiction_once"),
            models.UniqueConstraint(fields=["network"], name="tag_network_once"),
            models.UniqueConstraint(fields=["content_type", "object_id"],
                                    name="tag_object_once"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        """The page of what the tag points at (a measure, a change idea ...)."""
        if self.measure_id is not None:
            return reverse("measure", args=[self.measure.code])
        for obj in (self.jurisdiction, self.network, self.target):
            if obj is not None and hasattr(obj, "get_absolute_url"):
                return obj.get_absolute_url()
        return reverse("community:search") + f"?tag={self.pk}"


class Post(models.Model):
    """A typed post, in one or more spaces; Markdown text kept with its sanitised HTML."""

    class Kind(models.TextChoices):
        IDEA = "idea", "Idea"
        QUESTION = "question", "Question"
        WIN = "win", "Win"
        RESOURCE = "resource", "Resource"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    links = models.JSONField(default=list, blank=True,
                             help_text="Paths of this site linked from the text (previews).")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="community_posts")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="home_posts",
                              help_text="The home space (moderated there).")
    spaces = models.ManyToManyField(Space, through="PostSpace", related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    mentions = models.ManyToManyField(USER, blank=True, related_name="community_mentions")
    resource = models.ForeignKey("Resource", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="posts")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    answer = models.ForeignKey("Comment", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    answered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="post_newest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:post", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answer_id is not None


class PostSpace(models.Model):
    """A post shown in a space (cross-posting puts one post in several)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="placements")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="placements")
    # Copied from the post so that a space's feed is one index range scan.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "space"],
                                               name="post_once_per_space")]
        indexes = [models.Index(fields=["space", "-created_at"], name="postspace_feed")]

    def __str__(self) -> str:
        return f"post {self.post_id} in space {self.space_id}"


class Comment(models.Model):
    """A comment on a post, or a reply to a comment (one level deep)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="community_comments")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.post}"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url() + f"#comment-{self.pk}"


class Attachment(models.Model):
    """A file on a post: type checked by content, stored through Django's storage API."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=upload_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:attachment", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ModerationAction(models.Model):
    """Who did what to a post (or comment), and why. Kept for ever."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hidden"
        UNHIDE = "unhide", "Shown again"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"
        MOVE = "move", "Moved"
        HIDE_COMMENT = "hide_comment", "Comment hidden"
        RESOLVE_REPORT = "resolve_report", "Report resolved"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_id}: {self.reason[:40]}"


class Report(models.Model):
    """Someone flagged a post (or comment) for the moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="reports")
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report on post {self.post_id}: {self.reason[:40]}"


class SearchDocument(models.Model):
    """One searchable text (a post, a comment or a resource), kept by the services.

    On SQLite an FTS5 table (``community_search_fts``) mirrors it through triggers; on
    PostgreSQL the text is searched with a tsvector computed from these columns.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        COMMENT = "comment", "Comment"
        RESOURCE = "resource", "Resource"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="search_document")
    resource = models.OneToOneField("Resource", on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="search_document")
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(kind="post"),
                                    name="one_search_document_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Resource(models.Model):
    """A document or link in the library, tagged; a document keeps all its versions."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        LINK = "link", "Link"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)
    network = models.ForeignKey(LearningNetwork, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="community_resources")
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:resource", args=[self.pk])


class ResourceVersion(models.Model):
    """One uploaded version of a document; older versions stay reachable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=upload_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"],
                                               name="resource_version_unique")]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("community:resource_file", args=[self.resource_id, self.number])


class TARequest(models.Model):
    """A team's request for technical assistance, routed to its network's faculty."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        WAITING = "waiting", "Waiting on team"
        RESOLVED = "resolved", "Resolved"

    OPEN = (Status.NEW, Status.ASSIGNED, Status.WAITING)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="ta_requests")
    topic = models.CharField(max_length=200)
    description = models.TextField()
    description_html = models.TextField()
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    chart_url = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="ta_owned")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True)
                                   | Q(rating__gte=1, rating__lte=5),
                                   name="ta_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("community:ta_request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def age(self, now=None) -> timedelta:
        return (now or timezone.now()) - self.created_at

    @property
    def response_time(self) -> timedelta | None:
        """From the request to the first faculty (or backbone) reply."""
        return self.first_response_at - self.created_at if self.first_response_at else None

    @property
    def resolution_time(self) -> timedelta | None:
        return self.resolved_at - self.created_at if self.resolved_at else None


class TAMessage(models.Model):
    """One message in a TA request's thread."""

    request = models.ForeignKey(TARequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message on TA request {self.request_id}"


class Notification(models.Model):
    """An item in a person's inbox."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mention"
        REPLY = "reply", "Reply"
        ANSWER = "answer", "Answer"
        TA = "ta", "Technical assistance"
        DUE = "due", "Due date"
        REVIEW = "review", "Review"
        REPORT = "report", "Reported post"
        MENTORING = "mentoring", "Mentoring"
        EVENT = "event", "Event"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    space = models.ForeignKey(Space, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


def _token() -> str:
    return secrets.token_urlsafe(24)


class NotificationPreference(models.Model):
    """How a person wants to hear from the community by e-mail."""

    class Digest(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        OFF = "off", "Never"

    user = models.OneToOneField(USER, on_delete=models.CASCADE,
                                related_name="notification_preference")
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    email_mentions = models.BooleanField("E-mail me at once when someone mentions me",
                                         default=True)
    email_ta = models.BooleanField("E-mail me at once about my technical-assistance requests",
                                   default=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class DigestRun(models.Model):
    """One digest per person per period: the row is written before the e-mail is sent."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period_key"],
                                               name="one_digest_per_period")]

    def __str__(self) -> str:
        return f"Digest {self.period_key} for {self.user_id}"


class ExpertiseTag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityProfile(models.Model):
    """What a person offers the community: expertise tags and a short introduction."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE,
                                related_name="community_profile")
    expertise = models.ManyToManyField(ExpertiseTag, blank=True, related_name="profiles")
    about = models.TextField(blank=True, max_length=1000)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE,
                                 help_text="Event times are shown in this zone.")

    def __str__(self) -> str:
        return f"Profile of {self.user}"


# Events and mentoring live in their own module (this one is long); imported here so
# that Django and ``from .models import ...`` find them.
from .models_events import (  # noqa: E402, F401, I001
    RSVP, CalendarToken, EventDetail, EventMaterial, MentorMeeting, MentorPairing)
