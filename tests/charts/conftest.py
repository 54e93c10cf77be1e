"""Teams with reported data to chart: Georgia's crib audits with a shift, and Texas's."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.charts.summaries import services as summaries
from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

BEFORE = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32]  # of 50: about 60 %
AFTER = [40, 41, 42, 40, 43, 41, 42, 44, 41, 42, 43, 42]  # about 84 %: a sustained shift


@pytest.fixture
def crib_data(team, chosen, catalog, data_lead, backbone):
    """Two years of submitted crib audits for Georgia Safe Sleep, with a shift in year two."""
    return report_crib(team, catalog, data_lead)


def report_crib(team, catalog, data_lead):
    """The chart summaries are refreshed once, after the last month, not after each of the
    24 submissions (as ``summaries.deferred`` does for any bulk writer)."""
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    with summaries.deferred():
        _report_months(team, catalog, data_lead)
    return catalog["SS-CRIB"]


def _report_months(team, catalog, data_lead):
    period = Period.parse("2015-01")
    for num in BEFORE + AFTER:
        sub = reporting.submission_for(team, period)
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              entries=[Entry(catalog["SS-CRIB"], period.label,
                                             numerator=str(num), denominator="50",
                                             confirm="crib programme began")],
                              today=period.end + dt.timedelta(days=3))
        reporting.submit(submission=sub, user=data_lead, today=period.end + dt.timedelta(days=3))
        period = period.next()


@pytest.fixture
def texas_crib(jurisdictions, networks, catalog, data_lead, backbone):
    """A second Safe Sleep team (Texas) with a year of crib audits."""
    return report_texas(jurisdictions, networks, catalog, backbone)


def report_texas(jurisdictions, networks, catalog, backbone):
    from coiin.network import services as network_services

    texas = network_services.join_network(jurisdiction=jurisdictions["TX"],
                                          learning_network=networks["safe-sleep"],
                                          joined_on=dt.date(2014, 1, 1))
    reporting.choose_measures(team=texas, measures=[catalog["SS-CRIB"]])
    with summaries.deferred():
        _report_texas_months(texas, catalog, backbone)
    return texas


def _report_texas_months(texas, catalog, backbone):
    period = Period.parse("2015-01")
    for num in [20, 22, 21, 23, 20, 22, 21, 20, 22, 23, 21, 22]:
        sub = reporting.submission_for(texas, period)
        reporting.save_values(submission=sub, user=backbone, expected_version=0,
                              entries=[Entry(catalog["SS-CRIB"], period.label,
                                             numerator=str(num), denominator="40",
                                             confirm="ok")],
                              today=period.end + dt.timedelta(days=3))
        reporting.submit(submission=sub, user=backbone, today=period.end + dt.timedelta(days=3))
        period = period.next()
