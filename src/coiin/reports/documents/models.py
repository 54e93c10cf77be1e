"""Report snapshots: what a report was made from, the file it gave, and its SHA-256."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coiin.network.models import LearningNetwork, Team


class ReportSnapshot(models.Model):
    """An immutable record of one generated report."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team report")
        NETWORK = "network", _("Learning-network report")
        NATIONAL = "national", _("National report to the funder")

    class Format(models.TextChoices):
        HTML = "html", _("HTML")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel (XLSX)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="report_snapshots")
    network = models.ForeignKey(LearningNetwork, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="report_snapshots")
    period = models.CharField(max_length=10)
    format = models.CharField(max_length=10, choices=Format.choices)
    inputs = models.JSONField(help_text=_("Everything the report was made from."))
    file = models.CharField(max_length=300, help_text=_("Where the file is kept (storage)."))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "report snapshot")
        verbose_name_plural = pgettext_lazy("model", "report snapshots")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        made = f"{self.created_at:%Y-%m-%d}"
        return f"{self.get_kind_display()} {self.period} ({self.format}), {made}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A report snapshot never changes once made.")
        super().save(*args, **kwargs)
