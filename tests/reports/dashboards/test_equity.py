"""Disparities from the stored strata: the Black:White infant mortality ratio over time
per jurisdiction and nationally, on the pages each role may see, and on the public site
only where disclosure control published both groups' counts."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from coiin.charts.summaries import services as summaries
from coiin.measures import services as reporting
from coiin.measures.models import Stratum
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.reports import equity
from coiin.reports.public import publication
from tests.charts.conftest import crib_and_texas
from tests.conftest import shared_rows

# (network, postal) -> {year: {stratum: (infant deaths, live births)}}, reported in Q1.
IMR = {
    ("safe-sleep", "GA"): {2015: {"nh-white": (15, 3000), "nh-black": (30, 2500),
                                  "hispanic": (16, 900)},
                           2016: {"nh-white": (14, 3100), "nh-black": (27, 2400),
                                  "hispanic": (15, 950)}},
    ("preterm-birth", "AL"): {2015: {"nh-white": (12, 2000), "nh-black": (20, 1500),
                                     "hispanic": (10, 100)},
                              2016: {"nh-white": (11, 2050), "nh-black": (5, 1400),
                                     "hispanic": (12, 90)}},
}


def _report(team, measure, label, strata, user):
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


def make_equity_rows() -> SimpleNamespace:
    """The dashboards' crib data (conftest.py), and IMR by stratum from Georgia Safe Sleep (the
    personas' team) and Alabama Preterm Birth: made once for the module's tests, which follow
    one another on one worker (what a test writes is rolled back after it)."""
    rows = crib_and_texas()
    (jurisdictions, networks), measure = rows.reference, rows.catalog["IMR"]
    teams = {"GA": rows.team, "AL": services.join_network(
        jurisdiction=jurisdictions["AL"], learning_network=networks["preterm-birth"])}
    with summaries.deferred():  # the summaries refreshed once, when all are reported
        for (_, postal), years in IMR.items():
            t = teams[postal]
            t.joined_on = dt.date(2014, 1, 1)
            t.save()
            reporting.choose_measures(team=t, measures=[measure])
            for year, strata in years.items():
                _report(t, measure, f"{year}-Q1", strata, rows.backbone)
    rows.imr = measure
    return rows


# The conftest's reference, catalog, team, data_lead and backbone are these rows here.
_dashboard_rows, dashboard_rows = shared_rows("dashboard_rows", make_equity_rows)
pytestmark = pytest.mark.xdist_group("equity")


@pytest.fixture
def imr(dashboard_rows):
    """Georgia Safe Sleep (the personas' team) and Alabama Preterm Birth report IMR."""
    return dashboard_rows.imr


def test_the_ratio_is_computed_from_the_stored_strata(imr):
    view = equity.national_view(imr, 2016)
    # Georgia 2016: 27/2,400 = 11.25 and 14/3,100 = 4.516129 per 1,000; ratio 2.491071;
    # se = sqrt(1/27 + 1/14) = 0.329341; 2.491071 x exp(-/+ 1.959964 x 0.329341)
    # = 1.306323 to 4.750309.
    ga = next(r for r, _ in view.jurisdictions if r.unit == "GA")
    assert (ga.group.events, ga.group.denominator) == (27, 2400)
    assert ga.group.rate == pytest.approx(11.25)
    assert ga.reference.rate == pytest.approx(4.516129, abs=1e-6)
    assert ga.group.ratio == pytest.approx(2.491071, abs=1e-6)
    assert (ga.group.ratio_lower, ga.group.ratio_upper) == (
        pytest.approx(1.306323, abs=1e-6), pytest.approx(4.750309, abs=1e-6))
    # Nationally, 2016 sums both: (27 + 5)/(2,400 + 1,400) = 8.421053 against
    # (14 + 11)/(3,100 + 2,050) = 4.854369; ratio 1.734737; se = sqrt(1/32 + 1/25)
    # = 0.266927; 1.028075 to 2.927132.
    national = {r.year: r for r in view.national}
    assert sorted(national) == [2015, 2016]
    us = national[2016]
    assert us.jurisdictions == 2 and (us.group.events, us.reference.events) == (32, 25)
    assert us.group.ratio == pytest.approx(1.734737, abs=1e-6)
    assert (us.group.ratio_lower, us.group.ratio_upper) == (
        pytest.approx(1.028075, abs=1e-6), pytest.approx(2.927132, abs=1e-6))
    assert view.summary.startswith("In 2016 across the reporting jurisdictions, the infant "
                                   "mortality rate of the Non-Hispanic Black group was 1.73 "
                                   "times that of the Non-Hispanic White group (95 % CI 1.03 "
                                   "to 2.93)")
    # Alabama's 5 Black infant deaths rest on fewer than 20: flagged, and stabilised.
    al, al_eb = next((r, s) for r, s in view.jurisdictions if r.unit == "AL")
    assert al.few_events and al_eb.few_events
    assert al_eb.raw == pytest.approx(5 / 1400 * 1000)
    assert al_eb.raw <= al_eb.stabilised <= national[2016].group.rate


def test_every_group_is_compared_with_the_reference_in_the_latest_year(imr):
    view = equity.jurisdiction_view(imr, "AL", "Alabama")
    assert [r.year for r in view.rows] == [2015, 2016] and view.year == 2016
    groups = {label: c for label, c in view.labelled_groups}
    assert groups["Non-Hispanic White"].reference
    hispanic = groups["Hispanic"]
    assert (hispanic.events, hispanic.denominator) == (12, 90) and hispanic.few_events


NATIONAL_PAGE = {"anonymous": 302, "stranger": 404, "member": 403, "data_lead": 403,
                 "lead": 403, "outsider": 403, "faculty": 200, "backbone": 200, "funder": 200}
GEORGIA_PAGE = {"anonymous": 302, "stranger": 404, "member": 200, "data_lead": 200,
                "lead": 200, "outsider": 403, "faculty": 200, "backbone": 200, "funder": 200}


@pytest.mark.parametrize("name", sorted(NATIONAL_PAGE))
def test_the_national_equity_page_is_for_those_who_see_every_jurisdiction(
        imr, as_persona, name):
    response = as_persona(name).get("/national/equity/")
    assert response.status_code == NATIONAL_PAGE[name]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Black:White ratio, all reporting jurisdictions" in page
        assert "1.73</strong> (1.03 to 2.93)" in page
        assert "In 2016 across the reporting jurisdictions" in page
        assert "log-scale Wald for the ratio" in page
        assert 'href="/jurisdictions/ga/equity/?measure=IMR"' in page


@pytest.mark.parametrize("name", sorted(GEORGIA_PAGE))
def test_a_jurisdiction_s_equity_page_is_for_its_teams_their_faculty_and_the_nation(
        imr, as_persona, name):
    response = as_persona(name).get("/jurisdictions/ga/equity/")
    assert response.status_code == GEORGIA_PAGE[name]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Disparities in Georgia: Infant mortality rate" in page
        assert "2.49</strong> (1.31 to 4.75)" in page
        assert "In 2016 in Georgia" in page
    # The jurisdiction page links to it for exactly those who may see it.
    home = as_persona(name).get("/jurisdictions/ga/").content.decode()
    assert ('href="/jurisdictions/ga/equity/"' in home) == (GEORGIA_PAGE[name] == 200)


def test_the_national_dashboard_links_to_the_equity_page(imr, as_persona):
    page = as_persona("funder").get("/national/").content.decode()
    assert 'href="/national/equity/"' in page


def test_a_group_under_ten_events_never_reaches_the_public_ratio(imr, backbone, client):
    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    threshold = publication.threshold()
    release = publication.release(imr)
    rows = equity.from_release(release)
    assert rows, "some ratio is public"
    for r in rows:
        assert r.group.events >= threshold and r.reference.events >= threshold, r
    # Alabama 2016 (5 Black infant deaths) has no public ratio.
    assert ("AL", 2016) not in {(r.unit, r.year) for r in rows}
    truth = {(p, y): s for (_, p), years in IMR.items() for y, s in years.items()}
    for r in rows:
        if r.unit != publication.NATIONAL:
            assert (r.group.events, r.group.denominator) == truth[(r.unit, r.year)]["nh-black"]
    page = client.get("/public/jurisdictions/al/").content.decode()
    assert "Disparity: Non-Hispanic Black against Non-Hispanic White" in page or not [
        r for r in rows if r.unit == "AL"]
    assert "5 / 1,400" not in page and "5 / 1400" not in page
    page = client.get("/public/measures/IMR/").content.decode()
    assert "Disparity: Non-Hispanic Black against Non-Hispanic White" in page
    assert "log-scale Wald for the ratio" in page


def test_no_public_ratio_while_the_strata_are_not_published(imr, backbone, client):
    publication.publish(measure=imr, level="jurisdiction", user=backbone)
    assert equity.from_release(publication.release(imr)) == []
    assert "Disparity:" not in client.get("/public/measures/IMR/").content.decode()


def test_the_public_api_gives_the_published_ratios_only(imr, backbone, client):
    url = "/api/v1/public/disparities/IMR"
    assert client.get(url).status_code == 404  # nothing published yet
    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    body = client.get(url).json()
    assert body["measure"] == "IMR" and "log-scale Wald" in body["method"]
    rows = {(r["unit"], r["year"]): r for r in body["rows"]}
    assert rows and ("AL", 2016) not in rows
    for r in body["rows"]:
        assert r["group_events"] >= 10 and r["reference_events"] >= 10
        assert r["ratio_lower"] < r["ratio"] < r["ratio_upper"]
    us = rows[("US", 2016)]
    assert (us["group_events"], us["group_denominator"]) == (32, 3800)
    assert us["ratio"] == pytest.approx(1.734737, abs=1e-6)
    assert client.get(url + "?unit=us").json()["rows"] == [
        r for r in body["rows"] if r["unit"] == "US"]


def test_the_reference_group_can_be_chosen(imr, as_persona):
    page = as_persona("lead").get("/jurisdictions/ga/equity/?reference=hispanic")
    view = page.context["view"]
    assert view.chosen_reference == "hispanic"
    assert [c.group for c in view.groups if c.reference] == ["hispanic"]
    # Georgia 2016, Black against Hispanic: 27/2,400 against 15/950 per 1,000.
    black = next(c for c in view.groups if c.group == "nh-black")
    assert black.ratio == pytest.approx((27 / 2400) / (15 / 950))
    assert "Every group against Hispanic, 2016" in page.content.decode()
    # An unknown group falls back to White.
    assert as_persona("lead").get("/jurisdictions/ga/equity/?reference=zz") \
        .context["view"].chosen_reference == "nh-white"


def test_the_national_report_keeps_and_shows_the_ratio_by_year(imr):
    from coiin.reports.documents.national import national_context, national_inputs, render_html

    inputs = national_inputs(Period.parse("2016-Q4"))
    (kept,) = inputs["disparities"]
    # [year, jurisdictions, Black deaths, Black births, White deaths, White births]
    assert kept["rows"] == [[2015, 2, 50, 4000, 27, 5000], [2016, 2, 32, 3800, 25, 5150]]
    context = national_context(inputs)
    (shown,) = context["disparities"]
    assert shown["rows"][-1].group.ratio == pytest.approx(1.734737, abs=1e-6)
    assert shown["summary"].startswith("In 2016 across the reporting jurisdictions")
    html = render_html(context)
    assert "Disparities: Infant mortality rate" in html and "1.73 (1.03 to 2.93)" in html
    # A report made before any strata were kept (an older snapshot) shows none.
    assert national_context({**inputs, "disparities": []})["disparities"] == []


def test_ratio_rows_sum_only_the_units_with_both_groups():
    counts = {("GA", 2016, "nh-black"): (27, 2400), ("GA", 2016, "nh-white"): (14, 3100),
              ("GA", 2016, "hispanic"): (15, 950), ("VT", 2016, "nh-white"): (20, 5000),
              ("AL", 2016, "nh-black"): (5, 1400), ("AL", 2016, "nh-white"): (11, 2050)}
    rows = equity.ratio_rows(counts, {"GA": "Georgia", "AL": "Alabama"}, per=1000)
    assert [(r.unit, r.year, r.jurisdictions) for r in rows] == [
        ("AL", 2016, 1), ("GA", 2016, 1), ("US", 2016, 2)]  # Vermont lacks Black figures
    hisp = equity.ratio_rows(counts, {}, per=1000, group="hispanic", national=False)
    assert [(r.unit, r.group.group, r.reference.group) for r in hisp] == [
        ("GA", "hispanic", "nh-white")]
    assert hisp[0].group.ratio == pytest.approx((15 / 950) / (14 / 3100))


def test_the_equity_pages_draw_the_ratio_with_its_intervals(imr, as_persona):
    import vl_convert as vlc

    response = as_persona("funder").get("/national/equity/")
    spec = response.context["specs"]["ratio"]
    assert [(v["year"], v["ratio"]) for v in spec["data"]["values"]] == [
        ("2015", pytest.approx((50 / 4000) / (27 / 5000), abs=1e-4)),
        ("2016", pytest.approx(1.7347, abs=1e-4))]
    assert 'data-spec="spec-ratio"' in response.content.decode()
    svg = vlc.vegalite_to_svg({**spec, "width": 400})
    assert svg.startswith("<svg") and "Ratio (log scale)" in svg
    response = as_persona("lead").get("/jurisdictions/ga/equity/")
    assert [v["year"] for v in response.context["specs"]["ratio"]["data"]["values"]] == [
        "2015", "2016"]


WONDER_HEADER = ('"Notes"\t"State"\t"Year"\t"Mother\'s Bridged Race"\t'
                 '"Mother\'s Hispanic Origin"\t"Deaths"\t"Births"')


def _official(write, name: str, footer: str, *rows: tuple[str, str, int, int]):
    """A WONDER export of Georgia 2016 by race and Hispanic origin, loaded."""
    from coiin.vitals import services as vitals

    lines = [WONDER_HEADER] + [
        f'\t"Georgia"\t"2016"\t"{race}"\t"Not Hispanic or Latino"\t{d}\t{b}'
        for race, _, d, b in rows] + ['"---"', f'"Dataset: {footer}"']
    path = write(name, *lines)
    vitals.load_file(data=path.read_bytes(), file_name=name)


@pytest.fixture
def write(tmp_path):
    def make(name: str, *lines: str):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    return make


def test_the_ratio_comes_from_the_official_strata_where_the_store_has_them(imr, write,
                                                                          as_persona):
    _official(write, "ga.txt", "Linked Birth / Infant Death Records, 2016",
              ("Black or African American", "", 40, 4000), ("White", "", 20, 5000))
    view = equity.national_view(imr, 2016)
    ga = next(r for r, _ in view.jurisdictions if r.unit == "GA")
    # The store's counts, not the team's 27/2,400 and 14/3,100: 10.0 against 4.0 per
    # 1,000, ratio 2.50; se(log) = sqrt(1/40 + 1/20) = 0.273861; 2.5 x exp(-/+ 1.959964
    # x 0.273861): 1.46 to 4.28.
    assert (ga.group.events, ga.group.denominator) == (40, 4000)
    assert (round(ga.group.ratio, 2), round(ga.group.ratio_lower, 2),
            round(ga.group.ratio_upper, 2)) == (2.50, 1.46, 4.28)
    # Nationally the official Georgia and Alabama's team: 45/5,400 against 31/7,050;
    # ratio 1.90, se sqrt(1/45 + 1/31) = 0.233410, 1.20 to 2.99.
    us = next(r for r in view.national if r.year == 2016)
    assert (us.group.events, us.group.denominator) == (45, 5400)
    assert (round(us.group.ratio, 2), round(us.group.ratio_lower, 2),
            round(us.group.ratio_upper, 2)) == (1.90, 1.20, 2.99)
    page = as_persona("backbone").get("/jurisdictions/GA/equity/").content.decode()
    assert "official figures by the mother" in page and "2.50" in page
    assert "log-scale Wald for the ratio" in page


def test_provisional_official_strata_keep_the_year_off_the_public_site(imr, write,
                                                                       backbone):
    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    before = {(r.unit, r.year) for r in equity.from_release(publication.release(imr))}
    assert ("US", 2016) in before and ("US", 2015) in before
    _official(write, "p.txt", "Linked Birth / Infant Death Records, Provisional 2016",
              ("Black or African American", "", 40, 4000), ("White", "", 20, 5000))
    after = {(r.unit, r.year) for r in equity.from_release(publication.release(imr))}
    assert after == {(unit, year) for unit, year in before if year != 2016}


def test_synthetic_strata_are_labelled_wherever_they_are_published(imr, backbone, client):
    import csv
    import io

    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True,
                        synthetic_strata=True)
    page = client.get("/public/measures/IMR/").content.decode()
    assert "These race/ethnicity figures are synthetic" in page
    rows = list(csv.DictReader(io.StringIO(
        client.get("/public/measures/IMR.csv").content.decode())))
    assert {r["note"] for r in rows if r["stratum"]} == {"synthetic"}
    assert {r["note"] for r in rows if not r["stratum"]} == {""}  # the totals are real
    api = client.get("/api/v1/public/measures/IMR/jurisdiction").json()["rows"]
    assert {r["note"] for r in api if r["stratum"]} == {"synthetic"}
    assert client.get("/api/v1/public/disparities/IMR").json()["synthetic"] is True
    [level] = next(m for m in client.get("/api/v1/public/measures").json()
                   if m["code"] == "IMR")["levels"]
    assert (level["synthetic"], level["synthetic_strata"]) == (False, True)


