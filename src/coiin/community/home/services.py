"""The one write My work makes: remembering when the person last opened it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coiin.network.models import User

from .models import HomeVisit


def mark_seen(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """Record this visit; returns when the person looked before (None the first time)."""
    now = now or timezone.now()
    before = HomeVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
    if before is None:
        # Two tabs opened at once may both get here: the second insert changes nothing.
        HomeVisit.objects.bulk_create([HomeVisit(user=user, seen_at=now)],
                                      ignore_conflicts=True)
    else:
        HomeVisit.objects.filter(user=user).update(seen_at=now)
    return before
