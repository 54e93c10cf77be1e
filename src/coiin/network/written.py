"""The language a text people write was written in (WCAG 3.1.2, language of parts): a post, a
comment, a TA request, an event, a PDSA cycle, a storyboard stays in the language its writer
wrote it in, and the page marks it so (``{{ post|lang }}``, network/templatetags/written.py),
whatever the reader's language.

The field's default is the writer's active language when the row is made (the request's, set
from their profile or their browser), so every service function and form records it without
being told; rows made before the field existed are English (the demo's and the pilot's)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def active_language() -> str:
    """The active language as one of the site's languages ("es" for es-pr), else English."""
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    languages = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, language.split("-")[0]):
        if candidate in languages:
            return candidate
    return "en"


def language_field() -> models.CharField:
    """The ``language`` column of a model holding a written text."""
    return models.CharField(_("language written in"), max_length=10, default=active_language,
                            editable=False)


class WrittenSelect(forms.Select):
    """A select whose options name written texts (a driver, a resource): each option says
    the language its text was written in."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        language = getattr(getattr(value, "instance", None), "language", "")
        if language:
            option["attrs"]["lang"] = language
        return option
