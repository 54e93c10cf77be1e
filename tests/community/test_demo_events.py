"""The events and mentoring demo: idempotent, labelled synthetic, one calendar."""

from __future__ import annotations

import time

from coiin.community.demo import load_community_demo
from coiin.community.demo_events import load_events_demo
from coiin.community.models import RSVP, EventDetail, EventMaterial, MentorPairing
from coiin.improvement.demo import load_improvement_demo
from coiin.improvement.models import Attendance, Event
from coiin.measures.demo import load_demo_data
from coiin.network.demo import load_demo


def _counts():
    return (Event.objects.count(), EventDetail.objects.count(), RSVP.objects.count(),
            EventMaterial.objects.count(), MentorPairing.objects.count())


def test_the_community_demo_adds_office_hours_upcoming_events_and_rsvps(db):
    load_demo(log=lambda s: None)
    load_community_demo(log=lambda s: None)
    before = _counts()
    load_community_demo(log=lambda s: None)
    assert _counts() == before
    hours = EventDetail.objects.filter(format="office_hours", starts_at__year__lte=2017)
    assert {d.starts_at.year for d in hours} == {2014, 2015, 2016, 2017}
    assert EventDetail.objects.filter(audience="everyone").count() == 1
    assert RSVP.objects.filter(answer="going").exists()
    assert all("(synthetic demo)" in d.event.title for d in EventDetail.objects.all())


def test_after_the_improvement_demo_its_sessions_get_times_and_bright_spots_get_pairs(db):
    load_demo(log=lambda s: None)
    load_community_demo(log=lambda s: None)
    load_demo_data(log=lambda s: None)
    load_improvement_demo(log=lambda s: None)
    started = time.monotonic()
    load_events_demo(log=lambda s: None)
    assert time.monotonic() - started < 30
    assert not Event.objects.filter(kind__in=["learning_session", "webinar"],
                                    detail__isnull=True).exists()
    assert Attendance.objects.exists()
    assert EventMaterial.objects.exists()
    assert MentorPairing.objects.filter(status="accepted", meetings__isnull=False).exists()
    before = _counts()
    load_events_demo(log=lambda s: None)
    assert _counts() == before
