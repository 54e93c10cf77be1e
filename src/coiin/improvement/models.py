"""The Model for Improvement in data: aims, driver diagrams, change packages, adoptions
with their status history, PDSA cycles and ramps, progress scores and the collaborative
calendar.

Rules that the database can hold are constraints here; the others live in ``clean()``
and in ``services.py``, which is the only way these rows change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, Team
from coiin.network.written import language_field

# The IHI assessment scale for collaboratives (Breakthrough Series), 0.5 to 5.0.
SCALE = {
    Decimal("0.5"): _("Intent to participate"),
    Decimal("1.0"): _("Forming team"),
    Decimal("1.5"): _("Planning for the project has begun"),
    Decimal("2.0"): _("Activity, but no changes"),
    Decimal("2.5"): _("Changes tested, but no improvement"),
    Decimal("3.0"): _("Modest improvement"),
    Decimal("3.5"): _("Improvement"),
    Decimal("4.0"): _("Significant improvement"),
    Decimal("4.5"): _("Sustainable improvement"),
    Decimal("5.0"): _("Outstanding sustainable results"),
}
# The labels in the reader's language, e.g. "0.5 — Intención de participar".
SCORE_CHOICES = [(k, format_lazy("{} — {}", k, v)) for k, v in SCALE.items()]


def _owner_check(name: str) -> models.CheckConstraint:
    """Exactly one owner: a team, or a learning network."""
    return models.CheckConstraint(
        condition=(Q(team__isnull=False, learning_network__isnull=True)
                   | Q(team__isnull=True, learning_network__isnull=False)),
        name=name)


class OwnedByTeamOrNetwork(models.Model):
    """Something that belongs to one team or to one learning network."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    learning_network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE, null=True,
                                         blank=True, related_name="+")

    class Meta:
        abstract = True

    @property
    def network(self) -> LearningNetwork:
        """The learning network it belongs to (the team's, for a team's)."""
        return self.team.learning_network if self.team_id else self.learning_network

    @property
    def owner(self) -> Team | LearningNetwork:
        return self.team if self.team_id else self.learning_network


class Aim(OwnedByTeamOrNetwork):
    """An aim statement: what, how much, by when; linked to the measures that show it."""

    what = models.CharField(
        max_length=300, help_text=_("What will improve, for whom: e.g. 'Increase the share of "
        "infants placed to sleep safely in our birthing hospitals'."))
    how_much = models.CharField(
        max_length=200, help_text=_("How much: e.g. 'from 60 % to 85 %'."))
    language = language_field()
    by_when = models.DateField(help_text=_("By when."))
    measures = models.ManyToManyField(Measure, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "aim")
        verbose_name_plural = pgettext_lazy("model", "aims")
        ordering = ["position", "pk"]
        constraints = [_owner_check("aim_one_owner")]

    def __str__(self) -> str:
        return self.statement

    @property
    def statement(self) -> str:
        """The aim in one sentence, all of it in the language it was written in (the pages
        mark it so)."""
        with translation.override(self.language or "en"):
            when = date_format(self.by_when, "F j, Y" if self.language == "en" else None)
            return gettext("%(what)s %(how_much)s by %(when)s.") % {
                "what": self.what.rstrip(". "), "how_much": self.how_much.strip(), "when": when}


