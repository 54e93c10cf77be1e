"""Reported data: entering, submitting, reviewing and seeing a team's measures.

* A team's members enter data; its leads (lead, data lead) submit it and choose its
  measures; its network's faculty review, reopen and see it; the funder sees submitted
  data everywhere. Backbone staff do everything; locking and exceptions are theirs alone.
* Site-level reporting: site staff (a membership limited to one reporting unit) enter
  and see only their own site's values, not the team's own figures nor other sites'; for
  everything else (the team's charts and rolled-up totals, improvement, community) they
  are members of the team. Everyone else who sees or enters the team's data sees or
  enters every site's. The team's leads (and faculty for the measures) manage its sites.
* Official vital statistics (the loaded files and the rates reproduced from them):
  backbone staff and the funder.
* A jurisdiction's figures across its teams (disparities by race/ethnicity): backbone
  staff, the funder, and the whole-team members and faculty of any of its teams.
* A learning network's data across its teams: backbone staff, the funder and the
  network's faculty; its pooled figures also its teams' members. How its pooled chart is
  drawn (the chart type): its faculty and backbone staff.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coiin.measures.models import Submission
from coiin.network.models import (
    Jurisdiction,
    LearningNetwork,
    ReportingUnit,
    Team,
    TeamMembership,
)

from .actions import Action, AnyUser, Rule, Rules
from .roles import (
    coaches,
    is_backbone,
    is_faculty_of,
    is_funder,
    is_in_network,
    is_on_a_team,
    staff_site,
    team_role,
    team_rule,
)

_LEADS = {TeamMembership.Role.LEAD, TeamMembership.Role.DATA_LEAD}


def _on_team(u: AnyUser, t: Team) -> bool:
    return team_role(u, t) is not None


def _lead(u: AnyUser, t: Team) -> bool:
    return team_role(u, t) in _LEADS


def _nobody_else(u: AnyUser, t: Team) -> bool:
    return False  # backbone staff only


def _whole_team(u: AnyUser, t: Team) -> bool:
    return _on_team(u, t) and staff_site(u, t) is None


def _site_member(u: AnyUser, unit: ReportingUnit) -> bool:
    team = unit.team
    return _on_team(u, team) and staff_site(u, team) in (None, unit.pk)


def _sees_site(u: AnyUser, unit: ReportingUnit) -> bool:
    return is_backbone(u) or is_funder(u) or is_faculty_of(u, unit.team) \
        or _site_member(u, unit)


def _enters_site(u: AnyUser, unit: ReportingUnit) -> bool:
    return is_backbone(u) or _site_member(u, unit)


def _may_import(u: AnyUser, obj: Any) -> bool:
    return is_backbone(u) or is_on_a_team(u)


def _sees_reporting_status(u: AnyUser, obj: Any) -> bool:
    return reporting_status_teams(u) is not None


def _sees_national(u: AnyUser, obj: Any) -> bool:
    return is_backbone(u) or is_funder(u) or bool(
        u.is_authenticated and u.faculty_roles.exists())


def _sees_vitals(u: AnyUser, obj: Any) -> bool:
    return is_backbone(u) or is_funder(u)


def _sees_jurisdiction_data(u: AnyUser, jurisdiction: Jurisdiction) -> bool:
    if is_backbone(u) or is_funder(u):
        return True
    if not u.is_authenticated:
        return False
    # Two queries whatever the number of its teams.
    return TeamMembership.objects.filter(user=u, team__jurisdiction=jurisdiction,
                                         unit__isnull=True).exists() \
        or u.faculty_roles.filter(learning_network__teams__jurisdiction=jurisdiction).exists()


def _sees_network_data(u: AnyUser, network: Any) -> bool:
    return is_backbone(u) or is_funder(u) or coaches(u, network)


def _sees_network_pooled(u: AnyUser, network: Any) -> bool:
    return _sees_network_data(u, network) or is_in_network(u, network)


def _adds_measure(u: AnyUser, network: Any) -> bool:
    return is_backbone(u) or coaches(u, network)


def _changes_network_chart(u: AnyUser, network: Any) -> bool:
    return is_backbone(u) or coaches(u, network)


RULES: Rules = {
    Action.VIEW_DATA: team_rule(lambda u, t: is_funder(u) or _on_team(u, t)
                                or is_faculty_of(u, t)),
    Action.ENTER_DATA: team_rule(_on_team),
    Action.SUBMIT_DATA: team_rule(_lead),
    Action.ENTER_TEAM_VALUES: team_rule(_whole_team),
    Action.MANAGE_SITES: team_rule(_lead, refusal="Only the team lead, the data lead and "
                                                  "backbone staff manage the team's sites."),
    Action.VIEW_SITE_DATA: Rule(_sees_site, needs=ReportingUnit, what="a reporting unit"),
    Action.ENTER_SITE_DATA: Rule(_enters_site, needs=ReportingUnit,
                                 what="a reporting unit"),
    Action.CHOOSE_MEASURES: team_rule(lambda u, t: _lead(u, t) or is_faculty_of(u, t)),
    Action.REVIEW_DATA: team_rule(is_faculty_of),
    Action.CHANGE_CHART: team_rule(lambda u, t: _lead(u, t) or is_faculty_of(u, t)),
    Action.REOPEN_DATA: team_rule(is_faculty_of),
    Action.LOCK_DATA: team_rule(_nobody_else),
    Action.GRANT_EXCEPTION: team_rule(_nobody_else),
    Action.ADD_MEASURE: Rule(_adds_measure),
    Action.CHANGE_NETWORK_CHART: Rule(
        _changes_network_chart, needs=LearningNetwork, what="a learning network",
        refusal="The network's faculty and backbone staff choose how its pooled chart is "
                "drawn."),
    Action.IMPORT_DATA: Rule(_may_import),
    Action.VIEW_REPORTING_STATUS: Rule(_sees_reporting_status),
    Action.VIEW_NATIONAL: Rule(_sees_national),
    Action.VIEW_VITALS: Rule(_sees_vitals, refusal="Official vital statistics are for "
                                                   "backbone staff and the funder."),
    Action.VIEW_JURISDICTION_DATA: Rule(
        _sees_jurisdiction_data, needs=Jurisdiction, what="a jurisdiction",
        refusal="A jurisdiction's figures are for its teams, their faculty, backbone staff "
                "and the funder."),
    Action.VIEW_NETWORK_DATA: Rule(_sees_network_data),
    Action.VIEW_NETWORK_POOLED: Rule(_sees_network_pooled),
}


def visible_units(user: AnyUser, team: Team) -> QuerySet[ReportingUnit]:
    """The team's sites whose values this user may see (VIEW_SITE_DATA), as a queryset:
    all for those who see the team's data, the own site for site staff."""
    units = ReportingUnit.objects.filter(team=team)
    if is_backbone(user) or is_funder(user) or is_faculty_of(user, team):
        return units
    if not _on_team(user, team):
        return units.none()
    own = staff_site(user, team)
    return units if own is None else units.filter(pk=own)


