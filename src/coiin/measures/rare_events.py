"""Rare events a team logs one by one (e.g. sleep-related infant deaths), for a measure
that records events (``Measure.records_events``): charted by the gaps between them (g and
t charts), not as a count per period. Written only by ``services.events``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coiin.network.models import Team


class RareEvent(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rare_events")
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT,
                                related_name="events")
    on = models.DateField(_("date"))
    births_since_previous = models.PositiveIntegerField(
        null=True, blank=True,
        help_text=_("Live births since the previous event, if known (for the g chart)."))
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_by"])

    class Meta:
        verbose_name = pgettext_lazy("model", "rare event")
        verbose_name_plural = pgettext_lazy("model", "rare events")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["measure", "team", "on"], name="rare_event_series")]

    def __str__(self) -> str:
        return gettext("%(measure)s event on %(on)s") % {"measure": self.measure_id, "on": self.on}
