"""Teams with reported data to chart: Georgia's crib audits with a shift, and Texas's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from coiin.charts.summaries import services as summaries
from coiin.measures import services as reporting
from tests.conftest import georgia_safe_sleep, report_months

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
        report_months(team, catalog["SS-CRIB"], data_lead, BEFORE + AFTER, denominator=50,
                      confirm="crib programme began")
    return catalog["SS-CRIB"]


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
        report_months(texas, catalog["SS-CRIB"], backbone,
                      [20, 22, 21, 23, 20, 22, 21, 20, 22, 23, 21, 22], denominator=40)
    return texas


def crib_and_texas() -> SimpleNamespace:
    """For a module's shared rows: Georgia's and Texas's crib audits with the fixtures they
    are made of (reference, catalog, team, chosen, data_lead, backbone; tests/conftest.py)."""
    rows = georgia_safe_sleep("data_lead", "backbone")
    rows.crib = report_crib(rows.team, rows.catalog, rows.data_lead)
    rows.texas = report_texas(*rows.reference, rows.catalog, rows.backbone)
    return rows
