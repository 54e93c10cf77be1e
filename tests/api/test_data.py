"""The data API: measures, values (read and bulk write) and submissions, under the same
access policy, validation and all-or-nothing rule as the pages and the import."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coiin.api import tokens
from coiin.measures import services
from coiin.measures.models import DataValue, Measure, Submission
from tests.conftest import fixtures_from_when, georgia_safe_sleep, shared_rows

NO_SURVEY = {"standard_error": None, "ci_lower": None, "ci_upper": None, "sample_size": None,
             "measurements": None}


# Georgia Safe Sleep with its network's default measures and a data lead, made once for the
# tests that ask for ``chosen``, which follow one another on one worker (what a test writes,
# its values and tokens, is rolled back after it); the others make their own rows.
def make_chosen():
    return georgia_safe_sleep("data_lead")


_chosen_rows, chosen_rows = shared_rows("chosen_rows", make_chosen)
pytestmark = pytest.mark.xdist_group("api-data")


@pytest.fixture
def chosen(chosen_rows) -> list[Measure]:
    return list(chosen_rows.chosen)


globals().update(fixtures_from_when("chosen_rows", "chosen", "team", "catalog", "data_lead"))


def bearer(user) -> dict[str, str]:
    _, token = tokens.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def row(period, measure="SS-CRIB", num="40", den="50", **kw):
    return {"jurisdiction": "GA", "network": "safe-sleep", "measure": measure,
            "period": period, "numerator": num, "denominator": den, **kw}


def post(client, user, rows, **kw):
    return client.post("/api/v1/values", {"rows": rows, **kw}, content_type="application/json",
                       **bearer(user))


@pytest.fixture
def draft(client, chosen, data_lead, this_month):
    """Georgia's current month, with two values, still a draft."""
    response = post(client, data_lead, [row(this_month), row(this_month, "SS-EDU", 45, 50)])
    assert response.status_code == 201, response.content
    return Submission.objects.get()


def test_a_team_member_writes_values_in_bulk(client, chosen, data_lead, this_month):
    response = post(client, data_lead, [row(this_month, comment="first audit"),
                                        row(this_month, "SS-EDU", 45, 50)])
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["changed"], body["unchanged"]) == (2, 0, 0)
    value = DataValue.objects.get(measure__code="SS-CRIB")
    assert (value.numerator, value.comment, value.updated_by) == (40, "first audit", data_lead)
    assert value.history.get().history_user == data_lead


def test_writing_the_same_rows_again_changes_nothing(client, draft, data_lead, this_month):
    history = DataValue.history.count()
    response = post(client, data_lead, [row(this_month), row(this_month, "SS-EDU", 45, 50)])
    assert response.json()["unchanged"] == 2
    assert DataValue.history.count() == history


def test_a_bulk_write_with_a_bad_row_lists_every_error_and_writes_nothing(
        client, chosen, data_lead, this_month):
    response = post(client, data_lead, [row(this_month), row(this_month, "SS-EDU", 60, 50),
                                        row(this_month, "IMR", 1, 100)])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 2, "column": "numerator", "message": "60 is more than the denominator 50"},
        {"row": 3, "column": "period",
         "message": f"IMR is reported quarterly; '{this_month}' is a month"},
    ]
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(client, chosen, data_lead, this_month):
    response = post(client, data_lead, [row(this_month)], dry_run=True)
    assert response.status_code == 200
    assert response.json()["created"] == 1 and response.json()["dry_run"]
    assert not DataValue.objects.exists()


def test_numbers_may_be_sent_as_json_numbers(client, chosen, data_lead, this_month):
    response = post(client, data_lead, [row(this_month, num=40.5, den=50)])
    assert response.status_code == 201
    assert str(DataValue.objects.get().numerator.normalize()) == "40.5"


def test_another_jurisdictions_team_cannot_write_a_teams_data(client, chosen, outsider,
                                                              this_month):
    response = post(client, outsider, [row(this_month)])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 1, "column": "jurisdiction",
         "message": "you may not enter data for Georgia · Safe Sleep"}]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("persona", ["faculty", "funder"])
def test_readers_cannot_write(client, chosen, this_month, request, persona):
    user = request.getfixturevalue(persona)
    response = post(client, user, [row(this_month)])
    assert response.status_code == 422
    assert not DataValue.objects.exists()


def test_another_jurisdictions_team_cannot_read_a_teams_data(client, draft, team, outsider,
                                                             data_lead):
    services.submit(submission=draft, user=data_lead)
    headers = bearer(outsider)
    assert client.get(f"/api/v1/values?team={team.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/submissions?team={team.pk}", **headers).status_code == 404
    assert client.get("/api/v1/values?jurisdiction=GA", **headers).json() == []
    assert client.get("/api/v1/submissions", **headers).json() == []


