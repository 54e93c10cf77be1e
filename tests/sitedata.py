"""Helpers for tests of site-level reporting: Georgia Safe Sleep's two pilot hospitals
reporting crib audits (SS-CRIB) by site."""

from __future__ import annotations

import datetime as dt

from coiin.measures import services
from coiin.measures.models import SiteValue
from coiin.measures.periods import Period
from coiin.network.models import ReportingUnit, Team, User

# A year of audits per hospital: (numerator, denominator). Grady's are small and high,
# Piedmont's large and lower, so the pooled rate is far from the mean of the two rates.
GRADY = [(9, 10), (8, 10), (9, 10), (10, 10), (9, 10), (8, 10),
         (9, 10), (9, 10), (10, 10), (8, 10), (9, 10), (9, 10)]
PIEDMONT = [(30, 90), (33, 90), (29, 90), (31, 90), (30, 90), (32, 90),
            (28, 90), (31, 90), (30, 90), (29, 90), (33, 90), (30, 90)]


def make_sites(team: Team, catalog) -> list[ReportingUnit]:
    """Two hospitals, with SS-CRIB reported by site."""
    units = [ReportingUnit.objects.create(team=team, name=n, kind="hospital")
             for n in ("Grady Memorial", "Piedmont Atlanta")]
    services.set_by_site(team=team, measures=[catalog["SS-CRIB"]])
    return units


def submitted_year(team: Team, units: list[ReportingUnit], catalog, user: User,
                   start: str = "2015-01") -> list:
    """A year of submitted months with both hospitals' audits, rolled up to the team."""
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    period = Period.parse(start)
    subs = []
    for _ in GRADY:
        subs.append(services.submission_for(team, period))
        period = period.next()
    values = [SiteValue(submission=s, unit=u, measure=catalog["SS-CRIB"], numerator=num,
                        denominator=den, updated_by=user)
              for s, g, p in zip(subs, GRADY, PIEDMONT, strict=True)
              for u, (num, den) in zip(units, (g, p), strict=True)]
    services.add_site_values(values=values, reason="test data")
    for s in subs:
        services.submit(submission=s, user=user, today=s.period.end + dt.timedelta(days=3))
    return subs
