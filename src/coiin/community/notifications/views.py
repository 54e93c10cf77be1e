"""The inbox, e-mail settings and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin.web import member_required

from . import services
from .forms import PreferenceForm
from .models import Notification, NotificationPreference


@require_GET
@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "community/inbox.html", {
        "page": page, "unread": services.unread_count(request.user),
        "only_unread": bool(request.GET.get("unread")),
    })


@require_GET
@member_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an inbox item: marks it read and goes where it points."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(user=request.user, notification_id=note.pk)
    return redirect(note.url if note.url.startswith("/") else "community:inbox")


@require_POST
@member_required
def mark_read(request: HttpRequest) -> HttpResponse:
    pk = request.POST.get("notification")
    n = services.mark_read(user=request.user,
                                notification_id=int(pk) if pk and pk.isdigit() else None)
    messages.success(request, ngettext("%(n)s item marked read.", "%(n)s items marked read.", n)
                     % {"n": n})
    return redirect("community:inbox")


@require_http_methods(["GET", "POST"])
@member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    prefs = services.preferences_for(request.user)
    form = PreferenceForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("community:settings")
    return render(request, "community/settings.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# A mail client's one-click POST (RFC 8058) carries no CSRF token and no session: the
# unguessable token in the URL is the credential, and all it can do is turn e-mail off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    prefs = NotificationPreference.objects.filter(token=token).first()
    if prefs is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"token": token})
