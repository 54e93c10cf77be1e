"""Storyboards (lessons learned); the object is the team.

Written by the team's members, reviewed by its network's faculty, published to the public
site by backbone staff (who may also write and review).
"""

from __future__ import annotations

from coiin.network.models import Team

from .actions import Action, AnyUser, Rules
from .roles import is_faculty_of, team_role, team_rule


def _nobody_else(u: AnyUser, t: Team) -> bool:
    return False  # backbone staff only


# Whoever may read the team's work (VIEW_IMPROVEMENT) gets 403 with this; others 404.
_READ_ONLY = "You may read this storyboard, but not do that."

RULES: Rules = {
    Action.WRITE_STORYBOARD: team_rule(lambda u, t: team_role(u, t) is not None, _READ_ONLY),
    Action.REVIEW_STORYBOARD: team_rule(is_faculty_of, _READ_ONLY),
    Action.PUBLISH_STORYBOARD: team_rule(_nobody_else, _READ_ONLY),
}