def enterable_units(user: AnyUser, team: Team) -> QuerySet[ReportingUnit]:
    """The team's sites whose values this user may enter (ENTER_SITE_DATA)."""
    if is_backbone(user):
        return ReportingUnit.objects.filter(team=team)
    if not _on_team(user, team):
        return ReportingUnit.objects.none()
    return visible_units(user, team)


def visible_site_values(user: AnyUser, values: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow site values (of team-periods the user may see, see ``visible_submissions``)
    to the sites they may see: site staff see their own site's only."""
    if is_backbone(user) or is_funder(user) or not user.is_authenticated:
        return values
    staff = dict(TeamMembership.objects.filter(user=user, unit__isnull=False)
                 .values_list("team_id", "unit_id"))
    if not staff:
        return values
    return values.filter(~Q(submission__team_id__in=list(staff))
                         | Q(unit_id__in=list(staff.values())))


def visible_submissions(user: AnyUser,
                        submissions: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """Team-periods this user may see: their own teams' (drafts too); submitted data of the
    teams they coach (faculty) or fund; everything for backbone staff."""
    qs = Submission.objects.all() if submissions is None else submissions
    if is_backbone(user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    shown = [s.value for s in Submission.SHOWN_STATUSES]
    own = Q(team__memberships__user=user)
    if is_funder(user):
        return qs.filter(own | Q(status__in=shown)).distinct()
    coached = Q(status__in=shown, team__learning_network__faculty__user=user)
    return qs.filter(own | coached).distinct()


def submissions_to_review(user: AnyUser) -> QuerySet[Submission]:
    """Submitted team-periods waiting for this user's review (REVIEW_DATA): those of the
    networks they coach for faculty; none for anyone else. Backbone staff may review too,
    but reviewing is the faculty's work: their queue is ``submissions_to_lock``."""
    if not (user.is_authenticated and user.is_active):
        return Submission.objects.none()
    return Submission.objects.filter(status=Submission.Status.SUBMITTED,
                                     team__learning_network__faculty__user=user)


def submissions_to_lock(user: AnyUser) -> QuerySet[Submission]:
    """Reviewed team-periods waiting to be locked (LOCK_DATA): backbone staff only."""
    if not is_backbone(user):
        return Submission.objects.none()
    return Submission.objects.filter(status=Submission.Status.REVIEWED)


def teams_with_visible_data(user: AnyUser) -> QuerySet[Team]:
    """Teams whose submitted data this user may see (VIEW_DATA), as one query."""
    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    return Team.objects.filter(
        Q(memberships__user=user) | Q(learning_network__faculty__user=user)).distinct()


def reporting_status_teams(user: AnyUser) -> QuerySet[Team] | None:
    """Teams whose reporting status this user may see: all for backbone staff and the
    funder, their networks' teams for faculty; None for everybody else."""
    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if user.is_authenticated and user.is_active and user.faculty_roles.exists():
        return Team.objects.filter(learning_network__faculty__user=user)
    return None
