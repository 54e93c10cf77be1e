"""A survey measure's network and national series: the jurisdictions' estimates weighted
by their births from the official figures store, with the pooled standard error and 95 %
interval (a hand-computed case), stored with the chart summaries and drawn with them."""

from __future__ import annotations

import pytest

from coiin.charts.models import ChartSummary
from coiin.charts.summaries.stored import stored_observations
from coiin.charts.summaries.survey import interval_of
from coiin.measures import io, services
from coiin.measures.models import Submission
from coiin.network import services as network_services
from coiin.vitals import services as vitals

HEADER = ",".join((*io.COLUMNS, *io.SURVEY_COLUMNS))
BIRTHS = ("year,state_postal,state_name,state_fips,live_births\n"
          "2016,GA,,,30000\n2016,OH,,,10000\n2017,GA,,,30000\n")


@pytest.fixture
def pooled(team, chosen, catalog, data_lead, jurisdictions, networks):
    """GA 80.0 % (SE 2.0) and OH 70.0 % (interval 64.12-75.88, i.e. SE 3.0) in 2016 for
    30,000 and 10,000 births; in 2017 GA alone, and OH without births stored."""
    ohio = network_services.join_network(jurisdiction=jurisdictions["OH"],
                                         learning_network=networks["safe-sleep"])
    services.choose_measures(team=ohio, measures=[catalog["SS-BACK"]])
    vitals.load_file(data=BIRTHS.encode(), file_name="births.csv")
    rows = ["GA,safe-sleep,SS-BACK,2016,,,80,,,2,,,900",
            "OH,safe-sleep,SS-BACK,2016,,,70,,,,64.12,75.88,400",
            "GA,safe-sleep,SS-BACK,2017,,,82,,,2,,,900",
            "OH,safe-sleep,SS-BACK,2017,,,71,,,3,,,400"]
    io.import_rows(io.read_table(("\n".join([HEADER, *rows]) + "\n").encode(), "s.csv"))
    for sub in Submission.objects.all():
        services.submit(submission=sub, user=data_lead, today=sub.period.end)
    return catalog["SS-BACK"]


def test_network_and_national_pools_are_births_weighted(pooled, networks):
    network = ChartSummary.objects.get(scope=ChartSummary.Scope.NETWORK, measure=pooled,
                                       learning_network=networks["safe-sleep"])
    national = ChartSummary.objects.get(scope=ChartSummary.Scope.NATIONAL, measure=pooled)
    for s in (network, national):
        first, second = s.points
        # 0.75 x 80 + 0.25 x 70 = 77.50; SE sqrt(0.75² 2² + 0.25² 3²) = 1.68;
        # 77.5 -/+ 1.96 x 1.677051: 74.21 to 80.79. Two jurisdictions pooled.
        assert round(first[1], 2) == 77.50 and first[9] == 2
        se, lower, upper, left_out = interval_of(first)
        assert (round(se, 2), round(lower, 2), round(upper, 2), left_out) == (
            1.68, 74.21, 80.79, 0)
        # 2017: Ohio has no births stored, so Georgia alone (and one estimate left out).
        assert second[1] == 82.0 and second[9] == 1 and interval_of(second)[3] == 1
        assert s.chart_type == "run" and s.lcl is None and s.ucl is None
        obs = stored_observations(s)
        assert (obs[0].value, round(obs[0].low, 2), round(obs[0].high, 2)) == (
            pytest.approx(77.5), 74.21, 80.79)


def test_the_network_dashboard_draws_the_pool_with_its_intervals(pooled, client, backbone):
    client.force_login(backbone)
    html = client.get("/networks/safe-sleep/charts/?measure=SS-BACK").content.decode()
    assert "77.50" in html and "74.21 – 80.79" in html and "1.68" in html
    assert "births-weighted" in html


def test_the_national_dashboard_shows_the_pooled_survey_estimates(pooled, client, backbone):
    client.force_login(backbone)
    html = client.get("/national/").content.decode()
    assert "Infants placed to sleep on their backs: all jurisdictions pooled" in html
    assert "74.21 – 80.79" in html and "births-weighted" in html


