"""The demo fills the official figures store with CDC's state infant deaths and NVSS's
births, once: /vitals/ on the demo shows CDC's rates reproduced from them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coiin.demo import vitals as vitals_demo
from coiin.demo.figures import STATE_DEATHS, STATE_FIGURES
from coiin.vitals import rates
from coiin.vitals.models import Item, VitalFigure, VitalsLoad

TEST_COPIES = Path(__file__).resolve().parents[1] / "data" / "vitals"


def quiet(_: str) -> None:
    pass


def stored() -> list[tuple]:
    return sorted(VitalFigure.objects.values_list(
        "jurisdiction__postal_code", "year", "item", "source_kind", "value", "published_rate",
        "unreliable", "load_id"))


@pytest.fixture
def loaded(reference):
    return vitals_demo.load_vitals_demo(log=quiet)


def test_the_packaged_files_are_the_published_ones_kept_for_the_tests():
    for name in vitals_demo.FILES:
        assert (vitals_demo.DATA / name).read_bytes() == (TEST_COPIES / name).read_bytes()
    assert (vitals_demo.DATA / "README.md").is_file()


def test_the_demo_loads_both_files_and_a_second_run_changes_nothing(loaded):
    assert [r.file_name for r in loaded] == list(vitals_demo.FILES)
    assert [r.added for r in loaded] == [400, 510]
    before = stored()
    again = vitals_demo.load_vitals_demo(log=quiet)
    assert all(r.already_loaded and r.added == 0 for r in again)
    assert stored() == before
    assert VitalsLoad.objects.count() == 2


def test_the_demo_reproduces_cdc_s_rates_in_347_of_348_state_years(loaded):
    rows = [r for r in rates.imr_by_year() if 2014 <= int(r.period) <= 2020]
    compared = [r for r in rows if r.agrees is not None]
    assert len(compared) == 348
    assert [(r.jurisdiction, r.period) for r in compared if not r.agrees] == [("UT", "2019")]


def test_the_demo_s_team_totals_are_the_stored_official_figures(loaded):
    """The figures the demo's teams report as their annual totals are the ones in the
    store: one set of numbers, not two."""
    births = dict(((j, y), v) for j, y, v in VitalFigure.objects.filter(
        item=Item.BIRTHS).values_list("jurisdiction__postal_code", "year", "value"))
    deaths = dict(((j, y), v) for j, y, v in VitalFigure.objects.filter(
        item=Item.INFANT_DEATHS).values_list("jurisdiction__postal_code", "year", "value"))
    for postal, (annual, _rates) in STATE_FIGURES.items():
        assert annual == tuple(births[(postal, y)] for y in range(2012, 2018)), postal
    for postal, annual in STATE_DEATHS.items():
        assert annual == tuple(deaths[(postal, y)] for y in range(2014, 2018)), postal


def test_the_page_on_the_demo_shows_the_reproduction(loaded, client, backbone):
    client.force_login(backbone)
    page = client.get("/vitals/").content.decode()
    # 2005 has deaths but no births: every compared year is 2014-2020.
    assert "347 of 348 jurisdiction-years with a published rate agree" in page
    assert '<strong class="warn">disagrees</strong> by 0.05' in page
    assert "cdc_nchs_infant_mortality_by_state.csv" in page
    assert "nvss_live_births_by_state_2012_2021.csv" in page
    # Vermont 2019 was published as unreliable, without a rate: 49 compared.
    page = client.get("/vitals/?year=2019").content.decode()
    assert "48 of 49 jurisdiction-years with a published rate agree" in page


def test_the_readme_names_each_file_it_describes():
    text = (vitals_demo.DATA / "README.md").read_text()
    for path in vitals_demo.DATA.iterdir():
        if path.suffix == ".csv":
            assert f"`{path.name}`" in text
    with open(vitals_demo.DATA / vitals_demo.FILES[0], newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 400
