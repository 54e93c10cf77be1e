"""Forms of the improvement pages. They check input; the services apply the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, Team
from coiin.network.written import WrittenSelect

from .models import (
    SCORE_CHOICES,
    Adoption,
    ChangeIdea,
    Driver,
    DriverDiagram,
    Event,
    PDSACycle,
    ProgressScore,
    Ramp,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def network_measures(network: LearningNetwork):
    return Measure.objects.filter(Q(learning_network=network) | Q(learning_network__isnull=True)
                                  ).order_by("learning_network", "code")


class AimForm(forms.Form):
    what = forms.CharField(max_length=300, label=_("What will improve, for whom"),
                           widget=forms.TextInput)
    how_much = forms.CharField(max_length=200, label=_("How much"),
                               help_text=_("e.g. from 60 % to 85 %"))
    by_when = forms.DateField(label=_("By when"), widget=DateInput())
    measures = forms.ModelMultipleChoiceField(queryset=Measure.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("The measures that show the aim."),
                                              label=_("Measures"))

    def __init__(self, *args, network: LearningNetwork, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = network_measures(network)
        self.fields["measures"].label_from_instance = lambda m: f"{m.code}: {m.name}"


class DriversByKind(forms.models.ModelChoiceIterator):
    """The drivers under a heading of their kind, in the reader's language (an <optgroup
    label>), each option only the driver's text: the option says the language that text was
    written in (``WrittenSelect``), and the heading reads in the reader's."""

    HEADINGS = {Driver.Kind.PRIMARY: _("Primary drivers"),
                Driver.Kind.SECONDARY: _("Secondary drivers")}

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for driver in self.queryset:
            groups.setdefault(driver.kind, []).append(self.choice(driver))
        for kind, label in Driver.Kind.choices:
            if kind in groups:
                yield (str(self.HEADINGS.get(kind, label)), groups[kind])

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class DriverChoiceField(forms.ModelChoiceField):
    iterator = DriversByKind


class NodeForm(forms.Form):
    kind = forms.ChoiceField(choices=Driver.Kind.choices, label=_("Kind"))
    parent = DriverChoiceField(queryset=Driver.objects.none(), required=False,
                                    label=_("Under"),
                                    help_text=_("Primary drivers hang from the aim."),
                                    empty_label=_("the aim"), widget=WrittenSelect)
    text = forms.CharField(max_length=300, required=False,
                           help_text=_("For a change idea from the change package, leave empty "
                           "to use the idea's title."), label=_("Text"))
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), required=False,
                                     empty_label=_("no measure"), label=_("Measure"))
    change_idea = forms.ModelChoiceField(queryset=ChangeIdea.objects.none(), required=False,
                                         label=_("Change package idea"), empty_label=_("none"))

    def __init__(self, *args, diagram: DriverDiagram, nodes: list[Driver] | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        network = diagram.network
        self.fields["parent"].queryset = Driver.objects.filter(diagram=diagram).exclude(
            kind=Driver.Kind.CHANGE)
        self.fields["measure"].queryset = network_measures(network)
        self.fields["measure"].label_from_instance = lambda m: f"{m.code}: {m.name}"
        self.fields["change_idea"].queryset = ChangeIdea.objects.filter(
            learning_network=network)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("change_idea"):
            self.add_error("text", _("Write the driver or change idea."))
        return data


class NodeEditForm(forms.Form):
    text = forms.CharField(max_length=300, label=_("Text"))
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), required=False,
                                     empty_label=_("no measure"), label=_("Measure"))

    def __init__(self, *args, network: LearningNetwork, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = network_measures(network)
        self.fields["measure"].label_from_instance = lambda m: m.code


class ChangeIdeaForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Description"))
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What the evidence says, with its sources."),
                               label=_("Evidence"))
    resources = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                help_text=_("Tools and links, one per line."), label=_("Resources"))


class StatusForm(forms.Form):
    change_idea = forms.ModelChoiceField(queryset=ChangeIdea.objects.none(),
                                         label=_("Change idea"))
    status = forms.ChoiceField(choices=Adoption.Status.choices, label=_("Status"))
    on = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].queryset = ChangeIdea.objects.filter(
            learning_network_id=team.learning_network_id)


