"""Sign-in by e-mail, sign-out, throttling, password reset, two-factor authentication."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value
from django.core import mail

from ..conftest import PASSWORD
from ..test_settings import run_settings

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_sign_in_by_email_and_out(client, lead):
    response = client.post(LOGIN, {"login": "LENA.LEAD@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/people/").status_code == 302


def test_wrong_password_says_so(client, lead):
    response = client.post(LOGIN, {"login": lead.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert "closed" in response.content.decode().lower()


def test_repeated_failures_lock_the_account_even_with_the_right_password(settings, client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": lead.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/people/").status_code == 302  # not signed in


def test_failures_below_the_limit_do_not_lock(settings, client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"login": lead.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_is_per_account(settings, client, lead, member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": lead.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302


def failures_from(client, email: str, addresses: int, first: int = 1) -> None:
    from django.conf import settings

    for a in range(first, first + addresses):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(LOGIN, {"login": email, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{a}")


def test_one_address_cannot_lock_a_person_out_of_their_account(settings, client, lead):
    failures_from(client, lead.email, addresses=1)
    locked = client.post(LOGIN, {"login": lead.email, "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429  # that address is locked out of the account ...
    owner = client.post(LOGIN, {"login": lead.email, "password": PASSWORD},
                        REMOTE_ADDR="192.0.2.7")
    assert owner.status_code == 302  # ... its owner, elsewhere, is not


def test_failures_from_many_addresses_cap_the_account_until_the_cool_off(settings, client,
                                                                         lead, member):
    from axes.models import AccessAttempt
    from django.utils import timezone

    addresses = settings.ACCOUNT_FAILURE_CAP // settings.AXES_FAILURE_LIMIT
    failures_from(client, lead.email, addresses=addresses)
    refused = client.post(LOGIN, {"login": lead.email, "password": PASSWORD},
                          REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert client.get("/people/").status_code == 302  # not signed in
    other = client.post(LOGIN, {"login": member.email, "password": PASSWORD},
                        REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302  # other accounts are untouched
    client.post("/accounts/logout/")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
                                 - dt.timedelta(minutes=1))
    again = client.post(LOGIN, {"login": lead.email, "password": PASSWORD},
                        REMOTE_ADDR="192.0.2.7")
    assert again.status_code == 302


def test_the_account_cap_must_be_above_the_address_limit():
    result = run_settings(COIIN_DEV="1", AXES_FAILURE_LIMIT="5", ACCOUNT_FAILURE_CAP="5")
    assert result.returncode != 0
    assert "ACCOUNT_FAILURE_CAP must be more than AXES_FAILURE_LIMIT" in result.stderr


def test_password_reset_by_email(client, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": lead.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)",
                     mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": "a-brand-new-passphrase",
                            "password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password("a-brand-new-passphrase")


def test_totp_two_factor_can_be_enabled_and_is_then_asked_for(client, lead):
    client.post(LOGIN, {"login": lead.email, "password": PASSWORD})
    # Turning on two-factor asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = str(hotp_value(secret, int(time.time()) // 30)).zfill(6)
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()
    client.logout()
    response = client.post(LOGIN, {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/people/").status_code == 302  # not in yet without the code
