"""Strata on the public site: released together with the totals, safe against subtraction."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest

from coiin.charts.summaries import services as summaries
from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.measures.models import Stratum
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.network.models import Team
from coiin.reports.models import PublishedMeasure
from coiin.reports.public import publication
from coiin.stats import suppression
from tests.conftest import fixtures_from, make_backbone, shared_rows

# (network, postal) -> {year: {stratum: (preterm births, live births)}}: several small
# counts (under 10) that must never be published or be derivable from the totals.
PTB = {
    ("preterm-birth", "GA"): {2015: {"nh-white": (300, 3000), "nh-black": (280, 2100),
                                     "hispanic": (60, 700), "nh-aian": (2, 15)},
                              2016: {"nh-white": (310, 3050), "nh-black": (270, 2000),
                                     "hispanic": (65, 720), "nh-aian": (4, 20)}},
    ("preterm-birth", "TX"): {2015: {"nh-white": (500, 5000), "nh-black": (150, 1200),
                                     "hispanic": (700, 6500), "nh-aian": (7, 40)},
                              2016: {"nh-white": (510, 5100), "nh-black": (160, 1250),
                                     "hispanic": (720, 6600), "nh-aian": (12, 60)}},
    ("preterm-birth", "AL"): {2015: {"nh-white": (200, 2100), "nh-black": (150, 1300),
                                     "hispanic": (9, 80), "nh-aian": (0, 6)},
                              2016: {"nh-white": (205, 2150), "nh-black": (140, 1250),
                                     "hispanic": (11, 95), "nh-aian": (1, 5)}},
}
ALL = {"jurisdiction", "network", "national"}


def _report(team: Team, measure, label: str, strata: dict[str, tuple[int, int]], user):
    period = Period.parse(label)
    today = period.end + dt.timedelta(days=3)
    sub = reporting.submission_for(team, period)
    by_code = {s.code: s for s in Stratum.objects.filter(kind=measure.stratification)}
    entries = [Entry(measure, label, numerator=str(sum(n for n, _ in strata.values())),
                     denominator=str(sum(d for _, d in strata.values())), confirm="test")]
    entries += [Entry(measure, label, stratum=by_code[code], numerator=str(n),
                      denominator=str(d), confirm="test") for code, (n, d) in strata.items()]
    reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                          entries=entries, today=today)
    sub = reporting.submit(submission=sub, user=user, today=today)
    sub = reporting.review(submission=sub, user=user, assessment="Checked.")
    reporting.lock(submission=sub, user=user)


def load_ptb() -> SimpleNamespace:
    """Georgia's, Texas's and Alabama's preterm births by race and ethnicity, two years each,
    reported and locked by the backbone user; with what the suite's fixtures of the same
    names make (reference, catalog, backbone). The summaries are refreshed once, at the end."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    backbone = make_backbone()
    measure = catalog["PTB"]
    assert measure.stratification == "race_ethnicity"
    with summaries.deferred():
        for (slug, postal), years in PTB.items():
            team = services.join_network(jurisdiction=jurisdictions[postal],
                                         learning_network=networks[slug])
            team.joined_on = dt.date(2014, 1, 1)
            team.save()
            reporting.choose_measures(team=team, measures=[measure])
            for year, strata in years.items():
                _report(team, measure, f"{year}-Q1", strata, backbone)
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog,
                           backbone=backbone, ptb=measure)


# The strata are reported once for the module's tests, which follow one another on one
# worker (what a test writes is rolled back after it); the suite's fixtures of the same
# names are these rows.
_ptb_rows, ptb_rows = shared_rows("ptb_rows", load_ptb)
pytestmark = pytest.mark.xdist_group("public-strata")
globals().update(fixtures_from("ptb_rows", "reference", "catalog", "backbone", "ptb"))


def _publish(measure, user, levels=ALL, strata=ALL):
    for level in levels:
        publication.publish(measure=measure, level=level, user=user, strata=level in strata)


def _truth(postal: str, year: int, code: str) -> tuple[int, int]:
    return next(y[year][code] for (_, p), y in PTB.items() if p == postal)


@pytest.mark.parametrize("strata", [ALL, {"jurisdiction"}, {"network"}, {"national"}])
def test_an_lp_attack_over_totals_and_strata_learns_no_small_count(ptb, strata):
    thr = publication.threshold()
    computed = publication.compute_release(ptb, ALL, strata)
    sup = computed.suppressed
    # The intruder's LP: every published total and stratum, sums, and numerator <= denominator.
    assert sup.table.inequalities
    intervals = suppression.audit(sup.table, sup.hidden, threshold=thr)
    for key, iv in intervals.items():
        count = sup.table.cells[key]
        if key in sup.latent and not 1 <= count < thr:
            continue  # never shown, and not a small count: needs no width of its own
        assert iv.width >= thr - 1e-6, (key, iv)
    small = {k for k, c in sup.table.cells.items() if 1 <= c < thr}
    assert small and small <= sup.hidden
    # The strata of the published levels are in the release.
    assert {c["level"] for c in computed.cells if c["stratum"]} == strata | (
        {"national"} if "jurisdiction" in strata else set())


