"""Preview cards for links to this site in posts: a chart, a measure, a team, a change idea
and a PDSA cycle.

A preview is made per reader, so it never shows what the reader may not see. To add one::

    from coiin.community import previews

    @previews.register("improvement:idea")     # the URL's name, with its namespace if any
    def change_idea(user, slug, pk) -> previews.Card | None:   # the URL's kwargs
        ...

Returning None shows no card (unknown object, or the reader may not see it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import Resolver404, resolve
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coiin import access
from coiin.access import Action, AnyUser
from coiin.web import find_team

MAX_CARDS = 3


@dataclass
class Card:
    kind: str
    title: str
    url: str
    subtitle: str = ""
    summary: str = ""


Maker = Callable[..., Card | None]
REGISTRY: dict[str, Maker] = {}


def register(url_name: str) -> Callable[[Maker], Maker]:
    def wrap(fn: Maker) -> Maker:
        REGISTRY[url_name] = fn
        return fn
    return wrap


def card_for(user: AnyUser, path: str) -> Card | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    # The namespaced name first ("improvement:cycle"), then the bare one ("chart").
    maker = REGISTRY.get(match.view_name) or REGISTRY.get(match.url_name or "")
    if maker is None:
        return None
    try:
        return maker(user, **match.kwargs)
    except Exception:  # noqa: BLE001 - a broken preview must never break the post page
        return None


def cards(user: AnyUser, paths: list[str]) -> list[Card]:
    out = []
    for path in paths:
        card = card_for(user, path)
        if card is not None:
            out.append(card)
        if len(out) >= MAX_CARDS:
            break
    return out


@register("chart")
def chart(user: AnyUser, slug: str, postal: str, code: str) -> Card | None:
    from coiin.charts.building import team_charts
    from coiin.measures.models import Measure

    team = find_team(slug, postal)
    measure = Measure.objects.filter(code=code).first()
    if team is None or measure is None or not access.can(user, Action.VIEW_DATA, team):
        return None
    summary = team_charts(team, [measure], spec=False)[0].summary
    return Card(_("Chart"), measure.name, f"/networks/{slug}/{postal}/charts/{code}/",
                subtitle=str(team), summary=summary)


@register("measure")
def measure(user: AnyUser, code: str) -> Card | None:
    from coiin.measures.models import Measure

    m = Measure.objects.select_related("learning_network").filter(code=code).first()
    if m is None:
        return None
    return Card(_("Measure"), m.name, f"/measures/{m.code}/",
                subtitle=f"{m.code} · {m.get_level_display()}",
                summary=m.numerator_definition[:200])


@register("team")
def team(user: AnyUser, slug: str, postal: str) -> Card | None:
    t = find_team(slug, postal)
    if t is None:
        return None
    return Card(_("Team"), str(t), t.get_absolute_url(),
                subtitle=t.learning_network.name, summary=_("Joined %(month)s") % {
                    "month": date_format(t.joined_on, "YEAR_MONTH_FORMAT")})


@register("improvement:idea")
def change_idea(user: AnyUser, slug: str, pk: int) -> Card | None:
    from django.db.models import Count, Q

    from coiin.improvement.models import ChangeIdea

    idea = (ChangeIdea.objects.select_related("learning_network")
            .filter(pk=pk, learning_network__slug=slug)
            .annotate(teams=Count("adoptions", filter=Q(adoptions__adopted_on__isnull=False)))
            .first())
    if idea is None or not access.can(user, Action.VIEW_CHANGE_PACKAGE, idea.learning_network):
        return None
    adopted = (ngettext("Adopted by %(n)s team", "Adopted by %(n)s teams", idea.teams)
               % {"n": idea.teams} if idea.teams else _("Not adopted yet"))
    return Card(_("Change idea"), idea.title, idea.get_absolute_url(),
                subtitle=_("%(network)s change package · %(adopted)s") % {
                    "network": idea.learning_network.name, "adopted": adopted},
                summary=_clip(_("Evidence: %(evidence)s") % {"evidence": idea.evidence}))


@register("improvement:cycle")
def pdsa_cycle(user: AnyUser, slug: str, postal: str, number: int) -> Card | None:
    """Only for those who may see the team's improvement work: for anyone else the link
    stays a plain link, so the cycle's title and status never reach them."""
    from coiin.improvement.models import PDSACycle

    team = find_team(slug, postal)
    if team is None or not access.can(user, Action.VIEW_IMPROVEMENT, team):
        return None
    cycle = (PDSACycle.objects.select_related("change_idea").filter(team=team, number=number)
             .first())
    if cycle is None:
        return None
    return Card(_("PDSA cycle"), cycle.label, cycle.get_absolute_url(),
                subtitle=f"{team} · {cycle.change_idea.title}", summary=_cycle_status(cycle))


def _cycle_status(cycle) -> str:
    """Where the cycle stands, in the reader's language."""
    def day(value) -> str:
        return date_format(value, _("M j, Y"))
    if cycle.is_closed:
        return _("Closed %(day)s: %(decision)s.") % {
            "day": day(cycle.closed_on), "decision": cycle.get_decision_display().lower()}
    if cycle.stage == "studied":
        return _("Studied; started %(day)s, no decision yet.") % {"day": day(cycle.starts)}
    if cycle.stage == "running":
        return _("Running since %(day)s.") % {"day": day(cycle.starts)}
    return _("Planned to start %(day)s.") % {"day": day(cycle.starts)}


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
