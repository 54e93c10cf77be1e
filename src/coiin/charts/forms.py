from __future__ import annotations

from django import forms

from .models import ChartSettings


class RulesForm(forms.Form):
    rules = forms.ChoiceField(choices=ChartSettings.Rules.choices, label="Rule set")
    reason = forms.CharField(max_length=300, required=False)


class BaselineForm(forms.Form):
    baseline_end = forms.ChoiceField(label="Baseline ends with", required=False)
    reason = forms.CharField(max_length=300)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_end"].choices = [("", "No baseline (use every point)")] + [
            (p.start.isoformat(), p.display) for p in periods]


class PhaseForm(forms.Form):
    starts = forms.ChoiceField(label="New phase starts with")
    reason = forms.CharField(max_length=300, help_text="e.g. 'New hospital policy in force'.")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts"].choices = [(p.start.isoformat(), p.display) for p in periods[1:]]


class ExclusionForm(forms.Form):
    period_start = forms.ChoiceField(label="Leave out")
    reason = forms.CharField(max_length=300, help_text="e.g. 'Data system outage'.")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.start.isoformat(), p.display)
                                               for p in periods]


class AnnotationForm(forms.Form):
    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(max_length=120, label="Note")
