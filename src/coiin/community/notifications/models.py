"""A person's inbox, how they want to hear by e-mail, and the digests already sent."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.network.written import language_field

USER = settings.AUTH_USER_MODEL


class Notification(models.Model):
    """An item in a person's inbox."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("Reply")
        ANSWER = "answer", _("Answer")
        TA = "ta", _("Technical assistance")
        DUE = "due", _("Due date")
        REVIEW = "review", _("Review")
        REPORT = "report", _("Reported post")
        MENTORING = "mentoring", _("Mentoring")
        EVENT = "event", _("Event")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    language = language_field()
    url = models.CharField(max_length=300)
    space = models.ForeignKey("community.Space", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = pgettext_lazy("model", "notification")
        verbose_name_plural = pgettext_lazy("model", "notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


def _token() -> str:
    return secrets.token_urlsafe(24)


class NotificationPreference(models.Model):
    """How a person wants to hear from the community by e-mail."""

    class Digest(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        OFF = "off", _("Never")

    user = models.OneToOneField(USER, on_delete=models.CASCADE,
                                related_name="notification_preference")
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    email_mentions = models.BooleanField(_("E-mail me at once when someone mentions me"),
                                         default=True)
    email_ta = models.BooleanField(_("E-mail me at once about my technical-assistance requests"),
                                   default=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "notification preference")
        verbose_name_plural = pgettext_lazy("model", "notification preferences")

    def __str__(self) -> str:
        return gettext("Preferences of %(user)s") % {"user": self.user}


class DigestRun(models.Model):
    """One digest per person per period: the row is written before the e-mail is sent."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "digest run")
        verbose_name_plural = pgettext_lazy("model", "digest runs")
        constraints = [models.UniqueConstraint(fields=["user", "period_key"],
                                               name="one_digest_per_period")]

    def __str__(self) -> str:
        return gettext("Digest %(period)s for %(user)s") % {"period": self.period_key,
                                                             "user": self.user_id}