def test_the_public_api_compares_every_published_group_with_a_chosen_reference(
        imr, backbone, client):
    url = "/api/v1/public/disparities/IMR/groups"
    assert client.get(url).status_code == 404  # no strata published yet
    publication.publish(measure=imr, level="jurisdiction", user=backbone, strata=True)
    body = client.get(url).json()
    assert body["reference"] == "nh-white" and "log-scale Wald" in body["method"]
    rows = {(r["unit"], r["year"], r["group"]): r for r in body["rows"]}
    # Georgia's and Alabama's strata are hidden by disclosure control; the national ones
    # are published. 2015: 50/4,000 = 12.5 against 27/5,000 = 5.4 per 1,000, ratio
    # 2.314815; se(log) = sqrt(1/50 + 1/27) = 0.238824; 1.44953 to 3.69661.
    us = rows[("US", 2015, "nh-black")]
    assert (us["ratio"], us["ratio_lower"], us["ratio_upper"]) == (
        pytest.approx(2.314815, abs=1e-6), pytest.approx(1.44953, abs=1e-5),
        pytest.approx(3.69661, abs=1e-5))
    assert rows[("US", 2015, "nh-white")]["reference"]
    for r in body["rows"]:
        assert r["events"] >= 10  # nothing under the threshold
    # Against Hispanic mothers instead: 12.5 against 26/1,000 = 26.0 per 1,000, ratio
    # 0.480769; se(log) = sqrt(1/50 + 1/26) = 0.241788; 0.29931 to 0.77223.
    other = client.get(url + "?unit=us&reference=hispanic").json()["rows"]
    [black] = [r for r in other if r["group"] == "nh-black" and r["year"] == 2015]
    assert (black["ratio"], black["ratio_lower"], black["ratio_upper"]) == (
        pytest.approx(0.480769, abs=1e-6), pytest.approx(0.29931, abs=1e-5),
        pytest.approx(0.77223, abs=1e-5))
    assert {r["unit"] for r in other} == {"US"}
    bad = client.get(url + "?reference=martian")
    assert bad.status_code == 422 and "'martian' is not a stratum of IMR" in bad.json()["detail"]


