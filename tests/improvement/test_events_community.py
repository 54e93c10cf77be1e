"""One calendar: an event scheduled in the community is an improvement calendar event."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from coiin.community.events import services as events
from coiin.improvement.models import Event


def test_a_community_event_shows_on_the_improvement_calendar(as_persona, team, faculty):
    start = dt.datetime(2030, 3, 5, 14, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    detail = events.schedule_event(network=team.learning_network, by=faculty,
                                   format="office_hours", title="Office hours",
                                   starts_at=start, ends_at=start + dt.timedelta(hours=1))
    event = Event.objects.get()
    assert event.detail == detail and event.starts == dt.date(2030, 3, 5)
    response = as_persona("faculty").get(event.get_absolute_url())
    assert response.status_code == 200 and "Office hours" in response.content.decode()
