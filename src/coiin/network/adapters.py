"""Glue for django-allauth and django-axes."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone, translation

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation from a team lead or backbone staff, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse a sign-in while the account has too many recent failures from all addresses
        together (a distributed guess of its password). django-axes already locks each
        address out of each account after ``AXES_FAILURE_LIMIT`` failures; this cap is higher
        than that limit, so no single address can lock a person out of their account, and it
        lifts on its own when the failures are older than the cool-off time."""
        super().pre_authenticate(request, **credentials)
        username = axes_username(request, credentials)
        if username and account_failures(username) >= settings.ACCOUNT_FAILURE_CAP:
            raise self.validation_error("too_many_login_attempts")


    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (the password reset) in the language of the person's profile,
        whatever language the browser that asked for them reads."""
        with translation.override(services.reader_language(email)):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on finds people, it never makes strangers members.

    A sign-in at the agency's identity provider is let in when it is already linked to a
    person, or its e-mail address, verified by the provider, is a person's here (they are
    then linked), or has a pending invitation (the account is made and the invitations
    used). Anyone else gets a page that says why and whom to ask.
    """

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        user = sociallogin.user
        if sociallogin.is_existing:
            if not user.is_active:
                refuse(request, sociallogin, "inactive")
            return
        verified = [a.email.lower() for a in sociallogin.email_addresses if a.verified]
        if not verified:
            refuse(request, sociallogin, "unverified")
        if not any(services.pending_invitations(email) for email in verified):
            refuse(request, sociallogin, "stranger")

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # pre_social_login has already refused anyone without a pending invitation.
        return any(services.pending_invitations(a.email) for a in sociallogin.email_addresses
                   if a.verified)

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.accept_invitations_by_email(user=user)
        return user


REFUSALS = {
    "inactive": "Your CoIIN account has been closed. If you still work with the network, "
                "ask your team lead or the backbone staff to restore it.",
    "unverified": "Your identity provider did not confirm your e-mail address, so we cannot "
                  "tell which CoIIN member you are. Ask your agency's IT to send a verified "
                  "address, or sign in with your CoIIN password.",
    "stranger": "There is no CoIIN member or open invitation for {email}. Membership is by "
                "invitation: ask your team lead, or the backbone staff, to invite this "
                "address, then sign in again.",
}


def refuse(request: HttpRequest, sociallogin: Any, reason: str) -> None:
    """Stop a single sign-on with a page (403) that says why, and sign nobody in."""
    email = next((a.email for a in sociallogin.email_addresses), "") or "this address"
    raise ImmediateHttpResponse(render(request, "network/sso_refused.html", {
        "provider": sociallogin.provider.name, "reason": reason,
        "message": REFUSALS[reason].format(email=email),
    }, status=403))


def account_failures(username: str) -> int:
    """Failed sign-ins for this account within the cool-off time, from every address."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = (AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
             .aggregate(n=Sum("failures_since_start"))["n"])
    return int(total or 0)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail address a sign-in attempt was for, lower-cased, so case can't dodge limits."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