def test_the_national_page_compares_every_group_with_the_chosen_reference(imr, as_persona):
    view = equity.national_view(imr, 2016)
    groups = {c.group: c for c in view.groups}
    # Georgia and Alabama 2016 summed: Hispanic (15 + 12)/(950 + 90) = 25.961538 against
    # White (14 + 11)/(3,100 + 2,050) = 4.854369 per 1,000: ratio 5.348077, se(log)
    # sqrt(1/27 + 1/25) = 0.277555, 3.10415 to 9.21411; difference 21.107170 (Wald:
    # sqrt(27/1,040² + 25/5,150²) x 1,000 = 5.089756, 11.13 to 31.08).
    hispanic = groups["hispanic"]
    assert groups["nh-white"].reference
    assert (hispanic.events, hispanic.denominator) == (27, 1040)
    assert (round(hispanic.ratio, 2), round(hispanic.ratio_lower, 2),
            round(hispanic.ratio_upper, 2)) == (5.35, 3.10, 9.21)
    assert (round(hispanic.difference, 2), round(hispanic.difference_lower, 2),
            round(hispanic.difference_upper, 2)) == (21.11, 11.13, 31.08)
    page = as_persona("backbone").get("/national/equity/?measure=IMR&year=2016"
                                      "&reference=hispanic").content.decode()
    assert "Every group against Hispanic, 2016" in page