def test_a_stratum_is_not_total_minus_the_other_strata(ptb, backbone):
    """Georgia's 2 preterm births among American Indian/Alaska Native mothers in 2015."""
    _publish(ptb, backbone, {"jurisdiction"}, {"jurisdiction"})
    r = publication.release(ptb)
    ga = {(row["stratum"], c["year"]): c for row in r.strata_table("jurisdiction", "GA")
          for c in row["cells"] if c}
    assert ga[("nh-aian", 2015)]["numerator"] == ""
    assert ga[("nh-aian", 2015)]["numerator_flag"] == "suppressed"
    total = {c["year"]: c for c in r.row("jurisdiction", "GA")["cells"] if c}
    others = [ga[(code, 2015)]["numerator"] for code in ("nh-white", "nh-black", "hispanic")]
    # Subtracting the shown strata from the shown total cannot give the hidden one.
    assert total[2015]["numerator"] == "" or "" in others
    shown = {(row["stratum"], c["year"]): c["numerator"]
             for row in r.strata_table("jurisdiction", "GA") for c in row["cells"] if c}
    assert shown[("nh-white", 2015)] in ("", str(_truth("GA", 2015, "nh-white")[0]))


def test_strata_only_where_published(ptb, backbone):
    _publish(ptb, backbone, ALL, strata=set())
    r = publication.release(ptb)
    assert not any(c["stratum"] for c in r.cells)
    assert r.strata_table("jurisdiction") == []
    publication.publish(measure=ptb, level="network", user=backbone, strata=True)
    r = publication.release(ptb)
    assert {c["level"] for c in r.cells if c["stratum"]} == {"network"}


def test_pages_and_csv_show_the_strata(ptb, backbone, client):
    _publish(ptb, backbone, {"jurisdiction", "network"}, {"jurisdiction"})
    page = client.get("/public/measures/PTB/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "By race/ethnicity" in text and "Non-Hispanic Black" in text
    rows = list(csv.DictReader(io.StringIO(client.get("/public/measures/PTB.csv")
                                           .content.decode())))
    strata_rows = [row for row in rows if row["stratum"]]
    assert strata_rows and {row["level"] for row in strata_rows} == {"jurisdiction"}
    r = publication.release(ptb)
    assert [list(row.values()) for row in rows] == \
        r.csv_rows("jurisdiction") + r.csv_rows("network")
    for row in strata_rows:
        for name in ("numerator", "denominator"):
            if row[name]:
                assert not 1 <= int(row[name]) < publication.threshold()
    ga = client.get("/public/jurisdictions/ga/").content.decode()
    assert "By race/ethnicity" in ga
    api = client.get("/api/v1/public/measures/PTB/jurisdiction").json()
    assert {row["stratum"] for row in api["rows"]} >= {None, "nh-black"}
    listed = client.get("/api/v1/public/measures").json()
    assert {lv["level"]: lv["strata"] for lv in listed[0]["levels"]} == \
        {"jurisdiction": True, "network": False}


def test_backbone_toggles_strata_on_the_publish_page(as_persona, ptb, catalog):
    client = as_persona("backbone")
    response = client.post("/publish/", {"measure": "PTB", "level": "network",
                                         "action": "strata_on"})
    assert response.status_code == 400  # not published at that level yet
    client.post("/publish/", {"measure": "PTB", "level": "network", "action": "publish"})
    assert not PublishedMeasure.objects.get(measure__code="PTB").publish_strata
    assert b"Publish strata" in client.get("/publish/").content
    client.post("/publish/", {"measure": "PTB", "level": "network", "action": "strata_on"})
    assert PublishedMeasure.objects.get(measure__code="PTB").publish_strata
    client.post("/publish/", {"measure": "PTB", "level": "network", "action": "strata_off"})
    assert not PublishedMeasure.objects.get(measure__code="PTB").publish_strata
    client.post("/publish/", {"measure": "NMR", "level": "network", "action": "publish"})
    response = client.post("/publish/", {"measure": "NMR", "level": "network",
                                         "action": "strata_on"})
    assert response.status_code == 400 and b"not reported by stratum" in response.content
