"""Community events: times, RSVPs, materials and calendar feeds.

An event's calendar row is ``improvement.Event`` (one calendar for the collaborative);
``EventDetail`` adds what the community needs: aware start and end times, the format,
the place and whether every member of the network is invited. Attendance per team is
``improvement.Attendance``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.improvement.models import Event

USER = settings.AUTH_USER_MODEL


def _uid() -> str:
    return secrets.token_hex(16)


class EventDetail(models.Model):
    """Times and place of a calendar event. Times are stored in UTC (aware datetimes)."""

    class Format(models.TextChoices):
        LEARNING_SESSION = "learning_session", _("Learning session")
        WEBINAR = "webinar", _("Webinar")
        OFFICE_HOURS = "office_hours", _("Office hours")

    class Audience(models.TextChoices):
        NETWORK = "network", _("Its learning network")
        EVERYONE = "everyone", _("The whole network")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="detail")
    format = models.CharField(max_length=20, choices=Format.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices,
                                default=Audience.NETWORK)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    join_url = models.URLField(blank=True, max_length=500)
    # The zone the organiser scheduled it in: the edit form shows the times in it.
    time_zone = models.CharField(max_length=64, default="America/New_York")
    uid = models.CharField(max_length=64, unique=True, editable=False,
                           default=_uid)
    # Raised on every change, so calendar apps replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model", "event detail")
        verbose_name_plural = pgettext_lazy("model", "event details")
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="event_detail_ends_after_start")]

    def __str__(self) -> str:
        return gettext("%(event)s at %(when)s UTC") % {
            "event": self.event, "when": f"{self.starts_at:%Y-%m-%d %H:%M}"}

    def get_absolute_url(self) -> str:
        return reverse("community:event", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RSVP(models.Model):
    """One person's answer to one event."""

    class Answer(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NOT_GOING = "not_going", _("Not going")

    event = models.ForeignKey(EventDetail, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "RSVP")
        verbose_name_plural = pgettext_lazy("model", "RSVPs")
        constraints = [models.UniqueConstraint(fields=["event", "user"],
                                               name="rsvp_once_per_person")]

    def __str__(self) -> str:
        return gettext("%(user)s: %(answer)s for %(event)s") % {
            "user": self.user_id, "answer": self.answer, "event": self.event_id}


class EventMaterial(models.Model):
    """Slides or a recording attached after the event: a link or a checked file."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        RECORDING = "recording", _("Recording")
        OTHER = "other", _("Other")

    event = models.ForeignKey(EventDetail, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="community/events/%Y/", blank=True, max_length=300)
    content_type = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "event material")
        verbose_name_plural = pgettext_lazy("model", "event materials")
        ordering = ["kind", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(url="") | ~Q(file=""),
                                              name="material_link_or_file")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url or reverse("community:event_material", args=[self.pk])


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's calendar-feed addresses; rotating it retires the old ones."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "calendar token")
        verbose_name_plural = pgettext_lazy("model", "calendar tokens")

    def __str__(self) -> str:
        return gettext("Calendar token of %(user)s") % {"user": self.user_id}
