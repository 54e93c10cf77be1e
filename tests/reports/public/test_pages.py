"""The public site's pages and downloads, and the backbone page that publishes measures."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
from django.test import Client

from coiin.demo.network import load_reference
from coiin.measures.catalog import load_catalog
from coiin.network import services
from coiin.network.models import FacultyAssignment, TeamMembership, User
from coiin.reports.models import PublishedMeasure
from coiin.reports.public import publication
from tests.conftest import make_user, shared_rows

from .test_data import SECRETS, build_release


def make_released() -> SimpleNamespace:
    """IMR published at every level; SUID has locked data but is not published. Georgia's
    Safe Sleep team has a lead and a faculty coach; a backbone member published it.

    Made once for the tests that ask for ``released``, which follow one another on one
    worker (what a test writes is rolled back after it); in those tests the lead, faculty
    and backbone fixtures are these rows, in the others they are made per test as always."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    team = services.join_network(jurisdiction=jurisdictions["GA"],
                                 learning_network=networks["safe-sleep"])
    lead = make_user("lena.lead@example.org")
    services.add_member(team=team, user=lead, role=TeamMembership.Role.LEAD)
    faculty = make_user("fay.faculty@example.org")
    FacultyAssignment.objects.create(learning_network=team.learning_network, user=faculty)
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    build_release(jurisdictions, networks, catalog, backbone)
    for level in ("jurisdiction", "network", "national"):
        publication.publish(measure=catalog["IMR"], level=level, user=backbone)
    return SimpleNamespace(imr=catalog["IMR"], lead=lead, faculty=faculty, backbone=backbone)


_released_rows, released_rows = shared_rows("released_rows", make_released)
pytestmark = pytest.mark.xdist_group("public-pages")


@pytest.fixture
def released(released_rows):
    return released_rows.imr


def _of_the_release(name: str):
    """The persona ``name``: the release's own in a test that asks for ``released``, else
    the one tests/conftest.py makes for the test."""

    @pytest.fixture(name=name)
    def persona(request):
        if "released" in request.fixturenames:
            return getattr(request.getfixturevalue("released_rows"), name)
        return request.getfixturevalue(name)  # the fixture this one overrides

    return persona


lead = _of_the_release("lead")
faculty = _of_the_release("faculty")
backbone = _of_the_release("backbone")


# ----------------------------------------------------------------------- publishing


@pytest.mark.parametrize("persona", ["stranger", "member", "lead", "faculty", "outsider",
                                     "funder"])
