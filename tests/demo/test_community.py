"""The community demo: every kind of content, idempotent, labelled synthetic."""

from __future__ import annotations

import pytest
from django.core import mail

from coiin.community.models import (
    Notification,
    Post,
    Resource,
    ResourceVersion,
    Space,
    TARequest,
)
from coiin.demo.community import load_community_demo
from coiin.demo.network import load_demo
from coiin.network.models import User

from ..conftest import shared_rows


def load_network() -> int:
    """The demo network, loaded once for the module's tests (each adds its community, rolled
    back after it); returns how many e-mails loading it sent."""
    sent = len(getattr(mail, "outbox", []))
    load_demo(log=lambda s: None)
    return len(getattr(mail, "outbox", [])) - sent


_network_rows, network = shared_rows("network", load_network)
pytestmark = pytest.mark.xdist_group("demo-community")


def test_the_demo_fills_every_space_kind_and_runs_again_without_change(network):
    assert network == 0  # loading the network sent no e-mail
    load_community_demo(log=lambda s: None)
    counts = (Post.objects.count(), Resource.objects.count(), TARequest.objects.count(),
              Notification.objects.count(), ResourceVersion.objects.count())
    load_community_demo(log=lambda s: None)
    assert counts == (Post.objects.count(), Resource.objects.count(),
                      TARequest.objects.count(), Notification.objects.count(),
                      ResourceVersion.objects.count())
    assert {p.kind for p in Post.objects.all()} == {"idea", "question", "win", "resource"}
    assert Post.objects.filter(space__kind=Space.Kind.LEARNING_NETWORK).values(
        "space").distinct().count() == 6
    assert Post.objects.filter(space__kind=Space.Kind.NETWORK_WIDE).exists()
    assert Post.objects.filter(space__kind=Space.Kind.TEAM).values("space").distinct(
        ).count() >= 3
    assert Post.objects.filter(answer__isnull=False).count() >= 6
    assert Post.objects.filter(mentions__isnull=False).exists()
    assert all("(synthetic demo)" in p.body for p in Post.objects.all())
    assert set(TARequest.objects.values_list("status", flat=True)) == {
        "new", "assigned", "waiting", "resolved"}
    assert ResourceVersion.objects.filter(number=2).exists()
    assert Notification.objects.filter(kind="mention").exists()
    assert mail.outbox == []


def test_the_demos_notifications_are_worded_in_each_readers_language(network):
    """Notifications the demo makes go through the same services as real ones: a person
    whose profile says Spanish reads theirs in Spanish, the others in English."""
    faculty = User.objects.filter(faculty_roles__isnull=False).distinct()
    assert faculty.exists()
    faculty.update(language="es")
    load_community_demo(log=lambda s: None)
    mentions = Notification.objects.filter(kind="mention").select_related("user")
    spanish = [n.text for n in mentions if n.user.language == "es"]
    english = [n.text for n in mentions if n.user.language != "es"]
    assert spanish and all(" le mencionó en " in t for t in spanish)
    assert english and all(" mentioned you in " in t for t in english)
    answers = Notification.objects.filter(kind__in=["answer", "ta", "reply"],
                                          user__language="es")
    assert answers.exists()
    assert not [n.text for n in answers if n.text.startswith(("Your ", "New "))]
