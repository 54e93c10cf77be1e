"""A jurisdiction may join at most three learning networks, whichever way a team arrives."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from coiin.network import services
from coiin.network.models import Team

EXPECTED = (
    "Texas already belongs to 3 learning networks (SIDS/SUID and Safe Sleep, "
    "Smoking Cessation, Social Determinants of Health); a jurisdiction may join at most 3."
)


@pytest.fixture
def texas_full(jurisdictions, networks):
    texas = jurisdictions["TX"]
    for slug in ("safe-sleep", "smoking-cessation", "social-determinants"):
        services.join_network(jurisdiction=texas, learning_network=networks[slug])
    return texas


def test_three_networks_are_allowed(texas_full):
    assert sorted(texas_full.teams.values_list("slot", flat=True)) == [1, 2, 3]


def test_service_refuses_a_fourth_and_names_the_networks(texas_full, networks):
    with pytest.raises(ValidationError) as exc:
        services.join_network(jurisdiction=texas_full, learning_network=networks["preterm-birth"])
    assert exc.value.messages == [EXPECTED]
    assert texas_full.teams.count() == 3


def test_model_full_clean_refuses_a_fourth(texas_full, networks):
    team = Team(jurisdiction=texas_full, learning_network=networks["preterm-birth"])
    with pytest.raises(ValidationError, match="Texas already belongs to 3"):
        team.full_clean()


def test_model_save_refuses_a_fourth_even_without_clean(texas_full, networks):
    with pytest.raises(ValidationError, match="Texas already belongs to 3"):
        Team.objects.create(jurisdiction=texas_full, learning_network=networks["preterm-birth"])
    assert texas_full.teams.count() == 3


def test_database_refuses_a_fourth_slot(texas_full, networks):
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.bulk_create(
            [Team(jurisdiction=texas_full, learning_network=networks["preterm-birth"], slot=4)]
        )


def test_database_refuses_a_reused_slot(texas_full, networks):
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.bulk_create(
            [Team(jurisdiction=texas_full, learning_network=networks["preterm-birth"], slot=1)]
        )
    assert texas_full.teams.count() == 3


def test_joining_the_same_network_twice_is_refused(jurisdictions, networks):
    services.join_network(jurisdiction=jurisdictions["GA"], learning_network=networks["safe-sleep"])
    with pytest.raises(ValidationError, match="Georgia is already in the SIDS/SUID"):
        services.join_network(jurisdiction=jurisdictions["GA"],
                              learning_network=networks["safe-sleep"])


def test_a_freed_slot_can_be_used_again(texas_full, networks):
    texas_full.teams.get(learning_network=networks["smoking-cessation"]).delete()
    team = services.join_network(jurisdiction=texas_full,
                                 learning_network=networks["preterm-birth"])
    assert team.slot == 2


def test_form_on_the_jurisdiction_page_shows_the_refusal(client, backbone, texas_full, networks):
    client.force_login(backbone)
    response = client.post("/jurisdictions/tx/join/",
                           {"learning_network": networks["preterm-birth"].pk})
    assert response.status_code == 400
    assert EXPECTED in response.content.decode()
    assert texas_full.teams.count() == 3


def test_form_on_the_jurisdiction_page_adds_a_team(client, backbone, jurisdictions, networks):
    client.force_login(backbone)
    response = client.post("/jurisdictions/ga/join/",
                           {"learning_network": networks["preterm-birth"].pk})
    assert response.status_code == 302
    assert jurisdictions["GA"].teams.get().learning_network == networks["preterm-birth"]


def test_admin_refuses_a_fourth(client, backbone, texas_full, networks):
    client.force_login(backbone)
    response = client.post("/admin/network/team/add/", {
        "jurisdiction": texas_full.pk, "learning_network": networks["preterm-birth"].pk,
        "joined_on": "2014-07-01",
        "reporting_units-TOTAL_FORMS": "0", "reporting_units-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200  # the form again, with the error
    assert EXPECTED in response.content.decode()
    assert texas_full.teams.count() == 3


def test_admin_adds_a_team_within_the_rule(client, backbone, jurisdictions, networks):
    client.force_login(backbone)
    response = client.post("/admin/network/team/add/", {
        "jurisdiction": jurisdictions["GA"].pk, "learning_network": networks["safe-sleep"].pk,
        "joined_on": "2014-07-01",
        "reporting_units-TOTAL_FORMS": "0", "reporting_units-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    assert jurisdictions["GA"].teams.get().slot == 1


def test_api_refuses_a_fourth_with_422(client, backbone, texas_full):
    client.force_login(backbone)
    response = client.post("/api/v1/teams", {"jurisdiction": "TX",
                                          "learning_network": "preterm-birth"},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == EXPECTED
    assert texas_full.teams.count() == 3


def test_api_creates_a_team(client, backbone, jurisdictions):
    client.force_login(backbone)
    response = client.post("/api/v1/teams", {"jurisdiction": "ga", "learning_network": "safe-sleep",
                                          "joined_on": "2014-07-01"},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["jurisdiction"] == "GA"
    assert jurisdictions["GA"].teams.get().joined_on.isoformat() == "2014-07-01"


def test_api_refuses_a_team_member(client, member, jurisdictions):
    client.force_login(member)
    response = client.post("/api/v1/teams", {"jurisdiction": "GA",
                                          "learning_network": "preterm-birth"},
                           content_type="application/json")
    assert response.status_code == 403
    assert jurisdictions["GA"].teams.count() == 1


def test_bulk_load_is_all_or_nothing_and_names_the_row(jurisdictions):
    csv_text = (
        "jurisdiction,learning_network\n"
        "TX,safe-sleep\n"
        "TX,smoking-cessation\n"
        "GA,safe-sleep\n"
        "TX,social-determinants\n"
        "TX,preterm-birth\n"
    )
    with pytest.raises(services.BulkLoadError) as exc:
        services.load_teams_csv(csv_text)
    assert [str(e) for e in exc.value.errors] == [f"row 6, learning_network: {EXPECTED}"]
    assert Team.objects.count() == 0  # nothing half-written


def test_bulk_load_reports_unknown_values_by_row_and_field(jurisdictions):
    csv_text = (
        "jurisdiction,learning_network,joined_on\nZZ,safe-sleep,\nGA,nope,\nGA,safe-sleep,x\n"
    )
    with pytest.raises(services.BulkLoadError) as exc:
        services.load_teams_csv(csv_text)
    assert [str(e) for e in exc.value.errors] == [
        "row 2, jurisdiction: no jurisdiction 'ZZ'",
        "row 3, learning_network: no learning network 'nope'",
        "row 4, joined_on: 'x' is not a date (YYYY-MM-DD)",
    ]
    assert Team.objects.count() == 0


def test_bulk_load_needs_the_columns(jurisdictions):
    with pytest.raises(services.BulkLoadError, match="row 1, learning_network: column is missing"):
        services.load_teams_csv("jurisdiction\nGA\n")


def test_load_teams_command_loads_and_refuses(tmp_path, jurisdictions, networks):
    good = tmp_path / "good.csv"
    good.write_text("jurisdiction,learning_network\nTexas,Safe Sleep\nTX,smoking-cessation\n"
                    "TX,social-determinants\n")
    call_command("load_teams", str(good))
    assert jurisdictions["TX"].teams.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("jurisdiction,learning_network\nGA,safe-sleep\nTX,preterm-birth\n")
    with pytest.raises(CommandError) as exc:
        call_command("load_teams", str(bad))
    assert "Nothing was loaded" in str(exc.value)
    assert f"bad.csv: row 3, learning_network: {EXPECTED}" in str(exc.value)
    assert jurisdictions["GA"].teams.count() == 0
