"""Storyboards: a team's account of a change it tested, reviewed by faculty and published.

A storyboard tells one test of change: the problem, the aim, the changes, a chart of one of
the team's measures, the results and the lessons. Its status moves only through the
functions in ``services.py``:

    draft → submitted → approved → published ⇄ unpublished
              ↑   ↓
    changes requested → resubmitted → approved

Every step is kept in ``StoryboardEvent`` (who, when, comment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.network.written import language_field

__all__ = ["Storyboard", "StoryboardEvent"]


class Storyboard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("storyboard", "Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted for review")
        APPROVED = "approved", _("Approved by faculty")
        PUBLISHED = "published", pgettext_lazy("storyboard", "Published")
        UNPUBLISHED = "unpublished", pgettext_lazy("storyboard", "Unpublished")

    # The team may change the text in these states (an approved or unpublished storyboard
    # goes back to draft, since faculty approved other words).
    EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.UNPUBLISHED)
    IN_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)
    PUBLISHABLE = (Status.APPROVED, Status.UNPUBLISHED)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="storyboards")
    change_idea = models.ForeignKey("improvement.ChangeIdea", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="storyboards",
                                    help_text=_("The change idea from the change package it "
                                    "tested, if any."))
    title = models.CharField(max_length=200)
    problem = models.TextField(blank=True, help_text=_("What was wrong, for whom. Markdown."))
    aim = models.TextField(blank=True, help_text=_("What, how much, by when. Markdown."))
    changes = models.TextField(_("changes tested"), blank=True,
                               help_text=_("What the team tried, in which PDSA cycles. Markdown."))
    results = models.TextField(blank=True, help_text=_("What the chart and the cycles showed. "
                               "Markdown."))
    lessons = models.TextField(_("lessons learned"), blank=True,
                               help_text=_("What another team should know. Markdown."))
    language = language_field()
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="storyboards",
                                help_text=_("The measure whose chart the storyboard shows: one "
                                "the team reports, a count or a ratio."))
    period_from = models.DateField(_("chart from"), null=True, blank=True,
                                   help_text=_("First period shown (optional)."))
    period_to = models.DateField(_("chart to"), null=True, blank=True,
                                 help_text=_("Last period shown (optional)."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "storyboard")
        verbose_name_plural = pgettext_lazy("model", "storyboards")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__isnull=True) | models.Q(period_to__isnull=True)
                | models.Q(period_from__lte=models.F("period_to")),
                name="storyboard_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public page once published; the team's page otherwise."""
        if self.is_public:
            return reverse("storyboards:public_detail", args=[self.pk])
        return self.team_url()

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def in_review(self) -> bool:
        return self.status in self.IN_REVIEW

    @property
    def status_class(self) -> str:
        """The site's status-chip colour for this state."""
        return {"draft": "draft", "changes_requested": "draft", "submitted": "submitted",
                "resubmitted": "submitted", "approved": "reviewed", "published": "locked",
                }.get(self.status, "none")

    def team_url(self) -> str:
        return reverse("storyboards:detail", args=[
            self.team.learning_network.slug, self.team.jurisdiction.postal_code.lower(), self.pk])


class StoryboardEvent(models.Model):
    """One step of a storyboard's workflow: the status it reached, who, when and why."""

    storyboard = models.ForeignKey(Storyboard, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Storyboard.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    language = language_field()

    class Meta:
        verbose_name = pgettext_lazy("model", "storyboard event")
        verbose_name_plural = pgettext_lazy("model", "storyboard events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.storyboard}: {self.get_status_display()}"
