"""Categorical and text measures: the catalog ships the IHI assessment scale and a
successes-and-barriers note; a categorical answer is picked from its scale, and one off the
scale is refused on the form and in an import, naming where."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coiin.api import tokens
from coiin.measures import io, services
from coiin.measures.catalog import CATALOG, IHI_SCALE, default_measure_codes
from coiin.measures.models import DataValue
from coiin.measures.periods import Frequency, Period

ON_SCALE = "3.0 — Modest improvement"


@pytest.fixture
def period(settings):
    """Last month: open for entry today."""
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


@pytest.fixture
def url(team, period, chosen, catalog):
    services.choose_measures(team=team, measures=[
        *chosen, catalog["TC-PROGRESS"], catalog["TC-NOTES"]])
    return f"/networks/safe-sleep/ga/data/{period.label}/"


def test_the_catalog_ships_the_assessment_scale_and_a_text_measure(catalog):
    progress, notes = catalog["TC-PROGRESS"], catalog["TC-NOTES"]
    assert progress.type == "categorical" and progress.categories == IHI_SCALE
    assert len(IHI_SCALE) == 10 and IHI_SCALE[0] == "0.5 — Intent to participate"
    assert IHI_SCALE[-1] == "5.0 — Outstanding sustainable results"
    assert notes.type == "text" and notes.name == "Successes and barriers this period"
    # Offered to every network, chosen by none by default.
    assert progress.learning_network is None and notes.learning_network is None
    specs = {s.code for s in CATALOG}
    assert {"TC-PROGRESS", "TC-NOTES"} <= specs
    assert not any("TC-" in c for c in default_measure_codes("safe-sleep"))


def test_the_scale_is_the_progress_scores_scale():
    from coiin.improvement.models import SCALE

    assert IHI_SCALE == [f"{k} — {v}" for k, v in SCALE.items()]


def test_a_categorical_answer_is_picked_from_its_scale(client, data_lead, url):
    client.force_login(data_lead)
    html = client.get(url).content.decode()
    assert '<select name="m-TC-PROGRESS-text"' in html
    for answer in IHI_SCALE:
        assert f'<option value="{answer}">{answer}</option>' in html
    assert '<textarea name="m-TC-NOTES-text"' in html


def test_answers_on_the_scale_and_text_are_saved(client, data_lead, url):
    client.force_login(data_lead)
    response = client.post(url, {"version": "0", "action": "save",
                                 "m-TC-PROGRESS-text": ON_SCALE,
                                 "m-TC-NOTES-text": "Two hospitals joined; staffing is short."})
    assert response.status_code == 302
    assert dict(DataValue.objects.values_list("measure__code", "text")) == {
        "TC-PROGRESS": ON_SCALE, "TC-NOTES": "Two hospitals joined; staffing is short."}
    html = client.get(url).content.decode()
    assert f'<option value="{ON_SCALE}" selected>' in html


def test_an_answer_off_the_scale_is_refused_naming_the_measure(client, data_lead, url):
    client.force_login(data_lead)
    response = client.post(url, {"version": "0", "action": "save",
                                 "m-TC-PROGRESS-text": "3.2 — Nearly there"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "TC-PROGRESS" in html and "is not one of: 0.5 — Intent to participate" in html
    assert "3.2 — Nearly there (not on the scale)" in html  # kept, shown as off the scale
    assert not DataValue.objects.exists()


def test_an_import_refuses_an_answer_off_the_scale_with_row_and_column(team, chosen, catalog):
    services.choose_measures(team=team, measures=[*chosen, catalog["TC-PROGRESS"]])
    data = ("\n".join([",".join(io.COLUMNS),
                       f"GA,safe-sleep,TC-PROGRESS,2015-03,,,{ON_SCALE},,",
                       "GA,safe-sleep,TC-PROGRESS,2015-04,,,Great,,"]) + "\n").encode()
    with pytest.raises(io.ImportRefused) as exc:
        io.import_rows(io.read_table(data, "data.csv"))
    errors = [str(e) for e in exc.value.errors]
    assert len(errors) == 1
    assert errors[0].startswith("row 3, value: 'Great' is not one of: 0.5 — Intent")
    assert not DataValue.objects.exists()


def test_the_catalog_measure_and_choose_pages_show_them(client, lead, team, chosen, catalog):
    html = client.get("/measures/").content.decode()
    assert "Successes and barriers this period" in html and "TC-PROGRESS" in html
    page = client.get("/measures/TC-PROGRESS/")
    assert page.status_code == 200 and "Intent to participate" in page.content.decode()
    assert client.get("/measures/TC-NOTES/").status_code == 200
    client.force_login(lead)
    choose = client.get("/networks/safe-sleep/ga/data/measures/").content.decode()
    assert "TC-PROGRESS" in choose and "Successes and barriers this period" in choose


def test_the_api_refuses_an_answer_off_the_scale_with_row_and_column(client, url, data_lead,
                                                                     period):
    _, token = tokens.create_token(user=data_lead, name="test")
    rows = [{"jurisdiction": "GA", "network": "safe-sleep", "measure": code,
             "period": period.label, "value": answer}
            for code, answer in (("TC-NOTES", "Short of staff"), ("TC-PROGRESS", "Great"))]
    response = client.post("/api/v1/values", {"rows": rows}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "value")
    assert error["message"].startswith("'Great' is not one of: 0.5 — Intent")
    assert not DataValue.objects.exists()
