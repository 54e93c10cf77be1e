"""The dashboards chart the same reported data as the team charts.

Every test here reads Georgia's and Texas's crib audits (tests/charts/conftest.py): they are
reported once for the module's tests, which follow one another on one worker (what a test
writes is rolled back after it). The shared fixtures they are made of (reference, catalog,
team, chosen, data_lead, backbone) are these rows; the other personas are made per test."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.network import services as network_services
from coiin.network.models import TeamMembership, User
from tests.charts.conftest import report_crib, report_texas
from tests.conftest import make_user, shared_rows


def load_crib_data() -> SimpleNamespace:
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    team = network_services.join_network(jurisdiction=jurisdictions["GA"],
                                         learning_network=networks["safe-sleep"])
    chosen = [catalog[c] for c in default_measure_codes("safe-sleep")]
    reporting.choose_measures(team=team, measures=chosen)
    data_lead = make_user("dara.data@example.org")
    network_services.add_member(team=team, user=data_lead, role=TeamMembership.Role.DATA_LEAD)
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    report_crib(team, catalog, data_lead)
    texas = report_texas(jurisdictions, networks, catalog, backbone)
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog, team=team,
                           chosen=chosen, data_lead=data_lead, backbone=backbone, texas=texas)


_dashboard_rows, dashboard_rows = shared_rows("dashboard_rows", load_crib_data)


@pytest.fixture
def reference(dashboard_rows):
    return dashboard_rows.reference


@pytest.fixture
def catalog(dashboard_rows):
    return dashboard_rows.catalog


@pytest.fixture
def team(dashboard_rows):
    return dashboard_rows.team


@pytest.fixture
def chosen(dashboard_rows):
    return list(dashboard_rows.chosen)


@pytest.fixture
def data_lead(dashboard_rows):
    return dashboard_rows.data_lead


@pytest.fixture
def backbone(dashboard_rows):
    return dashboard_rows.backbone


@pytest.fixture
def crib_data(catalog):
    return catalog["SS-CRIB"]


@pytest.fixture
def texas_crib(dashboard_rows):
    return dashboard_rows.texas
