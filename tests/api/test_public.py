"""The public API: no login, the public site's figures exactly, nothing more."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from coiin.charts.summaries import services as summaries
from coiin.measures.models import Measure
from coiin.network import services
from coiin.network.models import Jurisdiction, LearningNetwork, TeamMembership, User
from coiin.reports.public import publication
from coiin.reports.public.publication import CSV_HEADER
from tests.conftest import make_backbone, make_faculty, make_user, shared_rows

from ..reports.public.test_data import SECRETS, build_release

pytestmark = pytest.mark.xdist_group("api-public")
BASE = "/api/v1/public"


def make_released() -> Measure:
    """IMR published at every level; SUID has locked data but is not published. Georgia's
    Safe Sleep team has a lead, a member and a faculty coach; a backbone member published it.

    Made once for the module's tests, which only read it and follow one another on one
    worker (what a test writes, an unpublished level, is rolled back after it). The chart
    summaries are refreshed once at the end, as a bulk writer's are: the same rows as after a
    refresh per change."""
    jurisdictions = {j.postal_code: j for j in Jurisdiction.objects.all()}
    networks = {n.slug: n for n in LearningNetwork.objects.all()}
    catalog = {m.code: m for m in Measure.objects.all()}
    team = services.join_network(jurisdiction=jurisdictions["GA"],
                                 learning_network=networks["safe-sleep"])
    backbone = make_backbone()
    lead = make_user("lena.lead@example.org")
    services.add_member(team=team, user=lead, role=TeamMembership.Role.LEAD)
    member = make_user("max.member@example.org")
    services.add_member(team=team, user=member, role=TeamMembership.Role.MEMBER)
    make_faculty(team)
    with summaries.deferred():
        build_release(jurisdictions, networks, catalog, backbone)
    for level in ("jurisdiction", "network", "national"):
        publication.publish(measure=catalog["IMR"], level=level, user=backbone)
    return catalog["IMR"]


_released_rows, released_rows = shared_rows("released_rows", make_released)


@pytest.fixture
def released(released_rows) -> Measure:
    return released_rows


def _as_csv(row: dict) -> list[str]:
    """An API row written back as the CSV writes it."""
    out = []
    for name in CSV_HEADER:
        v = row[name]
        if name == "year":
            out.append("all years" if v is None else str(v))
        elif name == "rate":
            out.append("" if v is None else f"{v:.2f}")
        else:
            out.append("" if v is None else str(v))
    return out


def _download(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CSV_HEADER
    return rows[1:]


def _all_responses(client: Client) -> list[tuple[str, object]]:
    out = []
    for url in (f"{BASE}/measures", f"{BASE}/network"):
        out.append((url, client.get(url).json()))
    for m in out[0][1]:
        for lv in m["levels"]:
            url = f"{BASE}/measures/{m['code']}/{lv['level']}"
            table = client.get(url).json()
            out.append((url, table))
            for unit in sorted({r["unit"] for r in table["rows"]}):
                out.append((f"{url}?unit={unit}", client.get(url, {"unit": unit}).json()))
    return out


def test_published_measures_need_no_login(client, released):
    response = client.get(f"{BASE}/measures")
    assert response.status_code == 200
    [imr] = response.json()
    assert imr["code"] == "IMR"
    assert {lv["level"] for lv in imr["levels"]} == {"jurisdiction", "network", "national"}
    assert all(lv["strata"] is False for lv in imr["levels"])


def test_every_number_equals_the_public_csv(client, released):
    measure_csv = _download(client, "/public/measures/IMR.csv")
    r = publication.release(released)
    for level in ("jurisdiction", "network", "national"):
        table = client.get(f"{BASE}/measures/IMR/{level}").json()
        got = [_as_csv(row) for row in table["rows"]]
        assert got == r.csv_rows(level)
        assert got  # every level has figures
        if level != "national":  # the measure page shows national figures as totals
            assert got == [row for row in measure_csv if row[1] == level]
    # One network's and one jurisdiction's figures match their pages' downloads.
    net = client.get(f"{BASE}/measures/IMR/network", {"unit": "safe-sleep"}).json()
    assert [_as_csv(row) for row in net["rows"]] == \
        _download(client, "/public/networks/safe-sleep.csv")
    ga = client.get(f"{BASE}/measures/IMR/jurisdiction", {"unit": "ga"}).json()
    assert [_as_csv(row) for row in ga["rows"]] == \
        _download(client, "/public/jurisdictions/ga.csv")


def test_suppressed_cells_are_null_with_their_flag(client, released):
    rows = client.get(f"{BASE}/measures/IMR/jurisdiction", {"unit": "FL"}).json()["rows"]
    fl2015 = next(row for row in rows if row["year"] == 2015)
    assert fl2015["numerator"] is None and fl2015["numerator_flag"] == "suppressed"
    assert fl2015["rate"] is None and fl2015["rate_flag"] == "suppressed"
    shown = [row for row in rows if row["numerator"] is not None]
    assert shown and all(row["numerator_flag"] is None for row in shown)


def test_no_count_from_1_to_9_in_any_response(client, released):
    thr = publication.threshold()
    seen = 0
    for url, body in _all_responses(client):
        for row in body.get("rows", []) if isinstance(body, dict) else []:
            for name in ("numerator", "denominator"):
                if row[name] is not None:
                    seen += 1
                    assert not 1 <= row[name] < thr, (url, row)
        text = json.dumps(body)
        for secret in SECRETS:  # drafts, unlocked periods and unpublished measures
            assert secret not in text, (url, secret)
    assert seen > 20


@pytest.mark.parametrize("url", [
    f"{BASE}/measures/SUID/national",  # locked data, never published
    f"{BASE}/measures/NOPE/national",
    f"{BASE}/measures/IMR/team",
    f"{BASE}/measures/IMR/jurisdiction?unit=ZZ",
])
def test_unpublished_is_404(client, released, url):
    assert client.get(url).status_code == 404


def test_an_unpublished_level_is_404(client, released):
    publication.unpublish(measure=released, level="network")
    assert client.get(f"{BASE}/measures/IMR/network").status_code == 404
    assert client.get(f"{BASE}/measures/IMR/jurisdiction").status_code == 200


def test_network_structure_without_people(client, released, networks):
    body = client.get(f"{BASE}/network").json()
    nets = {n["slug"]: n for n in body["learning_networks"]}
    assert set(nets) == set(networks)
    assert {"GA", "FL", "AL"} <= set(nets["safe-sleep"]["jurisdictions"])
    ga = next(j for j in body["jurisdictions"] if j["postal_code"] == "GA")
    assert "safe-sleep" in ga["learning_networks"]
    assert sum(len(c["jurisdictions"]) for c in body["cohorts"]) == len(body["jurisdictions"])
    text = json.dumps([b for _, b in _all_responses(client)])
    people = list(User.objects.all())
    assert people
    for u in people:
        assert u.email not in text
        assert u.email.split("@")[0] not in text
        if u.display_name:
            assert u.display_name not in text


def test_the_openapi_schema_documents_the_public_endpoints(client, stranger):
    client.force_login(stranger)
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/public/measures", "/api/v1/public/measures/{code}/{level}",
                 "/api/v1/public/network"):
        assert path in schema["paths"]
        op = schema["paths"][path]["get"]
        assert "public" in op["tags"] and not op.get("security")
