"""Who needs to know that official figures changed.

``coiin.vitals.services`` is the only writer of figures; after storing some it calls
``figures_changed`` with the (jurisdiction, year) pairs it touched. An app above vitals
(measures: the teams' official-outcome values copied from the store) registers a callback
here in its ``AppConfig.ready()`` instead of being imported by vitals.

Unlike ``measures.changes``, the callbacks run at once, inside the writer's transaction:
the copies are part of the same change, so a copy that cannot be written refuses the
figures too, and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from coiin.network.models import User

Key = tuple[int, int]  # (jurisdiction_id, year)
Callback = Callable[[frozenset[Key], User | None], None]

_callbacks: list[Callback] = []


def on_figures_changed(callback: Callback) -> None:
    """Register ``callback(keys, user)``; registering the same callback twice has no effect."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def figures_changed(keys: Iterable[Key], user: User | None = None) -> None:
    """Tell every registered callback, now, which (jurisdiction, year) pairs changed, and
    who stored them (None: the command line)."""
    changed = frozenset((int(j), int(y)) for j, y in keys)
    if not changed:
        return
    for callback in list(_callbacks):
        callback(changed, user)
