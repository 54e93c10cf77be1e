"""Synthetic sleep-related infant deaths (SS-SRID) for the demo's Safe Sleep teams: an
event log per team, rarer after the team's first year of safe sleep work, so the g and t
charts have a story. Every note says ``(synthetic demo)``, as the demo's other generated
data do; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from coiin.measures import services
from coiin.measures.models import Measure, RareEvent, TeamMeasure
from coiin.measures.services.events import add_generated_events
from coiin.network.models import Team

from .measures import CHANGE_REASON, NOTE
from .series import FIRST_MONTH, LAST_MONTH

CODE = "SS-SRID"
BIRTHS_PER_DAY = (40, 160)  # a state's live births a day, drawn per team
MEAN_GAP_DAYS = (30, 75)  # before and after the team's first year


def load_demo_rare_events(log: Callable[[str], None] = print) -> int:
    """Give each Safe Sleep team the event log measure and its synthetic events."""
    measure = Measure.objects.filter(code=CODE).first()
    if measure is None:
        return 0
    added = 0
    with transaction.atomic():
        for team in Team.objects.filter(learning_network__slug="safe-sleep").order_by("pk"):
            if RareEvent.objects.filter(team=team, measure=measure).exists():
                continue
            current = list(TeamMeasure.objects.filter(team=team, active=True)
                           .values_list("measure_id", flat=True))
            services.choose_measures(team=team, measures=Measure.objects.filter(
                pk__in=[*current, measure.pk]))
            added += add_generated_events(team=team, measure=measure,
                                          events=_events(team), reason=CHANGE_REASON)
    log(f"Demo sleep-related infant deaths (synthetic): {added} events.")
    return added


def _events(team: Team) -> list[tuple[dt.date, int | None, str]]:
    rng = random.Random(f"srid-{team.jurisdiction.postal_code}")  # noqa: S311 - demo data
    per_day = rng.uniform(*BIRTHS_PER_DAY)
    start = max(FIRST_MONTH, team.joined_on)
    change = start + dt.timedelta(days=365)
    day, rows = start, []
    while True:
        mean = MEAN_GAP_DAYS[0] if day < change else MEAN_GAP_DAYS[1]
        gap = max(1, round(rng.expovariate(1 / mean)))
        day += dt.timedelta(days=gap)
        if day > LAST_MONTH:
            break
        births = None if rng.random() < 0.05 or not rows else round(
            gap * per_day * rng.uniform(.9, 1.1))
        rows.append((day, births, f"Sleep-related infant death {NOTE}"))
    return rows
