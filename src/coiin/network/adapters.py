"""Glue for django-allauth and django-axes."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


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
