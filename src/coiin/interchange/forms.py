"""The forms of the DHIS2 mapping page: one mapping row at a time."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coiin.measures.models import Measure, Stratum
from coiin.network.models import Team

from .models import ElementMap

CODE = r"^[^\s/]{1,50}$"  # a DHIS2 code or uid: no spaces, no slash
CODE_HELP = gettext_lazy("A DHIS2 code or uid: up to 50 characters, no spaces or slashes.")


class ElementForm(forms.Form):
    measure = forms.ModelChoiceField(Measure.objects.all(), to_field_name="code",
                                     label=gettext_lazy("Measure"))
    stratum = forms.ModelChoiceField(Stratum.objects.all(), required=False,
                                     label=gettext_lazy("Stratum"))
    part = forms.ChoiceField(choices=ElementMap.Part.choices, label=gettext_lazy("Part"))
    data_element = forms.RegexField(regex=CODE, max_length=50, help_text=CODE_HELP,
                                    label=gettext_lazy("Data element"))
    category_option_combo = forms.RegexField(regex=CODE, max_length=50, help_text=CODE_HELP,
                                             label=gettext_lazy("Category option combo"))

    def clean(self):
        data = super().clean()
        m, s = data.get("measure"), data.get("stratum")
        if m is not None and s is not None and s.kind != m.stratification:
            raise forms.ValidationError(_("%(measure)s is not reported by %(kind)s.")
                                        % {"measure": m.code, "kind": s.get_kind_display()})
        if m is not None and data.get("part") in ("numerator", "denominator") \
                and m.type != Measure.Type.RATIO:
            raise forms.ValidationError(_("%(measure)s has a value, not a numerator or "
                                          "denominator.")
                                        % {"measure": m.code})
        return data


class UnitForm(forms.Form):
    team = forms.ModelChoiceField(Team.objects.all(), label=gettext_lazy("Team"))
    org_unit = forms.RegexField(regex=CODE, max_length=50, help_text=CODE_HELP,
                                label=gettext_lazy("Org unit"))
    attribute_option_combo = forms.RegexField(regex=CODE, max_length=50, help_text=CODE_HELP,
                                              label=gettext_lazy("Attribute option combo"))
