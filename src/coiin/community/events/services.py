"""Events: scheduling, who sees them, RSVPs, attendance, materials and calendar feeds.

* An event is an ``improvement.Event`` (the one calendar) with an ``EventDetail``.
* Who sees it: for a learning network's event, its teams' members, its faculty, backbone
  staff and the funder; for a network-wide event, every member of the network.
* Faculty of the host network and backbone staff schedule events, record attendance and
  attach slides and recordings.
* Anyone who sees an upcoming event answers going, maybe or not going (one answer each,
  changeable until it starts).
* Calendar feeds are addressed by a per-person secret token; rotating it retires the old
  address. A feed shows exactly what its owner could see signed in.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coiin import access
from coiin.access import Action, AnyUser
from coiin.improvement import services as improvement
from coiin.improvement.models import Attendance, Event
from coiin.network.models import LearningNetwork, Team, User

from ..notifications import services as notifications
from ..notifications.models import Notification
from ..profiles.models import DEFAULT_TIME_ZONE, CommunityProfile
from ..uploads import CheckedFile
from . import ical
from .models import (
    RSVP,
    CalendarToken,
    EventDetail,
    EventMaterial,
)

_KIND = {EventDetail.Format.LEARNING_SESSION: Event.Kind.LEARNING_SESSION,
         EventDetail.Format.WEBINAR: Event.Kind.WEBINAR,
         EventDetail.Format.OFFICE_HOURS: Event.Kind.WEBINAR}
MAX_LENGTH = dt.timedelta(days=7)


# Time zones --------------------------------------------------------------------------

def check_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"time_zone": _("%(name)s is not a time zone we know (e.g. "
                                              "America/Chicago).") % {"name": repr(name)}}) from exc
    return name


def viewer_zone(user: AnyUser) -> zoneinfo.ZoneInfo:
    """The zone a person reads event times in: their profile's, else America/New_York."""
    name = DEFAULT_TIME_ZONE
    if user.is_authenticated:
        name = (CommunityProfile.objects.filter(user=user)
                .values_list("time_zone", flat=True).first() or DEFAULT_TIME_ZONE)
    return zoneinfo.ZoneInfo(name)


def set_time_zone(*, user: User, time_zone: str) -> CommunityProfile:
    check_zone(time_zone)
    profile, _created = CommunityProfile.objects.get_or_create(user=user)
    profile.time_zone = time_zone
    profile.save(update_fields=["time_zone"])
    return profile


# Scheduling ----------------------------------------------------------------------------

def _check_scheduler(by: User | None, network: LearningNetwork, audience: str) -> None:
    if by is None:
        return
    if not access.can(by, Action.MANAGE_EVENT, network):
        raise PermissionDenied(_("Only the network's faculty and backbone staff schedule events."))
    if audience == EventDetail.Audience.EVERYONE and not access.can(
            by, Action.SCHEDULE_NETWORK_WIDE):
        raise PermissionDenied(_("Only backbone staff schedule network-wide events."))


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.datetime,
                                                                       dt.datetime]:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Event times need a time zone."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The event ends before it starts.")})
    if ends_at - starts_at > MAX_LENGTH:
        raise ValidationError({"ends_at": _("An event lasts at most %(days)s days; put longer "
                                            "stretches on the calendar as an action period.")
                                          % {"days": MAX_LENGTH.days}})
    return starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC)


def _check_title_free(network: LearningNetwork, title: str, day: dt.date,
                      event: Event | None = None) -> None:
    clash = Event.objects.filter(learning_network=network, title=title.strip(), starts=day)
    if event is not None:
        clash = clash.exclude(pk=event.pk)
    if clash.exists():
        raise ValidationError({"title": _("%(network)s already has an event called “%(title)s” "
                                          "that day; give this one another title.")
                                        % {"network": network.short_name, "title": title.strip()}})


def _check_join_url(join_url: str) -> str:
    join_url = join_url.strip()
    if join_url and not join_url.lower().startswith("https://"):
        raise ValidationError({"join_url": _("The join link must start with https:// "
                               "(a secure address).")})
    return join_url


def _dates(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.date, dt.date | None]:
    """The calendar row's days (UTC, as the demo and the feeds have always kept them)."""
    return starts_at.date(), ends_at.date() if ends_at.date() > starts_at.date() else None


