"""How a person wants to hear from the community by e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["digest", "email_mentions", "email_ta"]
        labels = {"digest": _("E-mail digest"),
                  "email_mentions": _("E-mail me at once when someone mentions me"),
                  "email_ta": _("E-mail me at once about my technical-assistance requests")}
        help_texts = {"digest": _("A summary of what matters to you: mentions and replies "
                                  "first, then your team, your networks and the whole "
                                  "network.")}
