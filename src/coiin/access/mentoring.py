"""Peer mentoring: a team asks a bright spot (a team that improved on a measure where it
did not) for an introduction.

* A team's suggestions are seen by whoever sees its improvement work (VIEW_IMPROVEMENT);
  its members ask for an introduction.
* A pairing is seen by everyone close to either team (its members, their networks'
  faculty, backbone staff, the funder). The mentor team's lead accepts or declines; the
  two teams and the mentee's faculty record meetings; the two teams close it. Backbone
  staff may do all of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coiin.community.mentoring.models import MentorPairing
from coiin.network.models import Team, TeamMembership

from .actions import Action, AnyUser, Rule, Rules
from .roles import is_backbone, is_close_to, is_faculty_of, is_funder, team_role


def can_see_pairing(user: AnyUser, pairing: MentorPairing) -> bool:
    """VIEW_PAIRING."""
    return is_close_to(user, pairing.mentee) or is_close_to(user, pairing.mentor)


def _on_either(user: AnyUser, pairing: MentorPairing) -> bool:
    return (team_role(user, pairing.mentor) is not None
            or team_role(user, pairing.mentee) is not None)


RULES: Rules = {
    Action.REQUEST_MENTOR: Rule(
        lambda u, t: is_backbone(u) or team_role(u, t) is not None, needs=Team,
        refusal="Only the team's members ask for a mentor."),
    Action.VIEW_PAIRING: Rule(can_see_pairing, needs=MentorPairing),
    Action.ANSWER_PAIRING: Rule(
        lambda u, p: is_backbone(u) or team_role(u, p.mentor) == TeamMembership.Role.LEAD,
        needs=MentorPairing, refusal="Only the mentor team's lead may answer."),
    Action.RECORD_MEETING: Rule(
        lambda u, p: is_backbone(u) or _on_either(u, p) or is_faculty_of(u, p.mentee),
        needs=MentorPairing,
        refusal="Only the two teams and their faculty record meetings."),
    Action.CLOSE_PAIRING: Rule(
        lambda u, p: is_backbone(u) or _on_either(u, p), needs=MentorPairing,
        refusal="Only members of the two teams close a pairing."),
}

SEES: dict[type, Any] = {MentorPairing: can_see_pairing}


def visible_pairings(user: AnyUser, pairings: QuerySet[MentorPairing] | None = None
                     ) -> QuerySet[MentorPairing]:
    """The pairings this user may see in lists: backbone staff and the funder all; others
    those of their teams and of the teams whose network they coach (mentee side)."""
    pairings = MentorPairing.objects.all() if pairings is None else pairings
    if is_backbone(user) or is_funder(user):
        return pairings
    if not user.is_authenticated:
        return pairings.none()
    return pairings.filter(Q(mentor__memberships__user=user) | Q(mentee__memberships__user=user)
                           | Q(mentee__learning_network__faculty__user=user)).distinct()
