"""Every age group of the mother against 20-34 where race/ethnicity disparities are shown:
the national page, the reports, both APIs and the public site, whose disclosure control
keeps any age group under ten events (and the sums that would reveal it) out of sight.

The figures are a small WONDER-shaped export written here (the sample in tests/data holds
two months of one state: no whole year by age)."""

from __future__ import annotations

import pytest

from coiin.measures.periods import Period
from coiin.reports import equity_ages
from coiin.reports.public import publication
from tests.conftest import shared_rows

from .test_equity import make_equity_rows

# Made-up figures (infant deaths, live births) by WONDER's nine age groups.
AGES = {
    ("Georgia", 2016): {"15-19": (24, 3000), "20-24": (20, 5000), "25-29": (20, 5000),
                        "30-34": (10, 2500), "35-39": (12, 3000), "40-44": (10, 1000)},
    # Alabama 2016: 5 deaths to mothers under 20, a count no public page may show.
    ("Alabama", 2016): {"15-19": (5, 1000), "20-24": (30, 6000), "25-29": (20, 5000),
                        "35-39": (12, 2000)},
    ("Alabama", 2015): {"15-19": (15, 1500), "20-24": (25, 6000), "35-39": (11, 2000)},
}
HEADER = '"Notes"\t"State"\t"Age of Mother 9 Code"\t"Year Code"\t"Deaths"\t"Births"'

# The hand-computed case, Georgia 2016: under 20, 24/3,000 = 8.0 per 1,000, against
# 20-34, (20 + 20 + 10)/(5,000 + 5,000 + 2,500) = 50/12,500 = 4.0 per 1,000. Ratio 2.0;
# se(log) = sqrt(1/24 + 1/50) = 0.248328; 2.0 x exp(-/+ 1.959964 x 0.248328): 1.229286 to
# 3.253921. Difference 4.0; se = sqrt(24/3,000² + 50/12,500²) x 1,000 = 1.728198;
# 4.0 -/+ 1.959964 x 1.728198: 0.612795 to 7.387205.
GA_UNDER_20 = (2.0, 1.229286, 3.253921, 4.0, 0.612795, 7.387205)


