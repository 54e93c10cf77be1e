"""A vital-records office corrects a provisional figure with another provisional one, the
earlier one kept; the teams' copies reach their charts once their period is submitted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coiin.charts.building import team_charts
from coiin.charts.models import ChartSummary
from coiin.measures import services as reporting
from coiin.measures.models import DataValue, Submission
from coiin.vitals import services
from coiin.vitals.models import ReplacedFigure, Status, VitalFigure, VitalsLoad

from ..conftest import make_user

URL = "/vitals/ga/enter/"
FIRST = {"births": "32100", "infant_deaths": "225"}
CORRECTED = {"births": "32100", "infant_deaths": "231"}


@pytest.fixture
def office(jurisdictions, backbone):
    user = make_user("rita.records@example.org")
    services.grant_role(user=user, jurisdiction=jurisdictions["GA"], by=backbone)
    return user


@pytest.fixture
def imr(team, catalog):
    reporting.choose_measures(team=team, measures=[catalog["IMR"]])
    return catalog["IMR"]


def enter(jurisdictions, office, cells, status="provisional", **kw):
    return services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                                  quarter=2, status=status, cells=cells, **kw)


def copy(team, imr) -> DataValue:
    return DataValue.objects.get(submission__team=team, measure=imr, stratum=None,
                                 submission__period_start=dt.date(2025, 4, 1))


def test_an_office_corrects_a_provisional_figure_and_the_earlier_one_is_kept(
        jurisdictions, office, team, imr):
    first = enter(jurisdictions, office, FIRST)
    with pytest.raises(services.EntryRefused) as refused:
        enter(jurisdictions, office, CORRECTED)
    assert "enter it as a correction" in refused.value.fields["infant_deaths"]
    result = enter(jurisdictions, office, CORRECTED, correct=True)
    assert (result.added, result.replaced, result.corrected) == (0, 1, 1)
    assert "Corrected 1 provisional figures (the earlier ones kept)." in result.summary()
    deaths = VitalFigure.objects.get(item="infant_deaths", mother_race="")
    assert (deaths.value, deaths.status, deaths.load) == (231, Status.PROVISIONAL, result.load)
    was = ReplacedFigure.objects.get()
    assert (was.figure, was.value, was.status, was.load, was.replaced_by) == (
        deaths, 225, Status.PROVISIONAL, first.load, result.load)
    assert "a correction" in result.load.file_name
    # The team's copy follows, its history keeping the figure it had.
    value = copy(team, imr)
    assert value.numerator == Decimal(231)
    assert [h.numerator for h in value.history.order_by("history_date")] == [225, 231]
    # Putting the first figures back is a correction too, not "already entered".
    back = enter(jurisdictions, office, FIRST, correct=True)
    assert not back.already_loaded and back.corrected == 1
    assert copy(team, imr).numerator == Decimal(225)
    assert VitalsLoad.objects.count() == 3 and ReplacedFigure.objects.count() == 2


def test_a_final_figure_is_not_corrected_by_an_entry(jurisdictions, office, team, imr):
    enter(jurisdictions, office, FIRST, status="final")
    for status in ("provisional", "final"):
        with pytest.raises(services.EntryRefused):
            enter(jurisdictions, office, CORRECTED, status=status, correct=True)
    assert VitalFigure.objects.get(item="infant_deaths", mother_race="").value == 225
    assert not ReplacedFigure.objects.exists()


def test_the_entry_page_takes_a_correction(client, jurisdictions, office, team, imr):
    enter(jurisdictions, office, FIRST)
    client.force_login(office)
    post = {"year": "2025", "quarter": "2", "status": "provisional", **CORRECTED}
    refused = client.post(URL, post)
    assert refused.status_code == 400 and "enter it as a correction" in refused.content.decode()
    assert client.post(URL, {**post, "correct": "on"}).status_code == 302
    assert copy(team, imr).numerator == Decimal(231)


def test_a_copied_figure_reaches_the_chart_once_the_period_is_submitted(
        jurisdictions, office, team, imr, data_lead):
    enter(jurisdictions, office, FIRST)
    submission = Submission.objects.get(team=team)
    assert submission.status == Submission.Status.DRAFT
    [chart] = team_charts(team, [imr], spec=False)
    assert chart.chart is None  # a draft: not on the chart
    assert not ChartSummary.objects.filter(team=team, measure=imr, scope="team").exists()
    reporting.submit(submission=submission, user=data_lead, today=dt.date(2025, 7, 10))
    [chart] = team_charts(team, [imr], spec=False)
    assert [round(p.y, 3) for p in chart.chart.points] == [round(225 / 32100 * 1000, 3)]
    # A correction of a submitted period's figure reaches the chart at once.
    enter(jurisdictions, office, CORRECTED, correct=True)
    [chart] = team_charts(team, [imr], spec=False)
    assert [round(p.y, 3) for p in chart.chart.points] == [round(231 / 32100 * 1000, 3)]
    summary = ChartSummary.objects.get(team=team, measure=imr, scope="team")
    assert summary.latest_value == pytest.approx(231 / 32100 * 1000)
