"""How a team's chart of a measure is drawn: rule set, baseline, phases, exclusions, notes.

Saved per team and measure with who and why, and used everywhere the chart appears.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coiin.measures.models import Measure
from coiin.network.models import Team


class ChartSettings(models.Model):
    class Rules(models.TextChoices):
        ANHOEJ = "anhoej", "Anhøj rules (default)"
        IHI = "ihi", "IHI run-chart rules"
        MDC = "mdc", "NHS Making Data Count"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="chart_settings")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    rules = models.CharField(max_length=10, choices=Rules.choices, default=Rules.ANHOEJ)
    baseline_end = models.DateField(
        null=True, blank=True,
        help_text="The last period of the baseline; its centre line and limits are frozen.")
    reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "measure"],
                                               name="chart_settings_unique")]

    def __str__(self) -> str:
        return f"Chart settings, {self.team} {self.measure.code}"


class ChartPhase(models.Model):
    """A new phase of the chart from this period on: new centre line, limits and runs."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="chart_phases")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    starts = models.DateField(help_text="First day of the first period of the new phase.")
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts"]
        constraints = [models.UniqueConstraint(fields=["team", "measure", "starts"],
                                               name="chart_phase_unique")]

    def __str__(self) -> str:
        return f"Phase from {self.starts}: {self.reason}"


class ChartExclusion(models.Model):
    """A point left out of the centre line and limits (still drawn and tested)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="chart_exclusions")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["team", "measure", "period_start"],
                                               name="chart_exclusion_unique")]

    def __str__(self) -> str:
        return f"Excluded {self.period_start}: {self.reason}"


class Annotation(models.Model):
    """A dated note on a team's charts (all its measures, or one)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="annotations")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", help_text="Empty: shown on every chart.")
    on = models.DateField()
    text = models.CharField(max_length=120)
    link = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text}"
