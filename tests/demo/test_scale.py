"""The synthetic scale network (coiin build_scale_network), built tiny."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from coiin.charts.models import ChartSummary
from coiin.demo.scale import DEMO_VALUES, Shape, build
from coiin.measures.models import DataValue, Measure, SiteValue, Submission
from coiin.network.models import Jurisdiction, ReportingUnit

pytestmark = pytest.mark.django_db


def test_a_factor_cuts_the_target_to_that_many_times_the_demo_volume():
    target = Shape(3000, 40, 72)
    one = target.scaled(1)
    assert (one.measures, one.months) == (5, 72)
    assert abs(one.values - DEMO_VALUES) / DEMO_VALUES < 0.02
    twelve = target.scaled(12)
    assert abs(twelve.values - 12 * DEMO_VALUES) / (12 * DEMO_VALUES) < 0.02
    assert target.scaled(1000) == target
    assert target.values == 8_640_000


def test_build_stores_every_sites_values_and_rolls_them_up_to_the_team_with_history():
    built = build(Shape(units=7, measures=2, months=3), log=lambda _: None,
                  last_month=dt.date(2024, 6, 1))
    assert built.site_values == 7 * 2 * 3 == built.rows_written
    units = ReportingUnit.objects.filter(is_synthetic=True, name__startswith="Synthetic site")
    assert units.count() == 7
    teams = {u.team_id for u in units}
    stored = SiteValue.objects.filter(measure__code__startswith="SCALE-")
    assert stored.count() == built.site_values
    assert SiteValue.history.filter(history_change_reason="synthetic scale data",
                                    history_type="+").count() == stored.count()
    # One team value a team, measure and month: the sums of its sites' numbers.
    values = DataValue.objects.filter(measure__code__startswith="SCALE-")
    assert values.count() == len(teams) * 2 * 3
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for s in stored:
        acc = sums.setdefault((s.submission_id, s.measure_id), [Decimal(0), Decimal(0)])
        acc[0] += s.numerator
        acc[1] += s.denominator
    assert {(v.submission_id, v.measure_id): [v.numerator, v.denominator] for v in values} \
        == sums
    for v in values:
        assert 0 <= v.numerator <= v.denominator
    subs = Submission.objects.filter(team_id__in=teams)
    assert set(subs.values_list("status", flat=True)) == {"locked", "submitted"}
    assert subs.filter(status="submitted").get(team__jurisdiction__postal_code="GA",
                                               team__learning_network__slug="safe-sleep"
                                               ).period_start == dt.date(2024, 6, 1)
    assert Measure.objects.filter(code__startswith="SCALE-").count() == 2
    assert ChartSummary.objects.filter(measure__code__startswith="SCALE-",
                                       team_id__in=teams).count() == len(teams) * 2
    with pytest.raises(ValueError, match="already holds"):
        build(Shape(1, 1, 1), log=lambda _: None)


def test_two_sites_of_one_team_are_summed():
    build(Shape(units=300, measures=1, months=2), log=lambda _: None,
          last_month=dt.date(2024, 6, 1))
    team_id = ReportingUnit.objects.filter(name="Synthetic site 0001").get().team_id
    assert ReportingUnit.objects.filter(team_id=team_id, is_synthetic=True,
                                        name__startswith="Synthetic site").count() >= 2
    for value in DataValue.objects.filter(submission__team_id=team_id,
                                          measure__code__startswith="SCALE-"):
        sites = SiteValue.objects.filter(submission_id=value.submission_id,
                                         measure_id=value.measure_id)
        assert sites.count() >= 2
        assert value.numerator == sum(s.numerator for s in sites)
        assert value.denominator == sum(s.denominator for s in sites)


def test_the_command_refuses_nonsense_sizes():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("build_scale_network", "--units", "0")


def test_a_hundred_sites_bring_a_jurisdiction_outside_the_tile_map():
    built = build(Shape(units=100, measures=1, months=1), log=lambda _: None,
                  last_month=dt.date(2024, 6, 1))
    extra = Jurisdiction.objects.get(postal_code="SAA")
    assert built.jurisdictions == 59 + 1
    assert extra.teams.exists()
    assert ReportingUnit.objects.filter(name__startswith="Synthetic site").count() == 100