def test_the_national_report_compares_every_group_with_the_reference(imr):
    from coiin.reports.documents.national import national_context, national_inputs, render_html

    inputs = national_inputs(Period.parse("2016-Q4"))
    (kept,) = inputs["disparities"]
    # 2016, summed over Georgia and Alabama (both reported the White group).
    assert kept["groups"]["year"] == 2016 and kept["groups"]["counts"] == {
        "nh-white": [25, 5150], "nh-black": [32, 3800], "hispanic": [27, 1040]}
    (shown,) = national_context(inputs)["disparities"]
    reference, *others = shown["groups"].groups
    assert reference.reference and reference.group == "nh-white"
    hispanic = next(c for c in others if c.group == "hispanic")
    assert hispanic.ratio == pytest.approx((27 / 1040) / (25 / 5150))
    assert hispanic.difference == pytest.approx((27 / 1040 - 25 / 5150) * 1000)
    html = render_html(national_context(inputs))
    assert "Every group against Non-Hispanic White, 2016" in html
    assert "log-scale Wald for the ratio" in html
    assert f"{hispanic.ratio:.2f} ({hispanic.ratio_lower:.2f} to {hispanic.ratio_upper:.2f})" \
        in html
    # A report kept before every group was (an older snapshot) shows the ratio alone.
    old = {**inputs, "disparities": [{k: v for k, v in kept.items() if k != "groups"}]}
    assert national_context(old)["disparities"][0]["groups"] is None


