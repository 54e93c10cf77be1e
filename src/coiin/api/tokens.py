"""The only ways personal access tokens are made, used and revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin import access
from coiin.network.models import User

from .models import PersonalAccessToken

PREFIX = "coiin_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, name: str, expires_at: dt.datetime | None = None,
                 purpose: str = PersonalAccessToken.Purpose.API,
                 ) -> tuple[PersonalAccessToken, str]:
    """A new token for ``user``; returns the record and the token, which is never stored.
    Only backbone staff may make a SCIM token."""
    if purpose == PersonalAccessToken.Purpose.SCIM and not access.is_backbone(user):
        raise PermissionDenied(_("Only backbone staff may make a SCIM token."))
    token = PREFIX + secrets.token_urlsafe(32)
    record = PersonalAccessToken.objects.create(
        user=user, name=name.strip() or "API token", prefix=token[:len(PREFIX) + 6],
        token_hash=_hash(token), expires_at=expires_at, purpose=purpose)
    return record, token


def revoke_token(*, token: PersonalAccessToken) -> PersonalAccessToken:
    """Stop a token working (idempotent: the first revocation time is kept)."""
    PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def user_for_token(token: str, *, purpose: str = PersonalAccessToken.Purpose.API
                   ) -> User | None:
    """The active person behind a valid, unrevoked, unexpired token made for this purpose;
    records its use."""
    record = (PersonalAccessToken.objects.select_related("user")
              .filter(token_hash=_hash(token.strip()), purpose=purpose).first())
    if record is None or not record.is_active or not record.user.is_active:
        return None
    now = timezone.now()
    PersonalAccessToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
