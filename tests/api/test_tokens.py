"""Personal access tokens: made once, stored hashed, used as a Bearer token, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from coiin.api import tokens
from coiin.api.models import PersonalAccessToken


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_lets_a_program_act_as_its_person(client, lead, catalog):
    record, token = tokens.create_token(user=lead, name="nightly upload")
    response = client.get("/api/v1/measures", **bearer(token))
    assert response.status_code == 200
    assert "IMR" in {m["code"] for m in response.json()}
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(lead):
    record, token = tokens.create_token(user=lead, name="x")
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not PersonalAccessToken.objects.filter(token_hash=token).exists()
    assert token.startswith(record.prefix) and len(record.prefix) < len(token) / 3


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown", "none"])
def test_revoked_expired_unknown_or_missing_tokens_get_401(client, lead, catalog, how):
    record, token = tokens.create_token(user=lead, name="x")
    headers = bearer(token)
    if how == "revoked":
        tokens.revoke_token(token=record)
    elif how == "expired":
        PersonalAccessToken.objects.filter(pk=record.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif how == "unknown":
        headers = bearer(token + "x")
    else:
        headers = {}
    response = client.get("/api/v1/measures", **headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_bad_token_is_refused_even_with_a_session(client, lead, catalog):
    record, token = tokens.create_token(user=lead, name="x")
    tokens.revoke_token(token=record)
    client.force_login(lead)
    assert client.get("/api/v1/measures").status_code == 200  # the session alone works
    assert client.get("/api/v1/measures", **bearer(token)).status_code == 401


def test_the_tokens_page_makes_a_token_and_shows_it_once(client, lead, catalog):
    client.force_login(lead)
    response = client.post("/account/tokens/", {"name": "R scripts", "expires_in": "30"})
    assert response.status_code == 201
    token = response.context["new_token"]
    assert token in response.content.decode()
    record = PersonalAccessToken.objects.get(user=lead)
    assert record.name == "R scripts"
    assert record.expires_at > timezone.now() + dt.timedelta(days=29)
    listing = client.get("/account/tokens/").content.decode()
    assert "R scripts" in listing and token not in listing and record.prefix in listing
    assert Client().get("/api/v1/measures", **bearer(token)).status_code == 200


def test_the_tokens_page_revokes_only_your_own_tokens(client, lead, outsider, catalog):
    mine, token = tokens.create_token(user=lead, name="mine")
    theirs, _ = tokens.create_token(user=outsider, name="theirs")
    client.force_login(lead)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/account/tokens/{mine.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert Client().get("/api/v1/measures", **bearer(token)).status_code == 401


def test_the_tokens_page_needs_sign_in_and_refuses_other_methods(client, lead):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(lead)
    assert client.put("/account/tokens/").status_code == 405
    assert client.get("/account/tokens/1/revoke/").status_code == 405
    response = client.post("/account/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not PersonalAccessToken.objects.exists()
