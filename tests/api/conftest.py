"""Reporting fixtures for the API tests: the real catalog, chosen measures, open periods."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.measures import services
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.measures.models import Measure
from coiin.measures.periods import Frequency, Period


@pytest.fixture
def catalog(reference) -> dict[str, Measure]:
    return load_catalog()


@pytest.fixture
def chosen(catalog, team) -> list[Measure]:
    """Georgia Safe Sleep reports its network's default set."""
    measures = [catalog[c] for c in default_measure_codes("safe-sleep")]
    services.choose_measures(team=team, measures=measures)
    return measures


@pytest.fixture
def this_month() -> str:
    """The current month: open for data entry."""
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).label
