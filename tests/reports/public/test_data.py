"""A small hand-built release for the public-site tests (helpers only, no tests here)."""

from __future__ import annotations

import datetime as dt

from coiin.measures import services as reporting
from coiin.measures.models import Measure, Submission
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.network.models import Team, User

# (network, postal) -> {year: (infant deaths, live births)}; Florida's 2015 count of 3 must
# never be published, nor anything that gives it away.
IMR_LOCKED = {
    ("safe-sleep", "GA"): {2015: (40, 6000), 2016: (38, 6100)},
    ("safe-sleep", "FL"): {2015: (3, 511), 2016: (45, 7000)},
    ("safe-sleep", "AL"): {2015: (30, 4000), 2016: (28, 4100)},
    ("preterm-birth", "TX"): {2015: (50, 9000), 2016: (52, 9100)},
}
# Values that exist but may never reach the public site (distinctive on purpose).
DRAFT_BIRTHS = 86421  # GA 2017-Q1, a draft
SUBMITTED_BIRTHS = 97531  # AL 2017-Q1, submitted but not locked
REVIEWED_BIRTHS = 64208  # TX 2017-Q2, reviewed but not locked
UNPUBLISHED_BIRTHS = 75319  # SUID, locked but not published
SECRETS = [str(DRAFT_BIRTHS), str(SUBMITTED_BIRTHS), str(REVIEWED_BIRTHS),
           str(UNPUBLISHED_BIRTHS)]


def report(team: Team, measure: Measure, label: str, num: int, den: int, *, user: User,
           status: str = Submission.Status.LOCKED) -> Submission:
    """A team-period with one value, taken through the workflow to ``status``."""
    period = Period.parse(label)
    today = period.end + dt.timedelta(days=3)
    sub = reporting.submission_for(team, period)
    reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                          entries=[Entry(measure, label, numerator=str(num),
                                         denominator=str(den), confirm="test data")],
                          today=today)
    if status == Submission.Status.DRAFT:
        return sub
    sub = reporting.submit(submission=sub, user=user, today=today)
    if status == Submission.Status.SUBMITTED:
        return sub
    sub = reporting.review(submission=sub, user=user, assessment="Checked.")
    if status == Submission.Status.REVIEWED:
        return sub
    return reporting.lock(submission=sub, user=user)


def build_release(jurisdictions, networks, catalog, user: User) -> dict[str, Team]:
    """Locked IMR for four jurisdictions in two networks, plus the values that must stay
    private: a draft, a submitted-but-unlocked period and an unpublished measure."""
    teams = {}
    for (slug, postal), years in IMR_LOCKED.items():
        team = Team.objects.filter(jurisdiction=jurisdictions[postal],
                                   learning_network=networks[slug]).first() \
            or services.join_network(jurisdiction=jurisdictions[postal],
                                     learning_network=networks[slug])
        team.joined_on = dt.date(2014, 1, 1)
        team.save()
        reporting.choose_measures(team=team, measures=[catalog["IMR"], catalog["SUID"]])
        teams[postal] = team
        for year, (num, den) in years.items():
            report(team, catalog["IMR"], f"{year}-Q1", num, den, user=user)
    report(teams["GA"], catalog["IMR"], "2017-Q1", 12, DRAFT_BIRTHS, user=user,
           status=Submission.Status.DRAFT)
    report(teams["AL"], catalog["IMR"], "2017-Q1", 11, SUBMITTED_BIRTHS, user=user,
           status=Submission.Status.SUBMITTED)
    report(teams["TX"], catalog["IMR"], "2017-Q2", 13, REVIEWED_BIRTHS, user=user,
           status=Submission.Status.REVIEWED)
    report(teams["TX"], catalog["SUID"], "2015", 7, UNPUBLISHED_BIRTHS, user=user)
    return teams
