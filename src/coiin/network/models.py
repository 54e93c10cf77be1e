"""The network itself: jurisdictions, cohorts, learning networks, teams, people and roles."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.converters import CODE_MAX_LENGTH, RESERVED_CODES, is_jurisdiction_code

MAX_NETWORKS_PER_JURISDICTION = 3


class Cohort(models.Model):
    """The phase in which jurisdictions joined the CoIIN (2012, 2013 or 2014)."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "cohort")
        verbose_name_plural = pgettext_lazy("model", "cohorts")
        ordering = ["year"]

    def __str__(self) -> str:
        return self.name


def validate_jurisdiction_code(value: str) -> None:
    """2 to 8 capital letters and digits, starting with a letter; not a reserved word."""
    if value != value.upper() or not is_jurisdiction_code(value):
        if value.upper() in RESERVED_CODES:
            raise ValidationError(gettext("%(value)s is a reserved word; choose another code.")
                                  % {"value": repr(value)})
        raise ValidationError(
            gettext("%(value)s is not a jurisdiction code: 2 to %(max_length)s capital letters "
                    "and digits, starting with a letter (GA, NAV, C01).")
            % {"value": repr(value), "max_length": CODE_MAX_LENGTH}
        )


class Jurisdiction(models.Model):
    """A state, DC, a territory, a freely associated state, or another public-health body
    that joins the network (a tribal nation, a city or county health department).

    ``postal_code`` is the USPS code for the 59 on the tile map and any other 2 to 8
    letters and digits for the rest (see ``coiin.converters``). ``fips_code`` is the state
    FIPS code, or a longer one (a tribal area's or a county's), or blank when there is none.
    """

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        DISTRICT = "district", _("District")
        TERRITORY = "territory", _("Territory")
        FREELY_ASSOCIATED_STATE = "freely_associated_state", _("Freely associated state")
        TRIBAL_NATION = "tribal_nation", _("Tribal nation")
        LOCAL = "local", _("City or county health department")
        OTHER = "other", _("Other jurisdiction")

    name = models.CharField(max_length=80, unique=True)
    official_name = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(
        _("code"), max_length=CODE_MAX_LENGTH, unique=True, validators=[validate_jurisdiction_code],
        help_text=_("USPS code for states and territories (GA); otherwise 2 to 8 capital "
                    "letters and digits, starting with a letter (NAV, C01)."),
    )
    fips_code = models.CharField(
        _("FIPS code"), max_length=7, blank=True,
        validators=[RegexValidator(r"^[0-9]{2,7}\Z", _("A FIPS code is 2 to 7 digits."))],
        help_text=_("State FIPS code (two digits); a tribal area's or county's code; or blank."),
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    hhs_region = models.PositiveSmallIntegerField(
        _("HHS region"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    regional_office = models.CharField(max_length=40, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="jurisdictions")

    class Meta:
        verbose_name = pgettext_lazy("model", "jurisdiction")
        verbose_name_plural = pgettext_lazy("model", "jurisdictions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hhs_region__gte=1, hhs_region__lte=10),
                name="jurisdiction_hhs_region_1_to_10",
            ),
            # Blank for bodies without a FIPS code; unique otherwise.
            models.UniqueConstraint(
                fields=["fips_code"], condition=~models.Q(fips_code=""),
                name="jurisdiction_fips_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("jurisdiction", args=[self.postal_code.lower()])


class LearningNetwork(models.Model):
    """One of the six strategy learning networks."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40)
    aim = models.TextField()
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True,
        help_text=_("The last day of the network's work. Periods that start after it are not "
                    "due; empty while the network runs."))

    class Meta:
        verbose_name = pgettext_lazy("model", "learning network")
        verbose_name_plural = pgettext_lazy("model", "learning networks")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning_network", args=[self.slug])

    def runs_on(self, day: dt.date) -> bool:
        """Is the network still at work on this day?"""
        return self.ends_on is None or day <= self.ends_on


def three_network_message(jurisdiction: Jurisdiction, current: list[str]) -> str:
    names = ", ".join(current)
    return (
        f"{jurisdiction.name} already belongs to {MAX_NETWORKS_PER_JURISDICTION} learning "
        f"networks ({names}); a jurisdiction may join at most "
        f"{MAX_NETWORKS_PER_JURISDICTION}."
    )


class Team(models.Model):
    """A jurisdiction's team in one learning network.

    ``slot`` (1 to 3, unique per jurisdiction) is how the database itself refuses a
    fourth network: there are only three slots. It is assigned on save.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="teams")
    learning_network = models.ForeignKey(
        LearningNetwork, on_delete=models.PROTECT, related_name="teams"
    )
    slot = models.PositiveSmallIntegerField(editable=False)
    joined_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "team")
        verbose_name_plural = pgettext_lazy("model", "teams")
        ordering = ["jurisdiction__name", "learning_network__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "learning_network"], name="team_once_per_network"
            ),
            models.UniqueConstraint(fields=["jurisdiction", "slot"], name="team_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(slot__gte=1, slot__lte=MAX_NETWORKS_PER_JURISDICTION),
                name="team_at_most_three_networks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.learning_network.short_name}"

    def save(self, *args, **kwargs) -> None:
        if self.slot is None:
            others = list(self._other_teams())
            used = {t.slot for t in others}
            free = [s for s in range(1, MAX_NETWORKS_PER_JURISDICTION + 1) if s not in used]
            if not free:
                self._refuse(others)
            self.slot = free[0]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "team", args=[self.learning_network.slug, self.jurisdiction.postal_code.lower()]
        )

    def clean(self) -> None:
        """The three-network rule, worded for the person who tried to break it."""
        super().clean()
        if self.jurisdiction_id is None:
            return
        others = list(self._other_teams())
        if len(others) >= MAX_NETWORKS_PER_JURISDICTION:
            self._refuse(others)

    def _other_teams(self) -> list[Team]:
        others = Team.objects.filter(jurisdiction_id=self.jurisdiction_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        return list(others.select_related("learning_network"))

    def _refuse(self, others: list[Team]) -> NoReturn:
        names = [t.learning_network.name for t in others]
        raise ValidationError(three_network_message(self.jurisdiction, names),
                              code="too_many_networks")


class ReportingUnit(models.Model):
    """A hospital, clinic, county or other unit that reports below a team."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        CLINIC = "clinic", _("Clinic")
        COUNTY = "county", _("County")
        OTHER = "other", _("Other")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reporting_units")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_synthetic = models.BooleanField(
        default=False, help_text=_("Made up for the demo network, not a real organisation.")
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "reporting unit")
        verbose_name_plural = pgettext_lazy("model", "reporting units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="reporting_unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner organisation: state agencies, hospitals, community and national partners."""

    class Kind(models.TextChoices):
        STATE_HEALTH_DEPARTMENT = "state_health_department", _("State health department")
        MEDICAID = "medicaid", _("Medicaid")
        HOSPITAL = "hospital", _("Hospital")
        COMMUNITY = "community", _("Community organisation")
        NATIONAL_PARTNER = "national_partner", _("National partner")
        BACKBONE = "backbone", _("Backbone organisation")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, null=True, blank=True,
        related_name="organisations",
    )
    website = models.URLField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "organisation")
        verbose_name_plural = pgettext_lazy("model", "organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoiinUserManager(UserManager):
    """Users are known by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("network_role", User.NetworkRole.BACKBONE)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: signs in by e-mail; network-wide roles here, team roles in memberships."""

    class NetworkRole(models.TextChoices):
        NONE = "", _("None")
        BACKBONE = "backbone", _("Backbone staff")
        FUNDER = "funder", _("Funder")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    # The title is the person's own words: the language they wrote it in (WCAG 3.1.2), set
    # when they write it on their profile; titles from before, the demo's and SSO's, English.
    title_language = models.CharField(_("job title written in"), max_length=10, default="en",
                                      editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    network_role = models.CharField(
        max_length=20, choices=NetworkRole.choices, blank=True, default=""
    )
    # The interface's language for this person once signed in; blank: as their browser asks.
    language = models.CharField(max_length=10, blank=True, default="", choices=[
        ("en", _("English")), ("es", _("Español"))])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = CoiinUserManager()

    class Meta:
        verbose_name = pgettext_lazy("model", "user")
        verbose_name_plural = pgettext_lazy("model", "users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class TeamMembership(models.Model):
    """A person's role on a team."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Team lead")
        DATA_LEAD = "data_lead", _("Data lead")
        MEMBER = "member", _("Team member")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        help_text=_("Site staff: the one reporting unit whose values this member enters and "
                    "sees. Empty for the whole team."))
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "team membership")
        verbose_name_plural = pgettext_lazy("model", "team memberships")
        ordering = ["team", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.team}"


class FacultyAssignment(models.Model):
    """An expert or coach serving a learning network."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("Expert faculty")
        COACH = "coach", _("Improvement coach")

    learning_network = models.ForeignKey(
        LearningNetwork, on_delete=models.CASCADE, related_name="faculty"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="faculty_roles")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXPERT)

    class Meta:
        verbose_name = pgettext_lazy("model", "faculty assignment")
        verbose_name_plural = pgettext_lazy("model", "faculty assignments")
        ordering = ["learning_network", "kind", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["learning_network", "user"], name="faculty_once_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}, {self.learning_network}"


class Invitation(models.Model):
    """A single-use, expiring invitation to join a team. Only a hash of the token is kept."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        max_length=20, choices=TeamMembership.Role.choices, default=TeamMembership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "invitation")
        verbose_name_plural = pgettext_lazy("model", "invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("Invitation for %(email)s to %(team)s") % {"email": self.email,
                                                                   "team": self.team}

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None
