"""Sign out, at its next request, a session whose account was closed or whose identity
provider no longer accepts it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real

from . import sso


class SignOutRevokedAccounts:
    """After AuthenticationMiddleware. Django already treats a closed account's session as
    anonymous; this ends the session itself, so nothing of it lingers, and says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            if not request.user.is_authenticated:
                self._sign_out(request, "Your CoIIN account has been closed, so you have been "
                                        "signed out.")
            elif sso.recheck_due(request) and not sso.still_accepted(request):
                self._sign_out(request, "Your agency's sign-in no longer accepts your account, "
                                        "so you have been signed out of CoIIN.")
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, why: str) -> None:
        logout(request)
        messages.warning(request, why)


API_PREFIX = "/api/"


def api_language(request: HttpRequest) -> str:
    """The first language of Accept-Language the site has, else English."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return "en"


class PersonLanguage:
    """After AuthenticationMiddleware and LocaleMiddleware: a signed-in person who chose a
    language gets it on every page, whatever their browser asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            # The API answers in the language its caller names in Accept-Language, else in
            # English: never the cookie's nor the profile's, so a script gets the same
            # text whoever's token or session it runs with.
            language = api_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