def test_the_network_report_sums_its_own_jurisdictions_strata(imr, networks):
    from coiin.network.models import Team
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.network import network_context, network_inputs

    Team.objects.update(joined_on="2014-01-01")
    inputs = network_inputs(networks["safe-sleep"], Period.parse("2016-Q4"))
    (kept,) = inputs["disparities"]
    # Georgia only (Alabama is in the Preterm Birth network).
    assert kept["rows"] == [[2015, 1, 30, 2500, 15, 3000], [2016, 1, 27, 2400, 14, 3100]]
    context = network_context(inputs)
    (shown,) = context["disparities"]
    hispanic = next(c for c in shown["groups"].groups if c.group == "hispanic")
    assert hispanic.ratio == pytest.approx((15 / 950) / (14 / 3100))
    assert hispanic.few_events  # 15 deaths: marked
    html = documents.render(context, "html").decode()
    assert "Disparities: Infant mortality rate" in html
    assert "Every group against Non-Hispanic White, 2016" in html
    assert "fewer than 20 events" in html


API_ROWS = {"anonymous": 401, "member": {"GA"}, "lead": {"GA"}, "outsider": set(),
            "faculty": {"GA", "US"}, "backbone": {"GA", "AL", "US"},
            "funder": {"GA", "AL", "US"}}


