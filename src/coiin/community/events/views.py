"""Event pages: the calendar list, one event (RSVP, attendance, materials) and the
calendar feeds (addressed by a private token, no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.improvement.models import Attendance
from coiin.network.models import LearningNetwork, Team
from coiin.web import member_required

from ..uploads import check_upload
from . import services, times
from .forms import EventForm, add_service_errors
from .models import RSVP, EventDetail, EventMaterial


def _detail(pk: int) -> EventDetail:
    return get_object_or_404(EventDetail.objects.select_related("event__learning_network"),
                             pk=pk)


@require_GET
@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    shown = list(access.visible_events(request.user).select_related(
        "event__learning_network").order_by("starts_at", "pk"))
    answers = dict(RSVP.objects.filter(user=request.user).values_list("event_id", "answer"))
    for d in shown:
        d.my_answer = RSVP.Answer(answers[d.pk]).label if d.pk in answers else ""
    return render(request, "community/events.html", {
        "upcoming": [d for d in shown if d.ends_at > now],
        "past": [d for d in reversed(shown) if d.ends_at <= now][:50],
        "zone": services.viewer_zone(request.user), "current": "events",
        "may_schedule": bool(access.manageable_networks(request.user)),
    })


def _form(request: HttpRequest, *, initial: dict | None = None) -> EventForm:
    return EventForm(request.POST or None, initial=initial,
                     networks=access.manageable_networks(request.user),
                     network_wide=access.can(request.user, Action.SCHEDULE_NETWORK_WIDE))


@require_http_methods(["GET", "POST"])
@member_required
def event_new(request: HttpRequest) -> HttpResponse:
    """Schedule an event: faculty for their networks, backbone staff for any or all."""
    networks = access.manageable_networks(request.user)
    if not networks:
        raise PermissionDenied(_("Only faculty and backbone staff schedule events."))
    chosen = next((n for n in networks if n.slug == request.GET.get("network")), networks[0])
    form = _form(request, initial={"network": chosen.pk,
                                   "time_zone": services.viewer_zone(request.user).key})
    if request.method == "POST" and form.is_valid():
        try:
            detail = services.schedule_event(by=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” is on the calendar.")
                             % {"title": detail.event.title})
            return redirect(detail)
    return render(request, "community/event_form.html", {
        "form": form, "detail": None, "current": "events",
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@member_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.EDIT_EVENT, detail)
    if detail.is_cancelled:
        messages.error(request, _("This event is cancelled; it can no longer be changed."))
        return redirect(detail)
    form = _form(request, initial=EventForm.initial_for(detail))
    for name in ("title", "description"):  # its texts as written, in their language
        form.fields[name].widget.attrs["lang"] = detail.event.language
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(detail=detail, by=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is changed."))
            return redirect(detail)
    return render(request, "community/event_form.html", {
        "form": form, "detail": detail, "current": "events",
    }, status=400 if request.method == "POST" else 200)


@require_POST
@member_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.EDIT_EVENT, detail)
    try:
        services.cancel_event(detail=detail, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, detail, status=400)
    messages.success(request, _("The event is cancelled; everyone who answered has been told."))
    return redirect(detail)


@require_GET
@member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.VIEW_EVENT, detail)
    return _page(request, detail)


def _page(request: HttpRequest, detail: EventDetail, *, status: int = 200) -> HttpResponse:
    network = detail.event.learning_network
    manage = access.can(request.user, Action.MANAGE_EVENT, network)
    mine = RSVP.objects.filter(event=detail, user=request.user).first()
    return render(request, "community/event.html", {
        "detail": detail, "event": detail.event, "zone": services.viewer_zone(request.user),
        "mine": mine, "answers": RSVP.Answer.choices, "counts": services.rsvp_counts(detail),
        "open": detail.starts_at > timezone.now() and not detail.is_cancelled,
        "manage": manage and not detail.is_cancelled,
        "may_edit": access.can(request.user, Action.EDIT_EVENT, detail) and not detail.is_cancelled,
        "may_cancel": access.can(request.user, Action.EDIT_EVENT, detail)
        and not detail.is_cancelled and detail.ends_at > timezone.now(),
        "attendance": Attendance.objects.filter(event=detail.event).select_related(
            "team__jurisdiction"),
        "teams": network.teams.select_related("jurisdiction") if manage else [],
        "materials": detail.materials.all(), "material_kinds": EventMaterial.Kind.choices,
        "current": "events",
    }, status=status)


@require_POST
@member_required
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.VIEW_EVENT, detail)
    try:
        services.rsvp(detail=detail, user=request.user, answer=request.POST.get("answer", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, detail, status=400)
    messages.success(request, _("Your answer is saved."))
    return redirect(detail)


@require_POST
@member_required
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.RUN_EVENT, detail)
    team = get_object_or_404(Team, pk=request.POST.get("team") or 0,
                             learning_network=detail.event.learning_network)
    try:
        services.record_attendance(detail=detail, team=team, by=request.user,
                                 attended=request.POST.get("attended") == "yes",
                                 who=request.POST.get("who", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, detail, status=400)
    messages.success(request, _("Attendance recorded for %(team)s.") % {"team": team})
    return redirect(detail)


@require_POST
@member_required
def event_material(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _detail(pk)
    access.require(request.user, Action.RUN_EVENT, detail)
    try:
        upload = request.FILES.get("file")
        services.add_material(detail=detail, by=request.user,
                            kind=request.POST.get("kind", EventMaterial.Kind.SLIDES),
                            title=request.POST.get("title", ""),
                            url=request.POST.get("url", ""),
                            file=check_upload(upload) if upload else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, detail, status=400)
    messages.success(request, _("Material added."))
    return redirect(detail)


@require_GET
@member_required
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(EventMaterial.objects.select_related(
        "event__event__learning_network"), pk=pk)
    access.require(request.user, Action.VIEW_EVENT, material.event)
    if not material.file:
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True,
                        filename=material.file.name.rsplit("/", 1)[-1],
                        content_type=material.content_type or "application/octet-stream")


@require_http_methods(["GET", "POST"])
@member_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The person's feed addresses and time zone; POST rotates the token or sets the zone."""
    if request.method == "POST":
        if request.POST.get("action") == "rotate":
            services.rotate_calendar_token(user=request.user)
            messages.success(request, _("New addresses made; the old ones no longer work."))
        else:
            try:
                services.set_time_zone(user=request.user,
                                     time_zone=request.POST.get("time_zone", "").strip())
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("community:calendar")
            messages.success(request, _("Time zone saved."))
        return redirect("community:calendar")
    return render(request, "community/calendar.html", {
        "feeds": [(label, request.build_absolute_uri(path))
                  for label, path in services.feed_urls(request.user)],
        "zone": services.viewer_zone(request.user), "current": "events",
        "zone_choices": times.zone_choices(),
    })


def _ics(text: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = services.user_for_token(token)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(services.feed(user, base_url=base))


@require_GET
def network_calendar_feed(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    user = services.user_for_token(token)
    network = get_object_or_404(LearningNetwork, slug=slug)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(services.feed(user, network=network, base_url=base))
