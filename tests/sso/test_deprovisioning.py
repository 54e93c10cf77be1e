"""An account closed here, or disabled at its identity provider, loses access at its next
request (the provider's refusal is heard at the next re-check)."""

from __future__ import annotations

from allauth.socialaccount.models import SocialToken

from coiin.network import services
from coiin.network.sso import SESSION_KEY

from .conftest import oidc_settings, sign_in_at_idp


def test_closed_account_is_signed_out_at_its_next_request(client, lead):
    client.force_login(lead)
    assert client.get("/my-work/").status_code == 200
    services.deactivate_person(user=lead)
    response = client.get("/my-work/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "Your CoIIN account has been closed" in response.content.decode()


def test_agency_disabling_the_account_signs_it_out_at_the_recheck(client, idp, lead, settings):
    settings.SSO_RECHECK_MINUTES = 0  # every request asks the provider
    idp.add_person("lena.lead@example.org")
    sign_in_at_idp(client, idp, "lena.lead@example.org")
    refresh = SocialToken.objects.get(account__user=lead).token_secret
    assert refresh
    assert client.get("/my-work/").status_code == 200
    # The provider accepted the refresh and rotated the token.
    assert SocialToken.objects.get(account__user=lead).token_secret != refresh
    idp.disable("lena.lead@example.org")
    response = client.get("/my-work/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "no longer accepts your account" in response.content.decode()


def test_between_rechecks_the_provider_is_not_asked(client, idp, lead, settings):
    settings.SSO_RECHECK_MINUTES = 15
    idp.add_person("lena.lead@example.org")
    sign_in_at_idp(client, idp, "lena.lead@example.org")
    idp.disable("lena.lead@example.org")
    assert client.get("/my-work/").status_code == 200  # within the interval
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY],
                            "checked": session[SESSION_KEY]["checked"] - 16 * 60}
    session.save()
    assert client.get("/my-work/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_signs_nobody_out(client, idp, lead, settings):
    settings.SSO_RECHECK_MINUTES = 0
    idp.add_person("lena.lead@example.org")
    sign_in_at_idp(client, idp, "lena.lead@example.org")
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings("http://127.0.0.1:9")  # nothing there
    assert client.get("/my-work/").status_code == 200
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_a_password_session_is_never_sent_to_the_provider(client, idp, lead, settings):
    settings.SSO_RECHECK_MINUTES = 0
    client.force_login(lead)
    assert SESSION_KEY not in client.session
    assert client.get("/my-work/").status_code == 200


def test_scim_deactivation_signs_out_the_open_session(client, lead, settings):
    from django.test import Client

    settings.SCIM_TOKEN = "scim-test-token"
    client.force_login(lead)
    assert client.get("/my-work/").status_code == 200
    idp_side = Client()
    response = idp_side.patch(
        f"/scim/v2/Users/{lead.pk}", content_type="application/scim+json",
        HTTP_AUTHORIZATION="Bearer scim-test-token",
        data={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert response.status_code == 200
    assert client.get("/my-work/").status_code == 302
    assert "_auth_user_id" not in client.session
