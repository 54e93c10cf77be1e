"""Synthetic demo storyboards: one published, one waiting for faculty, one waiting for
backbone staff, told by improving teams about the idea they adopted.

Idempotent: a team's demo storyboard is made only when the team has none with its title.
Precondition: the demo network, its reporting data and its improvement work are loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from coiin.improvement.models import Adoption
from coiin.measures.models import Measure, TeamMeasure
from coiin.network.models import Team, TeamMembership, User
from coiin.storyboards import services as service
from coiin.storyboards.models import Storyboard

from .content import PACKAGES
from .improvement import _idea_measures
from .measures import DEMO_TEAM, trajectories

NOTE = "(synthetic demo)"
# The demo's monthly measures that improving teams move, in order of preference.
CHARTED = ["SS-CRIB", "SS-EDU", "SC-SCREEN", "SC-REFER", "SC-QUITLINE", "SD-SCREEN", "PT-EED",
           "PT-17P", "RA-ANTENATAL"]
# The state each demo storyboard is left in, in order of the teams chosen.
STATES = [Storyboard.Status.PUBLISHED, Storyboard.Status.SUBMITTED,
          Storyboard.Status.APPROVED]


def _story(team: Team, idea: str, measure: Measure) -> dict[str, str]:
    place = team.jurisdiction.name
    return {
        "title": f"{idea}: what {place} learned",
        "problem": f"Too few families in {place} met the standard that *{measure.name.lower()}* "
                   f"measures, and the baseline year showed no change. {NOTE}",
        "aim": f"Raise {measure.code} clearly above its baseline within a year of starting "
               f"to test “{idea}”, and keep it there. {NOTE}",
        "changes": f"- Tested “{idea}” at one site for two weeks\n- Widened it to two sites "
                   f"on all shifts\n- Adopted it everywhere after three PDSA cycles {NOTE}",
        "results": f"The chart of {measure.code} shifted upwards a month after the first "
                   f"cycle and stayed up. {NOTE}",
        "lessons": f"Start small, measure every month, and let the front-line staff adapt "
                   f"the change before spreading it. {NOTE}",
    }


def load_storyboard_demo(log: Callable[[str], None] = print) -> int:
    """Write the demo storyboards that are missing; returns how many were added."""
    backbone = User.objects.filter(network_role=User.NetworkRole.BACKBONE).order_by(
        "pk").first()
    teams = list(Team.objects.select_related("jurisdiction", "learning_network").order_by(
        "jurisdiction__postal_code", "learning_network__position"))
    paths = trajectories(teams)
    reported: dict[int, list[Measure]] = {}
    for tm in TeamMeasure.objects.filter(active=True, measure__code__in=CHARTED).select_related(
            "measure"):
        reported.setdefault(tm.team_id, []).append(tm.measure)
    ideas = {}
    for a in Adoption.objects.filter(status__in=Adoption.IN_USE).select_related(
            "change_idea").order_by("adopted_on", "pk"):
        ideas.setdefault(a.team_id, a.change_idea)
    # The demo logins' team first, then other improving teams with a chart to show.
    chosen = sorted((t for t in teams if paths[t.pk] == "improving" and t.pk in reported
                     and t.pk in ideas),
                    key=lambda t: ((t.jurisdiction.postal_code, t.learning_network.slug)
                                   != DEMO_TEAM, t.jurisdiction.postal_code,
                                   t.learning_network.position))
    added = 0
    for team, state in zip(chosen, STATES, strict=False):
        idea = ideas[team.pk]
        # The measure the idea should move, where the team reports it; else the first.
        pkg = PACKAGES.get(team.learning_network.slug)
        moves = {c for i in (pkg.ideas if pkg else ()) if i.title == idea.title
                 for c in _idea_measures(pkg)[i.key]}
        measure = min(reported[team.pk],
                      key=lambda m: (m.code not in moves, CHARTED.index(m.code)))
        story = _story(team, idea.title, measure)
        if Storyboard.objects.filter(team=team, title=story["title"]).exists():
            continue
        lead = User.objects.filter(memberships__team=team,
                                   memberships__role=TeamMembership.Role.LEAD).order_by(
            "pk").first() or backbone
        coach = User.objects.filter(faculty_roles__learning_network=team.learning_network
                                    ).order_by("pk").first() or backbone
        with transaction.atomic():
            sb = service.save_storyboard(team=team, user=lead, measure=measure,
                                         change_idea=idea, **story)
            service.submit_storyboard(storyboard=sb, user=lead)
            if state != Storyboard.Status.SUBMITTED:
                service.approve_storyboard(storyboard=sb, user=coach,
                                           comment=f"A clear story with its chart. {NOTE}")
            if state == Storyboard.Status.PUBLISHED:
                service.publish_storyboard(storyboard=sb, user=backbone)
        added += 1
    log(f"Demo storyboards (synthetic): {added} added.")
    return added
