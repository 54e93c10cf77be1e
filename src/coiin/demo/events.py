"""Synthetic events, RSVPs, attendance, materials and mentor pairings for the demo.

Idempotent and deterministic. Gives times to the improvement demo's learning sessions and
webinars (one calendar: it adds ``EventDetail`` rows to the events that are there), adds
faculty office hours 2014-2017 and a few upcoming events, RSVPs of the demo logins, and
pairings between the demo network's bright spots and teams without improvement. Every
title or text it writes says "(synthetic demo)".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from coiin import access
from coiin.community.events import services as events
from coiin.community.events.models import RSVP, EventDetail, EventMaterial
from coiin.community.mentoring import services as mentoring
from coiin.community.mentoring.models import MentorMeeting, MentorPairing
from coiin.community.models import Post
from coiin.community.notifications import services as notifications
from coiin.community.resources.models import Resource
from coiin.community.services import tag_for
from coiin.improvement.models import ChangeIdea, Event
from coiin.network.models import LearningNetwork, Team, User

from .network import DEMO_LOGINS, DEMO_TEAM

NOTE = "(synthetic demo)"
ET = zoneinfo.ZoneInfo("America/New_York")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ET)


def _person(key: str) -> User | None:
    return User.objects.filter(email=DEMO_LOGINS[key].email).first()


def load_events_demo(log: Callable[[str], None] = print, now: dt.datetime | None = None
                     ) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"times": 0, "office_hours": 0, "upcoming": 0, "rsvps": 0, "pairings": 0,
              "tagged": 0}
    backbone = _person("backbone")
    if backbone is None:
        log("Events demo skipped: load the demo network first.")
        return counts
    with notifications.muted(), transaction.atomic():
        counts["times"] = _times_for_improvement_events()
        for network in LearningNetwork.objects.order_by("position"):
            counts["office_hours"] += _office_hours(network)
            counts["upcoming"] += _upcoming(network, now)
        counts["rsvps"] = _rsvps(now)
        _materials(now)
        counts["pairings"] = _pairings()
        counts["tagged"] = _tag_with_change_ideas()
    log(f"Events demo: {counts}.")
    return counts


def _times_for_improvement_events() -> int:
    """Learning sessions 9 am to 5 pm Eastern; webinars 2 to 3 pm Eastern."""
    rows = []
    for event in Event.objects.filter(detail__isnull=True, kind__in=[
            Event.Kind.LEARNING_SESSION, Event.Kind.WEBINAR]):
        if event.kind == Event.Kind.LEARNING_SESSION:
            start, end = _at(event.starts, 9), _at(event.ends or event.starts, 17)
            fmt, place = EventDetail.Format.LEARNING_SESSION, f"Conference centre {NOTE}"
        else:
            start, end = _at(event.starts, 14), _at(event.starts, 15)
            fmt, place = EventDetail.Format.WEBINAR, ""
        rows.append(EventDetail(event=event, format=fmt, starts_at=start.astimezone(dt.UTC),
                                ends_at=end.astimezone(dt.UTC), location=place,
                                join_url="https://example.org/webinar" if not place else ""))
    EventDetail.objects.bulk_create(rows)
    return len(rows)


def _schedule(network: LearningNetwork, *, title: str, fmt: str, start: dt.datetime,
              minutes: int, audience: str = EventDetail.Audience.NETWORK) -> EventDetail | None:
    if Event.objects.filter(learning_network=network, title=title,
                            starts=start.astimezone(dt.UTC).date()).exists():
        return None
    return events.schedule_event(
        network=network, by=None, format=fmt, title=title, starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes), audience=audience,
        description=f"Bring your charts and questions {NOTE}.",
        join_url="https://example.org/office-hours")


def _office_hours(network: LearningNetwork) -> int:
    made = 0
    for year in range(2014, 2018):
        for month in (2, 6, 10):
            day = dt.date(year, month, 10 + network.position)
            if _schedule(network, title=f"Office hours with faculty {NOTE}",
                         fmt=EventDetail.Format.OFFICE_HOURS, start=_at(day, 12),
                         minutes=60):
                made += 1
    return made


def _upcoming(network: LearningNetwork, now: dt.datetime) -> int:
    """A webinar and office hours ahead of today; one network-wide session (first network)."""
    plans = [(f"Webinar: spreading what works {NOTE}", EventDetail.Format.WEBINAR, 14, 60,
              EventDetail.Audience.NETWORK),
             (f"Office hours: run charts {NOTE}", EventDetail.Format.OFFICE_HOURS, 30, 60,
              EventDetail.Audience.NETWORK)]
    if network.position == min(LearningNetwork.objects.values_list("position", flat=True)):
        plans.append((f"All-network learning session {NOTE}",
                      EventDetail.Format.LEARNING_SESSION, 45, 420,
                      EventDetail.Audience.EVERYONE))
    made = 0
    for title, fmt, days, minutes, audience in plans:
        # Once per network, whenever the demo is loaded again: the title is the key.
        if EventDetail.objects.filter(event__learning_network=network,
                                      event__title=title).exists():
            continue
        day = now.astimezone(ET).date() + dt.timedelta(days=days + network.position)
        _schedule(network, title=title, fmt=fmt, start=_at(day, 13), minutes=minutes,
                  audience=audience)
        made += 1
    return made


def _rsvps(now: dt.datetime) -> int:
    answers = {"lead": RSVP.Answer.GOING, "data_lead": RSVP.Answer.MAYBE,
               "member": RSVP.Answer.NOT_GOING, "faculty": RSVP.Answer.GOING}
    made = 0
    for key, answer in answers.items():
        user = _person(key)
        if user is None:
            continue
        for detail in access.visible_events(user).filter(starts_at__gt=now,
                                                          event__title__contains=NOTE):
            _, created = RSVP.objects.get_or_create(event=detail, user=user,
                                                    defaults={"answer": answer})
            made += created
    return made


def _materials(now: dt.datetime) -> None:
    """Slides and a recording for the demo network's past learning sessions."""
    faculty = _person("faculty") or _person("backbone")
    past = EventDetail.objects.filter(
        event__learning_network__slug=DEMO_TEAM[1], ends_at__lt=now,
        format=EventDetail.Format.LEARNING_SESSION, materials__isnull=True)
    rows = []
    for detail in past:
        rows += [EventMaterial(event=detail, kind=EventMaterial.Kind.SLIDES,
                               title=f"Slides {NOTE}", added_by=faculty,
                               url=f"https://example.org/slides/{detail.pk}"),
                 EventMaterial(event=detail, kind=EventMaterial.Kind.RECORDING,
                               title=f"Recording {NOTE}", added_by=faculty,
                               url=f"https://example.org/recordings/{detail.pk}")]
    EventMaterial.objects.bulk_create(rows)


