"""Sign-in through an agency's OIDC provider: existing people and invited people get in,
matched by the address the provider verified; strangers are refused with a page that says
why; a closed account stays out; passwords keep working where there is no provider."""

from __future__ import annotations

import datetime as dt

from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from coiin.network import services
from coiin.network.models import Invitation, TeamMembership, User

from ..conftest import PASSWORD
from .conftest import sign_in_at_idp


def signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def test_member_signs_in_with_the_agency_and_is_linked(client, idp, lead):
    idp.add_person("Lena.Lead@example.org", given_name="Lena", family_name="Lead")
    response = sign_in_at_idp(client, idp, "lena.lead@example.org")
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    assert signed_in_as(client) == lead.email
    account = SocialAccount.objects.get(user=lead)
    assert account.provider == "agency" and account.uid == idp.people["lena.lead@example.org"].sub
    # From now on the provider alone decides: the local password is gone.
    lead.refresh_from_db()
    assert not lead.has_usable_password()
    # Linked by the provider's subject from now on, whatever the address becomes.
    client.logout()
    idp.people["lena.lead@example.org"].email = "l.lead@agency.example.gov"
    sign_in_at_idp(client, idp, "lena.lead@example.org")
    assert signed_in_as(client) == lead.email


def test_stranger_is_refused_with_a_page_that_says_why(client, idp, team):
    idp.add_person("someone@agency.example.gov")
    response = sign_in_at_idp(client, idp, "someone@agency.example.gov")
    assert response.status_code == 403
    text = response.content.decode()
    assert "no CoIIN member or open invitation for someone@agency.example.gov" in text
    assert "ask your team lead" in text
    assert signed_in_as(client) is None
    assert not User.objects.filter(email__iexact="someone@agency.example.gov").exists()
    assert not SocialAccount.objects.exists()


def test_unverified_address_does_not_find_a_member(client, idp, lead):
    idp.add_person("lena.lead@example.org", email_verified=False)
    response = sign_in_at_idp(client, idp, "lena.lead@example.org")
    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.content.decode()
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_invited_person_gets_an_account_and_joins_the_team(client, idp, team, lead):
    invitation, _ = services.invite_member(team=team, email="new.person@agency.example.gov",
                                           role="data_lead", invited_by=lead)
    idp.add_person("new.person@agency.example.gov", given_name="New", family_name="Person")
    response = sign_in_at_idp(client, idp, "new.person@agency.example.gov")
    assert response.status_code == 302
    person = User.objects.get(email="new.person@agency.example.gov")
    assert signed_in_as(client) == person.email
    assert (person.first_name, person.last_name) == ("New", "Person")
    assert not person.has_usable_password()
    assert TeamMembership.objects.get(team=team, user=person).role == "data_lead"
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_expired_invitation_does_not_let_anyone_in(client, idp, team, lead):
    invitation, _ = services.invite_member(team=team, email="late@agency.example.gov",
                                           role="member", invited_by=lead)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    idp.add_person("late@agency.example.gov")
    assert sign_in_at_idp(client, idp, "late@agency.example.gov").status_code == 403
    assert not User.objects.filter(email="late@agency.example.gov").exists()


def test_closed_account_is_refused(client, idp, lead):
    services.deactivate_person(user=lead)
    idp.add_person("lena.lead@example.org")
    response = sign_in_at_idp(client, idp, "lena.lead@example.org")
    assert response.status_code == 403
    assert "has been closed" in response.content.decode()
    assert signed_in_as(client) is None


def test_sign_in_page_offers_the_agency_beside_passwords(client, idp, lead):
    page = client.get("/accounts/login/?next=/people/").content.decode()
    assert "Sign in with Agency ID" in page
    assert 'action="/accounts/oidc/agency/login/?process=login&amp;next=%2Fpeople%2F"' in page
    # The password form is still there, and still works.
    assert 'name="password"' in page
    response = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 302 and signed_in_as(client) == lead.email


def test_sign_in_button_without_a_next_page(client, idp, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/accounts/oidc/agency/login/?process=login"' in page


def test_without_a_provider_the_page_has_passwords_only(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.post("/accounts/oidc/agency/login/").status_code == 404


def test_invitation_page_offers_joining_with_the_agency(client, idp, team, lead):
    _, link = services.invite_member(team=team, email="new.person@agency.example.gov",
                                     role="member", invited_by=lead)
    page = client.get(link.split("8000", 1)[-1]).content.decode()
    assert "Join with Agency ID" in page
    assert ("/accounts/oidc/agency/login/?process=login&amp;"
            "next=%2Fnetworks%2Fsafe-sleep%2Fga%2F") in page
    assert "Or create a CoIIN password to accept." in page
