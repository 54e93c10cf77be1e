"""The official figures page: backbone staff and the funder see the loads and the
reproduction; team members are refused; visitors sign in first."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from coiin.vitals import services

from .conftest import CDC_CLEAN, NVSS

URL = "/vitals/"


@pytest.fixture
def loaded(reference, backbone):
    for path in (CDC_CLEAN, NVSS):
        services.load_file(data=path.read_bytes(), file_name=path.name,
                           user=backbone if path == NVSS else None)


def test_the_url_is_named():
    assert reverse("vitals:index") == URL


@pytest.mark.parametrize("name", ["backbone", "funder"])
def test_backbone_staff_and_the_funder_see_the_loads_and_the_reproduction(
        request, client, loaded, name):
    client.force_login(request.getfixturevalue(name))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdc_nchs_infant_mortality_by_state.csv" in page
    assert "NVSS live births by state" in page and "Bea" in page and "command line" in page
    # Every year with both counts and a published rate is 2014-2020 (2005 has no births).
    assert "347 of 348 jurisdiction-years with a published rate agree" in page
    assert '<strong class="warn">disagrees</strong> by 0.05' in page
    assert response.context["agreeing"] == response.context["compared"] - 1


def test_the_page_reads_in_spanish_for_a_browser_that_asks_for_it(client, loaded, backbone):
    client.force_login(backbone)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in page
    for spanish in ("<h1>Estadísticas vitales oficiales</h1>", "Archivos cargados",
                    "Tasa de mortalidad infantil, reproducida",
                    "347 de 348 años-jurisdicción con una tasa publicada coinciden",
                    '<strong class="warn">no coincide</strong> por 0.05',
                    "Nacidos vivos por estado del NVSS"):
        assert spanish in page, spanish
    assert "Files loaded" not in page


def test_the_member_is_refused(client, loaded, member):
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 403
    assert "backbone staff and the funder" in response.content.decode()


@pytest.mark.parametrize(("name", "shown"), [("backbone", True), ("funder", True),
                                             ("member", False)])
def test_the_page_is_in_the_menu_of_those_who_may_see_it(request, client, name, shown):
    client.force_login(request.getfixturevalue(name))
    page = client.get(reverse("people")).content.decode()
    assert ('href="/vitals/"' in page) == shown


def test_a_stranger_is_not_told_the_page_exists(client, loaded, stranger):
    client.force_login(stranger)
    assert client.get(URL).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, loaded):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/vitals/" in response["Location"]


def test_the_wrong_method_is_refused(client, backbone):
    client.force_login(backbone)
    assert client.post(URL).status_code == 405


def test_the_table_filters_by_jurisdiction_and_year(client, loaded, backbone):
    client.force_login(backbone)
    rows = client.get(URL, {"jurisdiction": "ut", "year": "2019"}).context["rows"]
    assert [(r.jurisdiction, r.period, str(r.rate), str(r.published_rate), r.agrees)
            for r in rows] == [("UT", "2019", "5.32", "5.27", False)]
    rows = client.get(URL, {"year": "2016"}).context["rows"]
    assert len(rows) == 51 and sum(1 for r in rows if r.agrees) == 50  # DC: births only


def test_the_csv_download_holds_the_filtered_table(client, loaded, backbone):
    client.force_login(backbone)
    response = client.get(URL, {"jurisdiction": "UT", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="imr-reproduced-UT.csv"' in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(table) == 11  # 2005, 2012-2021
    ut2019 = next(r for r in table if r["period"] == "2019")
    assert ut2019 == {"jurisdiction": "UT", "period": "2019", "deaths": "249",
                      "births": "46826", "rate": "5.32", "published_rate": "5.27",
                      "agrees": "no", "unreliable": "no"}


def test_the_page_reads_with_a_fixed_number_of_queries(client, loaded, backbone,
                                                       django_assert_max_num_queries):
    client.force_login(backbone)
    client.get(URL)
    with django_assert_max_num_queries(12):
        client.get(URL)
