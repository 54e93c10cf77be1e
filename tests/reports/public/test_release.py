"""A measure's public release: suppression proven by LP, flags, caching, locked data only."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from coiin.demo.network import load_reference
from coiin.measures.catalog import load_catalog
from coiin.measures.models import Measure
from coiin.network.models import Team, User
from coiin.reports.models import PublicRelease
from coiin.reports.public import publication
from coiin.stats import suppression
from tests.conftest import make_user, shared_rows

from .test_data import IMR_LOCKED, build_release, report

ALL = {"jurisdiction", "network", "national"}


def make_release() -> SimpleNamespace:
    """The hand-built release (tests/reports/public/test_data.py), made once for the module's
    tests, which follow one another on one worker: what a test writes (a publication, a
    value) is rolled back after it. The reference, catalog and backbone fixtures of the
    module are these rows."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    build_release(jurisdictions, networks, catalog, backbone)
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog,
                           backbone=backbone)


_release_rows, release_rows = shared_rows("release_rows", make_release)
pytestmark = pytest.mark.xdist_group("public-release")


@pytest.fixture
def reference(release_rows):
    return release_rows.reference


@pytest.fixture
def catalog(release_rows):
    return release_rows.catalog


@pytest.fixture
def backbone(release_rows):
    return release_rows.backbone


@pytest.fixture
def imr(catalog):
    return catalog["IMR"]


def _publish(measure, levels, user):
    for level in levels:
        publication.publish(measure=measure, level=level, user=user)


@pytest.mark.parametrize("levels", [ALL, {"jurisdiction"}, {"network"}, {"national"},
                                    {"network", "national"}])
def test_every_suppressed_cell_keeps_an_lp_interval_at_least_the_threshold_wide(imr, levels):
    computed = publication.compute_release(imr, levels)
    for part in (computed.numerators, computed.denominators):
        table, hidden = part.table, part.hidden
        intervals = suppression.audit(table, hidden, threshold=publication.threshold())
        for key, interval in intervals.items():
            count = table.cells[key]
            if key in part.latent and count >= publication.threshold():
                continue  # an unpublished level's big count: never shown, needs no width
            assert interval.width >= publication.threshold() - 1e-6, (key, interval)


def test_the_small_count_and_enough_others_are_hidden(imr):
    computed = publication.compute_release(imr, ALL)
    hidden = computed.numerators.hidden
    assert ("jurisdiction", "FL", 2015) in hidden
    # Published: the totals; so hiding one cell alone would give it away by subtraction.
    assert ("national", "US", 2015) not in hidden
    assert ("jurisdiction", "FL", None) not in hidden
    assert not [k for k in hidden if k[0] != "jurisdiction" or k[2] is None]  # no totals
    assert len(hidden) == 4  # the smallest pattern: a 2 x 2 rectangle of cells


def test_network_sums_cannot_reveal_an_unpublished_jurisdiction_count(imr):
    computed = publication.compute_release(imr, {"network"})
    assert {c["level"] for c in computed.cells} == {"network"}
    intervals = suppression.audit(computed.numerators.table, computed.numerators.hidden)
    assert intervals[("jurisdiction", "FL", 2015)].width >= 10


def test_nothing_shown_or_downloaded_contains_a_suppressed_count(imr, backbone):
    _publish(imr, ALL, backbone)
    r = publication.release(imr)
    computed = publication.compute_release(imr, ALL)
    hidden = computed.numerators.hidden
    for level in ("jurisdiction", "network"):
        for row in r.table(level):
            for c in row["cells"]:
                key = (level if row["unit"] != "US" else "national", row["unit"], c["year"])
                if key in hidden:
                    assert c["numerator"] == "" and c["numerator_flag"] == "suppressed"
                    assert c["rate"] == "" and c["rate_flag"] == "suppressed"
    # The stored cache never holds a suppressed value.
    stored = PublicRelease.objects.get(measure=imr).cells
    fl = next(c for c in stored if c["unit"] == "FL" and c["year"] == 2015)
    assert fl["n"] is None


def test_rates_on_fewer_than_twenty_events_are_flagged_unreliable(imr, backbone, settings):
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 3  # lets Florida's 3 deaths through
    _publish(imr, {"jurisdiction"}, backbone)
    rows = {(row["unit"], c["year"]): c for row in publication.release(imr)
            .table("jurisdiction") for c in row["cells"]}
    assert rows[("FL", 2015)]["numerator"] == "3"
    assert rows[("FL", 2015)]["rate_flag"] == "unreliable"
    assert rows[("FL", 2015)]["rate"] == f"{3 / 511 * 1000:.2f}"
    assert rows[("GA", 2015)]["rate_flag"] == ""  # 40 deaths


