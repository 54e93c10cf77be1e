"""Storyboard pages: a team's list, the form, one storyboard with its workflow, and the
review queue of a network's faculty and backbone staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.network.models import LearningNetwork, Team
from coiin.web import add_errors, sign_in_required, team_or_404, vega_csp

from . import services as service
from .content import chart_context, story_sections
from .forms import ReviewForm, StoryboardForm
from .models import Storyboard

S = Storyboard.Status


def _storyboard(team: Team, pk: int) -> Storyboard:
    return get_object_or_404(
        Storyboard.objects.select_related("measure", "change_idea", "team__jurisdiction",
                                          "team__learning_network"), pk=pk, team=team)


@require_GET
@sign_in_required
def storyboards(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    return render(request, "storyboards/list.html", {
        "team": team, "may_write": access.can(request.user, Action.WRITE_STORYBOARD, team),
        "storyboards": team.storyboards.select_related("measure", "change_idea")
        .order_by("-updated_at", "-pk"),
    })


def _form_page(request: HttpRequest, team: Team, sb: Storyboard | None) -> HttpResponse:
    access.require(request.user, Action.WRITE_STORYBOARD, team)
    if sb is not None and not sb.editable:
        messages.error(request, _(
            "This storyboard is published; backbone staff must unpublish it before it can be "
            "changed.") if sb.status == S.PUBLISHED else _(
            "This storyboard is with faculty for review; it can be changed once they approve "
            "it or ask for changes."))
        return redirect(sb.team_url())
    initial = {}
    if sb is not None:
        initial = {f: getattr(sb, f) for f in ("title", "change_idea", "measure", "period_from",
                                               "period_to", *service.STORY_FIELDS)}
    form = StoryboardForm(request.POST or None, team=team, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = service.save_storyboard(team=team, user=request.user, storyboard=sb,
                                                **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _(
                    "Storyboard saved. It is back in draft: submit it again for review.")
                    if sb is not None and sb.status != saved.status
                    else _("Storyboard saved."))
                return redirect(saved.team_url())
        status = 400
    return render(request, "storyboards/form.html", {
        "team": team, "storyboard": sb, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@sign_in_required
def storyboard_new(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    return _form_page(request, team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT), None)


@require_http_methods(["GET", "POST"])
@sign_in_required
def storyboard_edit(request: HttpRequest, slug: str, postal: str, pk: int) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    return _form_page(request, team, _storyboard(team, pk))


@require_GET
@vega_csp
@sign_in_required
def storyboard(request: HttpRequest, slug: str, postal: str, pk: int) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    sb = _storyboard(team, pk)
    user = request.user
    return render(request, "storyboards/detail.html", {
        "team": team, "sb": sb, "sections": story_sections(sb), **chart_context(sb),
        "events": sb.events.select_related("by"),
        "may_write": access.can(user, Action.WRITE_STORYBOARD, team),
        "may_review": access.can(user, Action.REVIEW_STORYBOARD, team),
        "may_publish": access.can(user, Action.PUBLISH_STORYBOARD, team),
        "review_form": ReviewForm(),
    })


# Each step: the right it needs and the service that takes it.
_STEPS = {
    "submit": (Action.WRITE_STORYBOARD, "Submitted for review.",
               lambda sb, u, c: service.submit_storyboard(storyboard=sb, user=u)),
    "approve": (Action.REVIEW_STORYBOARD, "Approved: backbone staff can now publish it.",
                lambda sb, u, c: service.approve_storyboard(storyboard=sb, user=u, comment=c)),
    "request_changes": (Action.REVIEW_STORYBOARD, "Sent back to the team with your comment.",
                        lambda sb, u, c: service.request_changes(storyboard=sb, user=u,
                                                                 comment=c)),
    "publish": (Action.PUBLISH_STORYBOARD, "Published on the public site.",
                lambda sb, u, c: service.publish_storyboard(storyboard=sb, user=u)),
    "unpublish": (Action.PUBLISH_STORYBOARD, "Taken off the public site.",
                  lambda sb, u, c: service.unpublish_storyboard(storyboard=sb, user=u,
                                                                comment=c)),
}


@require_POST
@sign_in_required
def storyboard_step(request: HttpRequest, slug: str, postal: str, pk: int) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_IMPROVEMENT)
    sb = _storyboard(team, pk)
    step = _STEPS.get(request.POST.get("step", ""))
    if step is None:
        return HttpResponse("Unknown step.", status=400)
    action, done, run = step
    access.require(request.user, action, team)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        run(sb, request.user, comment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    if request.POST.get("next") == "queue":
        return redirect("storyboards:queue", team.learning_network.slug)
    return redirect(sb.team_url())


@require_GET
@sign_in_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Storyboards of a network's teams waiting for faculty or for backbone staff."""
    network = get_object_or_404(LearningNetwork, slug=slug)
    # Its faculty and backbone staff.
    access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    shown = (Storyboard.objects.filter(team__learning_network=network)
             .exclude(Q(status=S.DRAFT) | Q(status=S.CHANGES_REQUESTED))
             .select_related("team__jurisdiction", "team__learning_network", "measure")
             .order_by("team__jurisdiction__name", "-updated_at", "-pk"))
    groups = {"review": [], "approved": [], "public": []}
    for sb in shown:
        key = "review" if sb.in_review else "approved" if sb.status in Storyboard.PUBLISHABLE \
            else "public"
        groups[key].append(sb)
    return render(request, "storyboards/queue.html", {
        "network": network, "groups": groups,
        "may_publish": access.is_backbone(request.user),
    })

