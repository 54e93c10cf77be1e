"""The online community's discussions: spaces, posts, comments, tags, attachments,
moderation and search documents. The sub-features keep their models in their own
packages (``events``, ``mentoring``, ``ta``, ``resources``, ``notifications``,
``profiles``); they are imported at the end of this module so that Django registers them
under the ``community`` label.

Rows change only through the service modules; who may see what is decided in ``policy``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure
from coiin.network.models import Jurisdiction, LearningNetwork, Team
from coiin.network.written import language_field

from .uploads import upload_path

USER = settings.AUTH_USER_MODEL


class Space(models.Model):
    """Where posts live: the whole network, one learning network, or one team (private)."""

    class Kind(models.TextChoices):
        NETWORK_WIDE = "network_wide", _("Network-wide")
        LEARNING_NETWORK = "learning_network", _("Learning network")
        TEAM = "team", _("Team")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    network = models.OneToOneField(LearningNetwork, on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="community_space")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="community_space")
    name = models.CharField(max_length=160)

    class Meta:
        verbose_name = pgettext_lazy("model", "space")
        verbose_name_plural = pgettext_lazy("model", "spaces")
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
    def display_name(self) -> str:
        """The name in the reader's language: the whole network's, a learning network's, a
        team's ("Equipo Sueño seguro de Georgia") unless it was given another name; the
        stored name is the one made in English."""
        if self.kind == self.Kind.NETWORK_WIDE:
            return gettext("Whole network")
        if self.kind == self.Kind.LEARNING_NETWORK and self.network is not None:
            return self.network.name
        if self.kind == self.Kind.TEAM and self.team is not None:
            return _team_space_name(self.team, self.name)
        return self.name

    @property
    def learning_network_id(self) -> int | None:
        """The learning network this space belongs to (a team's network for team spaces)."""
        if self.kind == self.Kind.TEAM:
            return self.team.learning_network_id if self.team else None
        return self.network_id


def team_space_name(team: Team) -> str:
    """The name a team's space is given, in English: "Georgia IM team" (it is stored)."""
    network = team.learning_network
    short = getattr(network, "short_name_en", "") or network.short_name
    return f"{team.jurisdiction.name} {short} team"


def _team_space_name(team: Team, stored: str) -> str:
    """A team space's name in the reader's language, when it is the name it was given; else
    the stored name (a space renamed by hand keeps its name)."""
    if stored != team_space_name(team):
        return stored
    return gettext("%(jurisdiction)s %(network)s team") % {
        "jurisdiction": team.jurisdiction.name, "network": team.learning_network.short_name}


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
        verbose_name = pgettext_lazy("model", "tag")
        verbose_name_plural = pgettext_lazy("model", "tags")
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

    @property
    def display_label(self) -> str:
        """The label in the reader's language: the measure's, the learning network's or the
        change idea's own name (translated); as stored for what keeps one name."""
        from coiin.improvement.models import ChangeIdea

        if self.measure_id is not None:
            return self.measure.name
        if self.network_id is not None:
            return self.network.name
        if self.object_id is not None and isinstance(self.target, ChangeIdea):
            return self.target.title
        return self.label


class Post(models.Model):
    """A typed post, in one or more spaces; Markdown text kept with its sanitised HTML."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        QUESTION = "question", _("Question")
        WIN = "win", _("Win")
        RESOURCE = "resource", _("Resource")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    language = language_field()
    links = models.JSONField(default=list, blank=True,
                             help_text=_("Paths of this site linked from the text (previews)."))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="community_posts")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="home_posts",
                              help_text=_("The home space (moderated there)."))
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
        verbose_name = pgettext_lazy("model", "post")
        verbose_name_plural = pgettext_lazy("model", "posts")
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
        verbose_name = pgettext_lazy("model", "post space")
        verbose_name_plural = pgettext_lazy("model", "post spaces")
        constraints = [models.UniqueConstraint(fields=["post", "space"],
                                               name="post_once_per_space")]
        indexes = [models.Index(fields=["space", "-created_at"], name="postspace_feed")]

    def __str__(self) -> str:
        return gettext("post %(post)s in space %(space)s") % {"post": self.post_id,
                                                               "space": self.space_id}


class Comment(models.Model):
    """A comment on a post, or a reply to a comment (one level deep)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="community_comments")
    body = models.TextField()
    body_html = models.TextField()
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "comment")
        verbose_name_plural = pgettext_lazy("model", "comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return gettext("Comment by %(author)s on %(post)s") % {"author": self.author,
                                                                "post": self.post}

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
        verbose_name = pgettext_lazy("model", "attachment")
        verbose_name_plural = pgettext_lazy("model", "attachments")
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
        HIDE = "hide", _("Hidden")
        UNHIDE = "unhide", _("Shown again")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        MOVE = "move", _("Moved")
        HIDE_COMMENT = "hide_comment", _("Comment hidden")
        RESOLVE_REPORT = "resolve_report", _("Report resolved")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    # A move's facts: the spaces, worded in the reader's language when read (``shown``).
    from_space = models.ForeignKey(Space, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    to_space = models.ForeignKey(Space, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    detail = models.CharField(max_length=300, blank=True, help_text=_(
        "Words recorded before moves kept their spaces; shown as they are."))
    created_at = models.DateTimeField(default=timezone.now)

    # What the post page reads of the spaces to name them without a query each.
    SPACES = ("from_space__network", "from_space__team__jurisdiction",
              "from_space__team__learning_network", "to_space__network",
              "to_space__team__jurisdiction", "to_space__team__learning_network")

    class Meta:
        verbose_name = pgettext_lazy("model", "moderation action")
        verbose_name_plural = pgettext_lazy("model", "moderation actions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(action)s by %(actor)s: %(reason)s") % {
            "action": self.get_action_display(), "actor": self.actor_id,
            "reason": self.reason[:40]}

    def shown(self) -> str:
        """What was done beyond the action, in the reader's language: where a post moved
        from and to; the words stored by an older move; else nothing."""
        if self.action != self.Action.MOVE or self.detail:
            return self.detail
        gone = gettext("a space since deleted")
        return gettext("from %(from)s to %(to)s") % {
            "from": self.from_space.display_name if self.from_space else gone,
            "to": self.to_space.display_name if self.to_space else gone}


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
        verbose_name = pgettext_lazy("model", "report")
        verbose_name_plural = pgettext_lazy("model", "reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("Report on post %(post)s: %(reason)s") % {"post": self.post_id,
                                                                  "reason": self.reason[:40]}


class SearchDocument(models.Model):
    """One searchable text (a post, a comment or a resource), kept by the services.

    On SQLite an FTS5 table (``community_search_fts``) mirrors it through triggers; on
    PostgreSQL the text is searched with a tsvector computed from these columns.
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        COMMENT = "comment", _("Comment")
        RESOURCE = "resource", _("Resource")

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
        verbose_name = pgettext_lazy("model", "search document")
        verbose_name_plural = pgettext_lazy("model", "search documents")
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(kind="post"),
                                    name="one_search_document_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


# The sub-features' models, registered with the app (their foreign keys to the models
# above are by name, so these imports may come last).

from .events.models import RSVP, CalendarToken, EventDetail, EventMaterial  # noqa: E402, F401
from .home.models import HomeVisit  # noqa: E402, F401
from .mentoring.models import MentorMeeting, MentorPairing  # noqa: E402, F401
from .notifications.models import DigestRun, Notification, NotificationPreference  # noqa: E402, F401
from .profiles.models import CommunityProfile, ExpertiseTag  # noqa: E402, F401
from .resources.models import Resource, ResourceVersion  # noqa: E402, F401
from .ta.models import TAMessage, TARequest  # noqa: E402, F401
