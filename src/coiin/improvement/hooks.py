"""What apps above improvement add to its pages, without improvement importing them.

improvement sits below community in the order of apps, yet a change idea's page shows the
community's resources, discussions and mentor pairings on it, the change package counts
the library's resources per idea, and "what works" shows what peer mentoring taught. The
app that knows those registers them here in its ``AppConfig.ready()``; until one does, the
pages show none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coiin.network.models import LearningNetwork, User

    from .models import ChangeIdea


class Lesson(Protocol):
    """What a closed peer-mentoring pairing taught (``improvement/_pairing_lessons.html``
    also reads its mentor, mentee and measure)."""

    mentor_id: int
    mentee_id: int
    learned: str
    closed_at: dt.datetime | None


# (change ideas) -> (idea id, lesson) pairs, newest lesson first
IdeaLessons = Callable[[Sequence["ChangeIdea"]], Iterable[tuple[int, Lesson]]]
# (learning network) -> the network's lessons tied to no change idea, newest first
NetworkLessons = Callable[["LearningNetwork"], Sequence[Lesson]]
# (reader, change idea ids) -> {idea id: resources the reader may see that are tagged with it}
ResourceCounts = Callable[["User", Sequence[int]], dict[int, int]]
# (request, change idea) -> HTML shown below the idea (escaped or marked safe by its maker)
IdeaSection = Callable[["HttpRequest", "ChangeIdea"], str]


@dataclass
class _Registry:
    idea_lessons: IdeaLessons | None = None
    network_lessons: NetworkLessons | None = None
    resource_counts: ResourceCounts | None = None
    idea_sections: dict[str, IdeaSection] = field(default_factory=dict)


_registry = _Registry()


def register_lessons(*, by_idea: IdeaLessons, unlinked: NetworkLessons) -> None:
    """Where "what works" finds the lessons of peer mentoring (one provider; the last wins)."""
    _registry.idea_lessons, _registry.network_lessons = by_idea, unlinked


def register_resource_counts(counts: ResourceCounts) -> None:
    """Where the change package counts each idea's resources (one provider)."""
    _registry.resource_counts = counts


def register_idea_section(name: str, section: IdeaSection) -> None:
    """A section of the change-idea page, shown in the order registered; registering a
    name again replaces its section in place."""
    _registry.idea_sections[name] = section


def lessons_by_idea(ideas: Sequence[ChangeIdea]) -> list[tuple[int, Lesson]]:
    return list(_registry.idea_lessons(ideas)) if _registry.idea_lessons and ideas else []


def unlinked_lessons(network: LearningNetwork) -> list[Lesson]:
    return list(_registry.network_lessons(network)) if _registry.network_lessons else []


def resource_counts(user: User, idea_ids: Sequence[int]) -> dict[int, int]:
    return _registry.resource_counts(user, idea_ids) if _registry.resource_counts else {}


def idea_sections(request: HttpRequest, idea: ChangeIdea) -> list[str]:
    return [section(request, idea) for section in _registry.idea_sections.values()]
