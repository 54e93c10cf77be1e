from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import Measure


class ReviewForm(forms.Form):
    assessment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text="What the data show, and what the team might test next.")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, help_text="Recorded with the change.")


class ExceptionForm(forms.Form):
    until = forms.DateField(label="Keep open until", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=1000)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError("Choose a date from today on.")
        return until


class ChooseMeasuresForm(forms.Form):
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = (
            Measure.objects.filter(learning_network__in=[team.learning_network_id])
            | Measure.objects.filter(learning_network__isnull=True)
        ).order_by("learning_network", "code")
