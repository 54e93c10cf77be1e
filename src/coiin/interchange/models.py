"""The DHIS2 mapping that backbone staff may change: a row here replaces the default the
platform generates from codes (see ``mapping``), so a fresh install needs none."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coiin.measures.models import Measure, Stratum
from coiin.network.models import Team


class ElementMap(models.Model):
    """A measure's part (numerator, denominator or value; a survey estimate's standard
    error, CI ends and unweighted n) in total or for one stratum ↔
    a DHIS2 data element and category option combo."""

    class Part(models.TextChoices):
        NUMERATOR = "numerator", _("Numerator")
        DENOMINATOR = "denominator", _("Denominator")
        VALUE = "value", _("Value")
        STANDARD_ERROR = "standard_error", _("Standard error")
        CI_LOWER = "ci_lower", _("95 % CI lower")
        CI_UPPER = "ci_upper", _("95 % CI upper")
        SAMPLE_SIZE = "sample_size", _("Unweighted n")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    stratum = models.ForeignKey(Stratum, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    part = models.CharField(max_length=20, choices=Part.choices)
    data_element = models.CharField(max_length=50)
    category_option_combo = models.CharField(max_length=50, default="default")

    class Meta:
        verbose_name = pgettext_lazy("model", "element map")
        verbose_name_plural = pgettext_lazy("model", "element maps")
        ordering = ["measure__code", "part"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "stratum", "part"],
                                    condition=models.Q(stratum__isnull=False),
                                    name="element_map_unique_stratum"),
            models.UniqueConstraint(fields=["measure", "part"],
                                    condition=models.Q(stratum__isnull=True),
                                    name="element_map_unique_total"),
            models.UniqueConstraint(fields=["data_element", "category_option_combo"],
                                    name="element_map_unique_element"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.part} ↔ {self.data_element}/" \
               f"{self.category_option_combo}"


class UnitMap(models.Model):
    """A team ↔ a DHIS2 org unit and attribute option combo."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    org_unit = models.CharField(max_length=50)
    attribute_option_combo = models.CharField(max_length=50, default="default")

    class Meta:
        verbose_name = pgettext_lazy("model", "unit map")
        verbose_name_plural = pgettext_lazy("model", "unit maps")
        ordering = ["org_unit", "attribute_option_combo"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "attribute_option_combo"],
                                    name="unit_map_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team} ↔ {self.org_unit}/{self.attribute_option_combo}"
