"""The events and mentoring demo: idempotent, labelled synthetic, one calendar."""

from __future__ import annotations

import pytest
from django.utils import translation

from coiin.community.models import (
    RSVP,
    EventDetail,
    EventMaterial,
    MentorPairing,
    Post,
    Resource,
)
from coiin.community.resources.services import resources_for
from coiin.community.services import tag_for
from coiin.demo.community import load_community_demo
from coiin.demo.events import load_events_demo
from coiin.demo.improvement import load_improvement_demo
from coiin.demo.measures import DEMO_TEAM, load_demo_data
from coiin.demo.network import load_demo
from coiin.improvement.models import Attendance, ChangeIdea, Event
from coiin.network.models import Team

from ..conftest import shared_rows


def _counts():
    return (Event.objects.count(), EventDetail.objects.count(), RSVP.objects.count(),
            EventMaterial.objects.count(), MentorPairing.objects.count())


def load_demo_and_community() -> None:
    """The network demo and its community: loaded once for the module's tests, which follow
    one another on one worker (what a test writes is rolled back after it)."""
    load_demo(log=lambda s: None)
    load_community_demo(log=lambda s: None)


_community_rows, community = shared_rows("community", load_demo_and_community)
pytestmark = pytest.mark.xdist_group("demo-events")


def test_the_community_demo_adds_office_hours_upcoming_events_and_rsvps(community):
    before = _counts()
    load_community_demo(log=lambda s: None)
    assert _counts() == before
    hours = EventDetail.objects.filter(format="office_hours", starts_at__year__lte=2017)
    assert {d.starts_at.year for d in hours} == {2014, 2015, 2016, 2017}
    assert EventDetail.objects.filter(audience="everyone").count() == 1
    assert RSVP.objects.filter(answer="going").exists()
    assert all("(synthetic demo)" in d.event.title for d in EventDetail.objects.all())


def test_after_the_improvement_demo_its_sessions_get_times_and_bright_spots_get_pairs(
        community):
    # The reporting data of the network whose bright spots are paired (the demo team's):
    # the other networks' teams get their sessions without it, and it is most of the time.
    load_demo_data(log=lambda s: None,
                   teams=Team.objects.filter(learning_network__slug=DEMO_TEAM[1]))
    load_improvement_demo(log=lambda s: None)
    first = load_events_demo(log=lambda s: None)
    assert not Event.objects.filter(kind__in=["learning_session", "webinar"],
                                    detail__isnull=True).exists()
    assert Attendance.objects.exists()
    assert EventMaterial.objects.exists()
    assert MentorPairing.objects.filter(status="accepted", meetings__isnull=False).exists()
    # Why each pair was made is kept as figures, worded for whoever reads the pairing.
    for pairing in MentorPairing.objects.all():
        assert pairing.evidence_facts["held"] >= 6
        with translation.override("es"):
            assert " ha mantenido una mejora sostenida en " in pairing.evidence_sentence()
        with translation.override("en"):
            assert pairing.evidence_sentence() == pairing.evidence
    # The change idea pages have a resource and discussions to show.
    idea = ChangeIdea.objects.filter(learning_network__slug="safe-sleep").order_by(
        "position", "title").first()
    crib_tool = Resource.objects.get(title="Crib audit tool (synthetic demo)")
    assert list(resources_for(idea)) == [crib_tool]
    assert Post.objects.filter(tags=tag_for(idea)).exclude(kind="resource").exists()
    assert first["tagged"] >= 8  # six networks' first posts, the tool and its post
    before = _counts()
    assert load_events_demo(log=lambda s: None)["tagged"] == 0
    assert _counts() == before
