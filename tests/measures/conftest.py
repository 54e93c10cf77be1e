"""Fixtures for reporting: the real catalog, and Georgia Safe Sleep's chosen measures."""

from __future__ import annotations

import pytest

from coiin.measures import services
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.measures.models import Measure


@pytest.fixture
def catalog(reference) -> dict[str, Measure]:
    return load_catalog()


@pytest.fixture
def chosen(catalog, team) -> list[Measure]:
    """Georgia Safe Sleep reports its network's default set."""
    measures = [catalog[c] for c in default_measure_codes("safe-sleep")]
    services.choose_measures(team=team, measures=measures)
    return measures
