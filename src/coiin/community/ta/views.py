"""Technical-assistance pages: the request form and queues, and one request's thread."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.network.models import User
from coiin.web import member_required

from .. import responses
from . import services
from .forms import RatingForm, TAAssignForm, TAReplyForm, TARequestForm, TAStatusForm
from .models import TARequest


@require_http_methods(["GET", "POST"])
@member_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = access.ta_teams(user)
    if request.method == "POST":
        if not teams.exists():
            raise PermissionDenied(_("Only team members ask for technical assistance."))
    form = TARequestForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.open_request(team=data["team"], by=user, topic=data["topic"],
                                  description=data["description"], measure=data["measure"],
                                  chart_url=data["chart_url"])
        except ValidationError as exc:
            responses.form_errors(form, exc)
        else:
            who = req.owner.display_name if req.owner else "the network's faculty"
            messages.success(request, _("Request sent to %(who)s.") % {"who": who})
            return redirect(req)
    requests = list(access.visible_ta_requests(user).select_related(
        "team__jurisdiction", "team__learning_network", "owner", "requested_by"))
    backbone = access.is_backbone(user)
    mine = [r for r in requests if r.owner_id == user.pk]
    return render(request, "community/ta_queue.html", {
        "form": form if teams.exists() else None, "requests": requests, "mine": mine,
        "backbone": backbone, "faculty": access.is_faculty(user),
        "stats": services.queue_stats(requests), "now": timezone.now(),
    }, status=400 if request.method == "POST" else 200)


def _request(pk: int) -> TARequest:
    return get_object_or_404(TARequest.objects.select_related(
        "team__jurisdiction", "team__learning_network", "owner", "requested_by", "measure"),
        pk=pk)


def _page(request: HttpRequest, req: TARequest, *, reply_form=None, status: int = 200):
    user = request.user
    staff = access.can(user, Action.HANDLE_TA, req)
    owners = User.objects.filter(faculty_roles__learning_network_id=req.team.learning_network_id)
    return render(request, "community/ta_request.html", {
        "req": req, "messages_list": list(req.messages.select_related("author")),
        "staff": staff, "requester": access.can(user, Action.RATE_TA, req),
        "reply_form": reply_form or TAReplyForm(),
        "status_form": TAStatusForm(initial={"status": req.status}),
        "assign_form": TAAssignForm(owners=owners, initial={"owner": req.owner_id})
        if staff else None,
        "rating_form": RatingForm(), "now": timezone.now(),
    }, status=status)


@require_http_methods(["GET"])
@member_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    access.require(request.user, Action.VIEW_TA_REQUEST, req)
    return _page(request, req)


@require_POST
@member_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    access.require(request.user, Action.VIEW_TA_REQUEST, req)
    return responses.submit(
        TAReplyForm(request.POST),
        save=lambda data: services.reply(request=req, by=request.user, body=data["body"]).request,
        page=lambda form: _page(request, req, reply_form=form))


@require_POST
@member_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    access.require(request.user, Action.VIEW_TA_REQUEST, req)
    form = TAStatusForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.set_status(request=req, by=request.user, status=form.cleaned_data["status"])
    messages.success(request, _("Status: %(status)s.") % {"status": req.get_status_display()})
    return redirect(req)


@require_POST
@member_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    access.require(request.user, Action.HANDLE_TA, req)
    owners = User.objects.filter(faculty_roles__learning_network_id=req.team.learning_network_id)
    form = TAAssignForm(request.POST, owners=owners)
    if not form.is_valid():
        messages.error(request, _("Choose one of the network's faculty."))
        return _page(request, req, status=400)
    services.assign(request=req, by=request.user, owner=form.cleaned_data["owner"])
    messages.success(request, _("Assigned to %(who)s.") % {"who": req.owner.display_name})
    return redirect(req)


@require_POST
@member_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    access.require(request.user, Action.RATE_TA, req)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(request=req, by=request.user, rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _page(request, req, status=400)
        messages.success(request, _("Thank you for rating the help."))
        return redirect(req)
    messages.error(request, _("Choose a rating from 1 to 5."))
    return _page(request, req, status=400)
