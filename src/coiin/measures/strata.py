"""The strata a measure is reported by (race/ethnicity, payer, maternal age group).

A stratum's ``label`` is translated (django-modeltranslation, ``label_en`` and ``label_es``;
see ``translation.py``): reading ``stratum.label`` gives the reader's language, else English.
What matches a stratum with other data (the vitals store's groups, import files) uses its
``code`` or its English label (``label_en``), never the reader's words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stratum(models.Model):
    """One category of a stratification (e.g. race/ethnicity: non-Hispanic Black)."""

    class Kind(models.TextChoices):
        RACE_ETHNICITY = "race_ethnicity", _("Race/ethnicity")
        PAYER = "payer", _("Payer")
        AGE_GROUP = "age_group", _("Maternal age group")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "measures"
        verbose_name = pgettext_lazy("model", "stratum")
        verbose_name_plural = pgettext_lazy("model", "strata")
        ordering = ["kind", "position"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="stratum_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def english(self) -> str:
        """The English label: what the vitals store and other data name the group by."""
        return getattr(self, "label_en", None) or self.label

    @property
    def shown(self) -> str:
        """The label in the reader's language for plain text; an English one marked."""
        from coiin.network.templatetags.translated import plain

        return plain(self, "label")