def test_only_backbone_staff_may_open_the_publish_page(as_persona, persona, catalog):
    assert as_persona(persona).get("/publish/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/publish/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_backbone_publishes_and_unpublishes(as_persona, catalog):
    client = as_persona("backbone")
    page = client.get("/publish/")
    assert page.status_code == 200 and b"SS-BACK" in page.content
    response = client.post("/publish/", {"measure": "PTB", "level": "jurisdiction",
                                         "action": "publish"})
    assert response.status_code == 302
    pub = PublishedMeasure.objects.get(measure__code="PTB")
    assert (pub.level, pub.published_by.email) == ("jurisdiction", "bea.backbone@example.org")
    assert client.get("/public/measures/PTB/").status_code == 200
    client.post("/publish/", {"measure": "PTB", "level": "jurisdiction",
                              "action": "unpublish"})
    assert not PublishedMeasure.objects.exists()
    assert client.get("/public/measures/PTB/").status_code == 404


def test_a_bad_level_is_refused(as_persona, catalog):
    response = as_persona("backbone").post("/publish/", {"measure": "PTB", "level": "team"})
    assert response.status_code == 400
    assert not PublishedMeasure.objects.exists()


@pytest.mark.parametrize("persona", ["lead", "faculty", "funder", "anonymous"])
def test_nobody_else_can_publish(as_persona, persona, catalog):
    as_persona(persona).post("/publish/", {"measure": "PTB", "level": "national"})
    assert not PublishedMeasure.objects.exists()


def test_publish_page_refuses_other_methods(as_persona, catalog):
    assert as_persona("backbone").put("/publish/").status_code == 405


# ----------------------------------------------------------------------- public pages


def test_public_pages_refuse_posts(client, released):
    for url in ("/public/", "/public/measures/IMR/", "/public/networks/safe-sleep/",
                "/public/jurisdictions/ga/", "/public/measures/IMR.csv"):
        assert client.post(url).status_code == 405


def test_an_unpublished_measure_is_not_found(client, released):
    assert client.get("/public/measures/SUID/").status_code == 404
    assert client.get("/public/measures/SUID.csv").status_code == 404
    assert client.get("/public/measures/NOPE/").status_code == 404


def _cell_text(html: str, row_name: str) -> list[str]:
    """The text of each cell of the first table row headed ``row_name``."""
    row = re.search(rf'<th scope="row">{row_name}</th>(.*?)</tr>', html, re.S)
    assert row, row_name
    return [re.sub(r"<[^>]+>", " ", c).split() for c in
            re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_the_measure_page_hides_the_small_count_and_flags_it(client, released):
    html = client.get("/public/measures/IMR/").content.decode()
    florida = _cell_text(html, "Florida")
    assert florida[0] == ["suppressed*", "suppressed*", "/", "511"]  # 3 deaths in 2015
    assert "Suppressed to protect privacy: a count from 1 to 9" in html
    georgia = _cell_text(html, "Georgia")
    assert georgia[0] == ["6.67", "40", "/", "6000"]
    assert _cell_text(html, "Total")[2] == ["6.24", "286", "/", "45811"]


def test_the_csv_is_exactly_what_the_page_shows(client, released):
    html = client.get("/public/measures/IMR/").content.decode()
    response = client.get("/public/measures/IMR.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    fl = next(r for r in rows if r["unit"] == "FL" and r["year"] == "2015")
    assert (fl["numerator"], fl["numerator_flag"], fl["rate_flag"]) == ("", "suppressed",
                                                                         "suppressed")
    years = ["2015", "2016", "all years"]
    for r in rows:
        name = "Total" if r["unit"] == "US" and r["level"] == "jurisdiction" else r["unit_name"]
        cells = _cell_text(html, name)
        shown = cells[years.index(r["year"])]
        num = r["numerator"] or "suppressed*"
        den = r["denominator"] or "suppressed*"
        rate = r["rate"] or "suppressed*"
        if r["rate_flag"] == "unreliable":
            rate += "†"
        assert shown == [rate, num, "/", den], (r, shown)


def test_query_count_of_the_measure_page_is_bounded(client, released,
                                                    django_assert_max_num_queries):
    client.get("/public/measures/IMR/")  # computes and caches the release
    with django_assert_max_num_queries(8):
        assert client.get("/public/measures/IMR/").status_code == 200


def test_network_and_jurisdiction_pages_show_their_own_published_figures(client, released):
    page = client.get("/public/networks/safe-sleep/").content.decode()
    assert "SIDS/SUID and Safe Sleep" in page and "73 / 10511" in " ".join(
        _cell_text(page, "SIDS/SUID and Safe Sleep")[0])
    assert "Florida" in page  # listed as a member, with no figures of its own
    rows = list(csv.DictReader(io.StringIO(
        client.get("/public/networks/safe-sleep.csv").content.decode())))
    assert {r["unit"] for r in rows} == {"safe-sleep"}
    ga = client.get("/public/jurisdictions/ga/").content.decode()
    assert _cell_text(ga, "Georgia")[0] == ["6.67", "40", "/", "6000"]
    rows = list(csv.DictReader(io.StringIO(
        client.get("/public/jurisdictions/fl.csv").content.decode())))
    assert {r["unit"] for r in rows} == {"FL"}
    assert next(r for r in rows if r["year"] == "2015")["numerator"] == ""


def test_anonymous_crawl_finds_nothing_unpublished(client, released, lead, faculty, backbone):
    seen: set[str] = set()
    queue = ["/public/"]
    bodies = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        bodies.append((url, body))
        for link in re.findall(r'href="(/public/[^"#?]*)"', body):
            queue.append(link)
    assert "/public/measures/IMR.csv" in seen and "/public/jurisdictions/fl.csv" in seen
    assert not any("/public/measures/SUID" in u for u in seen)
    for url, body in bodies:
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        for person in (lead, faculty, backbone):
            assert person.display_name not in body, (url, person)
        assert "PDSA" not in body and "@example.org" not in body, url


def test_the_index_lists_networks_aims_and_published_measures(client, released):
    page = client.get("/public/").content.decode()
    assert "Infant mortality rate" in page and "/public/measures/IMR/" in page
    assert "/networks/safe-sleep/improvement/change-package/" in page
    assert "No storyboards are published yet." in page
    assert page.count('class="tile ') == 59


def test_the_index_works_with_nothing_published(client: Client, reference):
    page = client.get("/public/").content.decode()
    assert "No figures are published yet." in page


def test_public_charts_speak_plain_words_with_the_rules_on_demand(client, released):
    """No SPC jargon in the public site's legends and tooltips; each chart's plain sentence
    comes first and the rule detail behind it only in a <details>."""
    response = client.get("/public/networks/safe-sleep/")
    html = response.content.decode()
    specs = response.context["specs"]
    assert specs
    for spec in specs.values():
        signals = {row["signal"] for row in spec["data"]["values"]}
        assert signals <= {"Usual variation", "Unusually high or low",
                           "Part of a lasting change", "Left out"}, signals
        domains = [la["encoding"]["color"]["scale"]["domain"] for la in spec["layer"]
                   if "color" in la.get("encoding", {})
                   and "domain" in la["encoding"]["color"].get("scale", {})]
        assert domains and all("Part of a run or shift" not in d for d in domains)
    assert "Part of a run or shift" not in html and "Common cause" not in html
    summary = html.index('<p class="summary"')
    assert html.index('<details class="rule-detail small"><summary>The rules behind this',
                      summary) > summary


def test_the_publish_page_says_which_figures_are_synthetic(as_persona, catalog, backbone):
    client = as_persona("backbone")
    publication.publish(measure=catalog["IMR"], level="national", user=backbone,
                        synthetic_strata=True)
    page = client.get("/publish/").content.decode()
    assert page.count('<span class="tag">Synthetic</span>') == 0
    assert page.count('<span class="tag">Synthetic strata</span>') == 1
    assert 'aria-label="Figures of PTB, per jurisdiction, are synthetic"' in page
    # Ticked before publishing: labelled from the start, figures and strata.
    client.post("/publish/", {"measure": "PTB", "level": "jurisdiction", "action": "publish",
                              "synthetic": "on", "synthetic_strata": "on"})
    pub = PublishedMeasure.objects.get(measure__code="PTB")
    assert (pub.synthetic, pub.synthetic_strata) == (True, True)
    page = client.get("/publish/").content.decode()
    assert page.count('<span class="tag">Synthetic</span>') == 1
    # Publishing strata later with the box unticked keeps the label a demonstration set.
    client.post("/publish/", {"measure": "IMR", "level": "national", "action": "strata_on"})
    assert PublishedMeasure.objects.get(measure__code="IMR").synthetic_strata
    # Untouched boxes publish real figures.
    client.post("/publish/", {"measure": "SS-BACK", "level": "network", "action": "publish"})
    assert not PublishedMeasure.objects.get(measure__code="SS-BACK").synthetic
