"""What apps above network add to the people directory, without network importing them.

The directory lists people; what they offer (expertise tags) and where they are active
(the community's spaces) is known higher up. That app registers a ``DirectoryExtension``
in its ``AppConfig.ready()``; until one does, the directory shows names and roles only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from .models import User

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
