"""The team-periods an API caller may see, narrowed by the filters the endpoints share.

Every data endpoint (CSV/JSON values, DHIS2, FHIR) starts from the access module's visible
submissions and narrows them the same way: naming a team the caller may not read is refused
(403) rather than answered with an empty list.
"""

from __future__ import annotations

from django.db.models import QuerySet

from coiin import access
from coiin.access import Action, AnyUser
from coiin.measures.models import Submission
from coiin.network.models import Team


def visible_submissions(user: AnyUser, *, team: Team | None = None,
                        jurisdiction: str | None = None,
                        network: str | None = None) -> QuerySet[Submission]:
    """The caller's visible team-periods, for one team, jurisdiction or network if given."""
    qs = access.visible_submissions(user)
    if team is not None:
        access.require(user, Action.VIEW_DATA, team)
        qs = qs.filter(team=team)
    if jurisdiction:
        qs = qs.filter(team__jurisdiction__postal_code=jurisdiction.upper())
    if network:
        qs = qs.filter(team__learning_network__slug=network.lower())
    return qs
