"""Names the community shows in the reader's language: the whole network's space, a learning
network's space (its network's name), the feed's filters, an event's day and time."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from coiin.community.models import Space
from coiin.community.templatetags.event_times import span_in_language
from coiin.community.views import FEED_FILTERS

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_the_whole_network_space_is_named_in_the_readers_language():
    space = Space(kind=Space.Kind.NETWORK_WIDE, name="Whole network")
    with translation.override("es"):
        assert space.display_name == "Toda la red"
        assert [str(v) for v in FEED_FILTERS.values()] == [
            "Todo", "Menciones de mí", "Mis equipos", "Mis redes de aprendizaje"]
    with translation.override("en"):
        assert space.display_name == "Whole network"


@pytest.mark.django_db
def test_a_network_space_takes_its_networks_name(networks):
    space = Space(kind=Space.Kind.LEARNING_NETWORK, network=networks["safe-sleep"],
                  name="SIDS/SUID and Safe Sleep")
    with translation.override("es"):
        assert space.display_name == "SMSL/SUID y sueño seguro"
    # Without its network at hand, looked up: never the stored (English) name.
    bare = Space(kind=Space.Kind.LEARNING_NETWORK, network_id=networks["safe-sleep"].pk,
                 name="SIDS/SUID and Safe Sleep")
    with translation.override("es"):
        assert bare.display_name == "SMSL/SUID y sueño seguro"


def test_a_team_space_takes_its_teams_name_in_the_readers_language(team):
    space = Space(kind=Space.Kind.TEAM, team=team, name="Georgia Safe Sleep team")
    with translation.override("es"):
        assert space.display_name == "Equipo Sueño seguro de Georgia"


def test_an_events_time_in_spanish_has_spanish_days_and_a_24_hour_clock():
    starts = dt.datetime(2026, 12, 19, 18, 0, tzinfo=dt.UTC)
    with translation.override("es"):
        same_day = span_in_language(starts, starts + dt.timedelta(hours=1), NEW_YORK,
                                    this_year=2026)
        two_days = span_in_language(starts, starts + dt.timedelta(days=1), NEW_YORK,
                                    this_year=2025)
    assert same_day == "sáb 19 Dic, 13:00–14:00 EST"
    assert two_days == "sáb 19 Dic 2026, 13:00 – dom 20 Dic 2026, 13:00 EST"
