"""What storyboards add to the pages of the apps below: the team and network improvement
pages link to them, and the public site's index lists the newest published ones."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coiin.improvement import links
from coiin.reports.public import sections

from .services import published

# How many published storyboards the public index shows (the rest are one click away).
ON_PUBLIC_INDEX = 6


def register() -> None:
    # Registered once at start-up: lazy text, translated for each request's language.
    links.add_team_page(links.TeamPage(
        here="storyboards", label=_("Storyboards"), url_name="storyboards:list",
        home_label=_("Storyboards: the lessons learned")))
    links.add_network_page(links.NetworkPage(
        label=_("The teams' storyboards: review and publish"), url_name="storyboards:queue"))
    sections.add_index_section(sections.IndexSection(
        template="storyboards/public/_index_section.html",
        data=lambda: {"storyboards": list(published()[:ON_PUBLIC_INDEX])}))
