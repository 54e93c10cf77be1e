"""The community's events: learning sessions, webinars and office hours.

Events are managed (scheduled, attendance recorded, materials attached) by the host
network's faculty and backbone staff.
"""

from __future__ import annotations

from typing import Any

from coiin.network.models import LearningNetwork

from .actions import Action, AnyUser, Rule, Rules
from .roles import coaches, is_backbone


def _manages(user: AnyUser, network: Any) -> bool:
    return is_backbone(user) or coaches(user, network)


RULES: Rules = {
    Action.MANAGE_EVENT: Rule(
        _manages, needs=LearningNetwork,
        refusal="Only the network's faculty and backbone staff may do this."),
}
