"""Forms of the resource library: a new resource, a new version of a document."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork

from ..forms import MultipleFileField


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label=_("Description"))
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https",
                         help_text=_("Either a link or a file."))
    file = MultipleFileField(required=False, label=_("File"))
    network = forms.ModelChoiceField(queryset=LearningNetwork.objects.all(), required=False,
                                     label=_("Network"))
    measures = forms.ModelMultipleChoiceField(queryset=Measure.objects.all(), required=False,
                                              label=_("Measures"))

    def clean(self):
        data = super().clean()
        files = data.get("file") or []
        if len(files) > 1:
            self.add_error("file", _("One file per resource."))
        if bool(data.get("url")) == bool(files) and not self.errors:
            raise ValidationError(gettext("Upload a file or give a link (one of the two)."))
        data["file"] = files[0] if files else None
        return data


class VersionForm(forms.Form):
    file = MultipleFileField(label=_("New version"))
    note = forms.CharField(required=False, max_length=300, label=_("What changed"))

    def clean_file(self):
        files = self.cleaned_data["file"]
        if len(files) != 1:
            raise ValidationError(gettext("Choose one file."))
        return files[0]
