"""Official population figures per jurisdiction: births, infant deaths and the other
vital-records outcomes, each from one loaded source file.

A figure belongs to a jurisdiction, not to a team: a state in three learning networks has
one infant-death count per year and source. Rows are written only by
``coiin.vitals.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.network.models import Jurisdiction


class SourceKind(models.TextChoices):
    CDC_SOS = "cdc-sos", _("CDC/NCHS Stats of the States (infant mortality)")
    NVSS_BIRTHS = "nvss-births", _("NVSS live births by state")
    WONDER = "wonder", _("CDC WONDER linked birth / infant death")
    OFFICE = "office", _("Jurisdiction vital records office (entered)")


class Item(models.TextChoices):
    BIRTHS = "births", _("Live births")
    INFANT_DEATHS = "infant_deaths", _("Infant deaths (under 1 year)")
    NEONATAL_DEATHS = "neonatal_deaths", _("Neonatal deaths (under 28 days)")
    POSTNEONATAL_DEATHS = "postneonatal_deaths", _("Post-neonatal deaths (28 days to 1 year)")
    SUID_DEATHS = "suid_deaths", _("Sudden unexpected infant deaths")
    PRETERM_BIRTHS = "preterm_births", _("Preterm births (under 37 weeks)")
    LOW_BIRTHWEIGHT_BIRTHS = "low_birthweight_births", _("Low-birthweight births (under 2,500 g)")


class RateUnit(models.TextChoices):
    PER_1000 = "per_1000_live_births", _("per 1,000 live births")
    PER_100000 = "per_100000_live_births", _("per 100,000 live births")
    # xgettext:no-python-format
    PERCENT = "percent_of_live_births", _("% of live births")


class Status(models.TextChoices):
    PROVISIONAL = "provisional", pgettext_lazy("figures", "Provisional")
    FINAL = "final", pgettext_lazy("figures", "Final")


# The race/ethnicity groups a vital-records office enters figures by; the measure catalog
# stratifies by the same groups (by label), so an office's stratum reaches the teams' strata.
MOTHER_RACES = [
    ("nh-white", "Non-Hispanic White"), ("nh-black", "Non-Hispanic Black"),
    ("hispanic", "Hispanic"), ("nh-asian-pi", "Non-Hispanic Asian/Pacific Islander"),
    ("nh-aian", "Non-Hispanic American Indian/Alaska Native"),
    ("other", "Other or unknown"),
]
# Their names on the pages, in the reader's language (what is stored is the English label;
# the measure catalog's strata carry the same Spanish names).
MOTHER_RACE_NAMES = {
    "nh-white": pgettext_lazy("mother's race/ethnicity", "Non-Hispanic White"),
    "nh-black": pgettext_lazy("mother's race/ethnicity", "Non-Hispanic Black"),
    "hispanic": pgettext_lazy("mother's race/ethnicity", "Hispanic"),
    "nh-asian-pi": pgettext_lazy("mother's race/ethnicity",
                                 "Non-Hispanic Asian/Pacific Islander"),
    "nh-aian": pgettext_lazy("mother's race/ethnicity",
                             "Non-Hispanic American Indian/Alaska Native"),
    "other": pgettext_lazy("mother's race/ethnicity", "Other or unknown"),
}


class VitalsLoad(models.Model):
    """One source file loaded: what it was (name, SHA-256), what it held, who loaded it."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    row_count = models.PositiveIntegerField(help_text=_("Data rows read from the file."))
    figures_added = models.PositiveIntegerField(default=0)
    figures_unchanged = models.PositiveIntegerField(
        default=0, help_text=_("Figures the file holds that were already stored, unchanged."))
    figures_replaced = models.PositiveIntegerField(
        default=0, help_text=_("Provisional figures this load's final ones replaced."))

    class Meta:
        verbose_name = pgettext_lazy("model", "vitals load")
        verbose_name_plural = pgettext_lazy("model", "vitals loads")
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_source_kind_display()})"


