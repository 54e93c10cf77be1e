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


def signed_in_docs(view: Any) -> Any:
    """The API's documentation and schema are for signed-in people and token holders: an
    anonymous visitor gets 401 (the public site's data stay open at /api/v1/public/...)."""
    from functools import wraps

    from django.http import JsonResponse

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token:
            user = user_for_token(token.strip())
        else:
            user = request.user if request.user.is_authenticated else None
        if user is None:
            return JsonResponse({"detail": "Sign in, or send a personal access token, to read "
                                           "the API documentation."}, status=401)
        return view(request, *args, **kwargs)

    return wrapped
