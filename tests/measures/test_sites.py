"""Site-level reporting: sites' values are checked and stored, and the team's figure is
their roll-up (sums, never a mean of rates), with history for both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coiin.measures import services
from coiin.measures.models import DataValue, Measure, SiteValue, TeamMeasure
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network.models import ReportingUnit, TeamMembership

TODAY = dt.date(2015, 4, 10)  # March 2015 is open


@pytest.fixture
def sites(team, chosen):
    units = [ReportingUnit.objects.create(team=team, name=n, kind="hospital")
             for n in ("Grady Memorial", "Piedmont Atlanta", "Northside")]
    services.set_by_site(team=team, measures=[m for m in chosen if m.code == "SS-CRIB"])
    return units


@pytest.fixture
def march(team, chosen):
    return services.submission_for(team, Period.parse("2015-03"))


def crib(catalog, unit, num, den, **kw):
    return services.SiteEntry(unit, Entry(catalog["SS-CRIB"], "2015-03", numerator=num,
                                          denominator=den, **kw))


def save(submission, user, entries, **kw):
    return services.save_site_values(submission=submission, user=user, entries=entries,
                                     expected_version=submission.version, today=TODAY, **kw)


def team_value(march, catalog):
    return DataValue.objects.get(submission=march, measure=catalog["SS-CRIB"], stratum=None)


def test_the_team_figure_is_the_sum_of_numerators_and_denominators(
        sites, march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, sites[0], "9", "10"),
                            crib(catalog, sites[1], "10", "40")])
    value = team_value(march, catalog)
    assert (value.numerator, value.denominator) == (19, 50)
    assert value.result == Decimal("38")  # pooled 19/50, not the mean of 90 % and 25 %
    assert SiteValue.objects.filter(submission=march).count() == 2
    assert march.version == 1


def test_changing_and_clearing_a_site_rolls_the_team_up_again_with_history(
        sites, march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, sites[0], "9", "10"),
                            crib(catalog, sites[1], "10", "40")])
    save(march, data_lead, [crib(catalog, sites[1], "", "")], reason="duplicate audit")
    value = team_value(march, catalog)
    assert (value.numerator, value.denominator) == (9, 10)
    save(march, data_lead, [crib(catalog, sites[0], "", "")])
    assert not DataValue.objects.filter(submission=march).exists()
    team_history = DataValue.history.filter(submission_id=march.pk).order_by("history_id")
    assert [h.history_type for h in team_history] == ["+", "~", "-"]
    assert team_history[1].history_change_reason == "duplicate audit"
    assert team_history[1].history_user == data_lead
    site_history = SiteValue.history.filter(unit=sites[1]).order_by("history_id")
    assert [h.history_type for h in site_history] == ["+", "-"]


def test_an_unchanged_site_save_writes_no_history(sites, march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, sites[0], "9", "10")])
    save(march, data_lead, [crib(catalog, sites[0], "9", "10")])
    assert SiteValue.history.count() == 1
    assert DataValue.history.count() == 1


def test_a_site_count_adds_up(team, chosen, catalog, march, data_lead):
    count = Measure.objects.create(code="SS-KITS", name="Crib kits handed out",
                                   type=Measure.Type.COUNT, frequency="monthly",
                                   learning_network=team.learning_network)
    services.choose_measures(team=team, measures=[*chosen, count])
    units = [ReportingUnit.objects.create(team=team, name=n, kind="clinic") for n in "AB"]
    services.set_by_site(team=team, measures=[count])
    save(march, data_lead, [
        services.SiteEntry(units[0], Entry(count, "2015-03", value="12")),
        services.SiteEntry(units[1], Entry(count, "2015-03", value="30"))])
    value = DataValue.objects.get(submission=march, measure=count)
    assert (value.value, value.numerator) == (42, None)


def test_site_values_are_checked_like_team_values(sites, march, data_lead, catalog):
    with pytest.raises(services.DataErrors) as exc:
        save(march, data_lead, [crib(catalog, sites[0], "11", "10"),
                                crib(catalog, sites[1], "5", "10")])
    assert [str(i) for i in exc.value.errors] == [
        "SS-CRIB 2015-03 [Grady Memorial], numerator: 11 is more than the denominator 10"]
    assert not SiteValue.objects.exists() and not DataValue.objects.exists()


def test_a_site_warning_needs_a_reason(sites, march, data_lead, catalog):
    with pytest.raises(services.DataErrors) as exc:
        save(march, data_lead, [crib(catalog, sites[0], "1", "10")])  # 10 %, below 20
    assert "outside the expected range" in str(exc.value)
    assert "[Grady Memorial]" in str(exc.value)
    kept = save(march, data_lead, [crib(catalog, sites[0], "1", "10",
                                        confirm="a new unit's first audit")])
    assert len(kept) == 1
    assert SiteValue.objects.get().warnings_confirmed == "a new unit's first audit"


def test_entering_the_team_total_directly_is_refused(sites, march, data_lead, catalog):
    with pytest.raises(services.DataErrors) as exc:
        services.save_values(submission=march, user=data_lead, today=TODAY,
                             expected_version=march.version,
                             entries=[Entry(catalog["SS-CRIB"], "2015-03", numerator="5",
                                            denominator="10")])
    assert "SS-CRIB 2015-03, value: is reported by site" in str(exc.value)
    assert not DataValue.objects.exists()
    # Other measures of the same page still save; the rolled-up figure round-trips.
    save(march, data_lead, [crib(catalog, sites[0], "9", "10")])
    services.save_values(submission=march, user=data_lead, today=TODAY,
                         expected_version=march.version,
                         entries=[Entry(catalog["SS-CRIB"], "2015-03", numerator="9",
                                        denominator="10"),
                                  Entry(catalog["SS-EDU"], "2015-03", numerator="4",
                                        denominator="5")])
    assert DataValue.objects.filter(submission=march).count() == 2


def test_site_staff_write_only_their_own_site(sites, march, member, catalog):
    TeamMembership.objects.filter(user=member).update(unit=sites[0])
    save(march, member, [crib(catalog, sites[0], "9", "10")])
    with pytest.raises(services.ReportingError, match="your own site only, not for Piedmont"):
        save(march, member, [crib(catalog, sites[1], "9", "10")])
    assert SiteValue.objects.count() == 1


def test_sites_of_another_team_and_measures_not_by_site_are_refused(
        sites, march, data_lead, catalog, other_team):
    elsewhere = ReportingUnit.objects.create(team=other_team, name="Elsewhere", kind="clinic")
    with pytest.raises(services.ReportingError, match="not one of"):
        save(march, data_lead, [crib(catalog, elsewhere, "1", "2")])
    edu = services.SiteEntry(sites[0], Entry(catalog["SS-EDU"], "2015-03", numerator="1",
                                             denominator="2"))
    with pytest.raises(services.ReportingError, match="SS-EDU is not reported by site"):
        save(march, data_lead, [edu])


def test_a_stale_version_is_a_conflict(sites, march, data_lead, catalog):
    version = march.version
    save(march, data_lead, [crib(catalog, sites[0], "9", "10")])
    with pytest.raises(services.EditConflict):
        services.save_site_values(submission=march, user=data_lead, today=TODAY,
                                  expected_version=version,
                                  entries=[crib(catalog, sites[1], "1", "10",
                                                confirm="low")])


def test_only_counts_and_ratios_of_teams_with_sites_go_by_site(team, chosen, catalog):
    with pytest.raises(services.ReportingError, match="no sites"):
        services.set_by_site(team=team, measures=[catalog["SS-CRIB"]])
    ReportingUnit.objects.create(team=team, name="Grady", kind="hospital")
    with pytest.raises(services.ReportingError, match="not among"):
        services.set_by_site(team=team, measures=[catalog["SC-PREG"]])
    services.set_by_site(team=team, measures=[catalog["SS-CRIB"], catalog["SS-EDU"]])
    services.set_by_site(team=team, measures=[catalog["SS-EDU"]])
    assert set(TeamMeasure.objects.filter(team=team, by_site=True)
               .values_list("measure__code", flat=True)) == {"SS-EDU"}


def test_roll_up_is_set_based_and_skips_measures_not_by_site(
        sites, team, chosen, data_lead, catalog):
    subs = [services.submission_for(team, Period.parse(f"2015-0{i}")) for i in (1, 2, 3)]
    services.add_values(values=[DataValue(submission=subs[0], measure=catalog["SS-EDU"],
                                          numerator=1, denominator=2)], reason="test")
    services.add_site_values(values=[
        SiteValue(submission=s, unit=u, measure=catalog["SS-CRIB"], numerator=n, denominator=10)
        for s in subs for u, n in zip(sites, (3, 4, 5), strict=True)], reason="generated")
    rolled = {v.submission_id: (v.numerator, v.denominator)
              for v in DataValue.objects.filter(measure=catalog["SS-CRIB"])}
    assert rolled == {s.pk: (12, 30) for s in subs}
    assert services.roll_up([s.pk for s in subs], [catalog["SS-CRIB"].pk,
                                                   catalog["SS-EDU"].pk]) == 0
    assert DataValue.objects.filter(measure=catalog["SS-EDU"]).count() == 1
    SiteValue.objects.filter(submission=subs[2], unit=sites[2]).update(numerator=9)
    assert services.roll_up([s.pk for s in subs], [catalog["SS-CRIB"].pk]) == 1
    assert team_value(subs[2], catalog).numerator == 16


def test_team_strata_stay_when_the_sites_report_totals_only(sites, team, catalog, data_lead):
    from coiin.measures.models import Stratum

    back = catalog["SS-BACK"]  # stratified by race and ethnicity; yearly
    services.set_by_site(team=team, measures=[catalog["SS-CRIB"], back])
    year = services.submission_for(team, Period.parse("2015"))
    stratum = Stratum.objects.filter(kind=back.stratification).first()
    services.add_values(values=[DataValue(submission=year, measure=back, stratum=stratum,
                                          numerator=5, denominator=10)], reason="before")
    services.add_site_values(values=[
        SiteValue(submission=year, unit=sites[0], measure=back, numerator=40, denominator=50)],
        reason="generated")
    assert DataValue.objects.get(submission=year, measure=back, stratum=None).numerator == 40
    assert DataValue.objects.filter(submission=year, measure=back, stratum=stratum).exists()
