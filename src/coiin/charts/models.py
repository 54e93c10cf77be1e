"""How a team's chart of a measure is drawn: rule set, baseline, phases, exclusions, notes.

Saved per team and measure with who and why, and used everywhere the chart appears.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.network.written import language_field


class ChartSettings(models.Model):
    class Rules(models.TextChoices):
        ANHOEJ = "anhoej", _("Anhøj rules (default)")
        IHI = "ihi", _("IHI run-chart rules")
        MDC = "mdc", _("NHS Making Data Count")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="chart_settings")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    rules = models.CharField(max_length=10, choices=Rules.choices, default=Rules.ANHOEJ)
    chart_type = models.CharField(
        max_length=10, blank=True,
        help_text=_("Empty: chosen from the measure and its data (see building.choose_chart)."))
    baseline_end = models.DateField(
        null=True, blank=True,
        help_text=_("The last period of the baseline; its centre line and limits are frozen."))
    reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "chart settings")
        verbose_name_plural = pgettext_lazy("model", "chart settings")
        constraints = [models.UniqueConstraint(fields=["team", "measure"],
                                               name="chart_settings_unique")]

    def __str__(self) -> str:
        return gettext("Chart settings, %(team)s %(measure)s") % {
            "team": self.team, "measure": self.measure.code}


class ChartPhase(models.Model):
    """A new phase of the chart from this period on: new centre line, limits and runs."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="chart_phases")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    starts = models.DateField(help_text=_("First day of the first period of the new phase."))
    reason = models.CharField(max_length=300)
    language = language_field()  # of the reason
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "chart phase")
        verbose_name_plural = pgettext_lazy("model", "chart phases")
        ordering = ["starts"]
        constraints = [models.UniqueConstraint(fields=["team", "measure", "starts"],
                                               name="chart_phase_unique")]

    def __str__(self) -> str:
        return gettext("Phase from %(starts)s: %(reason)s") % {"starts": self.starts,
                                                            "reason": self.reason}


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
        verbose_name = pgettext_lazy("model", "chart exclusion")
        verbose_name_plural = pgettext_lazy("model", "chart exclusions")
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["team", "measure", "period_start"],
                                               name="chart_exclusion_unique")]

    def __str__(self) -> str:
        return gettext("Excluded %(period)s: %(reason)s") % {"period": self.period_start,
                                                          "reason": self.reason}


