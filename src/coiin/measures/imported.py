"""The team-periods an import wrote, for the page that follows it: each one's status and
number of values, and whether the person may submit it now. Imported values are drafts
until their period is submitted: until then faculty do not see them and charts leave them
out, which is easy to forget after a successful upload."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from coiin import access
from coiin.access import Action

from . import services
from .models import Submission

LISTED = 500  # the most team-periods listed after one import


@dataclass
class Touched:
    submission: Submission
    entered: int
    may_submit: bool


class TouchedList(list[Touched]):
    @property
    def any_to_submit(self) -> bool:
        return any(t.may_submit for t in self)


def touched_periods(user: access.AnyUser, ids: Iterable[int]) -> TouchedList:
    """The team-periods among ``ids`` this user may see, by team and period."""
    wanted = list(ids)[:LISTED]
    if not wanted:
        return TouchedList()
    visible = access.visible_submissions(user).filter(pk__in=wanted).values("pk")
    rows = (Submission.objects.filter(pk__in=visible)
            .select_related("team__jurisdiction", "team__learning_network")
            .annotate(entered=Count("values__measure", distinct=True,
                                    filter=Q(values__stratum__isnull=True)))
            .order_by("team__jurisdiction__name", "team__learning_network__position",
                      "frequency", "period_start"))
    may: dict[int, bool] = {}
    out = TouchedList()
    for sub in rows:
        if sub.team_id not in may:
            may[sub.team_id] = access.can(user, Action.SUBMIT_DATA, sub.team)
        out.append(Touched(sub, sub.entered, may[sub.team_id]
                           and sub.status == Submission.Status.DRAFT
                           and not services.is_closed(sub)))
    return out


def submittable(user: access.AnyUser, ids: Iterable[int]) -> list[Submission]:
    """The drafts among ``ids`` that this user may submit."""
    return [t.submission for t in touched_periods(user, ids) if t.may_submit]