def test_the_team_reads_its_drafts(client, draft, team, member, this_month):
    response = client.get(f"/api/v1/values?team={team.pk}", **bearer(member))
    assert response.status_code == 200
    assert response.json() == [
        {"jurisdiction": "GA", "network": "safe-sleep", "measure": "SS-CRIB",
         "period": this_month, "numerator": "40", "denominator": "50", "value": None,
         "stratum": None, "comment": "", "status": "draft", "site": None, **NO_SURVEY},
        {"jurisdiction": "GA", "network": "safe-sleep", "measure": "SS-EDU",
         "period": this_month, "numerator": "45", "denominator": "50", "value": None,
         "stratum": None, "comment": "", "status": "draft", "site": None, **NO_SURVEY},
    ]


def test_drafts_are_never_returned_to_faculty_or_the_funder(client, draft, team, faculty,
                                                            funder, data_lead):
    for user in (faculty, funder):
        headers = bearer(user)
        assert client.get(f"/api/v1/values?team={team.pk}", **headers).json() == []
        assert client.get("/api/v1/submissions", **headers).json() == []
    services.submit(submission=draft, user=data_lead)
    values = client.get(f"/api/v1/values?team={team.pk}&measure=SS-EDU",
                        **bearer(faculty)).json()
    assert [(v["measure"], v["status"]) for v in values] == [("SS-EDU", "submitted")]


def test_submissions_report_their_status(client, draft, team, backbone, this_month):
    response = client.get("/api/v1/submissions?network=safe-sleep", **bearer(backbone))
    assert [(s["jurisdiction"], s["period"], s["status"], s["values"])
            for s in response.json()] == [("GA", this_month, "draft", 2)]


def test_period_filters_narrow_values(client, draft, team, member, this_month):
    year = this_month[:4]
    headers = bearer(member)
    assert len(client.get(f"/api/v1/values?period_from={year}", **headers).json()) == 2
    later = str(int(year) + 1)
    assert client.get(f"/api/v1/values?period_from={later}", **headers).json() == []
    response = client.get("/api/v1/values?period_from=soon", **headers)
    assert response.status_code == 422


def test_measures_are_listed_by_network_and_by_team_choice(client, chosen, team, member):
    headers = bearer(member)
    codes = {m["code"] for m in client.get("/api/v1/measures?network=safe-sleep",
                                           **headers).json()}
    assert {"IMR", "SS-CRIB"} <= codes and "SC-QUIT" not in codes
    chosen_codes = [m["code"] for m in client.get(
        f"/api/v1/measures?chosen_by_team={team.pk}", **headers).json()]
    assert chosen_codes == sorted(m.code for m in chosen)
    imr = next(m for m in client.get("/api/v1/measures", **headers).json()
               if m["code"] == "IMR")
    assert imr["frequency"] == "quarterly" and "nh-black" in imr["strata"]


def test_the_browser_session_works_too(client, chosen, member):
    client.force_login(member)
    assert client.get("/api/v1/measures").status_code == 200


def test_values_include_the_sites_rows_and_site_staff_get_their_own(
        client, team, chosen, catalog, data_lead, member):
    from coiin.network.models import TeamMembership

    from ..sitedata import make_sites, submitted_year

    units = make_sites(team, catalog)
    submitted_year(team, units, catalog, data_lead)
    rows = client.get(f"/api/v1/values?team={team.pk}&measure=SS-CRIB",
                      **bearer(data_lead)).json()
    assert len(rows) == 36  # twelve team totals, then twelve per hospital
    assert [r["site"] for r in rows[:12]] == [None] * 12
    assert (rows[0]["numerator"], rows[0]["denominator"]) == ("39", "100")
    assert {r["site"] for r in rows[12:]} == {"Grady Memorial", "Piedmont Atlanta"}
    grady = [r for r in rows if r["site"] == "Grady Memorial"]
    assert (grady[0]["period"], grady[0]["numerator"], grady[0]["denominator"]) == (
        "2015-01", "9", "10")
    TeamMembership.objects.filter(user=member).update(unit=units[1])
    rows = client.get(f"/api/v1/values?team={team.pk}&measure=SS-CRIB",
                      **bearer(member)).json()
    assert {r["site"] for r in rows} == {None, "Piedmont Atlanta"}


