"""Pages for personal access tokens: make one (shown once), list yours, revoke one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from coiin import access
from coiin.web import sign_in_required

from . import tokens
from .models import PersonalAccessToken

EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("1 year")),
                  ("", _("Never"))]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text=_("What it is for, e.g. 'nightly upload "
                                                       "from the vital records system'."),
                           label=_("Name"))
    expires_in = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES,
                                   required=False, initial="90")

    def __init__(self, *args, backbone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if backbone:  # only backbone staff make tokens for the identity provider's SCIM
            self.fields["purpose"] = forms.ChoiceField(
                label=gettext("For"), choices=PersonalAccessToken.Purpose.choices,
                initial=PersonalAccessToken.Purpose.API,
                help_text=gettext("A SCIM token lets the agency's identity provider list accounts "
                                  "and close them at /scim/v2/Users; it cannot use the API."))

    def purpose(self) -> str:
        return self.cleaned_data.get("purpose") or PersonalAccessToken.Purpose.API

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None


@require_http_methods(["GET", "POST"])
@sign_in_required
def token_list(request: HttpRequest) -> HttpResponse:
    backbone = access.is_backbone(request.user)
    form = TokenForm(request.POST or None, backbone=backbone)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _record, new_token = tokens.create_token(user=request.user,
                                               name=form.cleaned_data["name"],
                                               expires_at=form.expires_at(),
                                               purpose=form.purpose())
            form = TokenForm(backbone=backbone)
            status = 201
        else:
            status = 400
    return render(request, "api/tokens.html", {
        "form": form, "new_token": new_token,
        "tokens": PersonalAccessToken.objects.filter(user=request.user),
    }, status=status)


@require_POST
@sign_in_required(then=lambda request, pk: "/account/tokens/")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)
    tokens.revoke_token(token=token)
    messages.success(request, gettext("Token “%(name)s” revoked; it no longer works.")
                     % {"name": token.name})
    return redirect("api_tokens")
