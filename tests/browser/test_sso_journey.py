"""A member signs in through the agency's identity provider (a local OIDC provider started
by the test), works, is deprovisioned by the provider's SCIM, and is signed out at the next
page."""

from __future__ import annotations

import copy

import pytest
import requests

from ..sso.conftest import oidc_settings
from ..sso.oidc_provider import LocalOIDCProvider
from .conftest import screenshot

SCIM_TOKEN = "browser-scim-token"


@pytest.fixture
def agency(live_server, settings):
    provider = LocalOIDCProvider().start(redirect_prefix=live_server.url + "/accounts/oidc/")
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings(provider.issuer)
    settings.SCIM_TOKEN = SCIM_TOKEN
    # As settings.py does for OIDC_SERVER_URL: the sign-in button may go on to the provider.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], provider.issuer]
    settings.CONTENT_SECURITY_POLICY = policy
    yield provider
    provider.stop()


def test_sign_in_with_the_agency_then_scim_deprovisioning_signs_out(
        page, live_server, transactional_db, agency, lead):
    base = live_server.url
    agency.add_person(lead.email, given_name="Lena", family_name="Lead")

    page.goto(base + "/accounts/login/")
    page.get_by_role("button", name="Sign in with Agency ID").click()
    page.wait_for_url(agency.issuer + "/authorize?*")
    assert page.get_by_role("heading", name="Agency sign-in").is_visible()
    page.get_by_label("Agency e-mail").fill(lead.email)
    page.get_by_role("button", name="Sign in at the agency").click()
    page.wait_for_url(base + "/my-work/")
    assert page.get_by_role("heading", name="My work", level=1).is_visible()
    screenshot(page, "sso-signed-in")

    # The agency's directory closes the account through SCIM.
    found = requests.get(f"{base}/scim/v2/Users", params={"filter": f'userName eq "{lead.email}"'},
                         headers={"Authorization": f"Bearer {SCIM_TOKEN}"}, timeout=10).json()
    (person,) = found["Resources"]
    closed = requests.patch(
        f"{base}/scim/v2/Users/{person['id']}", timeout=10,
        headers={"Authorization": f"Bearer {SCIM_TOKEN}",
                 "Content-Type": "application/scim+json"},
        json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert closed.status_code == 200 and closed.json()["active"] is False

    # The very next page: signed out, and told why.
    page.reload()
    page.wait_for_url(base + "/accounts/login/?next=/my-work/")
    assert page.get_by_text("Your CoIIN account has been closed").is_visible()
    screenshot(page, "sso-deprovisioned")
    # Signing in at the agency again does not get back in.
    page.get_by_role("button", name="Sign in with Agency ID").click()
    page.get_by_label("Agency e-mail").fill(lead.email)
    page.get_by_role("button", name="Sign in at the agency").click()
    assert page.get_by_text("Your CoIIN account has been closed.").is_visible()
