"""Technical assistance: a team's request to its network's faculty, and its thread."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.network.written import language_field

USER = settings.AUTH_USER_MODEL


class TARequest(models.Model):
    """A team's request for technical assistance, routed to its network's faculty."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        WAITING = "waiting", _("Waiting on team")
        RESOLVED = "resolved", _("Resolved")

    OPEN = (Status.NEW, Status.ASSIGNED, Status.WAITING)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="ta_requests")
    topic = models.CharField(max_length=200)
    description = models.TextField()
    description_html = models.TextField()
    language = language_field()
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
        verbose_name = pgettext_lazy("model", "TA request")
        verbose_name_plural = pgettext_lazy("model", "TA requests")
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
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "TA message")
        verbose_name_plural = pgettext_lazy("model", "TA messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return gettext("Message on TA request %(request)s") % {"request": self.request_id}