class Annotation(models.Model):
    """A dated note on a team's charts (all its measures, or one)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="annotations")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", help_text=_("Empty: shown on every chart."))
    on = models.DateField()
    text = models.CharField(max_length=120)
    language = language_field()  # of the text
    link = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "annotation")
        verbose_name_plural = pgettext_lazy("model", "annotations")
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text}"


class ChartSummary(models.Model):
    """The state of one series' chart, kept so that dashboards read it instead of
    recomputing charts: refreshed whenever its data or chart settings change (see
    ``charts/summaries.py``), rebuilt by ``coiin rebuild_summaries``.

    One row per series: a team's (``scope`` team), a learning network's pooled one
    (network), the national pooled one (national), or a reporting unit's (site)."""

    class Scope(models.TextChoices):
        TEAM = "team", _("Team")
        NETWORK = "network", _("Learning network, pooled")
        NATIONAL = "national", _("National, pooled")
        SITE = "site", _("Reporting unit")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="chart_summaries")
    learning_network = models.ForeignKey("network.LearningNetwork", on_delete=models.CASCADE,
                                         null=True, blank=True, related_name="+")
    unit = models.ForeignKey("network.ReportingUnit", on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")
    chart_type = models.CharField(max_length=10, blank=True)  # "" : no chart
    problem = models.CharField(max_length=300, blank=True)
    n_observations = models.PositiveIntegerField(default=0)  # shown, usable or not
    n_points = models.PositiveIntegerField(default=0)  # charted
    latest_period = models.DateField(null=True, blank=True)  # first day
    latest_value = models.FloatField(null=True, blank=True)
    centre = models.FloatField(null=True, blank=True)  # latest centre line
    lcl = models.FloatField(null=True, blank=True)  # latest limits
    ucl = models.FloatField(null=True, blank=True)
    first_centre = models.FloatField(null=True, blank=True)
    improvement = models.FloatField(null=True, blank=True)  # against the first centre line
    low = models.FloatField(null=True, blank=True)  # the lowest value or limit drawn
    high = models.FloatField(null=True, blank=True)  # the highest
    signal_direction = models.CharField(max_length=15, blank=True)  # "" : no chart
    has_signal = models.BooleanField(default=False)  # any run or point outside the limits
    sustained = models.BooleanField(default=False)
    # The period of the latest point outside the limits or in a long run: "latest signal".
    last_signal = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)  # the chart's plain-language summary, in English
    # The same as message ids with their values (``said.Summary``), worded in the reader's
    # language when read (``text``); {} in rows stored before it was kept.
    said = models.JSONField(default=dict, blank=True)
    # [period start, y, cl, lcl, ucl, signal code, part, numerator, denominator(, teams)]
    points = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "chart summary")
        verbose_name_plural = pgettext_lazy("model", "chart summaries")
        constraints = [
            models.UniqueConstraint(fields=["measure", "team"], name="summary_team_unique",
                                    condition=models.Q(scope="team")),
            models.UniqueConstraint(fields=["measure", "learning_network"],
                                    name="summary_network_unique",
                                    condition=models.Q(scope="network")),
            models.UniqueConstraint(fields=["measure"], name="summary_national_unique",
                                    condition=models.Q(scope="national")),
            models.UniqueConstraint(fields=["measure", "unit"], name="summary_site_unique",
                                    condition=models.Q(scope="site")),
        ]
        indexes = [models.Index(fields=["measure", "scope"], name="summary_measure_scope")]

    def __str__(self) -> str:
        return gettext("Summary %(scope)s %(measure)s %(team)s") % {
            "scope": self.scope, "measure": self.measure_id, "team": self.team_id or ""}

    @property
    def text(self) -> str:
        """The plain-language summary in the reader's language (the English sentence stored
        for a row without ``said``, or whose messages are no longer known: until
        ``rebuild_summaries`` runs after an upgrade)."""
        from .said import summary_text

        if not self.said:
            return self.summary
        try:
            return summary_text(self.said)
        except (KeyError, TypeError, ValueError):
            return self.summary

    @property
    def html(self) -> str:
        """``text`` as HTML, a phase's reason it quotes marked with its language."""
        from django.utils.html import escape

        from .said import summary_html

        if not self.said:
            return escape(self.summary)
        try:
            return summary_html(self.said)
        except (KeyError, TypeError, ValueError):
            return escape(self.summary)


class NetworkChartSettings(models.Model):
    """How a learning network's pooled chart of a measure is drawn: the chart type its
    faculty chose, and why (empty chart type: chosen from the measure and its data)."""

    learning_network = models.ForeignKey("network.LearningNetwork", on_delete=models.CASCADE,
                                         related_name="chart_settings")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    chart_type = models.CharField(
        max_length=10, blank=True,
        help_text=_("Empty: chosen from the measure and its data (see building.choose_chart)."))
    reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "network chart settings")
        verbose_name_plural = pgettext_lazy("model", "network chart settings")
        constraints = [models.UniqueConstraint(fields=["learning_network", "measure"],
                                               name="network_chart_settings_unique")]

    def __str__(self) -> str:
        return gettext("Pooled chart settings, %(network)s %(measure)s") % {
            "network": self.learning_network, "measure": self.measure.code}


class DismissedSplit(models.Model):
    """A suggested new phase the coach dismissed (the chart stops suggesting it); removing
    the row undoes the dismissal."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    starts = models.DateField(help_text=_("The first day of the period the split was at."))
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "dismissed split")
        verbose_name_plural = pgettext_lazy("model", "dismissed splits")
        constraints = [models.UniqueConstraint(fields=["team", "measure", "starts"],
                                               name="dismissed_split_unique")]

    def __str__(self) -> str:
        return gettext("Split at %(starts)s dismissed") % {"starts": self.starts}
