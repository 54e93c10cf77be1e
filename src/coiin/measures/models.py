"""Measures, the measures each team reports, goals, team-period submissions and values.

A reported value is stored once, in ``DataValue``, unique on (submission, measure,
stratum); the submission is the team's reporting period and carries the workflow
status. A measure a team reports by site also has its sites' ``SiteValue`` rows; the team's
``DataValue`` is then their roll-up. Everything else (rates, charts, aggregates) is derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coiin.jobs import Job
from coiin.network.models import LearningNetwork, ReportingUnit, Team

from .periods import Frequency, Period
from .strata import Stratum

# Data sources whose figures are weighted survey estimates (the catalog's PRAMS and BRFSS).
SURVEY_SOURCES = ("PRAMS", "BRFSS")


class Measure(models.Model):
    """A measure in the catalog; its definition's history is kept."""

    class Level(models.TextChoices):
        STATE_OUTCOME = "state_outcome", _("State outcome")
        PILOT_OUTCOME = "pilot_outcome", _("Pilot-site outcome")
        PILOT_PROCESS = "pilot_process", _("Pilot-site process")
        INNOVATION = "innovation", _("Innovation")
        BALANCING = "balancing", _("Balancing")

    class Type(models.TextChoices):
        COUNT = "count", _("Count")
        RATIO = "ratio", _("Ratio (numerator / denominator)")
        CATEGORICAL = "categorical", _("Categorical")
        TEXT = "text", _("Free text")
        SAMPLED = "sampled", _("Sampled (individual measurements each period)")

    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")
        NONE = "none", _("No preferred direction")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(max_length=200)
    learning_network = models.ForeignKey(
        LearningNetwork, on_delete=models.PROTECT, null=True, blank=True,
        related_name="measures", help_text=_("Empty for measures every network shares."),
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    type = models.CharField(max_length=20, choices=Type.choices)
    multiplier = models.PositiveIntegerField(
        default=100, help_text=_("100 shows a ratio as a percentage; 1000 as a rate per 1,000."))
    unit = models.CharField(max_length=60, blank=True,
                            help_text=_("How the value reads, e.g. '%' or 'per 1,000 live "
                                        "births'."))
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.NONE)
    frequency = models.CharField(max_length=20, choices=[
        (Frequency.MONTHLY.value, _("Monthly")), (Frequency.QUARTERLY.value, _("Quarterly")),
        (Frequency.HALF_YEARLY.value, _("Half-yearly")), (Frequency.YEARLY.value, _("Yearly"))],
                                 default=Frequency.MONTHLY.value)
    data_source = models.CharField(max_length=120)
    national_target = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    target_source = models.CharField(max_length=300, blank=True)
    stratification = models.CharField(max_length=20, choices=Stratum.Kind.choices, blank=True,
                                      help_text=_("Report by these strata as well as in total."))
    strata_sum_to_total = models.BooleanField(
        default=True, help_text=_("Stratum numerators and denominators must add up to the total."))
    categories = models.JSONField(default=list, blank=True,
                                  help_text=_("Allowed answers of a categorical measure."))
    records_events = models.BooleanField(
        default=False, help_text=_("Teams log each event (date, births since the previous "
                                   "one); charted by the gaps between events (g, t charts)."))
    expected_min = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    expected_max = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.TextField(help_text=_("Where the definition comes from."))
    is_custom = models.BooleanField(default=False)
    recommended = models.BooleanField(
        default=False, help_text=_("Part of the network's default set for new teams."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_by"])

    class Meta:
        verbose_name = pgettext_lazy("model", "measure")
        verbose_name_plural = pgettext_lazy("model", "measures")
        ordering = ["learning_network__position", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def freq(self) -> Frequency:
        return Frequency(self.frequency)

    @property
    def is_sampled(self) -> bool:
        """Each period's value is the mean of individual measurements (xbar and s charts)."""
        return self.type == self.Type.SAMPLED

    @property
    def is_ratio(self) -> bool:
        return self.type == self.Type.RATIO

    @property
    def is_survey(self) -> bool:
        """A survey estimate (PRAMS, BRFSS): weighted, so the respondents counted are not
        the binomial trials a p chart's limits assume. Read from the English source, the
        same in every language."""
        english = getattr(self, "data_source_en", None) or self.data_source
        return english.startswith(SURVEY_SOURCES)

    @property
    def is_proportion(self) -> bool:
        """A ratio whose numerator is part of its denominator (shown as a percentage)."""
        return self.is_ratio and self.multiplier == 100

    def scaled(self, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
        if numerator is None or not denominator:
            return None
        return numerator / denominator * self.multiplier

    def result_of(self, numerator: Decimal | None, denominator: Decimal | None,
                  value: Decimal | None) -> Decimal | None:
        """The number a chart shows for these stored numbers: a survey measure's weighted
        estimate (older rows typed as counts are scaled), a ratio scaled, else the value."""
        if self.is_survey and value is not None:
            return value
        if self.is_ratio:
            return self.scaled(numerator, denominator)
        return value


class TeamMeasure(models.Model):
    """A measure a team has chosen to report."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="team_measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="team_measures")
    chosen_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    by_site = models.BooleanField(
        default=False, help_text=_("Reported by the team's sites (reporting units); the team's "
                                   "figure is their sum, never a mean of their rates."))

    class Meta:
        verbose_name = pgettext_lazy("model", "team measure")
        verbose_name_plural = pgettext_lazy("model", "team measures")
        ordering = ["measure__code"]
        constraints = [models.UniqueConstraint(fields=["team", "measure"],
                                               name="team_measure_unique")]

    def __str__(self) -> str:
        return f"{self.team}: {self.measure.code}"


class Goal(models.Model):
    """What a team aims for on a measure: a value, or a relative improvement on its baseline."""

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("Reach a value")
        RELATIVE = "relative", _("Relative improvement over baseline (%)")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="goals")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RELATIVE)
    value = models.DecimalField(max_digits=12, decimal_places=4,
                                # xgettext:no-python-format
                                help_text=_("The value to reach, or the % improvement (e.g. 10)."))
    baseline_start = models.DateField(null=True, blank=True)
    baseline_end = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model", "goal")
        verbose_name_plural = pgettext_lazy("model", "goals")
        constraints = [models.UniqueConstraint(fields=["team", "measure"], name="goal_unique")]

    def __str__(self) -> str:
        return f"{self.team} {self.measure.code}: {self.describe()}"

    def describe(self) -> str:  # in the reader's language
        value = f"{self.value.normalize():f}"
        if self.kind == self.Kind.RELATIVE:
            return gettext("≥%(value)s %% relative improvement over baseline") % {"value": value}
        return gettext("reach %(value)s") % {"value": f"{value} {self.measure.unit}".strip()}


class Submission(models.Model):
    """A team's reporting period for one frequency: its status and its values."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        LOCKED = "locked", _("Locked")

    # Data in these states appear in charts and aggregates; drafts never do.
    SHOWN_STATUSES = (Status.SUBMITTED, Status.REVIEWED, Status.LOCKED)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="submissions")
    frequency = models.CharField(max_length=20, choices=Measure._meta.get_field(
        "frequency").choices)
    period_start = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_final = models.BooleanField(default=False,
                                   help_text=_("Final rather than provisional data."))
    version = models.PositiveIntegerField(default=0, help_text=_("Raised on every save; an edit "
                                          "based on an older version is refused."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    assessment = models.TextField(blank=True)
    assessment_language = models.CharField(_("language the assessment was written in"),
                                           max_length=10, default="en", editable=False)
    open_until = models.DateField(null=True, blank=True,
                                  help_text=_("An exception granted by backbone staff."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "submission")
        verbose_name_plural = pgettext_lazy("model", "submissions")
        ordering = ["team", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["team", "frequency", "period_start"],
                                    name="submission_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.team}, {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, Frequency(self.frequency))


class SubmissionEvent(models.Model):
    """A recorded workflow step: who moved a submission from one status to another, and why."""

    # Each step's action, as the end of "it cannot be ...".
    DONE: ClassVar[Mapping[str, str]] = {
        "submitted": _("submitted"), "reviewed": _("reviewed"),
        "unreviewed": _("sent back for review"), "locked": _("locked"),
        "unlocked": _("unlocked"), "reopened": _("reopened"), "exception": _("kept open")}

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "submission event")
        verbose_name_plural = pgettext_lazy("model", "submission events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    @property
    def labels(self) -> tuple[str, str, str]:  # action, from, to: stored as codes, read translated
        name = dict(Submission.Status.choices)
        return (str(self.DONE.get(self.action, self.action)),
                str(name.get(self.from_status, self.from_status)),
                str(name.get(self.to_status, self.to_status)))


class DataValue(models.Model):
    """One reported value: a team's measure in a period, in total or for one stratum."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    stratum = models.ForeignKey(Stratum, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True,
                                help_text=_("Counts, values without numerator/denominator, and "
                                            "survey measures' weighted estimates."))
    # A survey measure's estimate is weighted: it comes with its standard error or its
    # 95 % confidence interval (or both), in the estimate's unit, and optionally the
    # number of respondents it rests on (unweighted).
    standard_error = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    ci_lower = models.DecimalField(_("95 % CI lower"), max_digits=14, decimal_places=4,
                                   null=True, blank=True)
    ci_upper = models.DecimalField(_("95 % CI upper"), max_digits=14, decimal_places=4,
                                   null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("unweighted n"), null=True, blank=True)
    text = models.TextField(blank=True, help_text=_("Categorical and free-text answers."))
    measurements = models.JSONField(
        default=list, blank=True, help_text=_("A sampled measure's individual measurements; "
                                              "``value`` holds their mean."))
    comment = models.TextField(blank=True)
    warnings_confirmed = models.TextField(
        blank=True, help_text=_("The reason given for keeping a value that raised a warning."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "data value")
        verbose_name_plural = pgettext_lazy("model", "data values")
        ordering = ["submission", "measure", "stratum__position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "measure", "stratum"],
                                    condition=models.Q(stratum__isnull=False),
                                    name="value_unique_stratum"),
            models.UniqueConstraint(fields=["submission", "measure"],
                                    condition=models.Q(stratum__isnull=True),
                                    name="value_unique_total"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.submission}"

    @property
    def result(self) -> Decimal | None:
        """The number a chart shows: the scaled ratio, the survey estimate, or the value."""
        return self.measure.result_of(self.numerator, self.denominator, self.value)

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """A survey estimate's 95 % interval: as given, else estimate ± 1.96 SE."""
        return survey_interval(self.measure, self.value, self.standard_error, self.ci_lower,
                               self.ci_upper)


class SiteValue(models.Model):
    """One site's (reporting unit's) value of a measure in its team's period.

    For a measure the team reports by site (``TeamMeasure.by_site``) the team's own
    ``DataValue`` is the roll-up of these: sums of numerators and denominators (or of
    counts), kept by ``coiin.measures.services`` in the same transaction.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="site_values")
    unit = models.ForeignKey(ReportingUnit, on_delete=models.PROTECT, related_name="values")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="site_values")
    stratum = models.ForeignKey(Stratum, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True,
                                help_text=_("Counts, and values without numerator/denominator."))
    measurements = models.JSONField(
        default=list, blank=True, help_text=_("A sampled measure's individual measurements at "
                                              "this site; ``value`` holds their mean."))
    comment = models.TextField(blank=True)
    warnings_confirmed = models.TextField(
        blank=True, help_text=_("The reason given for keeping a value that raised a warning."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "site value")
        verbose_name_plural = pgettext_lazy("model", "site values")
        ordering = ["submission", "unit__name", "measure", "stratum__position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "unit", "measure", "stratum"],
                                    condition=models.Q(stratum__isnull=False),
                                    name="site_value_unique_stratum"),
            models.UniqueConstraint(fields=["submission", "unit", "measure"],
                                    condition=models.Q(stratum__isnull=True),
                                    name="site_value_unique_total"),
        ]
        indexes = [models.Index(fields=["unit", "measure"], name="site_value_unit_measure")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.unit} {self.submission}"

    @property
    def result(self) -> Decimal | None:
        """The number a chart shows: the scaled ratio, or the value."""
        return self.measure.result_of(self.numerator, self.denominator, self.value)


Z95 = Decimal("1.96")


def survey_interval(measure: Measure, estimate: Decimal | None, se: Decimal | None,
                    lower: Decimal | None, upper: Decimal | None
                    ) -> tuple[Decimal, Decimal] | None:
    """A survey estimate's 95 % interval: the one given, else estimate ± 1.96 SE (a
    percentage's kept within 0–100); None without an estimate or either."""
    if estimate is None:
        return None
    if lower is not None and upper is not None:
        return lower, upper
    if se is None:
        return None
    lo, hi = estimate - Z95 * se, estimate + Z95 * se
    if measure.is_proportion:
        lo, hi = max(lo, Decimal(0)), min(hi, Decimal(100))
    return lo, hi


class Reminder(models.Model):
    """An e-mail sent to a team's data leads about a period: before it is due, or overdue."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(help_text=_("The addresses it went to, one per line."))

    class Meta:
        verbose_name = pgettext_lazy("model", "reminder")
        verbose_name_plural = pgettext_lazy("model", "reminders")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["submission", "kind"],
                                               name="reminder_once_per_kind")]

    def __str__(self) -> str:
        return gettext("%(kind)s reminder, %(submission)s") % {
            "kind": self.get_kind_display(), "submission": self.submission}


class ImportJob(Job):
    """A large upload being imported in the background, with its progress and outcome.

    While it runs, ``step`` says whether rows are being checked or values stored, and
    ``done_rows`` counts them; ``result`` keeps the summary, the warnings and, when the
    file is refused, every bad row.
    """

    STEP_CHECKING = "Checking rows"
    STEP_STORING = "Storing values"
    STATUS_LABELS: ClassVar[Mapping[str, str]] = {
        Job.Status.RUNNING: _("Importing"), Job.Status.DONE: _("Imported"),
        Job.Status.REFUSED: _("Refused: nothing stored"),
        Job.Status.FAILED: _("Failed: nothing stored"),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    filename = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    dry_run = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)

    class Meta(Job.Meta):
        verbose_name = pgettext_lazy("model", "import job")
        verbose_name_plural = pgettext_lazy("model", "import jobs")

    def __str__(self) -> str:
        return gettext("Import of %(file)s (%(status)s)") % {"file": self.filename,
                                                              "status": self.status_label}

    @property
    def storing(self) -> bool:
        """Values are being stored (the rows have all been checked)."""
        return self.step == self.STEP_STORING


from .rare_events import RareEvent  # noqa: E402,F401 - a model of this app, in its own module
