"""The collaborative calendar of a learning network (learning sessions, webinars, action
periods, pre-work) and which teams took part; models of the improvement app, kept apart
from the method's own (aims, drivers, change ideas, cycles) in ``models``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.network.models import LearningNetwork, Team
from coiin.network.written import language_field


class Event(models.Model):
    """The collaborative calendar: learning sessions, webinars, action periods, pre-work."""

    class Kind(models.TextChoices):
        LEARNING_SESSION = "learning_session", _("Learning session")
        WEBINAR = "webinar", _("Webinar")
        ACTION_PERIOD = "action_period", _("Action period")
        PREWORK_DUE = "prework_due", _("Pre-work due")

    learning_network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE,
                                         related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    language = language_field()
    materials_url = models.URLField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "event")
        verbose_name_plural = pgettext_lazy("model", "events")
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__isnull=True) | Q(ends__gte=models.F(
                "starts")), name="event_ends_after_start"),
            models.UniqueConstraint(fields=["learning_network", "title", "starts"],
                                    name="event_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:event", args=[self.learning_network.slug, self.pk])

    @property
    def last_day(self) -> dt.date:
        return self.ends or self.starts


class Attendance(models.Model):
    """Whether a team took part in an event, and who came."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(default=False)
    who = models.CharField(max_length=300, blank=True, help_text=_("Who attended."))
    language = language_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "attendance")
        verbose_name_plural = pgettext_lazy("model", "attendances")
        ordering = ["event", "team__jurisdiction__name"]
        constraints = [models.UniqueConstraint(fields=["event", "team"],
                                               name="attendance_once_per_team")]

    def __str__(self) -> str:
        return (gettext("%(team)s at %(event)s: attended") if self.attended else
                gettext("%(team)s at %(event)s: did not attend")) % {
            "team": self.team, "event": self.event}
