from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import LearningNetwork, TeamMembership, User


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(choices=TeamMembership.Role.choices,
                             initial=TeamMembership.Role.MEMBER, label=_("Role"))


class JoinNetworkForm(forms.Form):
    learning_network = forms.ModelChoiceField(
        queryset=LearningNetwork.objects.all(), label=_("Learning network"),
        empty_label=_("Choose a learning network"),
    )


class InvitedSignupForm(forms.Form):
    """The account form for someone arriving with an invitation."""

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                                strip=False, help_text=_("At least 10 characters."))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        if p1:
            probe = User(email=self.email, first_name=cleaned.get("first_name", ""),
                         last_name=cleaned.get("last_name", ""))
            try:
                validate_password(p1, user=probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
