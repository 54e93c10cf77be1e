"""The dashboards chart the same reported data as the team charts.

Every test here reads Georgia's and Texas's crib audits (tests/charts/conftest.py): they are
reported once for the module's tests, which follow one another on one worker (what a test
writes is rolled back after it). The shared fixtures they are made of (reference, catalog,
team, chosen, data_lead, backbone) are these rows; the other personas are made per test."""

from __future__ import annotations

import pytest

from tests.charts.conftest import crib_and_texas
from tests.conftest import shared_rows

_dashboard_rows, dashboard_rows = shared_rows("dashboard_rows", crib_and_texas)


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
