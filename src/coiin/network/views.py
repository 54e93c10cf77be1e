"""Pages of the network: overview map, jurisdictions, learning networks, teams, people."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.web import sign_in_required, team_or_404

from . import directory, services
from .forms import InvitedSignupForm, InviteForm, JoinNetworkForm
from .models import (
    Cohort,
    FacultyAssignment,
    Invitation,
    Jurisdiction,
    LearningNetwork,
    Team,
    TeamMembership,
    User,
)
from .tilegrid import GRID_COLUMNS, GRID_ROWS, lay_out, position

ROLE_ORDER = [TeamMembership.Role.LEAD, TeamMembership.Role.DATA_LEAD, TeamMembership.Role.MEMBER]


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.VIEW_OVERVIEW)
    networks = list(
        LearningNetwork.objects.annotate(team_count=Count("teams")).order_by("position")
    )
    selected = next((n for n in networks if n.slug == request.GET.get("network")), None)
    jurisdictions = list(
        Jurisdiction.objects.select_related("cohort").prefetch_related(
            Prefetch("teams", queryset=Team.objects.select_related("learning_network"))
        )
    )
    tiles = []
    for j in jurisdictions:
        row, col = position(j.postal_code) or (None, None)
        joined = [t.learning_network for t in j.teams.all()]
        tiles.append({
            "jurisdiction": j, "row": row, "col": col, "networks": joined,
            "in_filter": selected is None or any(n.pk == selected.pk for n in joined),
        })
    placed, listed = lay_out(tiles, lambda t: t["jurisdiction"].postal_code)
    cohort_counts = Counter(j.cohort_id for j in jurisdictions)
    cohorts = [(c, cohort_counts[c.pk]) for c in Cohort.objects.all()]
    return render(request, "network/overview.html", {
        "tiles": tiles, "placed": placed, "listed": listed,
        "networks": networks,
        "selected": selected,
        "cohorts": cohorts,
        "shown_count": sum(1 for t in tiles if t["in_filter"]),
        "team_count": sum(n.team_count for n in networks),
        "grid_rows": range(GRID_ROWS), "grid_columns": GRID_COLUMNS,
    })


def _jurisdiction(postal: str) -> Jurisdiction:
    return get_object_or_404(Jurisdiction.objects.select_related("cohort"),
                             postal_code=postal.upper())


def _jurisdiction_page(request: HttpRequest, jurisdiction: Jurisdiction,
                       join_form: JoinNetworkForm, status: int = 200) -> HttpResponse:
    teams = (
        jurisdiction.teams.select_related("learning_network")
        .annotate(member_count=Count("memberships", distinct=True),
                  unit_count=Count("reporting_units", distinct=True))
    )
    return render(request, "network/jurisdiction.html", {
        "jurisdiction": jurisdiction,
        "teams": teams,
        "organisations": jurisdiction.organisations.all(),
        "may_manage": access.can(request.user, Action.MANAGE_NETWORK),
        "may_see_figures": access.can(request.user, Action.VIEW_JURISDICTION_DATA,
                                      jurisdiction),
        "join_form": join_form,
    }, status=status)


@require_GET
def jurisdiction_detail(request: HttpRequest, postal: str) -> HttpResponse:
    jurisdiction = _jurisdiction(postal)
    access.require(request.user, Action.VIEW_JURISDICTION, jurisdiction)
    return _jurisdiction_page(request, jurisdiction, JoinNetworkForm())


@require_POST
@sign_in_required(then=lambda request, postal: _jurisdiction(postal).get_absolute_url())
def join_network(request: HttpRequest, postal: str) -> HttpResponse:
    jurisdiction = _jurisdiction(postal)
    access.require(request.user, Action.MANAGE_NETWORK)
    form = JoinNetworkForm(request.POST)
    if form.is_valid():
        try:
            team = services.join_network(
                jurisdiction=jurisdiction, learning_network=form.cleaned_data["learning_network"]
            )
        except ValidationError as exc:
            form.add_error("learning_network", exc.messages)
        else:
            messages.success(request, _("%(team)s team created.") % {"team": team})
            return redirect(jurisdiction)
    return _jurisdiction_page(request, jurisdiction, form, status=400)


@require_GET
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.VIEW_NETWORK, network)
    teams = (
        network.teams.select_related("jurisdiction__cohort")
        .annotate(member_count=Count("memberships"))
        .order_by("jurisdiction__name")
    )
    may_see_people = access.can(request.user, Action.VIEW_ROSTER)
    faculty = (
        network.faculty.select_related("user__organisation") if may_see_people
        else FacultyAssignment.objects.none()
    )
    return render(request, "network/network.html", {
        "network": network, "teams": teams, "faculty": faculty,
        "may_see_people": may_see_people,
    })


@require_GET
def team_detail(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.VIEW_TEAM, team)
    may_see_roster = access.can(request.user, Action.VIEW_ROSTER, team)
    may_invite = access.can(request.user, Action.INVITE_MEMBER, team)
    members = sorted(
        team.memberships.select_related("user__organisation") if may_see_roster else [],
        key=lambda m: (ROLE_ORDER.index(m.role), m.user.last_name, m.user.first_name),
    )
    pending = (
        team.invitations.filter(accepted_at__isnull=True).select_related("invited_by")
        if may_invite else Invitation.objects.none()
    )
    other_teams = (
        team.jurisdiction.teams.exclude(pk=team.pk).select_related("learning_network")
    )
    return render(request, "network/team.html", {
        "team": team, "members": members, "may_see_roster": may_see_roster,
        "may_invite": may_invite, "pending": pending,
        "may_see_data": access.can(request.user, Action.VIEW_DATA, team),
        "units": team.reporting_units.all(), "other_teams": other_teams,
    })


@require_http_methods(["GET", "POST"])
@sign_in_required
def invite(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.INVITE_MEMBER, team)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = services.invite_member(
                team=team, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s as %(role)s. The link works once and expires on "
                  "%(expires_at)s.")
                % {"email": invitation.email, "role": invitation.get_role_display(),
                   "expires_at": date_format(invitation.expires_at)},
            )
            return redirect(team)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/invite.html", {
        "team": team, "form": form, "invitation_days": settings.INVITATION_MAX_AGE.days,
    }, status=status)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.find_invitation(token)
    except services.InvitationError as exc:
        return render(request, "network/invitation_problem.html", {"problem": str(exc)},
                      status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context: dict[str, object] = {"invitation": invitation, "team": invitation.team}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(token=token, user=request.user)
            except services.InvitationError as exc:
                return render(request, "network/invitation_problem.html",
                              {"problem": str(exc)}, status=410)
            messages.success(request, _("Welcome to the %(team)s team.")
                             % {"team": invitation.team})
            return redirect(invitation.team)
        context["wrong_account"] = request.user.email.lower() != invitation.email.lower()
        return render(request, "network/invitation_accept.html", context)
    if existing is not None:
        context["existing"] = existing
        return render(request, "network/invitation_accept.html", context)
    form = InvitedSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = services.create_invited_user(
            email=invitation.email, first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"],
        )
        services.accept_invitation(token=token, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to the %(team)s team.")
                             % {"team": invitation.team})
        return redirect(invitation.team)
    context["form"] = form
    return render(request, "network/invitation_accept.html", context,
                  status=400 if request.method == "POST" else 200)


@require_GET
@sign_in_required
def people(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.VIEW_DIRECTORY)
    people = access.visible_people(request.user).select_related("organisation")
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
            | Q(title__icontains=q) | Q(organisation__name__icontains=q)
            | directory.search_filter(q)
        )
    expertise = request.GET.get("expertise", "").strip().lower()
    if expertise:
        people = people.filter(directory.expertise_filter(expertise))
    jurisdiction = request.GET.get("jurisdiction", "").upper()
    if jurisdiction:
        people = people.filter(directory.place_filter(jurisdiction))
    network = request.GET.get("network", "")
    if network:
        people = people.filter(directory.network_filter(network))
    role = request.GET.get("role", "")
    by_role = directory.role_filter(role)
    if by_role is not None:
        people = people.filter(by_role)
    people = people.distinct().prefetch_related(
        Prefetch("memberships", queryset=TeamMembership.objects.select_related(
            "team__jurisdiction", "team__learning_network")),
        Prefetch("faculty_roles", queryset=FacultyAssignment.objects.select_related(
            "learning_network")),
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    # What apps above this one add (expertise tags, spaces each person is active in).
    extras = directory.extras_for(list(page), viewer=request.user)
    for person in page:
        person.extras = extras.get(person.pk, {})
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "network/people.html", {
        "page": page, "q": q, "jurisdiction": jurisdiction, "network": network, "role": role,
        "expertise": expertise,
        "jurisdictions": Jurisdiction.objects.only("postal_code", "name"),
        "networks": LearningNetwork.objects.all(),
        "roles": [*TeamMembership.Role.choices, ("faculty", _("Faculty")),
                  (User.NetworkRole.BACKBONE, _("Backbone staff")),
                  (User.NetworkRole.FUNDER, _("Funder"))],
        "filter_query": filters.urlencode(),
    })
