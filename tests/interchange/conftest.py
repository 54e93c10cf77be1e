"""A small reporting world for the interchange tests: Georgia's Safe Sleep team with a
ratio by month (one month with a weighted, fractional numerator), a ratio by stratum by
quarter, a survey estimate (PRAMS) by stratum by year with its standard error, 95 % CI and
unweighted n, a count and a categorical answer, across every workflow status."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import transaction

from coiin.demo.network import load_reference
from coiin.measures import io
from coiin.measures import services as measures
from coiin.measures.catalog import load_catalog
from coiin.measures.models import DataValue, Measure, Submission
from coiin.measures.periods import Frequency, Period
from coiin.network import services as network
from tests.conftest import shared_rows

CODES = ("SS-CRIB", "SS-BACK", "IMR")
RACES = ("nh-white", "nh-black", "hispanic")

# (measure, period, stratum, numerator, denominator, value, comment)
ROWS = [
    ("SS-CRIB", "2017-10", "", "40", "50", "", "audit of 3 hospitals"),
    ("SS-CRIB", "2017-11", "", "42.5", "50", "", ""),
    ("SS-CRIB", "2017-12", "", "45", "51", "", ""),
    ("SS-CRIB", "2018-01", "", "47", "50", "", "provisional"),
    ("SS-COUNT", "2017-10", "", "", "", "3", ""),
    ("SS-COUNT", "2017-12", "", "", "", "5", "two new partners"),
    ("SS-READY", "2017-11", "", "", "", "Partly", ""),
    ("IMR", "2017-Q4", "", "60", "9000", "", ""),
    ("IMR", "2017-Q4", "nh-white", "20", "5000", "", ""),
    ("IMR", "2017-Q4", "nh-black", "30", "2500", "", ""),
    ("IMR", "2017-Q4", "hispanic", "10", "1500", "", ""),
    ("SS-BACK", "2017", "", "", "", "80.125", "PRAMS weighted"),
    ("SS-BACK", "2017", "nh-white", "", "", "83.5", ""),
    ("SS-BACK", "2017", "nh-black", "", "", "75", ""),
]
# A survey estimate's (measure, period, stratum) -> standard error, 95 % CI, unweighted n:
# with an SE, with a CI, with both.
SURVEY = {("SS-BACK", "2017", ""): ("1.9", "", "", "1000"),
          ("SS-BACK", "2017", "nh-white"): ("", "80.1", "86.9", "600"),
          ("SS-BACK", "2017", "nh-black"): ("2.2", "70.7", "79.3", "400")}
SURVEY_FIELDS = ("standard_error", "ci_lower", "ci_upper", "sample_size")
STATUSES = {("monthly", "2017-10"): "locked", ("monthly", "2017-11"): "reviewed",
            ("monthly", "2017-12"): "submitted", ("monthly", "2018-01"): "draft",
            ("quarterly", "2017-Q4"): "reviewed", ("yearly", "2017"): "locked"}


def make_world() -> dict:
    """The reference tables, the catalog and Georgia's Safe Sleep team reporting these
    measures (two made here: a count and a categorical one), made once for the tests of
    this folder, which follow one another on one worker; each test's writes roll back."""
    jurisdictions, networks = reference = load_reference()
    catalog = load_catalog()
    team = network.join_network(jurisdiction=jurisdictions["GA"],
                                learning_network=networks["safe-sleep"])
    count = Measure.objects.create(
        code="SS-COUNT", name="Hospitals certified safe sleep", learning_network=networks[
            "safe-sleep"], level=Measure.Level.INNOVATION, type=Measure.Type.COUNT,
        multiplier=1, unit="hospitals", direction="up", data_source="Program records",
        source="test")
    ready = Measure.objects.create(
        code="SS-READY", name="Hospital policy in place", learning_network=networks[
            "safe-sleep"], level=Measure.Level.INNOVATION, type=Measure.Type.CATEGORICAL,
        categories=["Yes", "Partly", "No"], data_source="Program records", source="test")
    measures.choose_measures(team=team, measures=[catalog[c] for c in CODES] + [count, ready])
    return {"reference": reference, "catalog": catalog, "team": team}


_world_rows, shared_world = shared_rows("shared_world", make_world)


@pytest.fixture
def reference(shared_world):
    return shared_world["reference"]


@pytest.fixture
def catalog(shared_world):
    return shared_world["catalog"]


@pytest.fixture
def team(shared_world):
    return shared_world["team"]


@pytest.fixture
def world(team):
    return team


def seed(team, user=None) -> None:
    """The rows above, then each team-period moved to its status."""
    rows = [(i, {"jurisdiction": "GA", "network": "safe-sleep", "measure": m, "period": p,
                 "stratum": s, "numerator": n, "denominator": d, "value": v, "comment": c,
                 **dict(zip(SURVEY_FIELDS, SURVEY.get((m, p, s), ()), strict=False))})
            for i, (m, p, s, n, d, v, c) in enumerate(ROWS, start=2)]
    io.import_rows(rows, user=user, reason="test data")
    for (freq, label), status in STATUSES.items():
        period = Period.parse(label)
        sub = Submission.objects.get(team=team, frequency=freq, period_start=period.start)
        measures.bring_forward(submission=sub, user=user, to=status, note="test")


def snapshot(team) -> tuple[set[tuple], dict[str, str]]:
    """Every value (numbers as decimals, a survey estimate's SE, CI and n included) and
    every team-period's status."""
    values = set()
    for v in DataValue.objects.filter(submission__team=team).select_related(
            "measure", "stratum", "submission"):
        values.add((v.measure.code, v.submission.period.label,
                    v.stratum.code if v.stratum else "", _d(v.numerator), _d(v.denominator),
                    _d(v.value), v.text, v.comment, _d(v.standard_error), _d(v.ci_lower),
                    _d(v.ci_upper), v.sample_size))
    statuses = {s.period.label: s.status for s in Submission.objects.filter(team=team)}
    return values, statuses


def _d(x: Decimal | None) -> Decimal | None:
    return None if x is None else x.normalize()


@pytest.fixture
def exported(world) -> Callable[[Callable[[], bytes]], tuple[bytes, tuple]]:
    """exported(write) -> (the document write() makes of the seeded team, the team's
    snapshot); the seeded values are then rolled back, leaving a database without them."""

    def run(write: Callable[[], bytes]) -> tuple[bytes, tuple]:
        with transaction.atomic():
            seed(world)
            data, snap = write(), snapshot(world)
            transaction.set_rollback(True)
        assert not DataValue.objects.exists()
        return data, snap

    return run


def monthly(label: str) -> Period:
    return Period.parse(label) if "-" in label else Period(Period.parse(label).start,
                                                           Frequency.YEARLY)
