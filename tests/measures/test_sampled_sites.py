"""A sampled measure (days from birth to the postpartum visit, one per patient sampled)
reported by site: each site keeps its own measurements, the team's value pools them all
(their mean, never a mean of the sites' means), each site has its own xbar chart, and the
file import and export carry them; reported by stratum, each group has its own."""

from __future__ import annotations

import datetime as dt
import io as pyio
import json

import pytest
from django.db import transaction

from coiin.charts.building import site_charts, stratum_charts
from coiin.interchange import exporting, fhir
from coiin.measures import io
from coiin.measures import services as reporting
from coiin.measures.io_sites import FILE_COLUMNS, file_rows
from coiin.measures.models import DataValue, SiteValue, Stratum
from coiin.measures.periods import Period
from coiin.measures.services import SiteEntry
from coiin.measures.validation import Entry
from coiin.network.models import ReportingUnit

PPV = "PC-PPV-DAYS"
# Per month: Grady's few patients wait long, Piedmont's many wait less.
GRADY = [[40, 44], [42, 38], [45, 41]]
PIEDMONT = [[20, 22, 18, 21, 19, 20], [21, 19, 22, 20, 18, 23], [20, 20, 21, 19, 22, 18]]


@pytest.fixture
def by_site(team, catalog):
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    reporting.choose_measures(team=team, measures=[catalog[PPV]])
    units = [
        ReportingUnit.objects.create(team=team, name=n, kind="hospital")
        for n in ("Grady Memorial", "Piedmont Atlanta")
    ]
    assert reporting.set_by_site(team=team, measures=[catalog[PPV]]) == [catalog[PPV]]
    return units


def _text(values):
    return "; ".join(str(v) for v in values)


def _enter(team, measure, units, user, months=3):
    period = Period.parse("2015-01")
    for g, p in list(zip(GRADY, PIEDMONT, strict=True))[:months]:
        sub = reporting.submission_for(team, period)
        today = period.end + dt.timedelta(days=3)
        reporting.save_site_values(
            submission=sub,
            user=user,
            expected_version=sub.version,
            today=today,
            entries=[
                SiteEntry(units[0], Entry(measure, period.label, measurements=_text(g))),
                SiteEntry(units[1], Entry(measure, period.label, measurements=_text(p))),
            ],
        )
        reporting.submit(submission=sub, user=user, today=today)
        period = period.next()


def test_the_team_value_pools_the_sites_measurements(team, catalog, by_site, data_lead):
    ppv = catalog[PPV]
    _enter(team, ppv, by_site, data_lead, months=1)
    site = {v.unit.name: v for v in SiteValue.objects.select_related("unit")}
    assert site["Grady Memorial"].measurements == [40.0, 44.0]
    assert float(site["Grady Memorial"].value) == 42.0
    total = DataValue.objects.get(measure=ppv, stratum=None)
    assert total.measurements == [40.0, 44.0, 20.0, 22.0, 18.0, 21.0, 19.0, 20.0]
    assert float(total.value) == 25.5  # 204 / 8, not (42 + 20) / 2
    assert (total.numerator, total.denominator) == (None, None)


def test_a_site_changing_its_measurements_rolls_the_team_value_up_again(
    team, catalog, by_site, data_lead
):
    ppv = catalog[PPV]
    period = Period.parse("2015-01")
    sub = reporting.submission_for(team, period)
    today = period.end + dt.timedelta(days=3)
    for measurements in ("40; 44", "40; 44; 60"):
        sub.refresh_from_db()
        reporting.save_site_values(
            submission=sub,
            user=data_lead,
            expected_version=sub.version,
            today=today,
            entries=[SiteEntry(by_site[0], Entry(ppv, period.label, measurements=measurements))],
        )
    total = DataValue.objects.get(measure=ppv, stratum=None)
    assert total.measurements == [40.0, 44.0, 60.0] and float(total.value) == 48.0


def test_each_site_has_its_own_chart_of_its_own_measurements(team, catalog, by_site, data_lead):
    _enter(team, catalog[PPV], by_site, data_lead)
    charts = dict((u.name, tc) for u, tc in site_charts(team, catalog[PPV]))
    assert list(charts) == ["Grady Memorial", "Piedmont Atlanta"]
    assert [o.value for o in charts["Grady Memorial"].observations] == [42.0, 40.0, 43.0]
    assert [o.denominator for o in charts["Piedmont Atlanta"].observations] == [6.0] * 3


