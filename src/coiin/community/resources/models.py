"""The resource library: documents and links, tagged; a document keeps all its versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coiin.network.models import LearningNetwork
from coiin.network.written import language_field

from ..uploads import upload_path

USER = settings.AUTH_USER_MODEL


class Resource(models.Model):
    """A document or link in the library, tagged; a document keeps all its versions."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    language = language_field()
    url = models.URLField(blank=True, max_length=500)
    network = models.ForeignKey(LearningNetwork, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="community_resources")
    tags = models.ManyToManyField("community.Tag", blank=True, related_name="resources")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "resource")
        verbose_name_plural = pgettext_lazy("model", "resources")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:resource", args=[self.pk])


class ResourceVersion(models.Model):
    """One uploaded version of a document; older versions stay reachable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=upload_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "resource version")
        verbose_name_plural = pgettext_lazy("model", "resource versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"],
                                               name="resource_version_unique")]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("community:resource_file", args=[self.resource_id, self.number])
