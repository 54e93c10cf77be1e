"""``{% team_pages team as pages %}`` and ``{% network_pages network as pages %}``: the pages
other apps registered in ``coiin.improvement.links``, with their URLs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from coiin.improvement.links import NETWORK_PAGES, TEAM_PAGES
from coiin.network.models import LearningNetwork, Team

register = template.Library()


@register.simple_tag
def team_pages(team: Team) -> list[dict[str, Any]]:
    args = [team.learning_network.slug, team.jurisdiction.postal_code.lower()]
    return [{"here": p.here, "label": p.label, "home_label": p.home_label,
             "url": reverse(p.url_name, args=args)} for p in TEAM_PAGES]


@register.simple_tag
def network_pages(network: LearningNetwork) -> list[dict[str, Any]]:
    return [{"label": p.label, "url": reverse(p.url_name, args=[network.slug])}
            for p in NETWORK_PAGES]
