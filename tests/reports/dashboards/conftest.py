"""The dashboards chart the same reported data as the team charts.

Every test here reads Georgia's and Texas's crib audits (tests/charts/conftest.py): they are
reported once for the module's tests, which follow one another on one worker (what a test
writes is rolled back after it). The shared fixtures they are made of (reference, catalog,
team, chosen, data_lead, backbone) are these rows; the other personas are made per test."""

from __future__ import annotations

import pytest

from tests.charts.conftest import crib_and_texas
from tests.conftest import fixtures_from, shared_rows

_dashboard_rows, dashboard_rows = shared_rows("dashboard_rows", crib_and_texas)


globals().update(fixtures_from("dashboard_rows",
                               "reference", "catalog", "team", "chosen", "data_lead", "backbone"))


@pytest.fixture
def crib_data(catalog):
    return catalog["SS-CRIB"]


@pytest.fixture
def texas_crib(dashboard_rows):
    return dashboard_rows.texas
