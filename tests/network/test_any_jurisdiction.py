"""Jurisdictions of any kind and code: a tribal nation (NAV) and a city health department
(C01) join beside the 59, and every page a user reaches shows them (none on the tile grid:
they are listed beside the map)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, resolve, reverse

from coiin.charts.summaries import services as summaries
from coiin.converters import RESERVED_CODES, is_jurisdiction_code
from coiin.measures import services as reporting
from coiin.measures.models import Measure
from coiin.network import services
from coiin.network.models import Cohort, Jurisdiction, Team, User
from coiin.network.tilegrid import TILE_POSITIONS, lay_out, position
from coiin.reports.public import publication
from tests.conftest import make_user, shared_rows
from tests.reports.public.test_data import report

pytestmark = pytest.mark.xdist_group("any-jurisdiction")

NAVAJO = "Navajo Nation"
CHICAGO = "Chicago Department of Public Health"
MONTHS = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32, 40, 41, 42, 40, 43, 41, 42, 44]


def load_newcomers() -> tuple[dict[str, Team], User]:
    """A backbone user (as the shared fixture makes it), a tribal nation and a city with
    Georgia in Safe Sleep, their data published, beside the reference network and the catalog
    (the baseline rows). The chart summaries are refreshed once at the end, as a bulk
    writer's are: the same rows as after a refresh per value."""
    catalog = {m.code: m for m in Measure.objects.all()}
    backbone = make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)
    cohort = Cohort.objects.order_by("-year").first()
    services.add_jurisdiction(name=NAVAJO, code="nav", kind=Jurisdiction.Kind.TRIBAL_NATION,
                              hhs_region=9, cohort=cohort, fips_code="2430")
    services.add_jurisdiction(name=CHICAGO, code="C01", kind=Jurisdiction.Kind.LOCAL,
                              hhs_region=5, cohort=cohort)
    teams = services.load_teams_csv(
        "jurisdiction,learning_network,joined_on\n"
        f"nav,safe-sleep,2014-01-01\n{CHICAGO},safe-sleep,2014-01-01\n"
        "GA,safe-sleep,2014-01-01\n")
    by_code = {t.jurisdiction.postal_code: t for t in teams}
    with summaries.deferred():
        _report_newcomers(teams, catalog, backbone)
    for level in ("jurisdiction", "network", "national"):
        publication.publish(measure=catalog["IMR"], level=level, user=backbone)
    return by_code, backbone


def _report_newcomers(teams: list[Team], catalog: dict[str, Measure], backbone: User) -> None:
    """Twenty locked months of cribs and two locked first quarters of deaths per team."""
    for team in teams:
        reporting.choose_measures(team=team, measures=[catalog["IMR"], catalog["SS-CRIB"]])
        month = dt.date(2015, 1, 1)
        for num in MONTHS:
            report(team, catalog["SS-CRIB"], month.strftime("%Y-%m"), num, 50, user=backbone)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        for year, deaths in ((2015, 40), (2016, 36)):
            report(team, catalog["IMR"], f"{year}-Q1", deaths, 6000, user=backbone)


# The tests only read these teams (what one writes is rolled back after it): made once.
_shared_newcomers_rows, shared_newcomers = shared_rows("shared_newcomers", load_newcomers)


@pytest.fixture
def newcomers(shared_newcomers) -> dict[str, Team]:
    return shared_newcomers[0]


@pytest.fixture
def backbone(shared_newcomers) -> User:
    """The backbone user who published the newcomers' data (the shared persona's)."""
    return shared_newcomers[1]


def test_codes_are_two_to_eight_letters_and_digits_starting_with_a_letter(reference):
    cohort = Cohort.objects.first()
    for bad in ("N", "1AB", "ABCDEFGHI", "A-B", "charts", "Reports"):
        with pytest.raises(ValidationError) as exc:
            services.add_jurisdiction(name=f"Bad {bad}", code=bad, kind="other", hhs_region=1,
                                      cohort=cohort)
        assert "postal_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.add_jurisdiction(name="Bad FIPS", code="BF1", kind="other", hhs_region=1,
                                  cohort=cohort, fips_code="13")  # Georgia's
    assert "fips_code" in str(exc.value)
    j = services.add_jurisdiction(name="Eight", code="abcd1234", kind="other", hhs_region=1,
                                  cohort=cohort)
    assert j.postal_code == "ABCD1234" and j.get_absolute_url() == "/jurisdictions/abcd1234/"
    assert not Jurisdiction.objects.filter(name__startswith="Bad").exists()


def test_the_map_places_the_59_and_lists_the_others(newcomers):
    codes = list(Jurisdiction.objects.values_list("postal_code", flat=True))
    placed, listed = lay_out(codes, str)
    assert sorted(placed) == sorted(TILE_POSITIONS) and sorted(listed) == ["C01", "NAV"]
    assert position("nav") is None and position("ga") == TILE_POSITIONS["GA"]


def test_load_teams_accepts_any_code(newcomers, tmp_path, networks):
    path = tmp_path / "teams.csv"
    path.write_text("jurisdiction,learning_network\nNAV,smoking-cessation\nc01,preterm-birth\n")
    call_command("load_teams", str(path))
    assert set(Team.objects.filter(jurisdiction__postal_code__in=["NAV", "C01"])
               .values_list("jurisdiction__postal_code", "learning_network__slug")) == {
        ("NAV", "safe-sleep"), ("C01", "safe-sleep"), ("NAV", "smoking-cessation"),
        ("C01", "preterm-birth")}