def _load_ages(path) -> None:
    from coiin.vitals import services as vitals

    lines = [HEADER] + [f'\t"{state}"\t"{age}"\t"{year}"\t"{d}"\t"{b}"'
                        for (state, year), groups in AGES.items()
                        for age, (d, b) in groups.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    vitals.load_file(data=path.read_bytes(), file_name=path.name)


def make_age_rows():
    import tempfile
    from pathlib import Path

    rows = make_equity_rows()
    with tempfile.TemporaryDirectory() as folder:
        _load_ages(Path(folder) / "ages.txt")
    return rows


# The conftest's reference, catalog, team, data_lead and backbone are these rows here.
_dashboard_rows, dashboard_rows = shared_rows("dashboard_rows", make_age_rows)
pytestmark = pytest.mark.xdist_group("equity")


@pytest.fixture
def imr(dashboard_rows):
    return dashboard_rows.imr


def _figures(row) -> tuple[float, ...]:
    return tuple(round(row[k], 6) for k in ("ratio", "ratio_lower", "ratio_upper",
                                            "difference", "difference_lower",
                                            "difference_upper"))


def test_the_signed_in_api_compares_every_age_group_with_20_to_34(imr, as_persona):
    api = as_persona("backbone")
    body = api.get("/api/v1/disparities/IMR/groups?by=age&unit=ga").json()
    assert body["reference"] == "20-34" and "log-scale Wald" in body["method"]
    ga = {r["group"]: r for r in body["rows"]}
    assert set(ga) == {"20-34", "under-20", "35-plus"} and ga["20-34"]["reference"]
    assert (ga["under-20"]["events"], ga["under-20"]["denominator"]) == (24, 3000)
    assert _figures(ga["under-20"]) == GA_UNDER_20
    rows = api.get("/api/v1/disparities/IMR/groups?by=age").json()["rows"]
    # No disclosure control for those signed in: Alabama 2016's 5 deaths are shown.
    al = next(r for r in rows if (r["unit"], r["year"], r["group"]) == (
        "AL", 2016, "under-20"))
    assert (al["events"], al["denominator"], al["few_events"]) == (5, 1000, True)
    # Nationally, 2016 sums Georgia and Alabama (both have every group): under 20
    # 29/4,000 against 100/23,500.
    us = next(r for r in rows if (r["unit"], r["year"], r["group"]) == (
        "US", 2016, "under-20"))
    assert (us["events"], us["denominator"]) == (29, 4000)
    assert us["ratio"] == pytest.approx((29 / 4000) / (100 / 23500))
    # A Georgia lead sees Georgia's groups only, and no national sums.
    lead = as_persona("lead").get("/api/v1/disparities/IMR/groups?by=age").json()["rows"]
    assert {r["unit"] for r in lead} == {"GA"}
    other = api.get("/api/v1/disparities/IMR/groups?by=age&unit=ga&reference=under-20")
    assert other.json()["reference"] == "under-20"


def test_a_bad_by_or_age_reference_is_refused_naming_the_parameter(imr, as_persona, client):
    for api, url in ((as_persona("backbone"), "/api/v1/disparities/IMR/groups"),
                     (client, "/api/v1/public/disparities/IMR/groups")):
        bad = api.get(url + "?by=income")
        assert bad.status_code == 422
        [problem] = bad.json()["errors"]
        assert problem["column"] == "by" and "'race' or 'age'" in problem["message"]
    bad = as_persona("backbone").get("/api/v1/disparities/IMR/groups?by=age&reference=nh-white")
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("reference: 'nh-white' is not a stratum of IMR by age")
    # The default stays race/ethnicity.
    assert as_persona("backbone").get("/api/v1/disparities/IMR/groups").json()[
        "reference"] == "nh-white"


def test_the_national_page_compares_the_age_groups(imr, as_persona):
    page = as_persona("backbone").get("/national/equity/?measure=IMR&year=2016")
    ages = page.context["ages"]
    assert ages.year == 2016 and ages.chosen_reference_label == "20–34"
    young = next(c for c in ages.groups if c.group == "under-20")
    assert (young.events, young.denominator) == (29, 4000)
    html = page.content.decode()
    assert "Every group against 20–34, 2016, by the mother" in html
    assert f"{young.ratio:.2f} ({young.ratio_lower:.2f} to {young.ratio_upper:.2f})" in html


def test_the_national_report_keeps_and_shows_the_age_groups(imr):
    from coiin.reports.documents.national import national_context, national_inputs, render_html

    inputs = national_inputs(Period.parse("2016-Q4"))
    (kept,) = inputs["disparities"]
    assert kept["age_groups"] == {
        "year": 2016, "reference": "20-34",
        "labels": {"under-20": "Under 20", "20-34": "20–34", "35-plus": "35 and over"},
        "counts": {"under-20": [29, 4000], "20-34": [100, 23500], "35-plus": [34, 6000]}}
    (shown,) = national_context(inputs)["disparities"]
    young = next(c for c in shown["age_groups"].groups if c.group == "under-20")
    assert young.ratio == pytest.approx((29 / 4000) / (100 / 23500))
    html = render_html(national_context(inputs))
    assert "Every group against 20–34, 2016, by the mother" in html
    assert f"{young.ratio:.2f} ({young.ratio_lower:.2f} to {young.ratio_upper:.2f})" in html
    # A report kept before the age groups were (an older snapshot) shows none.
    old = {**inputs, "disparities": [{k: v for k, v in kept.items() if k != "age_groups"}]}
    assert national_context(old)["disparities"][0]["age_groups"] is None


def test_the_network_report_shows_its_own_jurisdictions_age_groups(imr, networks):
    from coiin.network.models import Team
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.network import network_context, network_inputs

    Team.objects.update(joined_on="2014-01-01")
    inputs = network_inputs(networks["safe-sleep"], Period.parse("2016-Q4"))
    (kept,) = inputs["disparities"]
    # Georgia only (Alabama is in the Preterm Birth network): the hand-computed case.
    assert kept["age_groups"]["counts"]["under-20"] == [24, 3000]
    (shown,) = network_context(inputs)["disparities"]
    young = next(c for c in shown["age_groups"].groups if c.group == "under-20")
    assert tuple(round(x, 6) for x in (
        young.ratio, young.ratio_lower, young.ratio_upper, young.difference,
        young.difference_lower, young.difference_upper)) == GA_UNDER_20
    html = documents.render(network_context(inputs), "html").decode()
    assert "Every group against 20–34, 2016, by the mother" in html
    assert "2.00 (1.23 to 3.25)" in html and "4.00 (0.61 to 7.39)" in html


def test_no_age_group_under_ten_events_reaches_the_public(imr, backbone, client):
    url = "/api/v1/public/disparities/IMR/groups?by=age"
    assert client.get(url).status_code == 404  # no strata published yet
    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    body = client.get(url).json()
    assert body["reference"] == "20-34" and body["synthetic"] is False
    threshold = publication.threshold()
    for r in body["rows"]:
        assert r["events"] >= threshold and r["denominator"] >= threshold, r
    shown = {(r["unit"], r["year"]) for r in body["rows"]}
    # Alabama 2016 has a group of 5 deaths: none of its groups is shown, and the 2016
    # national sums are Georgia's alone (else they would give Alabama's away).
    assert shown == {("GA", 2016), ("AL", 2015), ("US", 2015), ("US", 2016)}
    us = {r["group"]: r for r in body["rows"] if (r["unit"], r["year"]) == ("US", 2016)}
    assert _figures(us["under-20"]) == GA_UNDER_20
    ga = client.get(url + "&unit=ga").json()["rows"]
    assert {(r["unit"], r["year"]) for r in ga} == {("GA", 2016)}
    assert equity_ages.public_groups(publication.release(imr), unit="AL") == [
        x for x in equity_ages.public_groups(publication.release(imr)) if x[0] == "AL"]
    # The public site: Alabama's page shows its 2015 groups, never 2016's 5 deaths.
    page = client.get("/public/jurisdictions/al/").content.decode()
    assert "Every group against 20–34, 2015, by the mother" in page
    assert "5 / 1,000" not in page and "5 / 1000" not in page
    page = client.get("/public/jurisdictions/ga/").content.decode()
    assert "Every group against 20–34, 2016, by the mother" in page
    assert "2.00 (1.23 to 3.25)" in page
    page = client.get("/public/measures/IMR/").content.decode()
    assert "Every group against 20–34, 2016, by the mother" in page
    assert "5 / 1,000" not in page


def test_provisional_age_figures_stay_off_the_public_site(imr, backbone, client, tmp_path):
    from coiin.vitals import services as vitals

    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    path = tmp_path / "provisional.txt"
    path.write_text("\n".join([HEADER, '\t"Georgia"\t"15-19"\t"2017"\t"30"\t"3000"',
                               '\t"Georgia"\t"20-24"\t"2017"\t"60"\t"12000"',
                               '\t"Georgia"\t"35-39"\t"2017"\t"20"\t"4000"', '"---"',
                               '"Dataset: Linked Birth / Infant Death Records, '
                               'Provisional 2017"']) + "\n", encoding="utf-8")
    vitals.load_file(data=path.read_bytes(), file_name=path.name)
    years = {y for _, _, y, _ in equity_ages.public_groups(publication.release(imr))}
    assert 2017 not in years and 2016 in years
