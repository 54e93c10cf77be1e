"""How a person wants to hear from the community by e-mail."""

from __future__ import annotations

from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["digest", "email_mentions", "email_ta"]
        labels = {"digest": "E-mail digest"}
        help_texts = {"digest": "A summary of what matters to you: mentions and replies "
                                "first, then your team, your networks and the whole network."}
