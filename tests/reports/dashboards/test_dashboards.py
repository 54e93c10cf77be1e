"""A learning network's charts, the national view and the side-by-side comparison."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coiin.measures import services as reporting
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

# The crib audits are reported once for these tests (conftest.py): keep them on one worker.
pytestmark = pytest.mark.xdist_group("dashboards")


def test_network_view_pools_numerators_and_denominators(networks, crib_data, texas_crib):
    from coiin.reports.dashboards.network import network_view

    view = network_view(networks["safe-sleep"], crib_data)
    assert {s.team.jurisdiction.postal_code for s in view.teams} == {"GA", "TX"}
    first = view.pooled.table[0]
    # January 2015: Georgia 30/50 and Texas 20/40 pool to 50/90.
    assert (first["numerator"], first["denominator"]) == (50, 90)
    assert first["value"] == pytest.approx(50 / 90 * 100)
    assert view.contributors["2015-01"] == 2 and view.contributors["2016-01"] == 1


def test_network_view_sorts(networks, crib_data, texas_crib):
    from coiin.reports.dashboards.network import network_view

    by_latest = network_view(networks["safe-sleep"], crib_data, "latest")
    assert [s.team.jurisdiction.postal_code for s in by_latest.teams] == ["GA", "TX"]
    by_signal = network_view(networks["safe-sleep"], crib_data, "signal")
    assert by_signal.teams[0].team.jurisdiction.postal_code == "GA"


def test_network_dashboard_for_faculty_and_for_a_team_member(client, faculty, member,
                                                             crib_data, texas_crib,
                                                             django_assert_max_num_queries):
    client.force_login(faculty)
    with django_assert_max_num_queries(20):
        html = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB&sort=signal")\
            .content.decode()
    assert "The network as a whole" in html
    assert html.count('class="card mini"') == 2
    client.force_login(member)
    html = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB").content.decode()
    assert "The network as a whole" in html and 'class="card mini"' not in html


def test_network_dashboard_refuses_outsiders(as_persona, crib_data):
    assert as_persona("outsider").get("/networks/safe-sleep/charts/").status_code == 403
    assert as_persona("stranger").get("/networks/safe-sleep/charts/").status_code == 404


def test_national_tiles_and_counts(networks, crib_data, texas_crib):
    from coiin.reports.dashboards import national

    tiles = {t.jurisdiction.postal_code: t for t in national.tiles(crib_data)}
    assert len(tiles) == 59
    assert tiles["GA"].value == pytest.approx(42 / 50 * 100)
    assert tiles["GA"].period.label == "2016-12" and tiles["GA"].signal == "improving"
    assert tiles["TX"].value == pytest.approx(22 / 40 * 100)
    assert tiles["GA"].bin > tiles["TX"].bin
    assert tiles["CA"].value is None
    counts = {c.network.slug: c for c in national.sustained_counts()}
    assert (counts["safe-sleep"].teams, counts["safe-sleep"].with_data,
            counts["safe-sleep"].sustained) == (2, 2, 1)
    assert counts["safe-sleep"].names == ["Georgia"]


def test_national_dashboard_for_the_funder(client, funder, crib_data, texas_crib):
    client.force_login(funder)
    response = client.get("/national/?measure=SS-CRIB&colour=signal")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="tile ') == 59
    assert "sig-improving" in html and "Teams with sustained improvement" in html


@pytest.mark.parametrize("name", ["lead", "member", "outsider", "stranger"])
def test_national_dashboard_is_not_for_teams(as_persona, name, crib_data):
    assert as_persona(name).get("/national/").status_code in (403, 404)


def test_compare_shows_chosen_visible_teams_side_by_side(client, faculty, crib_data,
                                                          texas_crib):
    client.force_login(faculty)
    page = client.get("/compare/?measure=SS-CRIB")
    assert [t.jurisdiction.postal_code for t in page.context["candidates"]] == ["GA", "TX"]
    response = client.get(f"/compare/?measure=SS-CRIB&team={crib_data and texas_crib.pk}"
                          f"&team={page.context['candidates'][0].pk}")
    html = response.content.decode()
    assert html.count('class="card mini"') == 2
    specs = response.context["specs"]
    domains = {json.dumps(s["layer"][0]["encoding"]["y"]["scale"]) for s in specs.values()}
    assert len(domains) == 1  # one shared scale


def test_compare_offers_only_teams_the_user_may_see(client, member, crib_data, texas_crib):
    client.force_login(member)
    page = client.get("/compare/?measure=SS-CRIB")
    assert [t.jurisdiction.postal_code for t in page.context["candidates"]] == ["GA"]
    response = client.get(f"/compare/?measure=SS-CRIB&team={texas_crib.pk}")
    assert response.context["charts"] == []


def test_funnel_of_the_latest_period_three_teams_reported(networks, crib_data, texas_crib,
                                                          jurisdictions, catalog, backbone):
    from coiin.network import services as network_services
    from coiin.reports.dashboards.network import network_view

    # A third team (Alabama) reports December 2015 only: 45 of 50.
    alabama = network_services.join_network(jurisdiction=jurisdictions["AL"],
                                            learning_network=networks["safe-sleep"],
                                            joined_on=dt.date(2014, 1, 1))
    reporting.choose_measures(team=alabama, measures=[catalog["SS-CRIB"]])
    sub = reporting.submission_for(alabama, Period.parse("2015-12"))
    reporting.save_values(submission=sub, user=backbone, expected_version=0, entries=[
        Entry(catalog["SS-CRIB"], "2015-12", numerator="45", denominator="50")],
        today=dt.date(2016, 1, 5))
    reporting.submit(submission=sub, user=backbone, today=dt.date(2016, 1, 5))
    funnel = network_view(networks["safe-sleep"], crib_data).funnel
    assert funnel.period.label == "2015-12"  # the latest with three teams
    # Pooled: Georgia 32/50, Texas 22/40, Alabama 45/50 -> 99/140.
    assert funnel.target == pytest.approx(99 / 140 * 100)
    rows = {r["code"]: r for r in funnel.teams}
    assert rows["AL"]["value"] == pytest.approx(90.0)
    # p = 0.7071, n = 50: 95 % upper limit 0.7071 + 1.96 * sqrt(p(1-p)/50) = 0.8333; 99.8 %:
    # 0.7071 + 3.09 * 0.0643 = 0.9058. Alabama's 90 % is above the 95 % limit only.
    assert rows["AL"]["where"] == "above 95%"
    assert rows["GA"]["where"] == "inside"
    layers = funnel.spec["layer"]
    assert [la["mark"]["type"] for la in layers if la.get("data") == {"name": "teams"}] \
        == ["point", "rule", "text"]  # the points, and their codes kept apart (test_labels)
    assert funnel.spec["datasets"]["teams"] == funnel.teams


def _more_teams(jurisdictions, networks, catalog, user, codes):
    """More Safe Sleep teams, each with a year of submitted crib audits: their summaries are
    refreshed once, when all are written, rather than after every submission."""
    from coiin.charts.summaries import services as summaries

    with summaries.deferred():
        _write_more_teams(jurisdictions, networks, catalog["SS-CRIB"], user, codes)


def _write_more_teams(jurisdictions, networks, measure, user, codes):
    from coiin.network import services as network_services

    for k, code in enumerate(codes):
        team = network_services.join_network(jurisdiction=jurisdictions[code],
                                             learning_network=networks["safe-sleep"],
                                             joined_on=dt.date(2014, 1, 1))
        reporting.choose_measures(team=team, measures=[measure])
        periods = [Period.parse(f"2015-{m:02d}") for m in range(1, 13)]
        reporting.import_values(rows=[reporting.ValueRow(i + 1, team, measure, p, None, Entry(
            measure, p.label, numerator=str(20 + (i * 7 + k) % 9), denominator="40",
            confirm="ok")) for i, p in enumerate(periods)], user=user, check_closed=False)
        for sub in team.submissions.all():
            reporting.submit(submission=sub, user=user, today=sub.period.end)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_pages_read_summaries_with_a_fixed_number_of_queries(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog):
    client.force_login(backbone)
    urls = ["/national/?measure=SS-CRIB", "/networks/safe-sleep/charts/?measure=SS-CRIB",
            "/networks/safe-sleep/charts/?measure=SS-CRIB&sort=latest&show=signal"]
    _more_teams(jurisdictions, networks, catalog, backbone, ["AL"])  # 3 teams: a funnel
    before = [_queries(client, url)[0] for url in urls]
    _more_teams(jurisdictions, networks, catalog, backbone, ["AZ", "CO", "FL", "ID", "IL",
                                                             "IN"])
    after = [_queries(client, url) for url in urls]
    assert [n for n, _ in after] == before  # three times the teams, the same queries
    assert after[1][1].content.decode().count('class="card mini"') == 9


def test_network_dashboard_pages_sorts_and_filters_on_the_summaries(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog,
        monkeypatch):
    from coiin.reports.dashboards import network

    _more_teams(jurisdictions, networks, catalog, backbone, ["AL", "AZ", "CO"])
    monkeypatch.setattr(network, "PAGE_SIZE", 2)
    client.force_login(backbone)
    url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
    names = []
    for page in (1, 2, 3):
        response = client.get(f"{url}&page={page}")
        view = response.context["view"]
        assert (view.total, view.pages, view.page) == (5, 3, page)
        names += [s.team.jurisdiction.postal_code for s in view.teams]
        # Each small multiple's data, its shared picture, the pooled chart, the funnel.
        assert len(response.context["specs"]) == len(view.teams) + 3
    assert names == ["AL", "AZ", "CO", "GA", "TX"]
    html = client.get(f"{url}&page=2").content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html
    # Latest value, highest first (crib audits should go up): Georgia's 42 of 50 leads.
    view = client.get(f"{url}&sort=latest").context["view"]
    assert view.teams[0].team.jurisdiction.postal_code == "GA"
    latest = [s.latest_value for s in view.teams]
    assert latest == sorted(latest, reverse=True)
    signals = client.get(f"{url}&show=signal&page=9").context["view"]
    assert signals.teams and all(s.has_signal for s in signals.teams)
    improving = client.get(f"{url}&show=improving").context["view"]
    assert [s.team.jurisdiction.postal_code for s in improving.teams] == ["GA"]
    # Every small multiple is on one scale, across pages.
    specs = [client.get(f"{url}&page={p}").context["specs"] for p in (1, 3)]
    scales = {str(page["mini"]["layer"][0]["encoding"]["y"]["scale"]) for page in specs}
    assert len(scales) == 1
    values = next(v for k, v in specs[0].items() if k.startswith("team-"))
    assert values[0].keys() >= {"x", "y", "cl", "lcl", "ucl", "signal"}


def test_funnel_table_lists_the_teams_outside_the_limits_and_the_csv_every_team(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog,
        monkeypatch):
    from coiin.reports.dashboards import network

    _more_teams(jurisdictions, networks, catalog, backbone, ["AZ", "CO", "FL"])
    # December 2015: one team far above the others, one far below.
    for code, numerator in (("AL", "50"), ("ID", "2")):
        _december(jurisdictions[code], networks, catalog, backbone, numerator)
    client.force_login(backbone)
    url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
    funnel = client.get(url).context["view"].funnel
    assert funnel.period.label == "2015-12"
    outside = funnel.outside
    assert {r["code"] for r in outside} >= {"AL", "ID"}
    assert len(outside) + funnel.inside == len(funnel.teams) == 7
    # Furthest out first: every 99.8 % team before any 95 % one.
    levels = [r["where"].endswith("99.8%") for r in outside]
    assert levels == sorted(levels, reverse=True)
    monkeypatch.setattr(network, "FUNNEL_ROWS", 1)
    response = client.get(url)
    html = response.content.decode()
    table = html[html.index("Every team's value (CSV)"):html.index('class="multiples"')]
    assert table.count('<th scope="row">') == 1
    assert f"{funnel.inside} of 7 teams inside the limits; {len(outside)} outside" in html
    # The plot's points come from the CSV, not the page.
    spec = response.context["specs"]["funnel"]
    csv_url = "/networks/safe-sleep/charts/funnel.csv?measure=SS-CRIB"
    assert "teams" not in spec["datasets"] and "curve" in spec["datasets"]
    assert [la["data"]["url"] for la in spec["layer"] if "url" in la.get("data", {})] \
        == [csv_url, csv_url, csv_url]
    csv = client.get(csv_url)
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "period,team,code,value,n,where,label_n,label_value,moved"
    assert len(lines) == 1 + 7
    assert {line.split(",")[2] for line in lines[1:]} == {r["code"] for r in funnel.teams}


def _december(jurisdiction, networks, catalog, user, numerator):
    """A Safe Sleep team that reported December 2015's crib audits only: numerator of 50.
    Its summaries are refreshed once, when it has submitted."""
    from coiin.charts.summaries import services as summaries

    with summaries.deferred():
        _write_december(jurisdiction, networks, catalog, user, numerator)


def _write_december(jurisdiction, networks, catalog, user, numerator):
    from coiin.network import services as network_services

    team = network_services.join_network(jurisdiction=jurisdiction,
                                         learning_network=networks["safe-sleep"],
                                         joined_on=dt.date(2014, 1, 1))
    reporting.choose_measures(team=team, measures=[catalog["SS-CRIB"]])
    sub = reporting.submission_for(team, Period.parse("2015-12"))
    reporting.save_values(submission=sub, user=user, expected_version=0, entries=[
        Entry(catalog["SS-CRIB"], "2015-12", numerator=numerator, denominator="50",
              confirm="ok")], today=dt.date(2016, 1, 5))
    reporting.submit(submission=sub, user=user, today=dt.date(2016, 1, 5))


def test_funnel_csv_refuses_members_outsiders_and_unknown_measures(as_persona, crib_data,
                                                                   texas_crib):
    url = "/networks/safe-sleep/charts/funnel.csv?measure=SS-CRIB"
    assert as_persona("member").get(url).status_code == 403
    assert as_persona("stranger").get(url).status_code == 404
    backbone = as_persona("backbone")
    assert backbone.get(url.replace("SS-CRIB", "NOPE")).status_code == 404
    assert backbone.post(url).status_code == 405


def test_small_multiples_share_a_time_axis_offer_three_scales_and_say_a_shared_sentence_once(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog):
    _more_teams(jurisdictions, networks, catalog, backbone, ["AL", "AZ", "CO", "FL"])
    client.force_login(backbone)
    url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
    shared = client.get(url)
    view, mini = shared.context["view"], shared.context["specs"]["mini"]
    pooled = [o.period.start.isoformat() for o in view.pooled.observations]
    x = mini["layer"][0]["encoding"]["x"]
    assert x["scale"]["domain"] == [pooled[0], pooled[-1]]  # every panel, the same span
    assert "domain" in mini["layer"][0]["encoding"]["y"]["scale"]
    panel = client.get(url + "&scale=panel").context["specs"]["mini"]
    assert "domain" not in panel["layer"][0]["encoding"]["y"]["scale"]
    clipped = client.get(url + "&scale=clipped")
    spec = clipped.context["specs"]["mini"]
    marks = [layer["mark"].get("text") for layer in spec["layer"]
             if isinstance(layer.get("mark"), dict)]
    assert "▲" in marks and "▼" in marks
    assert spec["layer"][0]["mark"]["clip"] is True
    html = clipped.content.decode()
    assert "marked ▲ or ▼" in html and 'name="scale"' in html
    common = clipped.context["view"].common_summary
    assert common and html.count(f"<strong>{common}</strong>") == 1
    # Not shown again under each chart; each is still described by it (kept hidden).
    assert html.count(f'aria-hidden="true">{common}</p>') == 0
    assert html.count(f"hidden>{common}</span>") == html.count("<article class=\"card mini\">") \
        - html.count('<p class="small" id="mini-sentence-')


def test_signals_first_puts_the_most_recent_signal_first(networks, crib_data, texas_crib):
    from coiin.charts.models import ChartSummary
    from coiin.reports.dashboards.network import network_view

    rows = {s.team.jurisdiction.postal_code: s for s in ChartSummary.objects.filter(
        scope="team").select_related("team__jurisdiction")}
    assert rows["GA"].last_signal is not None  # Georgia's shift in its second year
    view = network_view(networks["safe-sleep"], crib_data, "signal")
    dates = [s.last_signal for s in view.teams]
    assert dates == sorted(dates, key=lambda d: (d is None, -(d.toordinal() if d else 0)))


def test_small_multiples_say_their_stored_summaries_in_the_reader_s_language(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog):
    """The same stored rows, read by a Spanish and an English reader: each small multiple's
    sentence (and the one they share) in the reader's language, worded from what the row
    says, not from the English sentence it also keeps."""
    from django.utils import translation

    from coiin.charts.models import ChartSummary

    _more_teams(jurisdictions, networks, catalog, backbone, ["AL", "AZ", "CO", "FL"])
    stored = list(ChartSummary.objects.filter(scope="team", measure=catalog["SS-CRIB"])
                  .values_list("pk", "computed_at"))
    assert all(s.said for s in ChartSummary.objects.filter(scope="team"))
    client.force_login(backbone)
    url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert list(ChartSummary.objects.filter(scope="team", measure=catalog["SS-CRIB"])
                .values_list("pk", "computed_at")) == stored  # read, never rewritten
    es_view, en_view = spanish.context["view"], english.context["view"]
    with translation.override("es"):
        es_text = [s.text for s in es_view.teams]
        es_common = es_view.common_summary
    with translation.override("en"):
        en_text = [s.text for s in en_view.teams]
        en_common = en_view.common_summary
    assert en_text == [s.summary for s in en_view.teams]  # the English kept sentence
    assert es_text != en_text and len(es_text) == 6
    assert any(t.startswith("Solo variación aleatoria") for t in es_text)
    assert not any("random variation" in t.lower() or "points" in t for t in es_text)
    html_es, html_en = spanish.content.decode(), english.content.decode()
    assert es_common in es_text and en_common in en_text
    assert f"<strong>{es_common}</strong>" in html_es and f"<strong>{en_common}</strong>" \
        in html_en
    assert "Only random variation" not in html_es and "Solo variación aleatoria" not in html_en
    assert "Only random variation" in html_en
    for s, t in zip(es_view.teams, es_text, strict=True):
        # Under its chart, its description: read with the chart, not again as text.
        sentence = f'id="mini-sentence-{s.team_id}"'
        assert f'aria-describedby="mini-sentence-{s.team_id}"' in html_es
        if t != es_common:
            assert f'<p class="small" {sentence} aria-hidden="true">{t}</p>' in html_es
        else:
            assert f"<span {sentence} hidden>{t}</span>" in html_es
    # Each chart's data as its own table, its signals in the reader's words.
    assert all(len(s.table) == len(s.points) for s in es_view.teams)
    assert html_es.count('<details class="chart-table">') >= len(es_view.teams)
    assert "<td>Causa común</td>" in html_es and "<td>Common cause</td>" in html_en


def test_a_row_stored_before_its_sentences_were_kept_as_message_ids_says_its_english(
        client, backbone, crib_data, texas_crib, networks, catalog):
    from coiin.charts.models import ChartSummary

    rows = ChartSummary.objects.filter(scope="team", measure=catalog["SS-CRIB"])
    rows.update(said={}, summary="An old sentence.")
    client.force_login(backbone)
    response = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB",
                          HTTP_ACCEPT_LANGUAGE="es")
    assert [s.text for s in response.context["view"].teams] == ["An old sentence."] * 2
    assert "An old sentence." in response.content.decode()
    # Messages a later version no longer knows: the stored sentence too.
    rows.update(said={"said": {"id": "gone", "params": {}}})
    response = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB",
                          HTTP_ACCEPT_LANGUAGE="es")
    assert [s.text for s in response.context["view"].teams] == ["An old sentence."] * 2