class CycleForm(forms.Form):
    change_idea = forms.ModelChoiceField(queryset=ChangeIdea.objects.none(),
                                         label=_("Change idea tested"))
    ramp = forms.ModelChoiceField(queryset=Ramp.objects.none(), required=False,
                                  label=_("Part of ramp"), empty_label=_("no ramp / a new one"),
                                  widget=WrittenSelect,
                                  help_text=_("A ramp is a chain of cycles, each building on "
                                  "the last, on one change idea."))
    new_ramp = forms.CharField(max_length=200, required=False, label=_("Or start a new ramp"),
                               help_text=_("Name it, e.g. 'Crib audits on every unit'."))
    title = forms.CharField(max_length=120, help_text=_("A short name for the test; it labels "
                            "the charts."), label=_("Title"))
    objective = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Objective"))
    questions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                                label=_("Questions"))
    predictions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                                  label=_("Predictions"))
    plan_who = forms.CharField(max_length=300, label=_("Who"))
    plan_what = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("What"))
    plan_where = forms.CharField(max_length=300, label=_("Where"))
    starts = forms.DateField(label=_("Starts"), widget=DateInput())
    ends = forms.DateField(label=_("Planned end"), widget=DateInput(), required=False)
    measures = forms.ModelMultipleChoiceField(queryset=Measure.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              label=_("Measures it should move"))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].queryset = ChangeIdea.objects.filter(
            learning_network_id=team.learning_network_id)
        self.fields["ramp"].queryset = Ramp.objects.filter(team=team).select_related(
            "change_idea")
        self.fields["ramp"].label_from_instance = lambda r: f"{r.title} ({r.change_idea})"
        self.fields["measures"].queryset = Measure.objects.filter(
            team_measures__team=team, team_measures__active=True).order_by("code")
        self.fields["measures"].label_from_instance = lambda m: f"{m.code}: {m.name}"

    def clean(self):
        data = super().clean()
        ramp, idea = data.get("ramp"), data.get("change_idea")
        if ramp and data.get("new_ramp"):
            self.add_error("new_ramp", _("Choose a ramp or name a new one, not both."))
        if ramp and idea and ramp.change_idea_id != idea.pk:
            self.add_error("ramp", _("This ramp tests “%(idea)s”: a ramp's cycles all test "
                                     "one change idea.") % {"idea": ramp.change_idea})
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The end comes before the start."))
        return data

    def plan(self) -> dict[str, object]:
        return {k: self.cleaned_data[k] for k in (
            "title", "objective", "questions", "predictions", "plan_who", "plan_what",
            "plan_where", "starts", "ends")}


class StudyForm(forms.Form):
    what_happened = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    label=_("Do: what happened"))
    learned = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              label=_("Study: what we learned, compared with the predictions"))


class CloseForm(StudyForm):
    decision = forms.ChoiceField(choices=PDSACycle.Decision.choices, widget=forms.RadioSelect,
                                 label=_("Act: decision"),
                                 error_messages={"required": _("Choose adopt, adapt or abandon "
                                                               "to close the cycle.")})
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=dt.date.today)


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"),
                           max_length=5000)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class ScoreForm(forms.Form):
    month = forms.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput(),
                            help_text=_("YYYY-MM"), label=_("Month"))
    rater = forms.ChoiceField(choices=ProgressScore.Rater.choices, label=_("Rated by"))
    score = forms.ChoiceField(choices=[(str(k), label) for k, label in SCORE_CHOICES],
                              label=_("Score (IHI assessment scale)"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000, label=_("Note"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=Event.Kind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    starts = forms.DateField(widget=DateInput(), label=_("Starts"))
    ends = forms.DateField(widget=DateInput(), required=False, label=_("Ends"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("Agenda, pre-work, what to bring."),
                                  label=_("Description"))
    materials_url = forms.URLField(required=False, label=_("Materials link"),
                                   assume_scheme="https")