@pytest.mark.parametrize("name", sorted(API_ROWS))
def test_the_signed_in_api_gives_every_group_of_the_jurisdictions_one_may_see(
        imr, as_persona, name):
    response = as_persona(name).get("/api/v1/disparities/IMR/groups")
    if API_ROWS[name] == 401:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == "nh-white" and "log-scale Wald" in body["method"]
    assert {r["unit"] for r in body["rows"]} == API_ROWS[name]
    if "AL" in API_ROWS[name]:
        # No disclosure control here: Alabama's 5 Black infant deaths in 2016 are shown.
        row = next(r for r in body["rows"] if (r["unit"], r["year"], r["group"]) == (
            "AL", 2016, "nh-black"))
        assert (row["events"], row["denominator"], row["few_events"]) == (5, 1400, True)
        assert row["ratio"] == pytest.approx((5 / 1400) / (11 / 2050))
    if "US" in API_ROWS[name]:
        us = [r for r in body["rows"] if r["unit"] == "US" and r["year"] == 2016]
        black = next(r for r in us if r["group"] == "nh-black")
        # Who sees the nation sees the sums over every jurisdiction, as on the pages.
        assert (black["events"], black["denominator"]) == (32, 3800)
    if "GA" in API_ROWS[name]:
        ga = [r for r in body["rows"] if (r["unit"], r["year"]) == ("GA", 2016)]
        assert ga[0]["group"] == "nh-white" and ga[0]["reference"]


