"""How API callers prove who they are: a personal access token, or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .tokens import user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. A bad token is refused outright (401), even with
    a session, so a revoked token never silently works."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError
        request.user = user  # the access policy reads request.user everywhere
        return user


token_auth = TokenAuth()
TOKEN_OR_SESSION = [token_auth, django_auth]
