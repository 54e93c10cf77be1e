"""What a person offers the community: expertise tags, an introduction, a time zone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL
DEFAULT_TIME_ZONE = "America/New_York"


class ExpertiseTag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "expertise tag")
        verbose_name_plural = pgettext_lazy("model", "expertise tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityProfile(models.Model):
    """What a person offers the community: expertise tags and a short introduction."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE,
                                related_name="community_profile")
    expertise = models.ManyToManyField(ExpertiseTag, blank=True, related_name="profiles")
    about = models.TextField(blank=True, max_length=1000)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE,
                                 help_text=_("Event times are shown in this zone."))

    class Meta:
        verbose_name = pgettext_lazy("model", "community profile")
        verbose_name_plural = pgettext_lazy("model", "community profiles")

    def __str__(self) -> str:
        return gettext("Profile of %(user)s") % {"user": self.user}
