"""The people directory's filters, and what apps above network add to it without
network importing them.

The directory lists people; what they offer (expertise tags) and where they are active
(the community's spaces) is known higher up. That app registers a ``DirectoryExtension``
in its ``AppConfig.ready()``; until one does, the directory shows names and roles only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from .models import TeamMembership, User

# {person id: {"expertise": [tag, ...], "spaces": [name, ...]}}
Extras = dict[int, dict[str, list[str]]]


@dataclass(frozen=True)
class DirectoryExtension:
    # A filter on people that matches the search text (e.g. in their expertise tags).
    search: Callable[[str], Q]
    # A filter on people who list this expertise tag (lower case).
    expertise: Callable[[str], Q]
    # What the template shows beside each person of a page, for this viewer.
    extras: Callable[[Sequence[User], User], Extras]


_extension: list[DirectoryExtension] = []


def register(extension: DirectoryExtension) -> None:
    """Install the directory's extension (one; registering again replaces it)."""
    _extension[:] = [extension]


def search_filter(text: str) -> Q:
    """People the extension matches for ``text``; nobody when none is registered."""
    return _extension[0].search(text) if _extension else Q(pk__in=[])


def expertise_filter(name: str) -> Q:
    """People with this expertise tag; nobody when no extension is registered."""
    return _extension[0].expertise(name) if _extension else Q(pk__in=[])


def extras_for(people: Sequence[User], *, viewer: User) -> Extras:
    return _extension[0].extras(people, viewer) if _extension else {}


# The directory's own filters (who is shown at all is ``access.visible_people``).

def place_filter(postal_code: str) -> Q:
    """People on a team of this jurisdiction or working for an organisation in it."""
    return (Q(memberships__team__jurisdiction__postal_code=postal_code)
            | Q(organisation__jurisdiction__postal_code=postal_code))


def network_filter(slug: str) -> Q:
    """People on a team of this learning network or on its faculty."""
    return (Q(memberships__team__learning_network__slug=slug)
            | Q(faculty_roles__learning_network__slug=slug))


def role_filter(role: str) -> Q | None:
    """People with this role: a team role, "faculty", or a network-wide role; None for a
    role the directory does not know (no filter)."""
    if role in TeamMembership.Role.values:
        return Q(memberships__role=role)
    if role == "faculty":
        return Q(faculty_roles__isnull=False)
    if role in {User.NetworkRole.BACKBONE, User.NetworkRole.FUNDER}:
        return Q(network_role=role)
    return None
