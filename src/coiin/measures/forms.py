from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Goal, Measure


class ReviewForm(forms.Form):
    assessment = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=_("What the data show, and what the team might test next."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             help_text=_("Recorded with the change."))


class ExceptionForm(forms.Form):
    until = forms.DateField(label=_("Keep open until"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return until


class ChooseMeasuresForm(forms.Form):
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False, label=_("Measures"))

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = (
            Measure.objects.filter(learning_network__in=[team.learning_network_id])
            | Measure.objects.filter(learning_network__isnull=True)
        ).order_by("learning_network", "code")


class CustomMeasureForm(forms.ModelForm):
    """A measure faculty or backbone staff add to a learning network."""

    class Meta:
        model = Measure
        fields = ["code", "name", "level", "type", "multiplier", "unit",
                  "numerator_definition", "denominator_definition", "direction", "frequency",
                  "data_source", "stratification", "source"]
        labels = {"code": _("Code"), "name": _("Name"), "level": _("Level"), "type": _("Type"),
                  "multiplier": _("Multiplier"), "unit": _("Unit"),
                  "numerator_definition": _("Numerator definition"),
                  "denominator_definition": _("Denominator definition"),
                  "direction": _("Direction"), "frequency": _("Frequency"),
                  "data_source": _("Data source"), "stratification": _("Stratification"),
                  "source": _("Source")}
        help_texts = {"code": _("Short and unique, e.g. SS-NAP (letters, digits, hyphens)."),
                      "source": _("Where the definition comes from, or 'Defined by the team'.")}
        widgets = {"numerator_definition": forms.Textarea(attrs={"rows": 2}),
                   "denominator_definition": forms.Textarea(attrs={"rows": 2}),
                   "source": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type") == Measure.Type.RATIO:
            for name in ("numerator_definition", "denominator_definition"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("A ratio needs this definition."))
        return cleaned


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["measure", "kind", "value", "baseline_start", "baseline_end", "due"]
        labels = {"measure": _("Measure"), "kind": _("Kind"), "value": _("Value"),
                  "baseline_start": _("Baseline start"), "baseline_end": _("Baseline end"),
                  "due": _("Due")}
        widgets = {"baseline_start": forms.DateInput(attrs={"type": "date"}),
                   "baseline_end": forms.DateInput(attrs={"type": "date"}),
                   "due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("baseline_start"), cleaned.get("baseline_end")
        if start and end and end < start:
            self.add_error("baseline_end", _("The baseline must end after it starts."))
        if cleaned.get("kind") == "relative" and cleaned.get("value") is not None \
                and not 0 < cleaned["value"] <= 100:
            self.add_error("value", _("A relative improvement is a percentage above 0, up to 100."))
        return cleaned
