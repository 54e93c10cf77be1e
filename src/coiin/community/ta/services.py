"""Technical assistance: a team asks for help; the request goes to its learning network's
faculty (the one with the fewest open requests, ties by name); it has an owner, a status,
a thread, a response-time clock and, once resolved, the team's rating.

Statuses: new (no faculty to route to) → assigned → waiting on team → resolved; a
resolved request can be reopened. The clock: time from the request to the first reply
from faculty or backbone staff, and time to resolution.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin import access, markdown
from coiin.access import Action
from coiin.measures.models import Measure
from coiin.network.models import Team, User

from ..notifications import services as notifications
from ..notifications.models import Notification
from .models import TAMessage, TARequest

Status = TARequest.Status


def faculty_load(network_id: int) -> list[tuple[User, int]]:
    """The network's faculty with their open request counts, least loaded first (ties by
    name); one query."""
    people = (User.objects.filter(faculty_roles__learning_network_id=network_id,
                                  is_active=True)
              .annotate(load=Count("ta_owned", filter=Q(ta_owned__status__in=TARequest.OPEN),
                                   distinct=True))
              .order_by("load", "last_name", "first_name", "email"))
    return [(p, p.load) for p in people]


def route(team: Team) -> User | None:
    ranked = faculty_load(team.learning_network_id)
    return ranked[0][0] if ranked else None


def _tell(user: User | None, request: TARequest, text: notifications.Text, *,
          by: User | None = None) -> None:
    """Tell one person; a text given as a function is worded in their language."""
    if user is None or (by is not None and user.pk == by.pk):
        return
    notifications.notify(user=user, kind=Notification.Kind.TA, text=text,
                         url=request.get_absolute_url(), source=request)


def _tell_team(request: TARequest, text: notifications.Text, *, by: User | None) -> None:
    _tell(request.requested_by, request, text, by=by)


def open_request(*, team: Team, by: User, topic: str, description: str,
                 measure: Measure | None = None, chart_url: str = "",
                 now: dt.datetime | None = None) -> TARequest:
    """A team member asks for help; the request is routed at once."""
    if not access.ta_teams(by).filter(pk=team.pk).exists():
        raise PermissionDenied(_("Only the team's members may ask for help for it."))
    if not topic.strip():
        raise ValidationError({"topic": _("Say what you need help with.")})
    try:
        markdown.check(description)
    except ValidationError as exc:
        raise ValidationError({"description": exc.messages}) from None
    if chart_url and not chart_url.startswith("/"):
        raise ValidationError({"chart_url": _("Paste a link to a chart on this site.")})
    now = now or timezone.now()
    with transaction.atomic():
        owner = route(team)
        request = TARequest.objects.create(
            team=team, topic=topic.strip()[:200], description=description,
            description_html=markdown.render(description).html, measure=measure,
            chart_url=chart_url, requested_by=by, owner=owner, created_at=now,
            status=Status.ASSIGNED if owner else Status.NEW)
        _tell(owner, request, lambda: _("New TA request from %(team)s: %(topic)s")
              % {"team": team, "topic": request.topic}, by=by)
    return request


def reply(*, request: TARequest, by: User, body: str,
          now: dt.datetime | None = None) -> TAMessage:
    """Add to the thread. The first staff reply stops the response clock; a team reply
    to a request waiting on the team puts it back with its owner."""
    access.require(by, Action.VIEW_TA_REQUEST, request)
    try:
        markdown.check(body)
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from None
    now = now or timezone.now()
    with transaction.atomic():
        message = TAMessage.objects.create(request=request, author=by, body=body,
                                           body_html=markdown.render(body).html,
                                           created_at=now)
        fields = []
        if access.can(by, Action.HANDLE_TA, request):
            if request.first_response_at is None:
                request.first_response_at = now
                fields.append("first_response_at")
            if request.owner_id is None and access.is_faculty_of(by, request.team):
                request.owner = by  # an unrouted request belongs to whoever answers first
                request.status = Status.ASSIGNED
                fields += ["owner", "status"]
            _tell_team(request, lambda: _("New reply on your TA request: %(topic)s")
                       % {"topic": request.topic}, by=by)
        else:
            if request.status == Status.WAITING:
                request.status = Status.ASSIGNED
                fields.append("status")
            _tell(request.owner, request, lambda: _("%(team)s replied: %(topic)s")
                  % {"team": request.team, "topic": request.topic}, by=by)
        if fields:
            request.save(update_fields=fields)
    return message


def set_status(*, request: TARequest, by: User, status: str,
               now: dt.datetime | None = None) -> TARequest:
    """Faculty and backbone move a request on; the team may resolve or reopen its own."""
    access.require(by, Action.VIEW_TA_REQUEST, request)
    staff = access.can(by, Action.HANDLE_TA, request)
    if status not in Status.values:
        raise ValidationError({"status": _("%(status)s is not a status.")
                                         % {"status": repr(status)}})
    if not staff and status not in (Status.RESOLVED, Status.ASSIGNED):
        raise PermissionDenied(_("Only faculty set this status."))
    now = now or timezone.now()
    with transaction.atomic():
        if status == Status.RESOLVED:
            request.resolved_at = now
        elif request.status == Status.RESOLVED:  # reopened: the rating no longer applies
            request.resolved_at = None
            request.rating = None
            request.rating_comment = ""
        if status == Status.ASSIGNED and request.owner_id is None:
            status = Status.NEW
        request.status = status
        request.save(update_fields=["status", "resolved_at", "rating", "rating_comment"])
        _tell_team(request, lambda: _("Your TA request is now “%(status)s”: %(topic)s")
                   % {"status": request.get_status_display(), "topic": request.topic}, by=by)
        if not staff:
            _tell(request.owner, request, lambda: _("%(team)s changed the status: %(status)s")
                  % {"team": request.team, "status": request.get_status_display()}, by=by)
    return request


def assign(*, request: TARequest, by: User, owner: User) -> TARequest:
    """Backbone staff (and the network's faculty) hand a request to one of its faculty."""
    access.require(by, Action.HANDLE_TA, request)
    if not access.is_faculty_of(owner, request.team):
        raise ValidationError({"owner": _("%(owner)s is not faculty of this learning network.")
                                        % {"owner": owner}})
    with transaction.atomic():
        request.owner = owner
        if request.status == Status.NEW:
            request.status = Status.ASSIGNED
        request.save(update_fields=["owner", "status"])
        _tell(owner, request, lambda: _("TA request assigned to you: %(topic)s")
              % {"topic": request.topic}, by=by)
    return request


def unassign(*, request: TARequest, by: User) -> TARequest:
    """Put a request back in the network's queue (new, no owner): backbone staff."""
    if not access.is_backbone(by):
        raise PermissionDenied(_("Only backbone staff put a request back in the queue."))
    request.owner = None
    request.status = Status.NEW
    request.save(update_fields=["owner", "status"])
    return request


def rate(*, request: TARequest, by: User, rating: int, comment: str = "") -> TARequest:
    """The requesting team rates the help, once it is resolved."""
    access.require(by, Action.RATE_TA, request)
    if request.status != Status.RESOLVED:
        raise ValidationError({"rating": _("Rate the help once the request is resolved.")})
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Choose 1 to 5.")})
    request.rating = int(rating)
    request.rating_comment = comment.strip()[:2000]
    request.save(update_fields=["rating", "rating_comment"])
    return request


@dataclass
class QueueStats:
    open: int
    median_response: dt.timedelta | None
    load: list[tuple[User, int]]


def queue_stats(requests: list[TARequest]) -> QueueStats:
    """Counts for a queue page: open requests, median response time, per-faculty load."""
    times = sorted(r.response_time for r in requests if r.response_time is not None)
    median = times[len(times) // 2] if times else None
    load = Counter(r.owner for r in requests if r.is_open and r.owner is not None)
    return QueueStats(open=sum(1 for r in requests if r.is_open), median_response=median,
                      load=sorted(load.items(), key=lambda kv: (-kv[1], str(kv[0]))))
