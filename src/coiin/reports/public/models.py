"""What backbone staff have published, and the cached disclosure-controlled releases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure

__all__ = ["PublicRelease", "PublishedMeasure"]


class PublishedMeasure(models.Model):
    """A measure published at one level. Nothing else reported is ever public."""

    class Level(models.TextChoices):
        NETWORK = "network", _("Per learning network")
        JURISDICTION = "jurisdiction", _("Per jurisdiction")
        NATIONAL = "national", _("National")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="publications")
    level = models.CharField(max_length=20, choices=Level.choices)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)
    publish_strata = models.BooleanField(
        default=False, help_text=_("Also publish the measure's strata (e.g. by race/ethnicity) "
        "at this level, suppressed together with the totals."))
    # Figures that are not real (a demonstration's): labelled so wherever they are shown,
    # in the public CSV's note column and as ``synthetic`` in the public API.
    synthetic = models.BooleanField(
        default=False, help_text=_("Every figure of the measure at this level is synthetic "
        "(a demonstration), not real."))
    synthetic_strata = models.BooleanField(
        default=False, help_text=_("The strata's figures (e.g. by race/ethnicity) are "
        "synthetic, not real, though the totals may be."))

    class Meta:
        verbose_name = pgettext_lazy("model", "published measure")
        verbose_name_plural = pgettext_lazy("model", "published measures")
        ordering = ["measure__code", "level"]
        constraints = [models.UniqueConstraint(fields=["measure", "level"],
                                               name="published_measure_unique")]

    def __str__(self) -> str:
        return f"{self.measure.code} ({self.get_level_display()})"


class PublicRelease(models.Model):
    """The suppressed release of one measure, cached per data fingerprint.

    ``cells`` holds only what may be published: a suppressed count is stored as null with
    its reason, never as its value, so the cache itself discloses nothing.
    """

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)
    cells = models.JSONField(default=list)

    class Meta:
        verbose_name = pgettext_lazy("model", "public release")
        verbose_name_plural = pgettext_lazy("model", "public releases")

    def __str__(self) -> str:
        return gettext("Public release of %(measure)s") % {"measure": self.measure.code}