def schedule_event(*, network: LearningNetwork, by: User | None, format: str, title: str,
                   starts_at: dt.datetime, ends_at: dt.datetime, description: str = "",
                   location: str = "", join_url: str = "",
                   audience: str = EventDetail.Audience.NETWORK,
                   time_zone: str = DEFAULT_TIME_ZONE) -> EventDetail:
    """Put an event on the network's calendar. Times must be aware; they are kept in UTC.
    ``by`` None is the demo and the CLI (trusted callers)."""
    _check_scheduler(by, network, audience)
    starts_at, ends_at = _check_times(starts_at, ends_at)
    check_zone(time_zone)
    join_url = _check_join_url(join_url)
    starts, ends = _dates(starts_at, ends_at)
    _check_title_free(network, title, starts)
    with transaction.atomic():
        event = improvement.save_event(
            network=network, kind=_KIND[EventDetail.Format(format)], title=title,
            starts=starts, ends=ends, description=description, materials_url="")
        detail = EventDetail(event=event, format=format, audience=audience,
                             starts_at=starts_at, ends_at=ends_at, location=location.strip(),
                             join_url=join_url, time_zone=time_zone)
        detail.full_clean()
        detail.save()
    return detail


def update_event(*, detail: EventDetail, by: User, network: LearningNetwork, format: str,
                 title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                 description: str = "", location: str = "", join_url: str = "",
                 audience: str = EventDetail.Audience.NETWORK,
                 time_zone: str = DEFAULT_TIME_ZONE) -> EventDetail:
    """Change an event (calendar row and detail together, or neither). People who answered
    going or maybe hear about a change of time in their inbox."""
    if not access.can(by, Action.EDIT_EVENT, detail):
        raise PermissionDenied(_("You may not change this event."))
    _check_scheduler(by, network, audience)
    if detail.is_cancelled:
        raise ValidationError(_("This event is cancelled; it can no longer be changed."))
    event = detail.event
    if network.pk != event.learning_network_id and event.attendance.exists():
        raise ValidationError({"network": _("Attendance has been recorded for this network's "
                               "teams, so the event cannot move to another network.")})
    starts_at, ends_at = _check_times(starts_at, ends_at)
    check_zone(time_zone)
    join_url = _check_join_url(join_url)
    starts, ends = _dates(starts_at, ends_at)
    _check_title_free(network, title, starts, event)
    moved = (starts_at, ends_at) != (detail.starts_at, detail.ends_at)
    with transaction.atomic():
        event.learning_network = network
        improvement.save_event(network=network, event=event,
                               kind=_KIND[EventDetail.Format(format)], title=title,
                               starts=starts, ends=ends, description=description,
                               materials_url=event.materials_url)
        detail.format, detail.audience, detail.time_zone = format, audience, time_zone
        detail.starts_at, detail.ends_at = starts_at, ends_at
        detail.location, detail.join_url = location.strip(), join_url
        detail.sequence += 1
        detail.full_clean()
        detail.save()
        if moved:
            _tell_rsvps(detail, by, lambda: _("“%(title)s” has moved: see the new time")
                        % {"title": event.title},
                        answers=[RSVP.Answer.GOING, RSVP.Answer.MAYBE])
    return detail


def cancel_event(*, detail: EventDetail, by: User) -> EventDetail:
    """Call an event off. It stays on the calendars, marked cancelled; everyone who
    answered hears about it in their inbox."""
    if not access.can(by, Action.EDIT_EVENT, detail):
        raise PermissionDenied(_("You may not cancel this event."))
    if detail.cancelled_at is not None:  # is_cancelled, spelled out for the type checker
        raise ValidationError(_("This event was already cancelled on %(cancelled_at)s.")
                              % {"cancelled_at": date_format(detail.cancelled_at)})
    if detail.ends_at <= timezone.now():
        raise ValidationError(_("This event has already taken place; it cannot be cancelled."))
    with transaction.atomic():
        detail.cancelled_at, detail.cancelled_by = timezone.now(), by
        detail.sequence += 1
        detail.save(update_fields=["cancelled_at", "cancelled_by", "sequence"])
        _tell_rsvps(detail, by, lambda: _("“%(title)s” is cancelled")
                    % {"title": detail.event.title})
    return detail


def _tell_rsvps(detail: EventDetail, by: User, text: notifications.Text,
                answers: list[str] | None = None) -> None:
    """Tell everyone who answered (those answers only, if given), each in their language."""
    rows = RSVP.objects.filter(event=detail).exclude(user=by).select_related("user")
    if answers is not None:
        rows = rows.filter(answer__in=answers)
    notifications.notify_each(people=[row.user for row in rows.order_by("pk")],
                              kind=Notification.Kind.EVENT, text=text,
                              url=detail.get_absolute_url(), source=detail)


# RSVP ----------------------------------------------------------------------------------

def rsvp(*, detail: EventDetail, user: User, answer: str) -> RSVP:
    """One answer per person; it may change until the event starts."""
    if answer not in RSVP.Answer.values:
        raise ValidationError({"answer": _("Answer going, maybe or not going.")})
    if not access.can(user, Action.VIEW_EVENT, detail):
        raise PermissionDenied(_("You are not invited to this event."))
    if detail.is_cancelled:
        raise ValidationError({"answer": _("This event is cancelled.")})
    if detail.starts_at <= timezone.now():
        raise ValidationError({"answer": _("This event has started; RSVPs are closed.")})
    row, _created = RSVP.objects.update_or_create(
        event=detail, user=user, defaults={"answer": answer, "updated_at": timezone.now()})
    return row