def test_the_signed_in_api_refuses_units_one_may_not_see(imr, as_persona):
    lead = as_persona("lead")
    assert lead.get("/api/v1/disparities/IMR/groups?unit=AL").status_code == 403
    assert lead.get("/api/v1/disparities/IMR/groups?unit=US").status_code == 403
    assert lead.get("/api/v1/disparities/IMR/groups?unit=ZZ").status_code == 404
    assert lead.get("/api/v1/disparities/IMR/groups?reference=martian").status_code == 422
    assert lead.get("/api/v1/disparities/NOPE/groups").status_code == 404
    rows = lead.get("/api/v1/disparities/IMR/groups?unit=ga&year=2015&reference=hispanic") \
        .json()["rows"]
    assert {(r["unit"], r["year"]) for r in rows} == {("GA", 2015)}
    black = next(r for r in rows if r["group"] == "nh-black")
    assert black["ratio"] == pytest.approx((30 / 2500) / (16 / 900))


def test_a_jurisdiction_s_rate_is_shown_stabilised_and_marked_when_it_rests_on_few_events(
        imr, as_persona):
    from coiin.stats.equity import stabilise

    # 2016: Georgia 27 Black deaths in 2,400 births, Alabama 5 in 1,400 (both jurisdictions
    # reported both groups, so both inform the mean the rates are pulled towards).
    ga, al = stabilise([27, 5], [2400, 1400])
    for postal, expected in (("ga", ga), ("al", al)):
        page = as_persona("backbone").get(f"/jurisdictions/{postal}/equity/")
        shown = page.context["view"].stabilised
        assert shown == expected
        html = page.content.decode()
        assert f"<strong>{expected.stabilised:.2f}</strong>" in html
        assert ("fewer than 20: the raw rate is unreliable" in html) == (postal == "al")


def test_the_method_sentence_is_in_the_reader_s_language(imr, as_persona):
    client = as_persona("backbone")
    spanish = client.get("/national/equity/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # A sentence of its own after the page's, starting with a capital in either language.
    assert ("nunca escrito a mano. Intervalos de confianza de 95 %: Wald en escala "
            "logarítmica para la razón, Wald para la diferencia.</p>") in spanish
    assert "log-scale Wald for the ratio" not in spanish
    english = client.get("/national/equity/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("never typed. 95 % confidence intervals: log-scale Wald for the ratio, "
            "Wald for the difference.</p>") in english
    es = client.get("/jurisdictions/ga/equity/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    en = client.get("/jurisdictions/ga/equity/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nunca escrito a mano. Intervalos de confianza de 95 %" in es
    assert "never typed. 95 % confidence intervals" in en
    assert all(". intervalos" not in html and "diferencia.." not in html
               and "difference.." not in html for html in (spanish, english, es, en))
    # The ratio in words, too.
    assert "En 2016 en el conjunto de las jurisdicciones que reportaron" in spanish
    assert "In 2016 across the reporting jurisdictions" not in spanish


SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-PR,es;q=0.9"}


def test_a_spanish_reader_sees_the_groups_named_in_spanish(imr, as_persona):
    client = as_persona("lead")
    page = client.get("/jurisdictions/ga/equity/", **SPANISH_BROWSER).content.decode()
    # The reference group's options, the table's columns, the sentence: the groups' Spanish.
    assert '<option value="hispanic">Hispano</option>' in page
    assert "Negro no hispano" in page and "Blanco no hispano" in page
    assert "Non-Hispanic Black" not in page and "Non-Hispanic White" not in page
    view = client.get("/jurisdictions/ga/equity/", **SPANISH_BROWSER).context["view"]
    assert dict(view.labelled_groups)["Negro no hispano"].events == 27
    national = as_persona("backbone").get("/national/equity/", **SPANISH_BROWSER)
    assert "Negro no hispano" in national.content.decode()
    assert "Non-Hispanic Black" not in national.content.decode()

    # English readers are unchanged.
    english = client.get("/jurisdictions/ga/equity/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Non-Hispanic Black" in english.content.decode()
    assert "Negro no hispano" not in english.content.decode()


def test_a_group_without_spanish_shows_in_english_marked_as_english(imr, as_persona):
    from django.utils import translation

    Stratum.objects.filter(kind="race_ethnicity", code="hispanic").update(label_es=None)
    with translation.override("es"):
        note = translation.gettext("(in English)")
    page = as_persona("lead").get("/jurisdictions/ga/equity/",
                                  **SPANISH_BROWSER).content.decode()
    assert f'<option value="hispanic">Hispanic {note}</option>' in page
    assert "Negro no hispano" in page  # the others keep their Spanish