def test_the_public_site_api_and_csv_show_the_pool_and_its_intervals(pooled, client,
                                                                      data_lead, backbone):
    from coiin.reports.public import publication

    for sub in Submission.objects.all():
        services.review(submission=sub, user=data_lead, assessment="Checked.")
        services.lock(submission=sub, user=data_lead)
    for level in ("national", "network", "jurisdiction"):
        publication.publish(measure=pooled, level=level, user=backbone)
    html = client.get("/public/measures/SS-BACK/").content.decode()
    assert "All reporting jurisdictions" in html and "74.21 – 80.79" in html
    assert "Georgia" in html and "76.08 – 83.92" in html  # 80 -/+ 1.96 x 2 on its own
    lines = client.get("/public/measures/SS-BACK.csv").content.decode().splitlines()
    assert lines[0].endswith(",rate,rate_flag,stratum,ci_lower,ci_upper,note")
    assert ("SS-BACK,national,US,All reporting jurisdictions,2016,,,,,77.50,survey estimate,"
            ",74.21,80.79,") in lines
    api = client.get("/api/v1/public/measures/SS-BACK/network").json()
    first = api["rows"][0]
    assert (first["unit"], first["year"], first["rate"], first["ci_lower"],
            first["ci_upper"], first["numerator"]) == ("safe-sleep", 2016, 77.5, 74.21,
                                                       80.79, None)
    georgia = client.get("/public/jurisdictions/GA/").content.decode()
    assert "76.08 – 83.92" in georgia


def test_the_network_report_pools_the_survey_measure_births_weighted(pooled, networks):
    from coiin.measures.periods import Period
    from coiin.network.models import Team
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.network import network_context, network_inputs

    Team.objects.update(joined_on="2014-01-01")  # test set-up: members in 2016 and 2017
    inputs = network_inputs(networks["safe-sleep"], Period.parse("2017"))
    start, *numbers, pooled, left_out = inputs["survey"]["SS-BACK"][0]
    assert (start, [round(x, 2) for x in numbers], pooled, left_out) == (
        "2016-01-01", [77.5, 1.68, 74.21, 80.79], 2, 0)
    context = network_context(inputs)
    [section] = [s for s in context["sections"] if s["measure"].code == "SS-BACK"]
    assert section["pooled"].chart_type == "run" and section["funnel"] is None
    assert section["survey"][0]["interval"] == "74.21 – 80.79"
    html = documents.render(context, "html").decode()
    assert "74.21 – 80.79" in html and "births-weighted" in html


def test_the_national_report_pools_the_survey_measure_births_weighted(pooled):
    import io

    from openpyxl import load_workbook

    from coiin.measures.periods import Period
    from coiin.network.models import Team
    from coiin.reports.documents import team as documents
    from coiin.reports.documents.national import (
        figures,
        national_context,
        national_inputs,
        render_xlsx,
    )

    Team.objects.update(joined_on="2014-01-01")
    inputs = national_inputs(Period.parse("2017-Q4"))
    assert "SS-BACK" in [m["code"] for m in inputs["survey_measures"]]
    start, *numbers, count, left_out = inputs["survey"]["SS-BACK"][0]
    assert (start, [round(x, 2) for x in numbers], count, left_out) == (
        "2016-01-01", [77.5, 1.68, 74.21, 80.79], 2, 0)
    context = national_context(inputs)
    (shown,) = context["survey"]
    assert [(r["estimate"], r["interval"], r["pooled"], r["left_out"])
            for r in shown["table"]] == [("77.50", "74.21 – 80.79", 2, 0),
                                         ("82.00", "78.08 – 85.92", 1, 1)]
    assert figures(context)["survey"]["SS-BACK"][0] == ("2016", "77.50", "74.21 – 80.79")
    html = documents.render(context, "html").decode()
    assert "Survey measures" in html and "74.21 – 80.79" in html and "births-weighted" in html
    book = load_workbook(io.BytesIO(render_xlsx(context)))
    assert book["Survey measures"]["F2"].value == "74.21 – 80.79"
    # A report made before survey measures were kept shows none.
    old = {k: v for k, v in inputs.items() if k not in ("survey", "survey_measures")}
    assert national_context(old)["survey"] == []
