"""What works: the network's estimate of each change idea's effect (``effects``), ranked by
evidence, and each team's own chart after adoption (``whatworks``) kept apart from it;
faculty choose primary measures and confirm back-dated adoptions here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coiin import access
from coiin.access import Action
from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork
from coiin.web import sign_in_required, vega_csp

from .. import effects, evidence, hooks, whatworks
from ..effect_chart import event_rows, event_study_spec
from ..models import AdoptionStatus, ChangeIdea


def _network(slug: str) -> LearningNetwork:
    return get_object_or_404(LearningNetwork, slug=slug)


def _visible_team_ids(request: HttpRequest) -> set[int]:
    return set(access.teams_with_visible_data(request.user).values_list("pk", flat=True))


def _counts(rows: list[effects.IdeaEvidence]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(effects.ORDER, 0)
    for r in rows:
        if r.primary:
            counts[r.primary.verdict] += 1
    return [(_(effects.LABELS[v]), n) for v, n in counts.items()]


@require_GET
@sign_in_required
def network_what_works(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    access.require(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    rows = effects.evidence_for([network])
    return render(request, "improvement/what_works.html", {
        "network": network, "rows": rows, "counts": _counts(rows),
        "may_edit": access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network),
        # Each team's own chart after adoption: the team's view, not the network's estimate.
        "results": whatworks.ranked(whatworks.what_works([network])),
        "verdicts": list(whatworks.Verdict), "visible": _visible_team_ids(request),
        "other_lessons": hooks.unlinked_lessons(network),
        "min_baseline": whatworks.MIN_BASELINE, "hold_points": whatworks.HOLD_POINTS,
    })


@require_GET
@sign_in_required
def what_works(request: HttpRequest) -> HttpResponse:
    """Across the CoIIN: every change idea's estimated effect, best evidence first."""
    if not access.is_network_member(request.user):
        raise Http404
    rows = effects.evidence_for(list(LearningNetwork.objects.all()))
    return render(request, "improvement/what_works_all.html", {
        "rows": rows, "counts": _counts(rows),
        "improving": [r for r in rows if r.primary
                      and r.primary.verdict == effects.ww.Verdict.IMPROVEMENT],
    })


@require_GET
@vega_csp
def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A change idea: what it is, the teams using it and (for members of the network)
    the network's estimate of its effect with its event-study chart."""
    network = _network(slug)
    idea = get_object_or_404(ChangeIdea.objects.select_related("learning_network"), pk=pk,
                             learning_network=network)
    teams = access.teams_with_visible_work(request.user, network)
    adoptions = list(idea.adoptions.filter(team__in=teams).select_related(
        "team__jurisdiction").order_by("team__jurisdiction__name"))
    member = access.can(request.user, Action.VIEW_NETWORK_IMPROVEMENT, network)
    may_edit = access.can(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    row, specs, rows = None, {}, []
    if member:
        row = next(r for r in effects.evidence_for([network]) if r.idea.pk == idea.pk)
        if row.primary and row.primary.estimate.event_study:
            specs["effect"] = event_study_spec(row.primary)
            rows = event_rows(row.primary)
    return render(request, "improvement/idea.html", {
        "network": network, "idea": idea, "adoptions": adoptions,
        "adopted_count": idea.adoptions.filter(adopted_on__isnull=False).count(),
        "may_edit": may_edit, "member": member, "evidence": row, "specs": specs,
        "event_rows": rows,
        # What apps above this one show about the idea (the community's library, posts
        # and mentor pairings), registered in ``hooks``.
        "sections": hooks.idea_sections(request, idea),
    })


@require_POST
@sign_in_required
def set_primary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    idea = get_object_or_404(ChangeIdea, learning_network=network, pk=pk)
    access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    measure = Measure.objects.filter(pk=request.POST.get("measure") or 0).first()
    if measure is None:
        messages.error(request, _("Choose one of the measures listed."))
    else:
        try:
            evidence.set_primary_measure(idea=idea, measure=measure, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The primary measure of %(idea)s is now %(code)s.")
                         % {"idea": idea, "code": measure.code})
    return redirect(idea.get_absolute_url() + "#effect")


@require_POST
@sign_in_required
def confirm_date(request: HttpRequest, slug: str, pk: int, event: int) -> HttpResponse:
    network = _network(slug)
    idea = get_object_or_404(ChangeIdea, learning_network=network, pk=pk)
    access.require(request.user, Action.EDIT_NETWORK_IMPROVEMENT, network)
    record = get_object_or_404(AdoptionStatus, pk=event, adoption__change_idea=idea)
    try:
        evidence.confirm_adoption_date(event=record, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _(
            "%(team)s's date %(day)s is confirmed: the estimate now counts it from then.")
            % {"team": record.adoption.team, "day": f"{record.on:%d %b %Y}"})
    return redirect(idea.get_absolute_url() + "#effect")

