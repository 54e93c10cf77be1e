"""Single sign-on fixtures: one local OIDC provider for the whole run, its directory emptied
and the platform pointed at it for each test."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, LocalOIDCProvider

PROVIDER_ID = "agency"
CALLBACK = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"


def oidc_settings(issuer: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS as settings.py builds it from OIDC_* variables."""
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [{
        "provider_id": PROVIDER_ID, "name": "Agency ID", "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "settings": {"server_url": issuer,
                     "scope": ["openid", "profile", "email", "offline_access"]},
    }]}}


@pytest.fixture(scope="session")
def identity_provider():
    provider = LocalOIDCProvider().start(redirect_prefix="http://")
    yield provider
    provider.stop()


@pytest.fixture
def idp(identity_provider, settings):
    """The provider with an empty directory, and the platform configured to use it."""
    identity_provider.people.clear()
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings(identity_provider.issuer)
    return identity_provider


def sign_in_at_idp(client, idp, email: str):
    """The journey a browser makes: the platform's button, the provider's form, and back.
    Returns the platform's answer to the provider's redirect."""
    start = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
    assert start.status_code == 302 and start["Location"].startswith(idp.issuer), start
    at_idp = requests.post(start["Location"], data={"login": email}, allow_redirects=False,
                           timeout=10)
    assert at_idp.status_code == 302, at_idp.text
    back = urlsplit(at_idp.headers["Location"])
    assert back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}")
