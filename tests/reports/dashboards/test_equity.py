"""Disparities from the stored strata: the Black:White infant mortality ratio over time
per jurisdiction and nationally, on the pages each role may see, and on the public site
only where disclosure control published both groups' counts."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.measures import services as reporting
from coiin.measures.models import Stratum
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.reports import equity
from coiin.reports.public import publication

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


@pytest.fixture
def imr(team, jurisdictions, networks, catalog, backbone):
    """Georgia Safe Sleep (the personas' team) and Alabama Preterm Birth report IMR."""
    measure = catalog["IMR"]
    teams = {"GA": team, "AL": services.join_network(jurisdiction=jurisdictions["AL"],
                                                     learning_network=networks["preterm-birth"])}
    for (_, postal), years in IMR.items():
        t = teams[postal]
        t.joined_on = dt.date(2014, 1, 1)
        t.save()
        reporting.choose_measures(team=t, measures=[measure])
        for year, strata in years.items():
            _report(t, measure, f"{year}-Q1", strata, backbone)
    return measure


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
