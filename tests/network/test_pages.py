"""Every page renders for every role, showing what that role may see and nothing more."""

from __future__ import annotations

import pytest

from coiin.network.models import ReportingUnit

from ..conftest import PERSONAS

MEMBERS = {"member", "data_lead", "lead", "faculty", "outsider", "backbone", "funder"}


@pytest.fixture
def unit(team):
    return ReportingUnit.objects.create(team=team, name="Atlanta Medical Center",
                                        kind=ReportingUnit.Kind.HOSPITAL)


@pytest.mark.parametrize("name", PERSONAS)
def test_overview_shows_59_tiles_for_everyone(as_persona, name, team, other_team,
                                              django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="tile ') == 59
    assert "2 teams in six strategy learning networks" in html
    assert ('href="/people/"' in html) == (name in MEMBERS)


def test_overview_filters_by_learning_network(client, team, other_team):
    response = client.get("/?network=safe-sleep")
    tiles = response.context["tiles"]
    assert [t["jurisdiction"].postal_code for t in tiles if t["in_filter"]] == ["GA"]
    html = response.content.decode()
    assert html.count("is-out") == 58
    assert "1</strong> of 59 jurisdictions are in the" in html


def test_overview_ignores_an_unknown_filter(client, team):
    response = client.get("/?network=nonsense")
    assert response.context["selected"] is None
    assert all(t["in_filter"] for t in response.context["tiles"])


def test_tiles_are_placed_where_the_map_says(client, reference):
    tiles = {t["jurisdiction"].postal_code: (t["row"], t["col"])
             for t in client.get("/").context["tiles"]}
    assert len(set(tiles.values())) == 59  # no two squares overlap
    assert tiles["ME"][1] > tiles["WA"][1]  # east is right
    assert tiles["FL"][0] > tiles["ND"][0]  # south is down
    assert tiles["PR"][0] == tiles["GU"][0] == max(r for r, _ in tiles.values())


def test_overview_refuses_post(client, db):
    assert client.post("/").status_code == 405


@pytest.mark.parametrize("name", PERSONAS)
def test_jurisdiction_page(as_persona, name, team, django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(12):
        response = client.get("/jurisdictions/ga/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Georgia" in html
    assert "2012 cohort" in html
    assert "Region 4 (Atlanta)" in html
    assert "FIPS code</dt><dd>13</dd>" in html
    assert team.get_absolute_url() in html
    assert ("Join a learning network" in html) == (name == "backbone")


def test_unknown_jurisdiction_is_404(client, reference):
    assert client.get("/jurisdictions/zz/").status_code == 404


@pytest.mark.parametrize("name", ["member", "lead", "funder", "faculty"])
def test_only_backbone_may_post_a_new_team(as_persona, name, team, networks):
    response = as_persona(name).post("/jurisdictions/ga/join/",
                                     {"learning_network": networks["preterm-birth"].pk})
    assert response.status_code == 403
    assert team.jurisdiction.teams.count() == 1


def test_stranger_posting_a_new_team_gets_404(as_persona, team, networks):
    response = as_persona("stranger").post("/jurisdictions/ga/join/",
                                           {"learning_network": networks["preterm-birth"].pk})
    assert response.status_code == 404


def test_anonymous_posting_a_new_team_is_sent_to_sign_in(client, team, networks):
    response = client.post("/jurisdictions/ga/join/",
                           {"learning_network": networks["preterm-birth"].pk})
    assert response.status_code == 302
    assert team.jurisdiction.teams.count() == 1


def test_join_form_with_nothing_chosen_says_so(client, backbone, team):
    client.force_login(backbone)
    response = client.post("/jurisdictions/ga/join/", {"learning_network": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_learning_network_page(as_persona, name, team, faculty, django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(12):
        response = client.get("/networks/safe-sleep/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>SIDS/SUID and Safe Sleep</h1>" in html
    assert "Aim:" in html
    assert ">Georgia</a>" in html
    # Faculty are people: listed for signed-in members of the network only.
    assert ("Fay Faculty" in html) == (name in MEMBERS)


def test_unknown_network_is_404(client, reference):
    assert client.get("/networks/astrology/").status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_team_page(as_persona, name, team, lead, data_lead, member, unit,
                   django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(15):
        response = client.get("/networks/safe-sleep/ga/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Georgia · SIDS/SUID and Safe Sleep" in html
    assert "Atlanta Medical Center" in html  # reporting units are public
    sees_roster = name in MEMBERS
    assert ("Lena Lead" in html) == sees_roster
    assert ("Data lead" in html) == sees_roster
    assert ("Invite a member" in html) == (name in {"lead", "backbone"})


def test_team_of_a_network_the_jurisdiction_has_not_joined_is_404(client, team):
    assert client.get("/networks/smoking-cessation/ga/").status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_people_directory(as_persona, name, lead, member, faculty, backbone, funder,
                          django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(14):
        response = client.get("/people/")
    if name not in MEMBERS:
        assert response.status_code in (302, 404)
        if name == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        return
    html = response.content.decode()
    assert response.status_code == 200
    for person in ("Lena Lead", "Max Member", "Fay Faculty", "Bea Backbone", "Finn Funder"):
        assert person in html
    assert "Team lead, <a" in html
    assert "Expert faculty" in html


def test_people_directory_filters(client, lead, member, faculty, outsider):
    client.force_login(lead)
    def names(query):
        return {p.email for p in client.get("/people/" + query).context["page"]}
    assert names("?role=lead") == {lead.email, outsider.email}
    assert names("?jurisdiction=OH") == {outsider.email}
    assert names("?network=safe-sleep") == {lead.email, member.email, faculty.email}
    assert names("?q=max") == {member.email}
    assert names("?role=faculty") == {faculty.email}


def test_people_directory_query_count_does_not_grow_with_people(client, lead, team,
                                                                 django_assert_max_num_queries):
    from coiin.network import services

    from ..conftest import make_user

    for i in range(30):
        services.add_member(team=team, user=make_user(f"p{i}.x@example.org"), role="member")
    client.force_login(lead)
    with django_assert_max_num_queries(14):
        response = client.get("/people/")
    assert response.context["page"].paginator.count == 31


@pytest.mark.parametrize("name", PERSONAS)
def test_admin_is_for_backbone_staff_only(as_persona, name, team):
    client = as_persona(name)
    response = client.get("/admin/")
    if name == "backbone":
        assert response.status_code == 200
        assert "Run the network" in response.content.decode()
        teams = client.get("/admin/network/team/")
        assert teams.status_code == 200
        assert "Georgia" in teams.content.decode()
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_api_lists_jurisdictions_and_teams(client, team):
    jurisdictions = client.get("/api/v1/jurisdictions").json()
    assert len(jurisdictions) == 59
    assert {"postal_code": "GA", "name": "Georgia", "fips_code": "13", "kind": "state",
            "hhs_region": 4, "cohort": 2012, "learning_networks": ["safe-sleep"]} in jurisdictions
    assert client.get("/api/v1/teams").json() == [
        {"id": team.pk, "jurisdiction": "GA", "learning_network": "safe-sleep",
         "joined_on": team.joined_on.isoformat()}
    ]


def test_static_files_are_served_by_the_app(client, db):
    html = client.get("/").content.decode()
    assert "/static/coiin/site.css" in html
    assert "http://" not in html.split("<body")[0].replace("http://www.w3.org", "")


def test_pages_send_a_content_security_policy(client, db):
    header = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in header
    assert "script-src 'self'" in header


def test_openapi_schema_is_published_to_signed_in_people(client, stranger):
    client.force_login(stranger)
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/teams", "/api/v1/jurisdictions"} <= set(schema["paths"])
