"""Single sign-on is configured by environment variables alone."""

from __future__ import annotations

from coiin import settings as coiin_settings


def test_nothing_set_means_passwords_only(monkeypatch):
    for name in ("OIDC_SERVER_URL", "SAML_IDP_ENTITY_ID"):
        monkeypatch.delenv(name, raising=False)
    assert coiin_settings._sso_providers() == {}


def test_oidc_from_the_environment(monkeypatch):
    monkeypatch.setenv("OIDC_SERVER_URL", "https://login.agency.example.gov/tenant/v2.0")
    monkeypatch.setenv("OIDC_CLIENT_ID", "coiin")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("OIDC_NAME", "Georgia DPH")
    monkeypatch.setenv("OIDC_VERIFIED_EMAIL_DOMAINS", "dph.ga.example.gov, @ga.example.gov")
    app = coiin_settings._sso_providers()["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "agency" and app["name"] == "Georgia DPH"
    assert (app["client_id"], app["secret"]) == ("coiin", "s3cret")
    assert app["settings"]["server_url"] == "https://login.agency.example.gov/tenant/v2.0"
    assert app["settings"]["verified_email"] == ["dph.ga.example.gov", "ga.example.gov"]
    assert "offline_access" in app["settings"]["scope"]


def test_saml_from_the_environment(monkeypatch):
    monkeypatch.delenv("SAML_IDP_METADATA_URL", raising=False)
    monkeypatch.setenv("SAML_IDP_ENTITY_ID", "https://sts.agency.example.gov/")
    monkeypatch.setenv("SAML_IDP_SSO_URL", "https://sts.agency.example.gov/saml2")
    monkeypatch.setenv("SAML_IDP_X509CERT", "MIIC...")
    monkeypatch.setenv("SAML_VERIFIED_EMAIL_DOMAINS", "*")
    app = coiin_settings._sso_providers()["saml"]["APPS"][0]
    assert app["client_id"] == "agency"
    idp = app["settings"]["idp"]
    assert idp == {"entity_id": "https://sts.agency.example.gov/",
                   "sso_url": "https://sts.agency.example.gov/saml2", "x509cert": "MIIC..."}
    assert app["settings"]["verified_email"] is True
    assert app["settings"]["advanced"]["want_assertion_signed"] is True


def test_the_sign_in_button_may_go_on_to_the_providers(monkeypatch):
    monkeypatch.setenv("OIDC_SERVER_URL", "https://login.agency.example.gov/tenant/v2.0")
    monkeypatch.setenv("SAML_IDP_SSO_URL", "https://sts.agency.example.gov/saml2")
    monkeypatch.setenv("SSO_EXTRA_ORIGINS", "https://mfa.agency.example.gov")
    assert coiin_settings._sso_origins() == [
        "https://login.agency.example.gov", "https://mfa.agency.example.gov",
        "https://sts.agency.example.gov"]
