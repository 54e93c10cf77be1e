"""Who needs to know that reported values changed.

``coiin.measures.services`` is the only writer of values; after every change it calls
``values_changed`` with the (team, measure) pairs it touched. Apps above measures (the
stored chart summaries, for one) register a callback here in their ``AppConfig.ready()``
instead of being imported by measures. Callbacks run once the writing transaction has
committed, so they read what other connections will read, and a change that is rolled back
notifies nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Pair = tuple[int, int]  # (team_id, measure_id)
Callback = Callable[[frozenset[Pair]], None]

_callbacks: list[Callback] = []


def on_values_changed(callback: Callback) -> None:
    """Register ``callback(pairs)``; registering the same callback twice has no effect."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def values_changed(pairs: Iterable[Pair]) -> None:
    """Tell every registered callback, after commit, which (team, measure) pairs changed."""
    changed = frozenset((int(t), int(m)) for t, m in pairs)
    if not changed or not _callbacks:
        return

    def notify() -> None:
        for callback in list(_callbacks):
            callback(changed)

    transaction.on_commit(notify)


def after_commit(func: Callable[[], None]) -> None:
    """Run ``func`` once the writing transaction has committed (as the callbacks of
    ``values_changed`` are), e.g. to refresh what a changed chart setting derives."""
    transaction.on_commit(func)
