"""What backbone staff publish: measures at levels, and the background refresh after."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from coiin.measures.models import Measure
from coiin.network.models import User

from ..models import PublishedMeasure
from .releases import release
from .rules import PUBLISHABLE_TYPES, Level, PublishError


def publishable(measure: Measure) -> bool:
    return measure.type in PUBLISHABLE_TYPES


@transaction.atomic
def publish(*, measure: Measure, level: str, user: User | None, note: str = "",
            strata: bool | None = None, synthetic: bool | None = None,
            synthetic_strata: bool | None = None) -> PublishedMeasure:
    """Publish a measure at a level (idempotent: publishing again keeps the first record).

    ``strata`` True also publishes the measure's strata at that level, False takes them off
    again; None leaves that choice as it is (off for a new record). ``synthetic`` and
    ``synthetic_strata`` say the figures (or the strata's) are not real, likewise.
    """
    if not publishable(measure):
        raise PublishError(_("%(measure)s is a %(type)s measure; only counts and ratios can be "
                             "published.")
                           % {"measure": measure.code, "type": measure.get_type_display().lower()})
    if level not in Level.values:
        raise PublishError(_("unknown level %(level)s") % {"level": repr(level)})
    if strata and not measure.stratification:
        raise PublishError(_("%(measure)s is not reported by stratum; it has no strata to publish.")
                           % {"measure": measure.code})
    pub, _created = PublishedMeasure.objects.get_or_create(
        measure=measure, level=level, defaults={"published_by": user, "note": note.strip(),
                                                "publish_strata": bool(strata)})
    changed = []
    for name, wanted in (("publish_strata", strata), ("synthetic", synthetic),
                         ("synthetic_strata", synthetic_strata)):
        if wanted is not None and getattr(pub, name) != wanted:
            setattr(pub, name, wanted)
            changed.append(name)
    if changed:
        pub.save(update_fields=changed)
    _refresh_after_commit(measure)
    return pub


def _refresh_after_commit(measure: Measure) -> None:
    """Compute the measure's new release in the background once the choice is stored, so
    the first public visitor does not wait for the suppression search (a release with
    strata at every level takes minutes)."""
    measure_id = measure.pk
    transaction.on_commit(lambda: refresh_release_task.enqueue(measure_id))


@task()
def refresh_release_task(measure_id: int) -> bool:
    """Bring a measure's cached release up to date; False when nothing is published."""
    measure = Measure.objects.filter(pk=measure_id).first()
    return measure is not None and release(measure) is not None


@transaction.atomic
def unpublish(*, measure: Measure, level: str) -> bool:
    """Take a measure's level off the public site; True if it was published."""
    deleted, _by_model = PublishedMeasure.objects.filter(measure=measure, level=level).delete()
    if deleted:
        _refresh_after_commit(measure)
    return bool(deleted)


def published_levels() -> dict[int, set[str]]:
    """Measure id -> its published levels (one query)."""
    out: dict[int, set[str]] = defaultdict(set)
    for measure_id, level in PublishedMeasure.objects.values_list("measure_id", "level"):
        out[measure_id].add(level)
    return out
