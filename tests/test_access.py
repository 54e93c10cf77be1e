"""The access policy as a table: role × object × action, allowed and denied."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coiin import access
from coiin.access import Action

from .conftest import PERSONAS

Y, N = True, False
# Columns: overview, jurisdiction, network, team, roster, directory,
#          invite to GA Safe Sleep, invite to OH Smoking Cessation, manage network, admin
TABLE = {
    "anonymous": (Y, Y, Y, Y, N, N, N, N, N, N),
    "stranger":  (Y, Y, Y, Y, N, N, N, N, N, N),
    "member":    (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "data_lead": (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "lead":      (Y, Y, Y, Y, Y, Y, Y, N, N, N),
    "faculty":   (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "outsider":  (Y, Y, Y, Y, Y, Y, N, Y, N, N),
    "backbone":  (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "funder":    (Y, Y, Y, Y, Y, Y, N, N, N, N),
}
# What an invite to GA Safe Sleep raises when refused: 403 for those close to the team.
INVITE_REFUSAL = {
    "anonymous": Http404, "stranger": Http404, "outsider": Http404,
    "member": PermissionDenied, "data_lead": PermissionDenied, "faculty": PermissionDenied,
    "funder": PermissionDenied,
}


def persona(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def test_table_covers_every_persona():
    assert sorted(TABLE) == sorted(PERSONAS)


@pytest.mark.parametrize("name", PERSONAS)
def test_policy_table(request, name, team, other_team, jurisdictions):
    user = persona(request, name)
    got = (
        access.can(user, Action.VIEW_OVERVIEW),
        access.can(user, Action.VIEW_JURISDICTION, jurisdictions["GA"]),
        access.can(user, Action.VIEW_NETWORK, team.learning_network),
        access.can(user, Action.VIEW_TEAM, team),
        access.can(user, Action.VIEW_ROSTER, team),
        access.can(user, Action.VIEW_DIRECTORY),
        access.can(user, Action.INVITE_MEMBER, team),
        access.can(user, Action.INVITE_MEMBER, other_team),
        access.can(user, Action.MANAGE_NETWORK),
        access.can(user, Action.USE_ADMIN),
    )
    assert got == TABLE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_refusals_are_404_for_outsiders_and_403_for_those_close(request, name, team):
    user = persona(request, name)
    if name in INVITE_REFUSAL:
        with pytest.raises(INVITE_REFUSAL[name]):
            access.require(user, Action.INVITE_MEMBER, team)
    else:
        access.require(user, Action.INVITE_MEMBER, team)


@pytest.mark.parametrize("name", PERSONAS)
def test_directory_shows_people_only_to_members(request, name, team, lead, member):
    user = persona(request, name)
    visible = access.visible_people(user)
    if TABLE[name][5]:
        assert {lead, member} <= set(visible)
    else:
        assert not visible.exists()


def test_inactive_backbone_staff_lose_their_powers(backbone):
    backbone.is_active = False
    assert not access.can(backbone, Action.USE_ADMIN)
    assert not access.can(backbone, Action.VIEW_DIRECTORY)


def test_unknown_action_is_an_error(member):
    with pytest.raises(ValueError, match="unknown action"):
        access.can(member, "fly")  # type: ignore[arg-type]



# Storyboards of GA Safe Sleep: write (the team), review (its network's faculty), publish
# (backbone staff only); backbone staff may do all three.
STORYBOARD_TABLE = {
    "anonymous": (N, N, N), "stranger": (N, N, N), "member": (Y, N, N),
    "data_lead": (Y, N, N), "lead": (Y, N, N), "faculty": (N, Y, N), "outsider": (N, N, N),
    "backbone": (Y, Y, Y), "funder": (N, N, N),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_storyboard_policy_table(request, name, team):
    user = persona(request, name)
    got = tuple(access.can(user, a, team) for a in (
        Action.WRITE_STORYBOARD, Action.REVIEW_STORYBOARD, Action.PUBLISH_STORYBOARD))
    assert got == STORYBOARD_TABLE[name]
