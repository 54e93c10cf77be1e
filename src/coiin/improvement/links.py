"""Pages that apps above improvement add to its team and network pages.

Improvement never imports the apps above it: each of them registers its pages here in its
``AppConfig.ready()``, and the team and network pages link to whatever is registered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TeamPage:
    """A page of a team's improvement work: a chip in the team's head, and maybe a link on
    the team's improvement home."""

    here: str  # the team head's ``here`` that marks the chip as the current page
    label: str
    url_name: str  # reversed with the network's slug and the team's postal code
    home_label: str = ""  # the link on the team's improvement home; none if empty


@dataclass(frozen=True)
class NetworkPage:
    """A page linked from a network's improvement home, for those who may edit its work."""

    label: str
    url_name: str  # reversed with the network's slug


TEAM_PAGES: list[TeamPage] = []
NETWORK_PAGES: list[NetworkPage] = []


def add_team_page(page: TeamPage) -> None:
    if page not in TEAM_PAGES:
        TEAM_PAGES.append(page)


def add_network_page(page: NetworkPage) -> None:
    if page not in NETWORK_PAGES:
        NETWORK_PAGES.append(page)
