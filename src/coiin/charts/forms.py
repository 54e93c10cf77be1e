from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ChartSettings


class SettingsForm(forms.Form):
    """Every setting of a team's chart of a measure, saved at once with one reason."""

    chart_type = forms.ChoiceField(label=_("Chart"), required=False)
    rules = forms.ChoiceField(choices=ChartSettings.Rules.choices, label=_("Rule set"))
    baseline_end = forms.ChoiceField(
        label=_("Freeze the centre line and limits on a baseline ending with"), required=False,
        help_text=_("Later points are judged against the baseline. Not used while the chart "
                    "has phases."))
    new_phase = forms.ChoiceField(
        label=_("Start a new phase with"), required=False,
        help_text=_("From this period on the chart gets its own centre line and limits, e.g. "
                    "when a change was put in place."))
    exclude = forms.ChoiceField(
        label=_("Leave a point out of the limits"), required=False,
        help_text=_("Still drawn and tested, e.g. a month with a data system outage."))
    reason = forms.CharField(max_length=300, required=False,
                             help_text=_("Why: kept with the change, shown under the chart."),
                             label=_("Reason"))

    def __init__(self, *args, periods, chart_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .building import CHART_NAMES
        from .spec_language import kind_name

        self.fields["chart_type"].choices = [("", gettext("Chosen from the data (default)"))] + [
            (t, kind_name(CHART_NAMES.get(t, t))) for t in chart_types]
        choices = [(p.start.isoformat(), p.display) for p in periods]
        every_point = gettext("No frozen baseline (use every point)")
        self.fields["baseline_end"].choices = [("", every_point)] + choices
        self.fields["new_phase"].choices = [("", "—")] + choices[1:]
        self.fields["exclude"].choices = [("", "—")] + choices

    def clean(self):
        data = super().clean()
        changed = [f for f in ("chart_type", "rules", "baseline_end", "new_phase", "exclude")
                   if f in self.changed_data]
        if not changed:
            raise forms.ValidationError(gettext("Nothing was changed."))
        if not data.get("reason", "").strip() and (
                {"chart_type", "baseline_end", "new_phase", "exclude"} & set(changed)):
            self.add_error("reason", _("Say why: the reason is shown with the chart."))
        return data


class RulesForm(forms.Form):
    rules = forms.ChoiceField(choices=ChartSettings.Rules.choices, label=_("Rule set"))
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


class BaselineForm(forms.Form):
    baseline_end = forms.ChoiceField(label=_("Baseline ends with"), required=False)
    reason = forms.CharField(max_length=300, label=_("Reason"))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_end"].choices = [("", "No baseline (use every point)")] + [
            (p.start.isoformat(), p.display) for p in periods]


class PhaseForm(forms.Form):
    starts = forms.ChoiceField(label=_("New phase starts with"))
    reason = forms.CharField(max_length=300, help_text=_("e.g. 'New hospital policy in force'."),
                             label=_("Reason"))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts"].choices = [(p.start.isoformat(), p.display) for p in periods[1:]]


class ExclusionForm(forms.Form):
    period_start = forms.ChoiceField(label=_("Leave out"))
    reason = forms.CharField(max_length=300, help_text=_("e.g. 'Data system outage'."),
                             label=_("Reason"))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.start.isoformat(), p.display)
                                               for p in periods]


class AnnotationForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(max_length=120, label=_("Note"))


class NetworkChartForm(forms.Form):
    """The chart type of a network's pooled chart of a measure, with the reason."""

    chart_type = forms.ChoiceField(label=_("Pooled chart"), required=False)
    reason = forms.CharField(max_length=300,
                             help_text=_("Why: kept with the change, shown with the chart."),
                             label=_("Reason"))

    def __init__(self, *args, chart_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .building import CHART_NAMES
        from .spec_language import kind_name

        self.fields["chart_type"].choices = [("", gettext("Chosen from the data (default)"))] + [
            (t, kind_name(CHART_NAMES.get(t, t))) for t in chart_types]
