"""SCIM 2.0 /scim/v2/Users: the identity provider finds accounts by userName and closes them;
it never makes one; only its bearer token gets an answer."""

from __future__ import annotations

import json

import pytest

from coiin.api import tokens
from coiin.api.models import PersonalAccessToken
from coiin.network.models import User

ENV_TOKEN = "scim-token-from-the-environment"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def scim(client, settings, db):
    settings.SCIM_TOKEN = ENV_TOKEN

    def call(method: str, path: str, body=None, token: str = ENV_TOKEN):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        data = json.dumps(body) if body is not None else ""
        return getattr(client, method.lower())(path, data=data or None,
                                               content_type="application/scim+json", **extra)
    return call


def test_find_a_person_by_user_name(scim, lead, member):
    response = scim("GET", '/scim/v2/Users?filter=userName eq "LENA.LEAD@example.org"')
    assert response.status_code == 200 and response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["totalResults"] == 1
    (found,) = body["Resources"]
    assert found["id"] == str(lead.pk) and found["userName"] == lead.email
    assert found["active"] is True and found["name"]["givenName"] == "Lena"
    assert scim("GET", f"/scim/v2/Users/{lead.pk}").json() == found
    everyone = scim("GET", "/scim/v2/Users?startIndex=2&count=1").json()
    assert (everyone["totalResults"], everyone["startIndex"], everyone["itemsPerPage"]) == (2, 2, 1)


def test_patch_active_false_closes_the_account_and_true_opens_it(scim, client, lead):
    api_token = tokens.create_token(user=lead, name="uploads")[1]
    body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active",
                                                "value": False}]}
    response = scim("PATCH", f"/scim/v2/Users/{lead.pk}", body)
    assert response.status_code == 200 and response.json()["active"] is False
    lead.refresh_from_db()
    assert not lead.is_active
    assert tokens.user_for_token(api_token) is None  # their API token stops too
    # Entra's shape: no path, a value object, the word "True".
    body = {"schemas": [PATCH], "Operations": [{"op": "Replace", "value": {"active": "True"}}]}
    assert scim("PATCH", f"/scim/v2/Users/{lead.pk}", body).json()["active"] is True


def test_delete_closes_the_account_and_keeps_the_person(scim, lead):
    assert scim("DELETE", f"/scim/v2/Users/{lead.pk}").status_code == 204
    lead.refresh_from_db()
    assert not lead.is_active and lead.memberships.exists()


def test_nobody_is_made_by_provisioning(scim, db):
    response = scim("POST", "/scim/v2/Users", {"schemas": ["urn:ietf:params:scim:schemas:core:"
                                                           "2.0:User"], "userName": "x@y.org"})
    assert response.status_code == 403 and "by invitation" in response.json()["detail"]
    assert not User.objects.exists()


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), [
    ("GET", '/scim/v2/Users?filter=displayName co "a"', None, 400, "is not supported"),
    ("GET", "/scim/v2/Users?count=lots", None, 400, "count must be a whole number"),
    ("GET", "/scim/v2/Users/999999", None, 404, "No user 999999"),
    ("PATCH", "/scim/v2/Users/{pk}", {"Operations": []}, 400, "needs schemas"),
    ("PATCH", "/scim/v2/Users/{pk}", {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": "active", "value": "maybe"}]}, 400,
     "Operations[1]: active must be true or false"),
    ("PATCH", "/scim/v2/Users/{pk}", {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": "active"}]}, 400, "only replace and add"),
])
def test_bad_requests_say_what_is_wrong(scim, lead, method, path, body, status, words):
    response = scim(method, path.format(pk=lead.pk), body)
    assert response.status_code == status
    assert words in response.json()["detail"]
    lead.refresh_from_db()
    assert lead.is_active


def test_only_a_scim_token_gets_an_answer(scim, lead, backbone, settings):
    assert scim("GET", "/scim/v2/Users", token="").status_code == 401
    assert scim("GET", "/scim/v2/Users", token="wrong").status_code == 401
    # A person's API token is not a SCIM token, even backbone staff's.
    api_token = tokens.create_token(user=backbone, name="api")[1]
    assert scim("GET", "/scim/v2/Users", token=api_token).status_code == 401
    settings.SCIM_TOKEN = ""  # none from the environment: backbone staff's SCIM token works
    scim_token = tokens.create_token(user=backbone, name="Entra provisioning",
                                     purpose=PersonalAccessToken.Purpose.SCIM)[1]
    assert scim("GET", "/scim/v2/Users", token=scim_token).status_code == 200
    assert scim("GET", "/scim/v2/Users", token=ENV_TOKEN).status_code == 401
    # ... and stops when its maker leaves the backbone staff.
    backbone.network_role = ""
    backbone.save()
    assert scim("GET", "/scim/v2/Users", token=scim_token).status_code == 401


def test_backbone_staff_make_a_scim_token_on_their_tokens_page(client, backbone, lead):
    client.force_login(backbone)
    response = client.post("/account/tokens/", {"name": "Okta provisioning",
                                                "expires_in": "365", "purpose": "scim"})
    assert response.status_code == 201
    record = PersonalAccessToken.objects.get(user=backbone)
    assert record.purpose == "scim"
    # A team lead's page offers no such choice, and a forged one is ignored.
    client.force_login(lead)
    assert 'name="purpose"' not in client.get("/account/tokens/").content.decode()
    client.post("/account/tokens/", {"name": "x", "expires_in": "30", "purpose": "scim"})
    assert PersonalAccessToken.objects.get(user=lead).purpose == "api"