def rsvp_counts(detail: EventDetail) -> dict[str, int]:
    counts = {a: 0 for a in RSVP.Answer.values}
    for answer in detail.rsvps.values_list("answer", flat=True):
        counts[answer] += 1
    return counts


# Afterwards ----------------------------------------------------------------------------

def record_attendance(*, detail: EventDetail, team: Team, attended: bool, who: str = "",
                      by: User | None) -> Attendance:
    """Which teams came (improvement's Attendance row, so its pages show it too)."""
    if by is not None and not access.can(by, Action.MANAGE_EVENT, detail.event.learning_network):
        raise PermissionDenied(_("Only the network's faculty and backbone staff record this."))
    if detail.is_cancelled:
        raise ValidationError(_("This event was cancelled; there is no attendance to record."))
    if detail.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded after the event has started."))
    return improvement.record_attendance(event=detail.event, team=team, attended=attended,
                                         who=who, user=by)


def add_material(*, detail: EventDetail, by: User, kind: str, title: str, url: str = "",
                 file: CheckedFile | None = None) -> EventMaterial:
    """Slides or a recording: a link, or a file already passed ``uploads.check_upload``."""
    if not access.can(by, Action.MANAGE_EVENT, detail.event.learning_network):
        raise PermissionDenied(_("Only the network's faculty and backbone staff add materials."))
    if not url.strip() and file is None:
        raise ValidationError(_("Give a link or a file."))
    material = EventMaterial(event=detail, kind=kind, title=title.strip() or kind.title(),
                             url=url.strip(), added_by=by,
                             content_type=file.content_type if file else "")
    material.full_clean(exclude=["file"])
    if file is not None:
        material.file.save(file.name, file.upload, save=False)
    material.save()
    return material


# Calendar feeds ------------------------------------------------------------------------

def calendar_token(user: User) -> CalendarToken:
    return CalendarToken.objects.get_or_create(user=user)[0]


def rotate_calendar_token(*, user: User) -> CalendarToken:
    """A new secret: the old feed addresses stop working at once."""
    token = calendar_token(user)
    token.token = CalendarToken._meta.get_field("token").get_default()
    token.created_at = timezone.now()
    token.save(update_fields=["token", "created_at"])
    return token


def user_for_token(token: str) -> User:
    row = CalendarToken.objects.filter(token=token).select_related("user").first()
    if row is None or not row.user.is_active:
        raise Http404
    return row.user


def feed(user: User, *, network: LearningNetwork | None = None, base_url: str = "") -> str:
    """The person's calendar (or one network's part of it), with their RSVPs; its own words
    in their language (their profile's, else the one their calendar asks for)."""
    with translation.override(user.language or translation.get_language()):
        return _feed(user, network=network, base_url=base_url)


def _feed(user: User, *, network: LearningNetwork | None, base_url: str) -> str:
    events = access.visible_events(user).select_related("event__learning_network")
    name = _("CoIIN events")
    if network is not None:
        if not access.can(user, Action.VIEW_NETWORK_EVENTS, network):
            raise Http404
        events = events.filter(event__learning_network=network)
        name = _("CoIIN %(network)s events") % {"network": network.short_name}
    answers = dict(RSVP.objects.filter(user=user).values_list("event_id", "answer"))
    items = []
    for d in events.order_by("starts_at", "pk"):
        answer = answers.get(d.pk, "")
        text = d.event.description
        if answer:
            text = (_("Your RSVP: %(answer)s.") % {"answer": RSVP.Answer(answer).label}
                    + f"\n\n{text}").strip()
        summary = f"{d.event.title} ({d.event.learning_network.short_name})"
        items.append(ical.CalendarEvent(
            uid=f"{d.uid}@coiin", starts=d.starts_at, ends=d.ends_at,
            summary=(_("Cancelled: %(event)s") % {"event": summary} if d.is_cancelled
                     else summary),
            description=text, url=base_url + d.get_absolute_url(),
            location=d.location or d.join_url, status=answer,
            cancelled=d.is_cancelled, sequence=d.sequence))
    return ical.calendar(items, name=name, now=timezone.now())


def feed_urls(user: User) -> list[tuple[str, str]]:
    """(label, path) of each of the person's feeds: everything, then each network's."""
    token = calendar_token(user).token
    urls = [(_("All my events"), reverse("community:calendar_feed", args=[token]))]
    networks = access.event_networks(user)
    urls += [(n.short_name, reverse("community:network_calendar_feed", args=[token, n.slug]))
             for n in networks]
    return urls
