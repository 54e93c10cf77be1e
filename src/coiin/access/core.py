"""``can`` and ``require``: every action's rule, gathered from the subject modules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coiin.network.models import Team

from . import (
    community,
    data,
    events,
    improvement,
    mentoring,
    network,
    reports,
    storyboards,
    vitals,
)
from .actions import Action, AnyUser, Rule
from .roles import is_close_to, is_network_member


def _gather(*modules: Any) -> dict[Action, Rule]:
    rules: dict[Action, Rule] = {}
    for module in modules:
        for action, rule in module.RULES.items():
            assert action not in rules, f"{action} has two rules"
            rules[action] = rule
    return rules


RULES = _gather(network, data, improvement, storyboards, community, events, mentoring,
                reports, vitals)
_SEES: dict[type, Any] = {Team: is_close_to, **community.SEES, **events.SEES,
                         **mentoring.SEES, **reports.SEES}


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    """May this user do this (to this object)?"""
    rule = RULES.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r}")
    if rule.needs is not None and not isinstance(obj, rule.needs):
        raise TypeError(f"{action} needs {rule.object_name()}")
    return rule.check(user, obj)


def sees(user: AnyUser, obj: Any) -> bool:
    """Is this object (or, without one, the network) in the user's sight at all?"""
    for kind, check in _SEES.items():
        if isinstance(obj, kind):
            return bool(check(user, obj))
    return is_network_member(user)


def require(user: AnyUser, action: Action, obj: Any = None, *, seen: bool = True) -> None:
    """Raise unless allowed: 403 for someone who may see the object, 404 for an outsider.
    ``seen=False``: the caller knows the user may not see the page itself either (a team's
    draft period, to the network's faculty), so the refusal does not say they may."""
    if can(user, action, obj):
        return
    if sees(user, obj):
        raise PermissionDenied(RULES[action].refusal or default_refusal(action, seen=seen))
    raise Http404


def default_refusal(action: Action, *, seen: bool = True) -> str:
    """What a refused member is told when the rule names no reason: seeing is not what
    is refused when the action is itself to look at something, and "you may see this" is
    said only to someone who may."""
    if action.value.startswith("view_") or not seen:
        return "This is for other roles in the network than yours."
    return "You may see this, but not change it."
