"""Single sign-on sessions: remember where a session signed in, and check an OIDC session
with its identity provider again every ``SSO_RECHECK_MINUTES``.

The check is a refresh-token grant at the provider's token endpoint (the session asks for
``offline_access``): a provider that disabled the account refuses it (400 ``invalid_grant``)
and the session ends. Without a refresh token, the stored access token is shown to the
userinfo endpoint while it lasts; once it has expired the person signs in again. A provider
that cannot be reached (network error, 5xx) leaves the session alone until the next check,
so an outage of the agency's sign-in does not sign everyone out; SCIM and backbone staff can
still close an account at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import requests
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)
SESSION_KEY = "coiin_sso"


def remember_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's ``user_logged_in``: note an identity provider's sign-in in the session (a
    password sign-in clears it)."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = {
        "provider": sociallogin.account.provider, "uid": sociallogin.account.uid,
        "checked": time.time(),
    }


def is_oidc(provider_id: str) -> bool:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return any(app.get("provider_id") == provider_id for app in apps)


def recheck_due(request: HttpRequest) -> bool:
    """Whether this session began at an OIDC provider and was last checked long enough ago."""
    state = request.session.get(SESSION_KEY)
    if not state or not is_oidc(state.get("provider", "")):
        return False
    return time.time() - state.get("checked", 0) >= settings.SSO_RECHECK_MINUTES * 60


def still_accepted(request: HttpRequest) -> bool:
    """Ask the identity provider whether the session's account is still good; note when.
    False only when the provider refuses (or nothing is left to ask it with)."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialToken

    state = request.session[SESSION_KEY]
    token = (SocialToken.objects.select_related("account")
             .filter(account__provider=state["provider"], account__uid=state["uid"],
                     account__user=request.user).first())
    if token is None:
        return False
    provider = get_adapter().get_provider(request, state["provider"])
    oauth2 = provider.get_oauth2_adapter(request)
    try:
        if token.token_secret:
            verdict = _refresh(oauth2, provider.app, token)
        elif token.expires_at is None or token.expires_at > timezone.now():
            response = requests.get(oauth2.profile_url, timeout=10,
                                    headers={"Authorization": f"Bearer {token.token}"})
            verdict = _verdict(response)
        else:
            verdict = False  # the access token has run out and there is nothing to renew it
    except requests.RequestException as exc:
        log.warning("Could not reach the identity provider to re-check %s: %s",
                    request.user, exc)
        verdict = None
    if verdict is False:
        return False
    state["checked"] = time.time()
    request.session[SESSION_KEY] = state
    return True


def _verdict(response: requests.Response) -> bool | None:
    if response.status_code in (400, 401, 403):
        return False
    if response.ok:
        return True
    log.warning("The identity provider answered %s to a re-check", response.status_code)
    return None


def _refresh(oauth2: Any, app: Any, token: Any) -> bool | None:
    """A refresh-token grant; a new access (and refresh) token is kept when it succeeds."""
    data = {"grant_type": "refresh_token", "refresh_token": token.token_secret}
    auth = None
    if oauth2.basic_auth:
        auth = (app.client_id, app.secret)
    else:
        data.update(client_id=app.client_id, client_secret=app.secret)
    response = requests.post(oauth2.access_token_url, data=data, auth=auth, timeout=10)
    verdict = _verdict(response)
    if verdict:
        body = response.json()
        token.token = body.get("access_token", token.token)
        token.token_secret = body.get("refresh_token", token.token_secret)
        if body.get("expires_in"):
            token.expires_at = timezone.now() + dt.timedelta(seconds=int(body["expires_in"]))
        token.save(update_fields=["token", "token_secret", "expires_at"])
    return verdict
