from __future__ import annotations

from django.http import HttpRequest

from coiin import access


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the page header needs to know about the person looking at it."""
    user = request.user
    return {
        "nav_is_member": access.is_network_member(user),
        "nav_is_backbone": access.is_backbone(user),
        "nav_national": access.can(user, access.Action.VIEW_NATIONAL),
        "nav_status": access.can(user, access.Action.VIEW_REPORTING_STATUS),
        "nav_vitals": access.can(user, access.Action.VIEW_VITALS),
    }