def test_the_site_file_carries_the_measurements_and_imports_back(team, catalog, by_site, data_lead):
    with transaction.atomic():
        _enter(team, catalog[PPV], by_site, data_lead, months=1)
        before = sorted((v.unit.name, v.measurements) for v in SiteValue.objects.all())
        out = pyio.StringIO()
        io.write_csv(file_rows(io.submissions_in(team=team)), out, FILE_COLUMNS)
        transaction.set_rollback(True)
    text = out.getvalue()
    assert "40; 44" in text and "Grady Memorial" in text
    assert not SiteValue.objects.exists()
    io.import_rows(io.read_table(text.encode(), "values.csv"), reason="round trip")
    assert sorted((v.unit.name, v.measurements) for v in SiteValue.objects.all()) == before
    total = DataValue.objects.get(measure__code=PPV, stratum=None)
    assert float(total.value) == 25.5


def test_the_site_entry_page_takes_each_sites_measurements(
    client, team, catalog, by_site, data_lead, settings
):
    from django.utils import timezone

    settings.REPORTING_GRACE_DAYS = 60
    period = Period.containing(timezone.localdate(), catalog[PPV].freq).previous()
    url = f"/networks/safe-sleep/ga/data/{period.label}/"
    client.force_login(data_lead)
    page = client.get(url).content.decode()
    names = [f"site-{u.pk}-m-{PPV}-meas" for u in by_site]
    assert all(f'name="{n}"' in page for n in names)
    response = client.post(
        url, {"version": "0", "action": "save", names[0]: "40; 44", names[1]: "20; 22; 18"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    total = DataValue.objects.get(measure__code=PPV, stratum=None)
    assert total.measurements == [40.0, 44.0, 20.0, 22.0, 18.0] and float(total.value) == 28.8
    page = client.get(url).content.decode()
    assert "40; 44" in page and "mean of every measurement of the 2 of 2 sites" in page


def test_a_stratified_sampled_measure_keeps_each_groups_measurements(team, catalog, data_lead):
    ppv = catalog[PPV]
    ppv.stratification = Stratum.Kind.RACE_ETHNICITY
    ppv.save()
    team.joined_on = dt.date(2014, 1, 1)
    team.save()
    reporting.choose_measures(team=team, measures=[ppv])
    white, black = (
        Stratum.objects.get(kind=ppv.stratification, code=c) for c in ("nh-white", "nh-black")
    )
    period = Period.parse("2015-01")
    for g, p in zip(GRADY, PIEDMONT, strict=True):
        sub = reporting.submission_for(team, period)
        today = period.end + dt.timedelta(days=3)
        reporting.save_values(
            submission=sub,
            user=data_lead,
            expected_version=sub.version,
            today=today,
            entries=[
                Entry(ppv, period.label, measurements=_text(g + p)),
                Entry(ppv, period.label, stratum=black, measurements=_text(g)),
                Entry(ppv, period.label, stratum=white, measurements=_text(p)),
            ],
        )
        reporting.submit(submission=sub, user=data_lead, today=today)
        period = period.next()
    stored = DataValue.objects.get(
        measure=ppv, stratum=black, submission__period_start=dt.date(2015, 1, 1)
    )
    assert stored.measurements == [40.0, 44.0] and float(stored.value) == 42.0
    charts = dict((s.code, tc) for s, tc in stratum_charts(team, ppv))
    assert set(charts) == {"nh-white", "nh-black"}
    assert [o.value for o in charts["nh-black"].observations] == [42.0, 40.0, 43.0]
    assert [o.denominator for o in charts["nh-white"].observations] == [6.0] * 3
    # A FHIR MeasureReport carries each stratum's own measurements.
    doc = json.loads(exporting.write_fhir(io.submissions_in(team=team)))
    report = next(
        e["resource"] for e in doc["entry"] if e["resource"]["period"]["start"] == "2015-01-01"
    )
    carried = {
        s["value"]["coding"][0]["code"]: [
            x["valueDecimal"] for x in s["extension"] if x["url"] == fhir.EXT_MEASUREMENT
        ]
        for s in report["group"][0]["stratifier"][0]["stratum"]
    }
    assert carried["nh-black"] == [40, 44] and carried["nh-white"] == PIEDMONT[0]