class DriverDiagram(OwnedByTeamOrNetwork):
    """A team's or a network's theory of change: aim → drivers → change ideas."""

    title = models.CharField(max_length=200, blank=True)
    aim = models.ForeignKey(Aim, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "driver diagram")
        verbose_name_plural = pgettext_lazy("model", "driver diagrams")
        constraints = [
            _owner_check("diagram_one_owner"),
            models.UniqueConstraint(fields=["team"], condition=Q(team__isnull=False),
                                    name="diagram_once_per_team"),
            models.UniqueConstraint(fields=["learning_network"],
                                    condition=Q(learning_network__isnull=False),
                                    name="diagram_once_per_network"),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Driver diagram, %(owner)s") % {"owner": self.owner}


class ChangeIdea(models.Model):
    """An evidence-based change the learning network recommends (its change package)."""

    learning_network = models.ForeignKey(LearningNetwork, on_delete=models.CASCADE,
                                         related_name="change_ideas")
    title = models.CharField(max_length=200)
    description = models.TextField()
    evidence = models.TextField(help_text=_("What the evidence says, with its sources."))
    resources = models.TextField(blank=True, help_text=_("Tools and links, one per line."))
    position = models.PositiveSmallIntegerField(default=0)
    # The one measure the network's estimate of the idea's effect is judged on, chosen by
    # faculty (when the driver diagram offers several) before results are read; empty: the
    # measure of the driver the idea hangs from, when there is exactly one.
    primary_measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+")
    primary_chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    primary_chosen_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "change idea")
        verbose_name_plural = pgettext_lazy("model", "change ideas")
        ordering = ["learning_network__position", "position", "title"]
        constraints = [models.UniqueConstraint(fields=["learning_network", "title"],
                                               name="change_idea_unique_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:idea", args=[self.learning_network.slug, self.pk])

    @property
    def resource_lines(self) -> list[str]:
        return [line.strip() for line in self.resources.splitlines() if line.strip()]


class Driver(models.Model):
    """A box in a driver diagram: a primary or secondary driver, or a change idea."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary driver")
        SECONDARY = "secondary", _("Secondary driver")
        CHANGE = "change", _("Change idea")

    # The kind a parent must have, per kind.
    PARENT_KIND = {Kind.PRIMARY: None, Kind.SECONDARY: Kind.PRIMARY, Kind.CHANGE: Kind.SECONDARY}

    diagram = models.ForeignKey(DriverDiagram, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    language = language_field()
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", help_text=_("The measure that shows this "
                                "driver moving (optional)."))
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="nodes",
                                    help_text=_("The change package's idea this box stands for."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "driver")
        verbose_name_plural = pgettext_lazy("model", "drivers")
        ordering = ["diagram", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="primary", parent__isnull=True)
                                   | Q(parent__isnull=False) & ~Q(kind="primary"),
                                   name="driver_primary_has_no_parent"),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        wanted = self.PARENT_KIND[self.Kind(self.kind)]
        if wanted is None:
            if self.parent_id is not None:
                raise ValidationError({"parent": gettext("A primary driver hangs from the aim.")})
            return
        if self.parent is None or self.parent.kind != wanted:
            raise ValidationError({"parent": gettext(
                "A %(kind)s belongs under a %(parent_kind)s.") % {
                    "kind": self.get_kind_display().lower(),
                    "parent_kind": Driver.Kind(wanted).label.lower()}})
        if self.parent.diagram_id != self.diagram_id:
            raise ValidationError({"parent": gettext("The parent is in another diagram.")})


class Adoption(models.Model):
    """A team's use of a change idea; its status changes are kept in ``events``.

    ``adopted_on`` is derived from the history: the first move to testing (or to
    implementing, spreading or sustained when the earlier steps were skipped).
    ``counts_from`` is the same as recorded: a status dated before the day it was
    recorded counts from the day it was recorded, unless faculty confirmed its date
    (see ``services.adoption_counts_from``); the network's estimates use it.
    """

    class Status(models.TextChoices):
        CONSIDERING = "considering", _("Considering")
        TESTING = "testing", _("Testing")
        IMPLEMENTING = "implementing", _("Implementing")
        SPREADING = "spreading", _("Spreading")
        SUSTAINED = "sustained", _("Sustained")
        ABANDONED = "abandoned", _("Abandoned")

    # The first move to one of these is the adoption date.
    IN_USE = (Status.TESTING, Status.IMPLEMENTING, Status.SPREADING, Status.SUSTAINED)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="adoptions")
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE,
                                    related_name="adoptions")
    status = models.CharField(max_length=20, choices=Status.choices)
    adopted_on = models.DateField(null=True, blank=True, editable=False)
    counts_from = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "adoption")
        verbose_name_plural = pgettext_lazy("model", "adoptions")
        ordering = ["team", "change_idea__position"]
        constraints = [models.UniqueConstraint(fields=["team", "change_idea"],
                                               name="adoption_once_per_idea")]

    def __str__(self) -> str:
        return f"{self.team}: {self.change_idea} ({self.get_status_display().lower()})"


class AdoptionStatus(models.Model):
    """One recorded status of an adoption: from this date, by whom, and why."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Adoption.Status.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    language = language_field()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Faculty's confirmation of a date earlier than the day it was recorded.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "adoption status")
        verbose_name_plural = pgettext_lazy("model", "adoption statuses")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.get_status_display()}"


