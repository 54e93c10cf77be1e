"""Keep one space per learning network and per team, without anyone having to ask."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS


def spaces_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """After a forward migration, not after migrating back: then the tables are older than
    the models this would use (going back to an earlier release, see tests/test_upgrade.py)."""
    from .services import ensure_spaces

    if any(backwards for _, backwards in plan or ()):
        return
    if using == DEFAULT_DB_ALIAS:
        ensure_spaces()


def space_for_new_owner(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    from coiin.network.models import Team

    from .models import Space, team_space_name

    if isinstance(instance, Team):
        Space.objects.get_or_create(team=instance, defaults={
            "kind": Space.Kind.TEAM,
            "name": team_space_name(instance)})
    else:
        Space.objects.get_or_create(network=instance, defaults={
            "kind": Space.Kind.LEARNING_NETWORK, "name": instance.name})
