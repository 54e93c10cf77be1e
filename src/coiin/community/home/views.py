"""The home page: what waits on the person signed in (see ``work``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coiin import access
from coiin.web import sign_in_required

from . import services, work


@require_GET
@sign_in_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    show_all = request.GET.get("all") == "1"
    since = services.mark_seen(user)  # type: ignore[arg-type]  # signed in: a User
    home = work.home_for(user, cap=1000 if show_all else work.LIST_CAP, since=since)
    return render(request, "community/my_work.html", {
        "home": home, "show_all": show_all,
        "member": access.is_network_member(user),
        "faculty": access.is_faculty(user), "backbone": access.is_backbone(user),
        "funder": access.is_funder(user),
        "may_see_status": access.can(user, access.Action.VIEW_REPORTING_STATUS),
    })
