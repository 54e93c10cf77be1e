"""The demo network: complete, plausible, and idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from coiin.demo.network import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    choose_networks,
    load_demo,
    read_jurisdictions,
)
from coiin.network.models import (
    Cohort,
    FacultyAssignment,
    Jurisdiction,
    LearningNetwork,
    Organisation,
    ReportingUnit,
    Team,
    TeamMembership,
    User,
)

from ..conftest import shared_rows

REGION_IV_AND_VI_STATES = {"AL", "FL", "GA", "KY", "MS", "NC", "SC", "TN",
                           "AR", "LA", "NM", "OK", "TX"}
REGION_V_STATES = {"IL", "IN", "MI", "MN", "OH", "WI"}
TERRITORIES = {"PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"}


def load_network_demo() -> None:
    load_demo(log=lambda _: None)


# The tests only read the demo network (what one writes is rolled back after it): it is
# loaded once for the module, on one worker.
_network_demo_rows, demo = shared_rows("demo", load_network_demo)
pytestmark = pytest.mark.xdist_group("demo-network")


def snapshot() -> dict[str, object]:
    return {
        "cohorts": sorted(Cohort.objects.values_list("year", "name", "description")),
        "jurisdictions": sorted(Jurisdiction.objects.values_list(
            "postal_code", "name", "fips_code", "kind", "hhs_region", "cohort__year")),
        "networks": sorted(LearningNetwork.objects.values_list("slug", "name", "aim")),
        "teams": sorted(Team.objects.values_list(
            "pk", "jurisdiction__postal_code", "learning_network__slug", "slot", "joined_on")),
        "people": sorted(User.objects.values_list(
            "pk", "email", "first_name", "last_name", "title", "network_role", "password")),
        "memberships": sorted(TeamMembership.objects.values_list("pk", "team_id", "user_id",
                                                               "role")),
        "faculty": sorted(FacultyAssignment.objects.values_list("learning_network_id", "user_id",
                                                              "kind")),
        "units": sorted(ReportingUnit.objects.values_list("pk", "team_id", "name", "kind")),
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "kind")),
    }


def test_all_59_jurisdictions_in_their_cohorts(demo):
    cohorts = {
        year: set(Jurisdiction.objects.filter(cohort__year=year)
                  .values_list("postal_code", flat=True))
        for year in (2012, 2013, 2014)
    }
    assert cohorts[2012] == REGION_IV_AND_VI_STATES
    assert cohorts[2013] == REGION_V_STATES
    assert len(cohorts[2014]) == 40  # 31 states, DC and the 8 territories / FAS
    assert TERRITORIES | {"DC"} <= cohorts[2014]
    kinds = Counter(Jurisdiction.objects.values_list("kind", flat=True))
    assert kinds == {"state": 50, "district": 1, "territory": 5, "freely_associated_state": 3}


def test_jurisdiction_facts_match_the_reference_table(demo):
    pr = Jurisdiction.objects.get(postal_code="PR")
    assert (pr.fips_code, pr.hhs_region, pr.kind) == ("72", 2, "territory")
    fm = Jurisdiction.objects.get(postal_code="FM")
    assert (fm.fips_code, fm.hhs_region, fm.kind) == ("64", 9, "freely_associated_state")


def test_every_jurisdiction_joins_one_to_three_networks_and_every_network_has_15(demo):
    per_jurisdiction = Counter(Team.objects.values_list("jurisdiction__postal_code", flat=True))
    assert set(per_jurisdiction) == set(Jurisdiction.objects.values_list("postal_code",
                                                                         flat=True))
    assert set(per_jurisdiction.values()) <= {1, 2, 3}
    per_network = Counter(Team.objects.values_list("learning_network__slug", flat=True))
    assert len(per_network) == 6
    assert min(per_network.values()) >= 15


def test_every_team_has_a_lead_a_data_lead_and_members(demo):
    for team in Team.objects.prefetch_related("memberships"):
        roles = Counter(m.role for m in team.memberships.all())
        assert roles["lead"] >= 1 and roles["data_lead"] >= 1 and roles["member"] >= 1, team


def test_every_network_has_faculty(demo):
    assert all(n.faculty.exists() for n in LearningNetwork.objects.all())


def test_demo_logins_have_their_roles_and_password(demo):
    users = {key: User.objects.get(email=login.email) for key, login in DEMO_LOGINS.items()}
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    team = Team.objects.get(jurisdiction__postal_code="GA", learning_network__slug="safe-sleep")
    for role in ("lead", "data_lead", "member"):
        assert TeamMembership.objects.get(team=team, user=users[role]).role == role
    assert users["faculty"].faculty_roles.get().learning_network.slug == "safe-sleep"
    assert users["backbone"].network_role == "backbone"
    assert users["funder"].network_role == "funder"


def test_synthetic_people_cannot_sign_in(demo):
    demo_emails = {login.email for login in DEMO_LOGINS.values()}
    others = User.objects.exclude(email__in=demo_emails)
    assert others.count() > 300
    assert not any(u.has_usable_password() for u in others)


def test_reporting_units_are_labelled_synthetic(demo):
    assert ReportingUnit.objects.exists()
    assert not ReportingUnit.objects.filter(is_synthetic=False).exists()


def test_running_it_twice_changes_nothing(demo):
    before = snapshot()
    load_demo(log=lambda _: None)
    assert snapshot() == before


def test_the_command_prints_the_logins(db, capsys, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A small demo: Puerto Rico's teams and Georgia's (always: the logins work there).
    call_command("demo", "--network-only", "--jurisdictions", "pr")
    out = capsys.readouterr().out
    teams = set(Team.objects.values_list("jurisdiction__postal_code", flat=True))
    assert teams == {"GA", "PR"}
    assert f"59 jurisdictions, 6 learning networks, {Team.objects.count()} teams" in out
    assert DEMO_PASSWORD in out
    for login in DEMO_LOGINS.values():
        assert login.email in out


def test_a_small_demo_of_an_unknown_jurisdiction_is_refused_by_name(db):
    with pytest.raises(CommandError, match="--jurisdictions: No jurisdiction has the postal "
                                           "code XX"):
        call_command("demo", "--network-only", "--jurisdictions", "GA,XX")
    assert not Team.objects.exists()


def test_network_spread_is_deterministic():
    codes = sorted(row["postal_code"] for row in read_jurisdictions())
    assert choose_networks(codes) == choose_networks(codes)
