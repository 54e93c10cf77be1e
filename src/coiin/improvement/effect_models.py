"""The network's stored estimate of each change idea's effect on a measure.

Kept so that pages read it instead of re-estimating: ``inputs`` fingerprints what the
estimate was computed from (the teams' chart summaries of the measure, the network's
adoption records and the method's version); a reader that
finds another fingerprint recomputes it (``effects.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext_lazy

from coiin.measures.models import Measure


class IdeaEffect(models.Model):
    change_idea = models.ForeignKey("improvement.ChangeIdea", on_delete=models.CASCADE,
                                    related_name="effects")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    inputs = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    # The estimate as ``coiin.stats.whatworks`` returned it (before the correction for
    # many comparisons, which depends on the other estimates shown), with its cautions.
    result = models.JSONField(default=dict)

    class Meta:
        verbose_name = pgettext_lazy("model", "idea effect")
        verbose_name_plural = pgettext_lazy("model", "idea effects")
        constraints = [models.UniqueConstraint(fields=["change_idea", "measure"],
                                               name="idea_effect_once_per_measure")]

    def __str__(self) -> str:
        return gettext("%(idea)s on %(measure)s") % {"idea": self.change_idea,
                                                     "measure": self.measure.code}