TEAM_PAGES = [
    "/networks/safe-sleep/{c}/", "/networks/safe-sleep/{c}/data/",
    "/networks/safe-sleep/{c}/data/2015-03/", "/networks/safe-sleep/{c}/data/2015-03/history/",
    "/networks/safe-sleep/{c}/data/measures/", "/networks/safe-sleep/{c}/data/goals/",
    "/networks/safe-sleep/{c}/charts/", "/networks/safe-sleep/{c}/charts/SS-CRIB/",
    "/networks/safe-sleep/{c}/charts/SS-CRIB.csv", "/networks/safe-sleep/{c}/charts/IMR/",
    "/networks/safe-sleep/{c}/reports/", "/networks/safe-sleep/{c}/improvement/",
    "/networks/safe-sleep/{c}/improvement/aims/",
    "/networks/safe-sleep/{c}/improvement/driver-diagram/",
    "/networks/safe-sleep/{c}/improvement/ideas/", "/networks/safe-sleep/{c}/improvement/cycles/",
    "/networks/safe-sleep/{c}/improvement/scores/",
    "/networks/safe-sleep/{c}/improvement/storyboards/", "/networks/safe-sleep/{c}/invite/",
    "/jurisdictions/{c}/", "/public/jurisdictions/{c}/", "/public/jurisdictions/{c}.csv",
]
# Pages that list or pick every jurisdiction or team: each names both newcomers.
SHARED_PAGES = [
    "/", "/?network=safe-sleep", "/national/", "/national/?colour=signal",
    "/national/?measure=SS-CRIB", "/networks/safe-sleep/", "/networks/safe-sleep/charts/",
    "/data/status/", "/data/status/?period=2015-03",
    "/public/", "/people/", "/compare/?measure=SS-CRIB", "/api/v1/jurisdictions", "/api/v1/teams",
    "/api/v1/public/network",
]
# Pages that must answer, whose content depends on more than these teams.
OTHER_PAGES = [
    "/what-works/", "/networks/safe-sleep/what-works/", "/national/reports/",
    "/networks/safe-sleep/reports/", "/data/export/",
    "/data/import/", "/public/networks/safe-sleep/", "/public/measures/IMR/",
    "/api/v1/values?measure=SS-CRIB", "/api/v1/submissions",
    "/api/v1/public/measures/IMR/jurisdiction", "/networks/safe-sleep/improvement/scores/",
    "/community/", "/measures/",
]


@pytest.mark.parametrize("code", ["NAV", "C01"])
def test_every_team_page_answers_for_any_code(newcomers, as_persona, code):
    client = as_persona("backbone")
    name = newcomers[code].jurisdiction.name
    for url in TEAM_PAGES:
        for c in (code.lower(), code):
            response = client.get(url.format(c=c))
            assert response.status_code == 200, (url, c, response.status_code)
            if not url.endswith(".csv"):
                assert name in response.content.decode(), url


def test_every_shared_page_shows_both_newcomers(newcomers, as_persona):
    client = as_persona("backbone")
    for url in SHARED_PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = response.content.decode()
        for code in ("NAV", "C01"):
            shown = newcomers[code].jurisdiction.name in text or f'"{code}"' in text
            assert shown, (url, code)
    for url in OTHER_PAGES:
        assert client.get(url).status_code == 200, url


def test_compare_and_the_map_list_the_newcomers_beside_the_grid(newcomers, as_persona):
    client = as_persona("backbone")
    ids = [newcomers["NAV"].pk, newcomers["C01"].pk, newcomers["GA"].pk]
    page = client.get("/compare/", {"measure": "SS-CRIB", "team": ids}).content.decode()
    assert NAVAJO in page and CHICAGO in page
    for url in ("/", "/national/", "/public/"):
        page = client.get(url).content.decode()
        grid, _, rest = page.partition('class="tilelist"')
        assert "NAV" not in grid.split('class="tilegrid"', 1)[1], url
        assert "/nav/" in rest and "/c01/" in rest, url
    # The national map colours a listed jurisdiction like a placed one: it has data.
    national = client.get("/national/?measure=SS-CRIB").content.decode()
    listed = national.split('class="tilelist"', 1)[1].split("</ul>", 1)[0]
    assert 'data-postal="NAV"' in listed and "nodata" not in listed


def test_anonymous_public_pages_show_the_newcomers(newcomers, client):
    for url in ("/public/", "/public/jurisdictions/nav/", "/public/jurisdictions/c01/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert NAVAJO in client.get("/public/").content.decode()


def _routes() -> list[list[str]]:
    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)
    return [r.split("/") for r in walk(get_resolver().url_patterns, "")]


def test_no_code_can_shadow_a_route_and_reserved_words_are_refused():
    """Where a code sits in a URL, no literal word beside it is a well-formed code."""
    routes = _routes()
    beside = set()
    for route in routes:
        for i, segment in enumerate(route):
            if segment.startswith("<postal:"):
                for other in routes:
                    if (len(other) > i and other[:i] == route[:i]
                            and not other[i].startswith("<")):
                        beside.add(other[i])
    assert {"reports", "charts", "measures"} <= beside
    assert not [w for w in beside if is_jurisdiction_code(w)]
    code_shaped = {w.upper() for w in beside if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,7}", w)}
    assert code_shaped == RESERVED_CODES  # reserved, and nothing reserved in vain
    assert resolve("/networks/safe-sleep/reports/").url_name == "network_reports"
    assert resolve("/networks/safe-sleep/c01/").url_name == "team"
    assert reverse("jurisdiction", args=["nav"]) == "/jurisdictions/nav/"
