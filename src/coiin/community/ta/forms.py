"""Forms of the technical-assistance pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure

from ..forms import check_text, text_field
from .models import TARequest


class TARequestForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label=_("Team"))
    topic = forms.CharField(max_length=200, label=_("Topic"))
    description = text_field(_("What do you need help with?"), rows=6)
    measure = forms.ModelChoiceField(queryset=Measure.objects.all(), required=False,
                                     label=_("Measure"))
    chart_url = forms.CharField(label=_("Link to a chart (optional)"), required=False,
                                max_length=300,
                                help_text=_("e.g. /networks/safe-sleep/ga/charts/SS-CRIB/"))

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_description(self) -> str:
        return check_text(self.cleaned_data["description"])


class TAReplyForm(forms.Form):
    body = text_field(_("Reply"), rows=4)

    def clean_body(self) -> str:
        return check_text(self.cleaned_data["body"])


class TAStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TARequest.Status.choices, label=_("Status"))


class TAAssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner"))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)],
                                    widget=forms.RadioSelect, label=_("Rating"))
    comment = forms.CharField(required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}), label=_("Comment"))
