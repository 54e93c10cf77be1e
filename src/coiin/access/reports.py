"""Reports made in the background.

* A report about a team is seen by whoever sees the team's submitted data (VIEW_DATA);
  one about a learning network by whoever sees the network's data (VIEW_NETWORK_DATA);
  the national report by whoever sees every jurisdiction's data (VIEW_NATIONAL).
* A report job (its progress, its download) is seen by whoever asked for it, and by
  whoever may see a report of its kind about its subject. Anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from coiin.network.models import LearningNetwork, Team
from coiin.reports.documents.models import ReportSnapshot
from coiin.reports.jobs.models import ReportJob

from .actions import Action, AnyUser, Rule, Rules
from .data import RULES as DATA

Kind = ReportSnapshot.Kind


def may_see_report(user: AnyUser, *, kind: str, team: Team | None,
                   network: LearningNetwork | None) -> bool:
    """May this person see a report of this kind about this team or network?"""
    if kind == Kind.TEAM:
        return team is not None and DATA[Action.VIEW_DATA].check(user, team)
    if kind == Kind.NETWORK:
        return network is not None and DATA[Action.VIEW_NETWORK_DATA].check(user, network)
    return DATA[Action.VIEW_NATIONAL].check(user, None)


def can_see_report_job(user: AnyUser, job: ReportJob) -> bool:
    """VIEW_REPORT_JOB."""
    if user.is_authenticated and job.requested_by_id == user.pk:
        return True
    return may_see_report(user, kind=job.kind, team=job.team, network=job.network)


RULES: Rules = {
    Action.VIEW_REPORT_JOB: Rule(can_see_report_job, needs=ReportJob),
}

# For ``require``: a job one may not see is not there (404), whoever asks.
SEES: dict[type, Any] = {ReportJob: can_see_report_job}
