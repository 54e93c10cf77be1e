"""The community's events: learning sessions, webinars and office hours.

* Who sees an event: for a learning network's event, its teams' members, its faculty,
  backbone staff and the funder; for a network-wide event, every member of the network.
* The host network's faculty and backbone staff schedule events, record attendance and
  attach materials; only backbone staff schedule, change or cancel network-wide ones.
* A network's calendar feed: members of the network who belong to it (its teams, its
  faculty), backbone staff and the funder.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coiin.community.events.models import EventDetail
from coiin.network.models import LearningNetwork

from .actions import Action, AnyUser, Rule, Rules
from .roles import coaches, is_backbone, is_funder, is_in_network, is_network_member

_FACULTY_AND_BACKBONE = "Only the network's faculty and backbone staff may do this."


def visible_events(user: AnyUser,
                   details: QuerySet[EventDetail] | None = None) -> QuerySet[EventDetail]:
    """The events this user may see (VIEW_EVENT)."""
    details = EventDetail.objects.all() if details is None else details
    if not is_network_member(user):
        return details.none()
    if is_backbone(user) or is_funder(user):
        return details
    return details.filter(Q(audience=EventDetail.Audience.EVERYONE)
                          | Q(event__learning_network__teams__memberships__user=user)
                          | Q(event__learning_network__faculty__user=user)).distinct()


def can_see_event(user: AnyUser, detail: EventDetail) -> bool:
    """VIEW_EVENT (asked of the database, as the lists are)."""
    return visible_events(user, EventDetail.objects.filter(pk=detail.pk)).exists()


def _manages(user: AnyUser, network: Any) -> bool:
    return is_backbone(user) or coaches(user, network)


def _edits(user: AnyUser, detail: EventDetail) -> bool:
    if detail.audience == EventDetail.Audience.EVERYONE and not is_backbone(user):
        return False
    return _manages(user, detail.event.learning_network)


def _in_network(user: AnyUser, network: Any) -> bool:
    return bool(is_network_member(user) and (
        is_backbone(user) or is_funder(user) or is_in_network(user, network)
        or coaches(user, network)))


RULES: Rules = {
    Action.MANAGE_EVENT: Rule(_manages, needs=LearningNetwork,
                              refusal=_FACULTY_AND_BACKBONE),
    Action.VIEW_NETWORK_EVENTS: Rule(_in_network, needs=LearningNetwork),
    Action.SCHEDULE_NETWORK_WIDE: Rule(
        lambda u, _: is_backbone(u),
        refusal="Only backbone staff schedule network-wide events."),
    Action.VIEW_EVENT: Rule(can_see_event, needs=EventDetail),
    Action.RUN_EVENT: Rule(lambda u, d: _manages(u, d.event.learning_network),
                           needs=EventDetail, refusal=_FACULTY_AND_BACKBONE),
    Action.EDIT_EVENT: Rule(
        _edits, needs=EventDetail,
        refusal="Only the network's faculty and backbone staff change events; "
                "network-wide events, backbone staff."),
}

SEES: dict[type, Any] = {EventDetail: can_see_event}


def manageable_networks(user: AnyUser) -> list[LearningNetwork]:
    """The learning networks this person may put events on (faculty: theirs; backbone: all)."""
    if not is_network_member(user):
        return []
    # Candidates in one query (nobody but faculty and backbone staff has any); the rule
    # decides.
    candidates = LearningNetwork.objects.order_by("position", "pk")
    if not is_backbone(user):
        candidates = candidates.filter(Q(faculty__user=user)).distinct()
    return [n for n in candidates if _manages(user, n)]


def event_networks(user: AnyUser) -> QuerySet[LearningNetwork]:
    """The learning networks whose events are in this person's own calendar: all for
    backbone staff and the funder, else those of their teams and their faculty roles."""
    if is_backbone(user) or is_funder(user):
        return LearningNetwork.objects.all()
    return LearningNetwork.objects.filter(
        Q(teams__memberships__user=user) | Q(faculty__user=user)).distinct()