def _pairings(limit: int = 3) -> int:
    """Pair the demo network's bright spots with teams without improvement, accepted,
    with a meeting each (only where the data shows bright spots)."""
    network = LearningNetwork.objects.filter(slug=DEMO_TEAM[1]).first()
    if network is None or MentorPairing.objects.filter(
            mentee__learning_network=network).exists():
        return 0
    from coiin.measures.models import TeamMeasure

    measures = {tm.measure for tm in TeamMeasure.objects.filter(
        team__learning_network=network, active=True, measure__direction__in=["up", "down"])
        .select_related("measure")}
    made = 0
    for measure in sorted(measures, key=lambda m: m.code):
        spots, without = mentoring.assess_network(measure, network.pk)
        for spot, mentee in zip(spots, without, strict=False):
            mentor_lead = _lead(spot.team) or _person("backbone")
            asker = _lead(mentee) or _person("backbone")
            pairing = MentorPairing.objects.create(
                mentor=spot.team, mentee=mentee, measure=measure, requested_by=asker,
                status=MentorPairing.Status.ACCEPTED, answered_by=mentor_lead,
                answered_at=timezone.now(), evidence=spot.sentence,
                evidence_facts=spot.facts,
                message=f"Could we learn from your approach? {NOTE}",
                learned=f"Start small: one unit, one shift, then spread {NOTE}.")
            pairing.change_ideas.set(spot.ideas)
            MentorMeeting.objects.create(
                pairing=pairing, on=spot.since + dt.timedelta(days=200), recorded_by=asker,
                notes=f"Walked through the mentor team's first PDSA cycles {NOTE}.")
            made += 1
            if made >= limit:
                return made
    return made


def _lead(team: Team) -> User | None:
    m = team.memberships.filter(role="lead").select_related("user").first()
    return m.user if m else None


def _tag_with_change_ideas() -> int:
    """The change package exists only after the improvement demo: tag each network's first
    discussion, and the crib audit tool with its post, with the network's first change idea,
    so the change idea pages list their resources and discussions. Adding twice is a no-op."""
    tagged = 0
    for network in LearningNetwork.objects.order_by("position"):
        idea = ChangeIdea.objects.filter(learning_network=network).order_by(
            "position", "title").first()
        if idea is None:
            continue
        tag = tag_for(idea)
        post = (Post.objects.filter(space__network=network).exclude(kind="resource")
                .order_by("created_at", "pk").first())
        if post is not None and not post.tags.filter(pk=tag.pk).exists():
            post.tags.add(tag)
            tagged += 1
        if network.slug == "safe-sleep":
            for resource in Resource.objects.filter(title="Crib audit tool (synthetic demo)"):
                if not resource.tags.filter(pk=tag.pk).exists():
                    resource.tags.add(tag)
                    tagged += 1
                for shared in Post.objects.filter(resource=resource).exclude(tags=tag):
                    shared.tags.add(tag)
                    tagged += 1
    return tagged
