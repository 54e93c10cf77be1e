"""Reports made in the background (with their progress) and reports made on a schedule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.jobs import Job
from coiin.network.models import LearningNetwork, Team

from ..documents.models import ReportSnapshot

__all__ = ["ReportJob", "ReportSchedule"]


class ReportSchedule(models.Model):
    """A learning network's report, made each month or quarter once the period has closed."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Learning-network report")
        TEAMS = "teams", _("Every team's own report")

    class Frequency(models.TextChoices):  # the values are measures.periods.Frequency's
        MONTHLY = "monthly", _("Monthly (after each month closes)")
        QUARTERLY = "quarterly", _("Quarterly (after each quarter closes)")

    network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE,
                                related_name="report_schedules")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=10, choices=ReportSnapshot.Format.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    active = models.BooleanField(default=True)
    last_run_period = models.CharField(
        max_length=10, blank=True,
        help_text=_("The last period whose reports were requested (e.g. 2017-11 or 2017-Q3)."))
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "report schedule")
        verbose_name_plural = pgettext_lazy("model", "report schedules")
        ordering = ["network", "kind", "frequency", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["network", "kind", "format", "frequency"], name="report_schedule_unique")]

    def __str__(self) -> str:
        return (f"{self.network}: {self.get_kind_display().lower()}, "
                f"{self.get_format_display()}, {self.frequency}")


# What a job stores about its steps and its failure is English (a worker writes it for
# whoever reads it later); each reader gets it in their own language when it is shown.
# (percent, what is happening) for each step a job goes through.
STEP_QUEUED = (0, gettext_noop("Waiting for a worker"))
STEP_READING = (10, gettext_noop("Reading the data and drawing the report"))
STEP_STORING = (90, gettext_noop("Keeping the report and its inputs"))
STEP_DONE = (100, gettext_noop("Ready"))
STEP_STOPPED = gettext_noop("Stopped")
STEPS = {STEP_QUEUED[1], STEP_READING[1], STEP_STORING[1], STEP_DONE[1], STEP_STOPPED}
# A failure is stored as this, then the error's own (English) words.
FAILED_PREFIX = "The report could not be made: "


class ReportJob(Job):
    """One report being made in the background: who asked, how far it got, what it gave."""

    STATUS_LABELS: ClassVar[Mapping[str, str]] = {
        Job.Status.RUNNING: _("Being made"), Job.Status.DONE: _("Ready"),
        Job.Status.FAILED: _("Failed: no report was kept"),
    }

    kind = models.CharField(max_length=20, choices=ReportSnapshot.Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="report_jobs")
    network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE, null=True,
                                blank=True, related_name="report_jobs")
    period = models.CharField(max_length=10, help_text=_("The period label, e.g. 2017-12."))
    format = models.CharField(max_length=10, choices=ReportSnapshot.Format.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    schedule = models.ForeignKey(ReportSchedule, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="jobs")
    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")

    class Meta(Job.Meta):
        verbose_name = pgettext_lazy("model", "report job")
        verbose_name_plural = pgettext_lazy("model", "report jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.format}): {self.status}"

    @property
    def step_text(self) -> str:
        """The stored step in the reader's language (any other text as it is)."""
        return gettext(self.step) if self.step in STEPS else self.step

    @property
    def error_text(self) -> str:
        """Why the report failed, in the reader's language; the error's own words (and a
        text stored some other way, by an older version too) as they are."""
        if self.error.startswith(FAILED_PREFIX):
            return gettext("The report could not be made: %(reason)s") % {
                "reason": self.error.removeprefix(FAILED_PREFIX)}
        return self.error

    @property
    def stalled(self) -> bool:
        """Unfinished for longer than any report takes: its worker has probably stopped."""
        minutes = getattr(settings, "REPORT_JOB_STALLED_MINUTES", 30)
        return not self.finished and (
            timezone.now() - self.created_at).total_seconds() > 60 * minutes

    @property
    def subject(self) -> str:
        """What the report is about, for people."""
        if self.kind == ReportSnapshot.Kind.TEAM and self.team_id:
            return str(self.team)
        if self.kind == ReportSnapshot.Kind.NETWORK and self.network_id:
            return str(self.network)
        return "the national network"
