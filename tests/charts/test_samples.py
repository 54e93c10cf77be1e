"""Sampled measures: individual measurements per period, read with errors that name the
bad entry, stored, and charted on xbar and s charts that match qicharts2 to 1e-9."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.utils import timezone

from coiin.charts.building import build, chart_types_for
from coiin.charts.models import ChartSettings
from coiin.charts.samples import subgroup_chart
from coiin.measures import services as reporting
from coiin.measures.models import DataValue
from coiin.measures.periods import Period
from coiin.measures.samples import MeasurementError, as_text, mean, parse_measurements
from coiin.measures.validation import Entry

from ..spc.reference import REF, assert_close, load_expected, read_csv


@pytest.mark.parametrize("case", ["qic_xbar_montgomery_ex6.3", "qic_s_montgomery_ex6.3",
                                  "qic_xbar_montgomery_ex6.4_variable_n",
                                  "qic_s_montgomery_ex6.4_variable_n"])
def test_xbar_and_s_charts_of_subgroups_match_the_r_reference(case):
    expected = load_expected(f"{case}.expected.json")
    _, rows = read_csv(REF / expected["input_csv"])
    x, y = expected["parameters"]["x"], expected["parameters"]["y"]
    groups: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        if row[y] is not None:
            groups[int(row[x])].append(float(row[y]))
    chart = subgroup_chart(sorted(groups.items()), expected["chart"])
    points = expected["computed"]["points"]
    assert len(chart.points) == len(points)
    for got, exp in zip(chart.points, points, strict=True):
        for mine, theirs in (("y", "y"), ("cl", "cl"), ("lcl", "lcl"), ("ucl", "ucl")):
            assert_close(getattr(got, mine), exp[theirs], f"{case} {got.x} {mine}")
        assert got.sigma_signal is exp["sigma_signal"]


def test_measurements_are_read_and_a_bad_one_is_named():
    assert parse_measurements("21; 14,35\n 7") == [21.0, 14.0, 35.0, 7.0]
    assert parse_measurements("  ") == []
    assert mean([21.0, 14.0, 35.0, 7.0]) == pytest.approx(19.25)
    assert as_text([21.0, 14.5]) == "21; 14.5"
    with pytest.raises(MeasurementError, match=r"measurement 3 \('2l'\) is not a number"):
        parse_measurements("21; 14; 2l; 7")


PPV = "PC-PPV-DAYS"


@pytest.fixture
def sampled(team, catalog):
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    reporting.choose_measures(team=team, measures=[catalog[PPV]])
    return catalog[PPV]


def test_the_form_takes_measurements_names_a_bad_one_and_stores_their_mean(
        client, data_lead, sampled, settings):
    settings.REPORTING_GRACE_DAYS = 60
    period = Period.containing(timezone.localdate(), sampled.freq).previous()
    url = f"/networks/safe-sleep/ga/data/{period.label}/"
    client.force_login(data_lead)
    page = client.get(url).content.decode()
    assert f'name="m-{PPV}-meas"' in page and "separated by semicolons" in page
    response = client.post(url, {"version": "0", "action": "save",
                                 f"m-{PPV}-meas": "21; 14; 2l; 7"})
    assert response.status_code == 400
    assert "measurement 3 (&#x27;2l&#x27;) is not a number" in response.content.decode()
    assert not DataValue.objects.exists()
    response = client.post(url, {"version": "0", "action": "save",
                                 f"m-{PPV}-meas": "21; 14; 35; 7"})
    assert response.status_code == 302
    value = DataValue.objects.get()
    assert value.measurements == [21.0, 14.0, 35.0, 7.0] and float(value.value) == 19.25
    assert "21; 14; 35; 7" in client.get(url).content.decode()
    history = client.get(url + "history/").content.decode()
    assert "measurements: — → 21; 14; 35; 7" in history


def test_a_sampled_measure_is_charted_on_xbar_or_s_charts(team, data_lead, sampled):
    assert chart_types_for(sampled) == ["xbar", "s"]
    period = Period.parse("2015-01")
    days = [[20, 25, 30], [18, 22, 40, 35], [28, 21], [30, 31, 19], [24, 26, 25],
            [21, 23, 29, 33], [27, 22, 20], [19, 24, 26], [30, 28, 22], [25, 25, 27],
            [22, 26, 31], [24, 20, 23]]
    for values in days:
        sub = reporting.submission_for(team, period)
        reporting.save_values(submission=sub, user=data_lead, expected_version=0, entries=[
            Entry(sampled, period.label, measurements="; ".join(map(str, values)))],
            today=period.end + dt.timedelta(days=3))
        reporting.submit(submission=sub, user=data_lead, today=period.end + dt.timedelta(days=3))
        period = period.next()
    tc = build(team, sampled, [])
    assert tc.chart_type == "xbar" and tc.spec is not None
    expected = subgroup_chart([(i, v) for i, v in enumerate(days)], "xbar",
                              direction="decrease")
    assert [p.ucl for p in tc.chart.points] == [p.ucl for p in expected.points]
    assert tc.chart.points[0].y == pytest.approx(25.0)
    s_chart = build(team, sampled, [], settings=ChartSettings(team=team, measure=sampled,
                                                               chart_type="s"))
    assert s_chart.chart_type == "s"
    assert s_chart.chart.points[0].y == pytest.approx(5.0)  # sd of 20, 25, 30


def test_the_csv_import_takes_a_measurements_column_and_names_bad_rows(team, sampled,
                                                                       backbone):
    from coiin.measures import io

    header = ",".join((*io.COLUMNS, "measurements"))

    def csv(*lines):
        return ("\n".join([header, *lines]) + "\n").encode()

    blank = ",,,,"  # numerator, denominator, value, stratum
    def refused(*lines):
        with pytest.raises(io.ImportRefused) as exc:
            io.import_rows(io.read_table(csv(*lines), "data.csv"), user=backbone)
        return [str(e) for e in exc.value.errors]

    assert refused(f"GA,safe-sleep,{PPV},2015-01{blank},,21;14;35",
                   f"GA,safe-sleep,{PPV},2015-02{blank},,21;x;35") == [
        "row 3, measurements: measurement 2 ('x') is not a number; separate the "
        "measurements with semicolons, commas or spaces"]
    assert refused(f"GA,safe-sleep,{PPV},2015-03,,,19{',' * 2},") == [
        f"row 2, value: {PPV} takes its individual measurements, in the measurements column "
        "(separated by semicolons), not a number"]
    assert not DataValue.objects.exists()  # nothing half-written
    io.import_rows(io.read_table(csv(
        f"GA,safe-sleep,{PPV},2015-01{blank},,21;14;35",
        f"GA,safe-sleep,{PPV},2015-02{blank},first week,7; 9"), "data.csv"), user=backbone)
    values = {v.submission.period.label: v for v in DataValue.objects.select_related(
        "submission")}
    assert values["2015-01"].measurements == [21.0, 14.0, 35.0]
    assert float(values["2015-01"].value) == pytest.approx(23.3333)
    assert values["2015-02"].measurements == [7.0, 9.0] and values["2015-02"].comment == \
        "first week"
    # The same file again changes nothing.
    again = io.import_rows(io.read_table(csv(
        f"GA,safe-sleep,{PPV},2015-01{blank},,21;14;35"), "data.csv"), user=backbone)
    assert again.unchanged == 1 and again.changed == 0
