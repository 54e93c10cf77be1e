"""What the community adds to the pages of apps below it, which cannot import it: the
people directory (network) and the change-idea, change-package and what-works pages
(improvement). ``register`` runs once, from the app's ``ready()``."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from coiin import access
from coiin.access import Action
from coiin.improvement import hooks as improvement
from coiin.improvement.models import ChangeIdea
from coiin.network import directory
from coiin.network.models import User

from .mentoring import services as mentoring
from .profiles import services as profiles
from .resources import services as resources


def library_and_posts(request: HttpRequest, idea: ChangeIdea) -> str:
    """The idea's resources in the library and the posts tagged with it (members)."""
    return render_to_string("community/_about_object.html", {
        "about": resources.about(request.user, idea), "obj": idea, "request": request})


def pairings(request: HttpRequest, idea: ChangeIdea) -> str:
    """The mentor pairings that passed on the idea. Pairings name teams and what they
    learned, which stays inside the network: the change package itself is public, so
    visitors and strangers see none."""
    user = request.user
    if not access.is_network_member(user):
        rows: list[dict[str, object]] = []
    else:
        def name(team) -> str:  # as on "what works": teams whose data the reader may not see
            return team.jurisdiction.name if access.can(user, Action.VIEW_DATA, team) \
                else "A team"

        rows = [{"pairing": p, "mentor": name(p.mentor), "mentee": name(p.mentee),
                 "link": access.can(user, Action.VIEW_PAIRING, p)}
                for p in mentoring.pairings_for_change_idea(idea)]
    return render_to_string("community/_pairings_for_idea.html", {"pairings": rows})


def resource_counts(user: User, idea_ids: Sequence[int]) -> dict[int, int]:
    return resources.resource_counts(user, ChangeIdea, idea_ids)


def register() -> None:
    improvement.register_idea_section("community-library", library_and_posts)
    improvement.register_idea_section("community-pairings", pairings)
    improvement.register_resource_counts(resource_counts)
    improvement.register_lessons(by_idea=mentoring.lessons_by_idea,
                                 unlinked=mentoring.unlinked_lessons)
    directory.register(directory.DirectoryExtension(
        search=lambda text: Q(community_profile__expertise__name__icontains=text),
        expertise=lambda name: Q(community_profile__expertise__name=name),
        extras=lambda people, viewer: profiles.directory_extras(people, viewer=viewer)))