class Ramp(models.Model):
    """A chain of PDSA cycles testing one change idea in one team, each building on the last."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="ramps")
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="ramps")
    title = models.CharField(max_length=200)
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "ramp")
        verbose_name_plural = pgettext_lazy("model", "ramps")
        ordering = ["team", "pk"]

    def __str__(self) -> str:
        return self.title


class PDSACycle(models.Model):
    """One test of a change: plan (with predictions), do, study, act."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ADAPT = "adapt", _("Adapt")
        ABANDON = "abandon", _("Abandon")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pdsa_cycles")
    number = models.PositiveIntegerField(editable=False, help_text=_("1, 2, 3 … per team."))
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.PROTECT,
                                    related_name="cycles")
    ramp = models.ForeignKey(Ramp, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="cycles")
    title = models.CharField(max_length=120, help_text=_("A short name for the test."))
    # Plan
    objective = models.TextField(help_text=_("What this cycle is for."))
    questions = models.TextField(help_text=_("What do we want to learn?"))
    predictions = models.TextField(help_text=_("What do we think will happen?"))
    plan_who = models.CharField(_("who"), max_length=300)
    plan_what = models.TextField(_("what"))
    plan_where = models.CharField(_("where"), max_length=300)
    starts = models.DateField(help_text=_("When the test begins."))
    ends = models.DateField(null=True, blank=True, help_text=_("When it is planned to end."))
    measures = models.ManyToManyField(Measure, blank=True, related_name="+",
                                      help_text=_("The measures this change should move."))
    # Do, study, act
    what_happened = models.TextField(blank=True, help_text=_("Do: what happened, surprises."))
    learned = models.TextField(blank=True, help_text=_("Study: what was learned, compared with "
                               "the predictions."))
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    language = language_field()
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "PDSA cycle")
        verbose_name_plural = pgettext_lazy("model", "PDSA cycles")
        ordering = ["team", "-starts", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="pdsa_number_per_team"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | ~Q(decision=""),
                                   name="pdsa_closed_has_decision"),
            models.CheckConstraint(condition=Q(ends__isnull=True) | Q(ends__gte=models.F(
                "starts")), name="pdsa_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"PDSA {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:cycle", args=[
            self.team.learning_network.slug, self.team.jurisdiction.postal_code.lower(),
            self.number])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def stage(self) -> str:
        """Where the cycle is: planned, running, studied or closed."""
        if self.is_closed:
            return "closed"
        if self.learned:
            return "studied"
        if self.starts <= timezone.localdate() or self.what_happened:
            return "running"
        return "planned"

    @property
    def label(self) -> str:
        return f"PDSA {self.number}: {self.title}"

    def running_between(self, first: dt.date, last: dt.date) -> bool:
        end = self.closed_on or dt.date.max  # open cycles run until they are closed
        return self.starts <= last and end >= first

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.closed_on is not None and not self.decision:
            errors["decision"] = "Choose adopt, adapt or abandon to close the cycle."
        if self.ends and self.starts and self.ends < self.starts:
            errors["ends"] = "The end comes before the start."
        if self.change_idea_id and self.team_id and \
                self.change_idea.learning_network_id != self.team.learning_network_id:
            errors["change_idea"] = "That idea is in another learning network's change package."
        if self.ramp_id and (self.ramp.team_id != self.team_id
                             or self.ramp.change_idea_id != self.change_idea_id):
            errors["ramp"] = ("A ramp's cycles test one change idea in one team: this ramp is "
                              f"for '{self.ramp.change_idea}'.")
        if errors:
            raise ValidationError(errors)


class CycleComment(models.Model):
    """Feedback on a PDSA cycle from faculty or peers."""

    cycle = models.ForeignKey(PDSACycle, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    text = models.TextField()
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "cycle comment")
        verbose_name_plural = pgettext_lazy("model", "cycle comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return gettext("Comment on %(cycle)s") % {"cycle": self.cycle}


class ProgressScore(models.Model):
    """A team's monthly IHI assessment-scale score: its own rating, or its coach's."""

    class Rater(models.TextChoices):
        TEAM = "team", _("Team self-rating")
        COACH = "coach", _("Coach rating")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="progress_scores")
    month = models.DateField(help_text=_("First day of the month."))
    rater = models.CharField(max_length=10, choices=Rater.choices, default=Rater.TEAM)
    score = models.DecimalField(max_digits=2, decimal_places=1, choices=SCORE_CHOICES)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "progress score")
        verbose_name_plural = pgettext_lazy("model", "progress scores")
        ordering = ["team", "month", "rater"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "rater"],
                                    name="score_once_per_team_month"),
            models.CheckConstraint(condition=Q(score__in=list(SCALE)), name="score_on_scale"),
            models.CheckConstraint(condition=Q(month__day=1), name="score_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}: {self.score}"

    @property
    def meaning(self) -> str:
        return str(SCALE.get(Decimal(self.score), ""))

    @property
    def heat_class(self) -> str:
        """heat-1 (0.5) to heat-10 (5.0): the cell colour on the heat map."""
        return f"heat-{int(Decimal(self.score) * 2)}"



from .effect_models import IdeaEffect as IdeaEffect  # noqa: E402  (registered with this app)
from .event_models import Attendance as Attendance  # noqa: E402  (registered with this app)
from .event_models import Event as Event  # noqa: E402  (registered with this app)
