"""Models of the API (personal access tokens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonalAccessToken(models.Model):
    """A token a person uses for the API instead of signing in; acts with their access.

    Only the SHA-256 of the token is kept; the token itself is shown once, when made.
    """

    class Purpose(models.TextChoices):
        API = "api", _("The API, as you")
        SCIM = "scim", _("Directory provisioning (SCIM)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    purpose = models.CharField(
        max_length=8, choices=Purpose.choices, default=Purpose.API,
        help_text=_("An API token acts as its owner; a SCIM token only lets the agency's "
                    "identity provider list and close accounts (backbone staff make them)."))
    name = models.CharField(max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(max_length=16, editable=False,
                              help_text=_("The token's first characters, to recognise it."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "personal access token")
        verbose_name_plural = pgettext_lazy("model", "personal access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"
