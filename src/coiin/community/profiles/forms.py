"""A person's community profile: expertise tags and a short introduction."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    title = forms.CharField(required=False, max_length=120, label=_("Job title"),
                            help_text=_("In your own words; shown with your name."))
    expertise = forms.CharField(
        required=False, max_length=500,
        help_text=_("Comma-separated, e.g. safe sleep, Medicaid data, doula programmes."),
                                label=_("Expertise"))
    about = forms.CharField(required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3}), label=_("About"))

    def clean_expertise(self) -> list[str]:
        names = [n.strip().lower() for n in self.cleaned_data["expertise"].split(",")]
        names = list(dict.fromkeys(n[:60] for n in names if n))
        if len(names) > 15:
            raise ValidationError(gettext("At most 15 expertise tags."))
        return names
