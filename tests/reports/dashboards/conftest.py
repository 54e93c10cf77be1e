"""The dashboards chart the same reported data as the team charts."""

from tests.charts.conftest import crib_data, texas_crib  # noqa: F401 - fixtures
