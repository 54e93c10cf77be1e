"""Forms of the storyboard pages. They check input; ``services.py`` applies the rules."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coiin.improvement.forms import MonthInput
from coiin.improvement.models import ChangeIdea
from coiin.measures.models import Measure
from coiin.network.models import Team

from .services import chartable_measures

_MD = _("Markdown: **bold**, *italic*, lists, links.")


def _text(label: Promise, help_text: Promise) -> forms.CharField:
    """A story field; built when the module loads, so its text stays lazy."""
    return forms.CharField(label=label, required=False, max_length=10_000,
                           help_text=format_lazy("{} {}", help_text, _MD),
                           widget=forms.Textarea(attrs={"rows": 4}))


class StoryboardForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    change_idea = forms.ModelChoiceField(
        ChangeIdea.objects.none(), required=False, label=_("Change idea tested"),
        help_text=_("From the network's change package; leave empty for the team's own idea."))
    problem = _text(_("Problem"), _("What was wrong, for whom, and how you knew."))
    aim = _text(_("Aim"), _("What would improve, by how much, by when."))
    changes = _text(_("Changes tested"), _("What the team tried, in which PDSA cycles."))
    measure = forms.ModelChoiceField(
        Measure.objects.none(), label=_("Measure charted"),
        help_text=_("The team's locked data of this measure are shown, with small counts "
        "suppressed, as on every public figure."))
    period_from = forms.DateField(required=False, label=_("Chart from (month)"),
                                  input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())
    period_to = forms.DateField(required=False, label=_("Chart to (month)"),
                                input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())
    results = _text(_("Results"), _("What the chart and the cycles showed."))
    lessons = _text(_("Lessons learned"), _("What another team should know before it tries this."))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = chartable_measures(team)
        self.fields["change_idea"].queryset = ChangeIdea.objects.filter(
            learning_network=team.learning_network).order_by("position", "pk")


class ReviewForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000, label=_("Comment to the team"),
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you ask for changes."))