def test_only_locked_data_count(imr, backbone):
    _publish(imr, {"national"}, backbone)
    r = publication.release(imr)
    total = next(c for c in r.table("national")[0]["cells"] if c["year"] is None)
    deaths = sum(n for years in IMR_LOCKED.values() for n, _ in years.values())
    births = sum(d for years in IMR_LOCKED.values() for _, d in years.values())
    assert (total["numerator"], total["denominator"]) == (str(deaths), str(births))
    assert 2017 not in r.years  # the draft, submitted and reviewed 2017 periods are out


def test_the_release_is_cached_until_the_data_change(imr, backbone, jurisdictions, networks,
                                                     catalog):
    _publish(imr, ALL, backbone)
    publication.release(imr)
    first = PublicRelease.objects.get(measure=imr)
    publication.release(imr)
    assert PublicRelease.objects.get(measure=imr).computed_at == first.computed_at
    team = Team.objects.get(jurisdiction=jurisdictions["GA"],
                            learning_network=networks["safe-sleep"])
    report(team, catalog["IMR"], "2016-Q2", 41, 6200, user=backbone)
    r = publication.release(imr)
    assert PublicRelease.objects.get(measure=imr).fingerprint != first.fingerprint
    ga = {c["year"]: c for c in r.row("jurisdiction", "GA")["cells"] if c}
    assert ga[2016]["numerator"] == str(38 + 41)


def test_publishing_computes_the_release_after_commit_not_at_the_first_visit(
        imr, backbone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication.publish(measure=imr, level="network", user=backbone)
    assert not PublicRelease.objects.exists() and len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (at once with the immediate backend)
    cached = PublicRelease.objects.get(measure=imr)
    assert cached.fingerprint == publication.base_data(imr, {"network"}, set()).fingerprint
    publication.release(imr)  # the visitor's page uses it as it is
    assert PublicRelease.objects.get(measure=imr).computed_at == cached.computed_at
    with django_capture_on_commit_callbacks(execute=True):
        publication.unpublish(measure=imr, level="network")
    assert publication.release(imr) is None


def test_unpublished_measures_have_no_release(imr):
    assert publication.release(imr) is None


def test_only_counts_and_ratios_can_be_published(catalog, backbone):
    text = Measure.objects.create(code="X-TEXT", name="Barriers", level="innovation",
                                  type="text", data_source="Team report", source="Test")
    with pytest.raises(publication.PublishError):
        publication.publish(measure=text, level="national", user=backbone)


def test_csv_rows_are_the_table_as_shown(imr, backbone):
    _publish(imr, {"jurisdiction"}, backbone)
    r = publication.release(imr)
    out = io.StringIO()
    csv.writer(out).writerows(r.csv_rows("jurisdiction"))
    parsed = list(csv.reader(io.StringIO(out.getvalue())))
    shown = [c for row in r.table("jurisdiction") for c in row["cells"] if c]
    assert [p[5] for p in parsed] == [c["numerator"] for c in shown]
    assert [p[9] for p in parsed] == [c["rate"] for c in shown]


@pytest.mark.parametrize("seed", range(8))
def test_random_releases_pass_an_independent_lp_audit(seed):
    """Small random releases (some counts under 10, overlapping networks, any levels)."""
    import random

    rng = random.Random(seed)
    postals = ["AA", "BB", "CC", "DD", "EE"]
    years = [2015, 2016, 2017]
    num = {(p, y, None): rng.choice([0, 1, 3, 7, 12, 25, 40, 90]) for p in postals
           for y in years if rng.random() > 0.15}
    members = {"n1": set(rng.sample(postals, 3)), "n2": set(rng.sample(postals, 2))}
    levels = set(rng.sample(sorted(ALL), rng.randint(1, 3)))
    base = publication.Base(Measure(code="X", type="count"), num, {}, {p: p for p in postals},
                            {"n1": "One", "n2": "Two"}, members, "")
    table, latent = publication.release_table(num, base, levels)
    result = publication.suppress_release(table, latent, 10)
    intervals = suppression.audit(table, result.hidden, threshold=10)
    for key, interval in intervals.items():
        if key in latent and table.cells[key] >= 10:
            continue
        if table.cells[key] == 0 and result.required[key] == 0:
            continue  # a zero pinned by the constraints reveals nobody
        assert interval.width >= 10 - 1e-6, (key, interval, levels)
    small = [k for k, c in table.cells.items() if 1 <= c <= 9]
    assert set(small) <= result.hidden
