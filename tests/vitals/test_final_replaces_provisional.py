"""Final figures for a period replace provisional ones of the same kind of source, the
replacement recorded and every load kept; any other differing figure still refuses the
file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coiin.measures import services as reporting
from coiin.measures.models import DataValue
from coiin.vitals import services
from coiin.vitals.models import ReplacedFigure, Status, VitalFigure, VitalsLoad

HEADER = '"Notes"\t"State"\t"Year"\t"Deaths"\t"Births"'


def wonder(write, name: str, deaths: str, births: str, dataset: str):
    return write(name, HEADER, f'\t"Ohio"\t"2023"\t"{deaths}"\t"{births}"', '"---"',
                 f'"Dataset: Linked Birth / Infant Death Records, {dataset}"')


def load(path):
    return services.load_file(data=path.read_bytes(), file_name=path.name)


def test_final_figures_replace_provisional_ones_and_the_history_is_kept(reference, write):
    provisional = load(wonder(write, "p.txt", "800", "127000", "Provisional 2023"))
    final = load(wonder(write, "f.txt", "812", "127400", "2023 final"))
    assert (final.added, final.replaced, final.unchanged) == (0, 2, 0)
    assert "Replaced 2 provisional figures with final ones." in final.summary()
    deaths = VitalFigure.objects.get(item="infant_deaths")
    assert (deaths.value, deaths.status, deaths.load) == (812, Status.FINAL, final.load)
    was = ReplacedFigure.objects.get(figure=deaths)
    assert (was.value, was.status, was.load, was.replaced_by) == (
        800, Status.PROVISIONAL, provisional.load, final.load)
    assert VitalsLoad.objects.count() == 2
    assert VitalsLoad.objects.get(pk=final.load.pk).figures_replaced == 2


def test_a_differing_provisional_figure_still_refuses_the_file(reference, write):
    load(wonder(write, "p.txt", "800", "127000", "Provisional 2023"))
    with pytest.raises(services.LoadRefused) as refused:
        load(wonder(write, "p2.txt", "805", "127000", "Provisional 2023"))
    assert len(refused.value.problems) == 1 and "805" in refused.value.problems[0]
    assert VitalFigure.objects.get(item="infant_deaths").value == 800
    assert not ReplacedFigure.objects.exists()


def test_a_differing_final_figure_still_refuses_the_file(reference, write):
    load(wonder(write, "f.txt", "812", "127400", "2023 final"))
    for name, deaths, dataset in (("f2.txt", "813", "2023 final"),
                                  ("p.txt", "800", "Provisional 2023")):
        with pytest.raises(services.LoadRefused):
            load(wonder(write, name, deaths, "127400", dataset))
    assert VitalFigure.objects.get(item="infant_deaths").value == 812


def test_the_office_final_figures_reach_the_teams(team, catalog, backbone, jurisdictions):
    reporting.choose_measures(team=team, measures=[catalog["IMR"]])
    ga = jurisdictions["GA"]
    services.enter_figures(jurisdiction=ga, user=backbone, year=2025, quarter=1,
                           status="provisional", cells={"births": "31000",
                                                        "infant_deaths": "210"})
    result = services.enter_figures(jurisdiction=ga, user=backbone, year=2025, quarter=1,
                                    status="final", cells={"births": "31050",
                                                           "infant_deaths": "214"})
    assert result.replaced == 2
    value = DataValue.objects.get(submission__team=team, measure=catalog["IMR"],
                                  submission__period_start=dt.date(2025, 1, 1))
    assert (value.numerator, value.denominator) == (Decimal(214), Decimal(31050))
    assert value.comment.startswith("from the Georgia vital records office, final, loaded")
    assert [h.numerator for h in value.history.order_by("history_date")] == [210, 214]
