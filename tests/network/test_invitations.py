"""Team leads invite people by e-mailed, single-use links that expire."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from coiin.network import services
from coiin.network.models import Invitation, TeamMembership, User

INVITE_URL = "/networks/safe-sleep/ga/invite/"


def invite_by_post(client, django_capture_on_commit_callbacks, email="new.person@example.org",
                   role="member"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE_URL, {"email": email, "role": role})
    return response


def link_from_mail() -> str:
    match = re.search(r"http://\S+/invitations/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return f"/invitations/{match.group(1)}/"


def test_lead_invites_and_the_email_carries_a_link(client, lead, team,
                                                   django_capture_on_commit_callbacks):
    client.force_login(lead)
    response = invite_by_post(client, django_capture_on_commit_callbacks, role="data_lead")
    assert response.status_code == 302
    assert response["Location"] == team.get_absolute_url()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Georgia · Safe Sleep" in message.subject
    assert "Data lead" in message.body
    invitation = Invitation.objects.get()
    assert invitation.invited_by == lead
    assert invitation.token_hash not in message.body  # only the hash is stored


def test_no_email_leaves_when_the_invitation_is_rolled_back(lead, team,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invite_member(team=team, email="x@example.org", role="member", invited_by=lead)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_new_person_accepts_by_creating_an_account(client, lead, team,
                                                   django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks)
    client.logout()
    link = link_from_mail()
    page = client.get(link)
    assert page.status_code == 200
    assert "Create your account to accept" in page.content.decode()
    response = client.post(link, {"first_name": "Nia", "last_name": "Person",
                                  "password1": "a-very-good-passphrase",
                                  "password2": "a-very-good-passphrase"})
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("a-very-good-passphrase")
    assert TeamMembership.objects.get(team=team, user=user).role == "member"
    assert client.get(team.get_absolute_url()).context["user"] == user  # signed in


def test_signup_form_errors_say_which_field(client, lead, team, django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks)
    client.logout()
    response = client.post(link_from_mail(), {"first_name": "", "last_name": "P",
                                              "password1": "short", "password2": "other"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "password1", "password2"}
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_link_works_only_once(client, lead, team, django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks)
    client.logout()
    link = link_from_mail()
    client.post(link, {"first_name": "Nia", "last_name": "Person",
                       "password1": "a-very-good-passphrase",
                       "password2": "a-very-good-passphrase"})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert TeamMembership.objects.filter(team=team).count() == 2


def test_expired_link_is_refused(client, lead, team, django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.logout()
    response = client.get(link_from_mail())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    with pytest.raises(services.InvitationError, match="expired"):
        services.find_invitation(link_from_mail().split("/")[2])


def test_invitations_expire_after_the_configured_age(settings, lead, team):
    settings.INVITATION_MAX_AGE = dt.timedelta(days=3)
    invitation, _ = services.invite_member(team=team, email="a@example.org", role="member",
                                           invited_by=lead)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=3)


def test_unknown_token_is_refused(client, db):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_existing_account_signs_in_then_accepts(client, lead, team, stranger,
                                                django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks, email=stranger.email.upper())
    client.logout()
    link = link_from_mail()
    assert "Sign in to accept" in client.get(link).content.decode()
    client.force_login(stranger)
    response = client.post(link)
    assert response.status_code == 302
    assert TeamMembership.objects.get(team=team, user=stranger).role == "member"


def test_wrong_account_cannot_use_someone_elses_link(client, lead, team, member,
                                                     django_capture_on_commit_callbacks):
    client.force_login(lead)
    invite_by_post(client, django_capture_on_commit_callbacks, email="someone@example.org")
    client.force_login(member)
    link = link_from_mail()
    assert "Sign out, then open the link again" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 410
    assert "was sent to someone@example.org" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_inviting_someone_already_on_the_team_is_refused(client, lead, member, team):
    client.force_login(lead)
    response = client.post(INVITE_URL, {"email": member.email, "role": "member"})
    assert response.status_code == 400
    assert "already on the Georgia · Safe Sleep team" in response.content.decode()


def test_invite_form_names_the_bad_field(client, lead):
    client.force_login(lead)
    response = client.post(INVITE_URL, {"email": "not-an-address", "role": "boss"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "role"}
    assert Invitation.objects.count() == 0


def test_a_new_invitation_replaces_an_unused_one(lead, team):
    services.invite_member(team=team, email="a@example.org", role="member", invited_by=lead)
    services.invite_member(team=team, email="A@example.org", role="lead", invited_by=lead)
    assert list(Invitation.objects.values_list("email", "role")) == [("a@example.org", "lead")]


@pytest.mark.parametrize(("name", "status"), [
    ("member", 403), ("data_lead", 403), ("faculty", 403), ("funder", 403),
    ("outsider", 404), ("stranger", 404),
])
def test_only_leads_and_backbone_may_invite(as_persona, name, status, team):
    client = as_persona(name)
    assert client.get(INVITE_URL).status_code == status
    assert client.post(INVITE_URL, {"email": "x@example.org", "role": "member"}).status_code \
        == status
    assert Invitation.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, team):
    response = client.get(INVITE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_backbone_may_invite_to_any_team(client, backbone, team,
                                         django_capture_on_commit_callbacks):
    client.force_login(backbone)
    assert invite_by_post(client, django_capture_on_commit_callbacks).status_code == 302


def test_invite_page_refuses_other_methods(client, lead):
    client.force_login(lead)
    assert client.put(INVITE_URL).status_code == 405


def test_pending_invitations_show_to_the_lead_only(client, lead, member, team):
    services.invite_member(team=team, email="waiting@example.org", role="member",
                           invited_by=lead)
    client.force_login(lead)
    assert "waiting@example.org" in client.get(team.get_absolute_url()).content.decode()
    client.force_login(member)
    assert "waiting@example.org" not in client.get(team.get_absolute_url()).content.decode()
