"""When each person last opened My work, so it can mark what changed since."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy


class HomeVisit(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="home_visit")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "home visit")
        verbose_name_plural = pgettext_lazy("model", "home visits")

    def __str__(self) -> str:
        return gettext("%(user)s saw My work at %(when)s") % {
            "user": self.user_id, "when": f"{self.seen_at:%Y-%m-%d %H:%M}"}
