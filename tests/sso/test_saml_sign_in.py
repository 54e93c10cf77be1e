"""Sign-in through an agency's SAML identity provider: allauth's SAML provider with
python3-saml, fed a response signed as a real provider would sign it."""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from coiin.network.models import User

IDP = "https://sts.agency.example.gov/"
SSO_URL = "https://sts.agency.example.gov/saml2"
SP = "http://coiin.example.org/accounts/saml/agency/metadata/"
ACS = "http://coiin.example.org/accounts/saml/agency/acs/"


@pytest.fixture(scope="module")
def idp_keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sts.agency.example.gov")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return key_pem, cert_pem


@pytest.fixture
def client(db, settings):
    """Browsers always send Host, and python3-saml reads it (and wants a dotted name);
    Django's test client sends none."""
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "coiin.example.org"]
    return Client(HTTP_HOST="coiin.example.org")


@pytest.fixture
def saml(settings, idp_keys):
    cert_body = "".join(idp_keys[1].strip().splitlines()[1:-1])
    settings.SOCIALACCOUNT_PROVIDERS = {"saml": {"APPS": [{
        "provider_id": "agency", "client_id": "agency", "name": "Agency SAML",
        "settings": {
            "idp": {"entity_id": IDP, "sso_url": SSO_URL, "x509cert": cert_body},
            "sp": {"entity_id": SP},
            "attribute_mapping": {"uid": ["uid"], "email": ["email"],
                                  "first_name": ["givenName"], "last_name": ["sn"]},
            "verified_email": ["example.org"],
            "advanced": {"want_assertion_signed": True, "strict": True,
                         "reject_idp_initiated_sso": True},
        },
    }]}}
    return idp_keys


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_response(keys, *, in_response_to: str, email: str, uid: str) -> str:
    now = dt.datetime.now(dt.UTC)
    later = _instant(now + dt.timedelta(minutes=5))
    assertion_id = f"_{uuid.uuid4().hex}"
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
ID="{assertion_id}" Version="2.0" IssueInstant="{_instant(now)}">\
<saml:Issuer>{IDP}</saml:Issuer>\
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{uid}\
</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">\
<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{ACS}" \
InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject>\
<saml:Conditions NotBefore="{_instant(now - dt.timedelta(minutes=1))}" NotOnOrAfter="{later}">\
<saml:AudienceRestriction><saml:Audience>{SP}</saml:Audience></saml:AudienceRestriction>\
</saml:Conditions><saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_s1">\
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:\
PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>\
</saml:AuthnStatement><saml:AttributeStatement>\
<saml:Attribute Name="uid"><saml:AttributeValue>{uid}</saml:AttributeValue></saml:Attribute>\
<saml:Attribute Name="email"><saml:AttributeValue>{email}</saml:AttributeValue>\
</saml:Attribute></saml:AttributeStatement></saml:Assertion>"""
    signed = OneLogin_Saml2_Utils.add_sign(assertion, keys[0], keys[1],
                                           sign_algorithm=C.RSA_SHA256,
                                           digest_algorithm=C.SHA256)
    signed = signed.decode() if isinstance(signed, bytes) else signed
    signed = re.sub(r"^<\?xml[^>]*\?>\s*", "", signed)
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" \
IssueInstant="{_instant(now)}" Destination="{ACS}" InResponseTo="{in_response_to}">\
<saml:Issuer>{IDP}</saml:Issuer><samlp:Status><samlp:StatusCode \
Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{signed}</samlp:Response>"""
    return base64.b64encode(response.encode()).decode()


def sign_in_by_saml(client, keys, email: str, uid: str = "agency-123"):
    start = client.post("/accounts/saml/agency/login/")
    assert start.status_code == 302 and start["Location"].startswith(SSO_URL)
    query = parse_qs(urlsplit(start["Location"]).query)
    request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    request_id = re.search(r'ID="([^"]+)"', request_xml).group(1)
    posted = client.post("/accounts/saml/agency/acs/", {
        "SAMLResponse": signed_response(keys, in_response_to=request_id, email=email, uid=uid),
        "RelayState": query.get("RelayState", [""])[0]})
    assert posted.status_code == 302
    return client.get(posted["Location"])


def test_metadata_names_our_entity_and_assertion_consumer(client, saml):
    response = client.get("/accounts/saml/agency/metadata/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f'entityID="{SP}"' in text and f'Location="{ACS}"' in text
    assert 'WantAssertionsSigned="true"' in text


def test_member_signs_in_by_saml(client, saml, lead):
    response = sign_in_by_saml(client, saml, "lena.lead@example.org")
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_stranger_is_refused_by_saml_too(client, saml, team):
    response = sign_in_by_saml(client, saml, "nobody@example.org")
    assert response.status_code == 403
    assert "no CoIIN member or open invitation" in response.content.decode()
    assert not User.objects.filter(email="nobody@example.org").exists()


def test_a_forged_signature_gets_nobody_in(client, saml, lead):
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = (other_key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode(), saml[1])
    response = sign_in_by_saml(client, forged, "lena.lead@example.org")
    assert response.status_code == 401  # allauth's authentication error page
    assert "_auth_user_id" not in client.session
