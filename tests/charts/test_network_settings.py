"""A network's pooled chart type, chosen by its faculty or backbone staff with a reason:
only the types that suit the measure, the stored pooled summary rebuilt at once, and the
network page showing the type, the reason and (to those who may change it) the link."""

from __future__ import annotations

import pytest

from coiin.charts.models import ChartSummary, NetworkChartSettings
from coiin.charts.network_settings import pooled_chart_types, set_network_chart_type
from tests.conftest import fixtures_from, shared_rows

from .conftest import crib_and_texas

URL = "/networks/safe-sleep/charts/SS-CRIB/settings/"


# Georgia's and Texas's crib audits (conftest.py) are reported once for the module's tests,
# which follow one another on one worker (what a test writes is rolled back after it). The
# fixtures they are made of (reference, catalog, team, chosen, data_lead, backbone) are
# these rows; the other personas are made per test.
_crib_rows, crib_rows = shared_rows("crib_rows", crib_and_texas)
pytestmark = pytest.mark.xdist_group("network-chart-settings")


globals().update(fixtures_from("crib_rows",
                               "reference", "catalog", "team", "chosen", "data_lead", "backbone"))


@pytest.fixture
def crib_data(crib_rows):
    return crib_rows.crib


@pytest.fixture
def texas_crib(crib_rows):
    return crib_rows.texas


def _pool(network, measure):
    return ChartSummary.objects.get(scope=ChartSummary.Scope.NETWORK, measure=measure,
                                    learning_network=network)


def test_only_types_that_suit_the_measure_are_offered(catalog):
    assert pooled_chart_types(catalog["SS-CRIB"]) == ["run", "i", "p", "pp"]
    assert pooled_chart_types(catalog["IMR"]) == ["run", "i", "u", "up"]
    assert pooled_chart_types(catalog["SC-QUITLINE"]) == []  # a count: nothing pooled


def test_a_choice_rebuilds_the_pooled_summary(crib_data, texas_crib, faculty):
    network, measure = texas_crib.learning_network, crib_data
    assert _pool(network, measure).chart_type == "p"  # chosen from the data
    set_network_chart_type(network=network, measure=measure, chart_type="pp",
                           user=faculty, reason="Hundreds audited a month: over-dispersed")
    assert _pool(network, measure).chart_type == "pp"
    set_network_chart_type(network=network, measure=measure, chart_type="",
                           user=faculty, reason="Back to the default")
    assert _pool(network, measure).chart_type == "p"
    history = NetworkChartSettings.history.filter(measure_id=measure.pk)
    assert [h.history_change_reason for h in history.order_by("history_date")] == [
        "Hundreds audited a month: over-dispersed", "Back to the default"]


def test_a_type_that_does_not_suit_or_no_reason_is_refused(crib_data, texas_crib, faculty):
    network = texas_crib.learning_network
    with pytest.raises(ValueError, match="c chart does not suit the pooled SS-CRIB"):
        set_network_chart_type(network=network, measure=crib_data, chart_type="c",
                               user=faculty, reason="counts")
    with pytest.raises(ValueError, match="Say why"):
        set_network_chart_type(network=network, measure=crib_data, chart_type="pp",
                               user=faculty, reason="  ")
    assert not NetworkChartSettings.objects.exists()


def test_faculty_choose_on_the_page_and_the_network_page_says_so(as_persona, crib_data,
                                                                  texas_crib, faculty):
    client = as_persona("faculty")
    page = client.get(URL).content.decode()
    assert '<option value="pp">p′ chart (Laney)</option>' in page
    assert 'value="c"' not in page and 'value="u"' not in page
    refused = client.post(URL, {"chart_type": "u", "reason": "rates"})
    assert refused.status_code == 400
    response = client.post(URL, {"chart_type": "pp", "reason": "Large monthly audits"})
    assert response.status_code == 302
    network = client.get(response["Location"]).content.decode()
    assert "p′ chart (Laney)" in network and "Large monthly audits" in network
    assert URL in network


@pytest.mark.parametrize(("name", "status"), [
    ("faculty", 200), ("backbone", 200), ("member", 403), ("lead", 403), ("funder", 403),
    ("outsider", 403), ("stranger", 404), ("anonymous", 302)])
def test_who_may_change_the_pooled_chart(as_persona, name, status, crib_data, texas_crib):
    assert as_persona(name).get(URL).status_code == status


def test_the_link_is_only_for_those_who_may_change_it(as_persona, crib_data, texas_crib,
                                                      member):
    page = as_persona("member").get("/networks/safe-sleep/charts/?measure=SS-CRIB")
    assert page.status_code == 200 and URL not in page.content.decode()


def test_small_multiples_name_each_panels_chart_type_when_they_differ(
        as_persona, crib_data, texas_crib, team, faculty, data_lead):
    from coiin.charts import services as chart_services

    client = as_persona("faculty")
    page = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB").content.decode()
    assert 'class="muted small panel-type"' not in page  # both p charts: said once
    chart_services.set_chart_type(team=team, measure=crib_data, chart_type="run",
                                  user=data_lead, reason="a run chart for the board")
    page = client.get("/networks/safe-sleep/charts/?measure=SS-CRIB").content.decode()
    assert page.count('class="muted small panel-type"') == 2
    assert "· Run chart</span>" in page and "· p chart</span>" in page
