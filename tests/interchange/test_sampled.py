"""A sampled measure (PC-PPV-DAYS: each period's individual measurements, its value their
mean) goes through a FHIR MeasureReport with its measurements, and back; DHIS2 and ADX,
which carry one number per data value, refuse it by name both ways; the CSV file carries
them in its measurements column."""

from __future__ import annotations

import io as pyio
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from coiin.interchange import exporting, fhir, formats, services
from coiin.interchange.records import CannotCarry
from coiin.measures import io, io_formats
from coiin.measures import services as measures
from coiin.measures.io import submissions_in
from coiin.measures.models import DataValue, Measure, TeamMeasure

pytestmark = pytest.mark.xdist_group("interchange")

PPV = "PC-PPV-DAYS"
SAMPLES = {"2017-10": "21; 14; 35", "2017-11": "7; 28.5"}


@pytest.fixture
def sampled(world, catalog):
    measures.choose_measures(
        team=world,
        measures=[
            *Measure.objects.filter(team_measures__team=world, team_measures__active=True),
            catalog[PPV],
        ],
    )
    assert TeamMeasure.objects.filter(team=world, measure__code=PPV, active=True).exists()
    return world


def _seed() -> None:
    io.import_rows(
        [
            (
                i,
                {
                    "jurisdiction": "GA",
                    "network": "safe-sleep",
                    "measure": PPV,
                    "period": p,
                    "measurements": m,
                },
            )
            for i, (p, m) in enumerate(SAMPLES.items(), start=2)
        ],
        reason="test data",
    )


def _stored() -> dict[str, tuple[list[float], str]]:
    return {
        v.submission.period.label: (v.measurements, f"{v.value.normalize():f}")
        for v in DataValue.objects.filter(measure__code=PPV).select_related("submission")
    }


def test_a_fhir_report_carries_the_measurements_and_imports_back_as_they_were(sampled):
    with transaction.atomic():
        _seed()
        before = _stored()
        data = exporting.write_fhir(submissions_in(team=sampled))
        transaction.set_rollback(True)
    assert before == {"2017-10": ([21.0, 14.0, 35.0], "23.3333"), "2017-11": ([7.0, 28.5], "17.75")}
    reports = [
        e["resource"]
        for e in json.loads(data)["entry"]
        if e["resource"]["measure"].endswith(f"/Measure/{PPV}")
    ]
    (october,) = [r for r in reports if r["period"]["start"] == "2017-10-01"]
    group = october["group"][0]
    assert group["measureScore"]["value"] == pytest.approx(23.3333)
    assert [e["valueDecimal"] for e in group["extension"] if e["url"] == fhir.EXT_MEASUREMENT] == [
        21,
        14,
        35,
    ]
    assert not DataValue.objects.filter(measure__code=PPV).exists()
    result = formats.read_document("fhir", data)
    assert {r.measurements for r in result.records if r.measure == PPV} == {"21; 14; 35", "7; 28.5"}
    services.import_document(result, reason="round trip")
    assert _stored() == before
    # The catalog's Measure says how a sampled report carries them.
    resource = fhir.measure_resource(Measure.objects.get(code=PPV), [])
    assert fhir.EXT_MEASUREMENT in resource["description"]


@pytest.mark.parametrize("name", ["dhis2-json", "adx"])
def test_dhis2_and_adx_exports_refuse_a_sampled_measure_by_name(name, sampled, tmp_path):
    _seed()
    write = {"dhis2-json": exporting.write_dhis2_json, "adx": exporting.write_adx}[name]
    with pytest.raises(CannotCarry, match=rf"{PPV}: a sampled measure's value is the mean"):
        write(submissions_in(team=sampled))
    with pytest.raises(CommandError, match=rf"Nothing was exported: {PPV}"):
        call_command("export_data", str(tmp_path / "out.json"), "--format", name)
    assert not (tmp_path / "out.json").exists()


def test_the_dhis2_api_export_refuses_a_sampled_measure_by_name(sampled, client, data_lead):
    _seed()
    client.force_login(data_lead)
    response = client.get("/api/v1/dhis2/dataValueSets")
    assert response.status_code == 409
    assert PPV in response.json()["detail"]


def test_a_dhis2_value_of_a_sampled_measure_is_refused_by_name(sampled):
    doc = {
        "dataValues": [
            {
                "dataElement": PPV,
                "period": "201710",
                "orgUnit": "GA",
                "attributeOptionCombo": "safe-sleep",
                "value": "23",
            }
        ]
    }
    data = json.dumps(doc).encode()
    with pytest.raises(services.InterchangeRefused) as refused:
        io_formats.FORMATS["dhis2-json"].read(data, "values.json")
    reasons = [str(p) for p in refused.value.problems]
    assert any(PPV in r and "cannot carry" in r for r in reasons), reasons
    assert not DataValue.objects.filter(measure__code=PPV).exists()


def test_the_csv_file_carries_the_measurements_both_ways(sampled):
    with transaction.atomic():
        _seed()
        before = _stored()
        out = pyio.StringIO()
        io.write_csv(io.export_rows(submissions_in(team=sampled)), out)
        transaction.set_rollback(True)
    text = out.getvalue()
    assert "21; 14; 35" in text
    assert not DataValue.objects.filter(measure__code=PPV).exists()
    io.import_rows(io.read_table(text.encode(), "values.csv"), reason="round trip")
    assert _stored() == before
