"""Importing a measure a team reports by site: the ``site`` column, the sites' values with
their history, and the team's figure kept as the sum of its sites'."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coiin.measures import io
from coiin.measures.models import DataValue, SiteValue, TeamMeasure
from coiin.network.models import ReportingUnit

HEADER = ",".join((*io.COLUMNS, "site"))


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def run(*lines: str, **kw) -> io.ImportResult:
    return io.import_rows(io.read_table(csv_bytes(*lines), "sites.csv"), **kw)


@pytest.fixture
def sites(team, chosen):
    TeamMeasure.objects.filter(team=team, measure__code="SS-CRIB").update(by_site=True)
    return [ReportingUnit.objects.create(team=team, name=name, kind="hospital")
            for name in ("Grady Memorial", "Emory Midtown")]


def crib() -> tuple:
    v = DataValue.objects.get(measure__code="SS-CRIB")
    return v.numerator, v.denominator


def test_site_rows_are_stored_and_the_team_figure_is_their_sum(sites, data_lead):
    result = run("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,Grady Memorial",
                 "GA,safe-sleep,SS-CRIB,2015-03,12,30,,,audit,emory midtown",
                 "GA,safe-sleep,SS-EDU,2015-03,45,50,,,,", user=data_lead)
    assert result.created == 3
    assert sorted(SiteValue.objects.values_list("unit__name", "numerator", "denominator",
                                                "comment")) == [
        ("Emory Midtown", Decimal(12), Decimal(30), "audit"),
        ("Grady Memorial", Decimal(40), Decimal(50), "")]
    assert crib() == (Decimal(52), Decimal(80))  # sums, never a mean of the rates
    assert sorted(SiteValue.history.values_list("history_type", "history_user")) == [
        ("+", data_lead.pk), ("+", data_lead.pk)]
    assert DataValue.objects.get(measure__code="SS-CRIB").history.get().history_type == "+"


def test_a_changed_or_cleared_site_changes_the_team_figure(sites):
    run("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,Grady Memorial",
        "GA,safe-sleep,SS-CRIB,2015-03,12,30,,,,Emory Midtown")
    again = run("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,Grady Memorial",
                "GA,safe-sleep,SS-CRIB,2015-03,10,30,,,,Emory Midtown")
    assert (again.unchanged, again.changed) == (1, 1)
    assert crib() == (Decimal(50), Decimal(80))
    team_value = DataValue.objects.get(measure__code="SS-CRIB")
    assert [h.history_type for h in team_value.history.all()] == ["~", "+"]
    run("GA,safe-sleep,SS-CRIB,2015-03,,,,,,Emory Midtown")
    assert crib() == (Decimal(40), Decimal(50))
    run("GA,safe-sleep,SS-CRIB,2015-03,,,,,,Grady Memorial")
    assert not DataValue.objects.exists() and not SiteValue.objects.exists()
    assert SiteValue.history.filter(history_type="-").count() == 2


def test_rows_naming_the_wrong_kind_of_place_are_refused(sites):
    with pytest.raises(io.ImportRefused) as exc:
        run("GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,",
            "GA,safe-sleep,SS-EDU,2015-03,40,50,,,,Grady Memorial",
            "GA,safe-sleep,SS-CRIB,2015-03,40,50,,,,Nowhere General",
            "GA,safe-sleep,SS-CRIB,2015-04,40,50,,,,Grady Memorial",
            "GA,safe-sleep,SS-CRIB,2015-04,41,50,,,,Grady Memorial")
    assert [str(e) for e in exc.value.errors] == [
        "row 2, site: Georgia · Safe Sleep reports SS-CRIB by site: give the site (the "
        "team's figure is the sum of its sites')",
        "row 3, site: Georgia · Safe Sleep reports SS-EDU for the team, not by site; leave "
        "the site blank",
        "row 4, site: Georgia · Safe Sleep has no site 'Nowhere General'",
        "row 6, measure: repeats row 5 (same team, measure, period and stratum)"]
    assert not SiteValue.objects.exists() and not DataValue.objects.exists()
