"""The records the network's effect estimates rest on, and the only ways they change:
each idea's primary measure, and adoption dates as recorded.

**Primary measure.** An idea's effect is judged on one measure, set before results are
read: the measure of the driver the idea hangs from in its network's driver diagram when
there is exactly one (walking up from the secondary to the primary driver when the
secondary has none); when there are several, faculty choose (``set_primary_measure``,
who and when kept). The others are shown as secondary measures, never as "the best of".

**Adoption dates as recorded.** A status dated before the day it was recorded counts
from the day it was recorded (so from that day's period), unless faculty confirm the
earlier date (``confirm_adoption_date``, who and when kept on the status record). A
back-dated adoption therefore cannot move an estimate until someone answerable for the
network's data has checked it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin.measures.models import Measure
from coiin.network.models import User

from .models import Adoption, AdoptionStatus, ChangeIdea, Driver


def counts_from(events: Iterable[tuple[dt.date, str, dt.date, bool]]) -> dt.date | None:
    """The day an adoption counts from: of each in-use status ``(on, status, recorded
    day, confirmed)``, its date if it is not earlier than the day it was recorded or
    faculty confirmed it, else the day it was recorded; the earliest of these."""
    days = [on if confirmed or on >= recorded else recorded
            for on, status, recorded, confirmed in events if status in Adoption.IN_USE]
    return min(days) if days else None


def recorded_events(adoption: Adoption) -> list[tuple[dt.date, str, dt.date, bool]]:
    return [(e.on, e.status, timezone.localdate(e.recorded_at), e.confirmed_at is not None)
            for e in adoption.events.order_by("on", "pk")]


def is_backdated(event: AdoptionStatus) -> bool:
    """Dated before the day it was recorded, and not (yet) confirmed."""
    return (event.status in Adoption.IN_USE and event.confirmed_at is None
            and event.on < timezone.localdate(event.recorded_at))


def confirm_adoption_date(*, event: AdoptionStatus, user: User) -> Adoption:
    """Faculty confirm that a back-dated status really began on its date: from now on the
    adoption counts from it. Kept on the record (who, when); confirming twice is refused."""
    if not is_backdated(event):
        raise ValidationError(_("This status is not dated before the day it was recorded, or "
                                "its date is already confirmed."))
    with transaction.atomic():
        adoption = Adoption.objects.select_for_update().get(pk=event.adoption_id)
        event.confirmed_by, event.confirmed_at = user, timezone.now()
        event.save(update_fields=["confirmed_by", "confirmed_at"])
        adoption.counts_from = counts_from(recorded_events(adoption))
        adoption.save(update_fields=["counts_from"])
    return adoption


def awaiting_confirmation(ideas: Sequence[ChangeIdea]) -> dict[int, list[AdoptionStatus]]:
    """Back-dated, unconfirmed in-use statuses of these ideas' adoptions, by idea."""
    out: dict[int, list[AdoptionStatus]] = defaultdict(list)
    events = AdoptionStatus.objects.filter(
        adoption__change_idea__in=ideas, status__in=Adoption.IN_USE,
        confirmed_at__isnull=True).select_related("adoption__team__jurisdiction", "by")
    for e in events.order_by("adoption__team__jurisdiction__name", "on"):
        if is_backdated(e):
            out[e.adoption.change_idea_id].append(e)
    return out


# -- primary measures ------------------------------------------------------------------


def driver_measures(ideas: Sequence[ChangeIdea]) -> tuple[dict[int, list[int]],
                                                           dict[int, list[int]]]:
    """Each idea's measures from its network's driver diagram, in the diagram's order,
    without repeats: (its candidate primary measures: the measure of each driver it hangs
    from, or for a driver without one, of the nearest driver above it that has one;
    every measure on the paths up from it). One query."""
    networks = {i.learning_network_id for i in ideas}
    rows = list(Driver.objects.filter(diagram__learning_network_id__in=networks)
                .order_by("diagram_id", "position", "pk")
                .values_list("pk", "parent_id", "measure_id", "change_idea_id"))
    parent = {pk: p for pk, p, _m, _c in rows}
    measure = {pk: m for pk, _p, m, _c in rows}
    candidates: dict[int, list[int]] = defaultdict(list)
    paths: dict[int, list[int]] = defaultdict(list)
    for _pk, up, _m, idea_id in rows:
        if idea_id is None:
            continue
        node, first = up, None
        while node is not None:
            m = measure.get(node)
            if m and first is None:
                first = m
            if m and m not in paths[idea_id]:
                paths[idea_id].append(m)
            node = parent.get(node)
        if first and first not in candidates[idea_id]:
            candidates[idea_id].append(first)
    return candidates, paths


def primary_measures(ideas: Sequence[ChangeIdea], candidates: dict[int, list[int]]
                     ) -> dict[int, int | None]:
    """Each idea's primary measure: faculty's choice, else the diagram's only candidate,
    else None (several candidates and none chosen, or none)."""
    return {i.pk: i.primary_measure_id or (candidates[i.pk][0]
                                           if len(candidates.get(i.pk, [])) == 1 else None)
            for i in ideas}


def set_primary_measure(*, idea: ChangeIdea, measure: Measure, user: User) -> ChangeIdea:
    """Faculty choose the measure an idea's effect is judged on."""
    if measure.learning_network_id not in (None, idea.learning_network_id):
        raise ValidationError({"measure": _("That measure belongs to another network.")})
    if measure.direction not in (Measure.Direction.UP, Measure.Direction.DOWN):
        raise ValidationError({"measure": _("%(measure)s has no preferred direction, so no effect "
                                            "on it can be called better or worse.")
                                          % {"measure": measure.code}})
    if measure.type not in (Measure.Type.RATIO, Measure.Type.COUNT):
        raise ValidationError({"measure": _("%(measure)s is not a number that can be averaged.")
                                          % {"measure": measure.code}})
    idea.primary_measure = measure
    idea.primary_chosen_by, idea.primary_chosen_at = user, timezone.now()
    idea.save(update_fields=["primary_measure", "primary_chosen_by", "primary_chosen_at",
                             "updated_at"])
    return idea