class VitalFigure(models.Model):
    """One count for a jurisdiction, period, stratum and item, from one source kind.

    The period is a year, or a quarter or month of it (0 where the figure is not by
    quarter or month). A blank stratum field means all mothers. ``value`` is null when the
    source suppressed the cell; ``published_rate`` is the rate the source printed, kept to
    compare with the one computed from counts, never used in its place.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="vital_figures")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0, help_text=_("1-4, or 0"))
    month = models.PositiveSmallIntegerField(default=0, help_text=_("1-12, or 0"))
    mother_race = models.CharField(max_length=60, blank=True,
                                   help_text=_("Race/ethnicity of the mother; blank for all."))
    mother_age = models.CharField(max_length=20, blank=True,
                                  help_text=_("Age group of the mother; blank for all."))
    item = models.CharField(max_length=30, choices=Item.choices)
    value = models.PositiveIntegerField(null=True, blank=True)
    published_rate = models.DecimalField(max_digits=12, decimal_places=4, null=True,
                                         blank=True)
    rate_unit = models.CharField(max_length=30, choices=RateUnit.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FINAL)
    suppressed = models.BooleanField(default=False)
    unreliable = models.BooleanField(default=False)
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    load = models.ForeignKey(VitalsLoad, on_delete=models.PROTECT, related_name="figures")

    class Meta:
        verbose_name = pgettext_lazy("model", "vital figure")
        verbose_name_plural = pgettext_lazy("model", "vital figures")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "quarter", "month", "mother_race",
                        "mother_age", "item", "source_kind"],
                name="vitals_one_figure_per_key"),
            models.CheckConstraint(condition=Q(quarter__lte=4) & Q(month__lte=12)
                                   & (Q(quarter=0) | Q(month=0)),
                                   name="vitals_quarter_or_month"),
            models.CheckConstraint(condition=Q(suppressed=False) | Q(value__isnull=True),
                                   name="vitals_suppressed_has_no_value"),
            models.CheckConstraint(condition=Q(published_rate__isnull=True) | ~Q(rate_unit=""),
                                   name="vitals_rate_has_unit"),
        ]
        indexes = [models.Index(fields=["item", "year"], name="vitals_item_year")]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.period} {self.item}={self.value}"

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter, self.month)


class ReplacedFigure(models.Model):
    """A provisional figure as it was before a final one (or, from its office, a corrected
    provisional one) replaced it: what it said, the load it came from (kept) and the load
    that replaced it."""

    figure = models.ForeignKey(VitalFigure, on_delete=models.CASCADE,
                               related_name="replaced")
    value = models.PositiveIntegerField(null=True, blank=True)
    published_rate = models.DecimalField(max_digits=12, decimal_places=4, null=True,
                                         blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    suppressed = models.BooleanField(default=False)
    unreliable = models.BooleanField(default=False)
    load = models.ForeignKey(VitalsLoad, on_delete=models.PROTECT, related_name="+")
    replaced_by = models.ForeignKey(VitalsLoad, on_delete=models.PROTECT,
                                    related_name="replacements")

    class Meta:
        verbose_name = pgettext_lazy("model", "replaced figure")
        verbose_name_plural = pgettext_lazy("model", "replaced figures")
        ordering = ["figure", "pk"]

    def __str__(self) -> str:
        return gettext("%(figure)s was %(value)s (%(status)s)") % {
            "figure": self.figure, "value": self.value, "status": self.status}


class VitalRecordsRole(models.Model):
    """A person who enters figures for a jurisdiction's vital-records office (provisional
    quarterly births and infant deaths, before the national files have them). Granted
    and withdrawn by backbone staff; the rule is ``coiin.access.vitals``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="vital_records_roles")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE,
                                     related_name="vital_records_roles")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "vital records role")
        verbose_name_plural = pgettext_lazy("model", "vital records roles")
        ordering = ["jurisdiction__name", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "jurisdiction"],
                                               name="vitals_role_once")]

    def __str__(self) -> str:
        return gettext("%(user)s — vital records office, %(jurisdiction)s") % {
            "user": self.user, "jurisdiction": self.jurisdiction}


def period_label(year: int, quarter: int = 0, month: int = 0) -> str:
    """2019, 2019-Q2 or 2019-03."""
    if month:
        return f"{year}-{month:02d}"
    if quarter:
        return f"{year}-Q{quarter}"
    return str(year)
