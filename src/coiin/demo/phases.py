"""Synthetic demo chart phases: where a team's story has a shift after a recorded change.

An improving team's data move from the month it adopted the network's idea that works
(``series.story``); the improvement demo records that adoption on the same day. Its charts
of the measures the idea hangs from (crib audits, screening …) get a new phase from that
month the change has built up (``series.RAMP_MONTHS`` after the adoption), with the
adoption as the reason, set through the charts' own service function like
a coach would, so the baseline is judged on its own line and the change on its own.

The network's other monthly driver measures the team reports, which the adopted idea does
not move (Safe Sleep's family education beside its crib audits), keep one phase: their
baseline is frozen at the month before the adoption, with that as the reason, so the
months after are judged against the level before the change and read as no change.

The reasons are what the team's data lead would type, so they stay as written, in English,
like the demo's posts: in a real instance a reason is the user's own words, in the language
they wrote it in, read by their team, its coaches and the network's faculty alike (no
demo person or team has chosen Spanish). Only the chart's own words around a reason
("New phase:", "Baseline frozen up to …") follow each reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction

from coiin.charts import services as chart_services
from coiin.charts.models import ChartPhase, ChartSettings
from coiin.measures.models import Measure, TeamMeasure
from coiin.network.models import Team

from .content import PACKAGES
from .measures import Actors, trajectories
from .series import FIRST_MONTH, RAMP_MONTHS, driver_codes, idea_measures, story

NOTE = "(synthetic demo)"


def _months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def planned_phases(teams: list[Team]) -> list[tuple[Team, str, dt.date, str]]:
    """(team, measure code, first day of the new phase, reason) for every team whose story
    moves a measure after it adopted an idea: the measures that idea hangs from."""
    paths = trajectories(list(Team.objects.select_related("jurisdiction",
                                                          "learning_network")))
    out = []
    for team in teams:
        slug = team.learning_network.slug
        pkg = PACKAGES.get(slug)
        told = story(team.jurisdiction.postal_code, slug, paths.get(team.pk, "steady"))
        if pkg is None or told.idea is None:
            continue
        idea = next(i for i in pkg.ideas if i.key == told.idea)
        start = max(FIRST_MONTH, team.joined_on.replace(day=1))
        adopted = _months(start, told.adopt_month)
        # The new level: once the change has built up (the months between are the end of
        # the first phase, where its run up shows).
        starts = _months(adopted, RAMP_MONTHS)
        for code in sorted(idea_measures(pkg)[told.idea] & told.moves):
            out.append((team, code, starts, f"{idea.title}: adopted {adopted:%b %Y}, in "
                        f"place across the team's hospitals {NOTE}"))
    return out


def planned_baselines(teams: list[Team]) -> list[tuple[Team, str, dt.date, str]]:
    """(team, measure code, last day of the frozen baseline, reason) for every team whose
    story adopts an idea: the network's driver measures that idea does not move."""
    paths = trajectories(list(Team.objects.select_related("jurisdiction",
                                                          "learning_network")))
    out = []
    for team in teams:
        slug = team.learning_network.slug
        pkg = PACKAGES.get(slug)
        told = story(team.jurisdiction.postal_code, slug, paths.get(team.pk, "steady"))
        if pkg is None or told.idea is None:
            continue
        idea = next(i for i in pkg.ideas if i.key == told.idea)
        start = max(FIRST_MONTH, team.joined_on.replace(day=1))
        adopted = _months(start, told.adopt_month)
        for code in sorted(driver_codes(pkg) - told.moves):
            out.append((team, code, adopted - dt.timedelta(days=1),
                        f"Baseline: the months before {idea.title} was adopted "
                        f"({adopted:%b %Y}); later months are judged against it {NOTE}"))
    return out


def load_demo_phases(log: Callable[[str], None] = print, teams: Iterable[Team] | None = None
                     ) -> int:
    """Add the demo's chart phases (all teams, or those given); returns how many were
    added (none on a second run). Only monthly measures the team reports get one."""
    team_list = list((Team.objects.filter(pk__in=[t.pk for t in teams]) if teams is not None
                      else Team.objects.all()).select_related("jurisdiction",
                                                              "learning_network"))
    actors = Actors.load()
    reported = {(t, m) for t, m in TeamMeasure.objects.filter(
        team__in=team_list, active=True).values_list("team_id", "measure__code")}
    measures = {m.code: m for m in Measure.objects.all()}
    have = set(ChartPhase.objects.filter(team__in=team_list).values_list("team_id",
                                                                         "measure__code"))
    added = 0
    frozen = set(ChartSettings.objects.filter(team__in=team_list).exclude(
        baseline_end=None).values_list("team_id", "measure__code"))
    with transaction.atomic():
        for team, code, starts, reason in planned_phases(team_list):
            user = actors.entering(team)
            measure = measures.get(code)
            if (measure is None or user is None or (team.pk, code) not in reported
                    or (team.pk, code) in have or measure.frequency != "monthly"):
                continue
            chart_services.add_phase(team=team, measure=measure, starts=starts, user=user,
                                     reason=reason)
            added += 1
        for team, code, end, reason in planned_baselines(team_list):
            user = actors.entering(team)
            measure = measures.get(code)
            if (measure is None or user is None or (team.pk, code) not in reported
                    or (team.pk, code) in have or (team.pk, code) in frozen
                    or measure.frequency != "monthly"):
                continue
            chart_services.set_baseline(team=team, measure=measure, baseline_end=end,
                                        user=user, reason=reason)
            added += 1
    log(f"Chart phases (synthetic): {added} and frozen baselines added where a team's "
        "data shift after an adoption.")
    return added