@pytest.mark.parametrize("flag", [0, 1, "no", "yes", "false"])
def test_dry_run_must_be_true_or_false(client, chosen, data_lead, this_month, flag):
    response = post(client, data_lead, [row(this_month)], dry_run=flag)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["row"] == 0 and body["errors"][0]["column"] == "dry_run"
    assert not DataValue.objects.exists()


def test_a_bad_row_in_the_request_names_its_row_and_column(client, chosen, data_lead):
    response = client.post("/api/v1/values", {"rows": [{"measure": "SS-CRIB"},
                                                       {"numerator": {"x": 1}}]},
                           content_type="application/json", **bearer(data_lead))
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json()["errors"]][:1] == [
        (2, "numerator")]


def test_a_survey_measure_takes_its_estimate_and_interval(client, chosen, data_lead,
                                                          backbone):
    # Backbone staff: 2015 closed long ago for the team.
    survey = {"jurisdiction": "GA", "network": "safe-sleep", "measure": "SS-BACK",
              "period": "2015", "value": 78.4, "standard_error": "1.9", "sample_size": 1203}
    bad = post(client, backbone, [{**survey, "standard_error": "-1"},
                                   {**survey, "stratum": "nh-black", "value": "64",
                                    "standard_error": None, "ci_lower": 66, "ci_upper": 70}])
    assert bad.status_code == 422
    assert [(e["row"], e["column"]) for e in bad.json()["errors"]] == [
        (1, "standard_error"), (2, "ci_lower")]
    good = post(client, backbone, [survey])
    assert good.status_code == 201, good.content
    value = DataValue.objects.get()
    assert (value.value, value.standard_error, value.sample_size) == (
        Decimal("78.4"), Decimal("1.9"), 1203)
    services.submit(submission=value.submission, user=data_lead,
                    today=value.submission.period.end)
    [row] = client.get("/api/v1/values?measure=SS-BACK", **bearer(data_lead)).json()
    assert (row["value"], row["standard_error"], row["sample_size"], row["numerator"]) == (
        "78.4", "1.9", "1203", None)


# The tests that report no chosen measures come last: they make their own rows.


def test_the_openapi_schema_has_the_data_paths_and_token_auth(client, member):
    schema = client.get("/api/v1/openapi.json", **bearer(member)).json()
    assert {"/api/v1/measures", "/api/v1/values", "/api/v1/submissions", "/api/v1/teams",
            "/api/v1/jurisdictions"} <= set(schema["paths"])
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/values"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http", "scheme": "bearer"}


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_documentation_is_for_signed_in_people_and_token_holders(client, member, path):
    assert client.get(path).status_code == 401
    assert client.get(path, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    assert client.get(path, **bearer(member)).status_code == 200
    client.force_login(member)
    assert client.get(path).status_code == 200


def test_backbone_staff_add_a_team_with_a_token(client, backbone, reference):
    response = client.post("/api/v1/teams", {"jurisdiction": "TX",
                                             "learning_network": "safe-sleep"},
                           content_type="application/json", **bearer(backbone))
    assert response.status_code == 201, response.content
    assert response.json()["jurisdiction"] == "TX"


def test_jurisdictions_list_the_networks_they_joined(client, team, member):
    response = client.get("/api/v1/jurisdictions", **bearer(member))
    georgia = next(j for j in response.json() if j["postal_code"] == "GA")
    assert georgia["learning_networks"] == ["safe-sleep"]


def test_a_sampled_measure_travels_as_its_measurements(client, team, catalog, data_lead,
                                                       backbone):
    services.choose_measures(team=team, measures=[catalog["PC-PPV-DAYS"]])
    sampled = {"jurisdiction": "GA", "network": "safe-sleep", "measure": "PC-PPV-DAYS",
               "period": "2015-03", "measurements": "21; 14; 35"}
    bad = post(client, backbone, [{**sampled, "measurements": "21; 1 4x"}])
    assert bad.status_code == 422
    assert [(e["row"], e["column"]) for e in bad.json()["errors"]] == [(1, "measurements")]
    assert "measurement 2 ('1')" not in bad.json()["errors"][0]["message"]
    assert "measurement 3 ('4x')" in bad.json()["errors"][0]["message"]
    good = post(client, backbone, [sampled])
    assert good.status_code == 201, good.content
    value = DataValue.objects.get()
    assert value.measurements == [21.0, 14.0, 35.0]
    [row] = client.get("/api/v1/values?measure=PC-PPV-DAYS", **bearer(data_lead)).json()
    assert (row["measurements"], row["value"], row["numerator"]) == (
        "21; 14; 35", "23.3333", None)
