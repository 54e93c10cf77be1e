"""Shared fixtures: the real reference network and named personas around one team."""

from __future__ import annotations

import pytest
from django.test import Client

from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.measures.models import Measure
from coiin.network import services
from coiin.network.models import (
    FacultyAssignment,
    Jurisdiction,
    LearningNetwork,
    Team,
    TeamMembership,
    User,
)

PASSWORD = "a-long-test-password-42"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "migrations: migrates the test database back and forward to check that "
        "models moved between apps keep their rows (tests/test_migrations_move.py)")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference(db):
    """Cohorts, the 59 jurisdictions and the six learning networks (real data)."""
    return load_reference()


@pytest.fixture
def jurisdictions(reference) -> dict[str, Jurisdiction]:
    return reference[0]


@pytest.fixture
def networks(reference) -> dict[str, LearningNetwork]:
    return reference[1]


@pytest.fixture
def team(jurisdictions, networks) -> Team:
    """Georgia's Safe Sleep team."""
    return services.join_network(jurisdiction=jurisdictions["GA"],
                                 learning_network=networks["safe-sleep"])


@pytest.fixture
def catalog(reference) -> dict[str, Measure]:
    """The real measure catalog."""
    return load_catalog()


@pytest.fixture
def chosen(catalog, team) -> list[Measure]:
    """Georgia Safe Sleep reports its network's default set."""
    measures = [catalog[c] for c in default_measure_codes("safe-sleep")]
    reporting.choose_measures(team=team, measures=measures)
    return measures


@pytest.fixture
def other_team(jurisdictions, networks) -> Team:
    """Ohio's Smoking Cessation team: another jurisdiction, another network."""
    return services.join_network(jurisdiction=jurisdictions["OH"],
                                 learning_network=networks["smoking-cessation"])


def make_user(email: str, **extra) -> User:
    first, _, last = email.split("@")[0].partition(".")
    return User.objects.create_user(email=email, password=PASSWORD,
                                    first_name=first.title(), last_name=(last or "Test").title(),
                                    **extra)


@pytest.fixture
def lead(team) -> User:
    user = make_user("lena.lead@example.org")
    services.add_member(team=team, user=user, role=TeamMembership.Role.LEAD)
    return user


@pytest.fixture
def data_lead(team) -> User:
    user = make_user("dara.data@example.org")
    services.add_member(team=team, user=user, role=TeamMembership.Role.DATA_LEAD)
    return user


@pytest.fixture
def member(team) -> User:
    user = make_user("max.member@example.org")
    services.add_member(team=team, user=user, role=TeamMembership.Role.MEMBER)
    return user


@pytest.fixture
def faculty(team) -> User:
    user = make_user("fay.faculty@example.org")
    FacultyAssignment.objects.create(learning_network=team.learning_network, user=user)
    return user


@pytest.fixture
def outsider(other_team) -> User:
    """The lead of another jurisdiction's team in another network."""
    user = make_user("otto.outsider@example.org")
    services.add_member(team=other_team, user=user, role=TeamMembership.Role.LEAD)
    return user


@pytest.fixture
def backbone(db) -> User:
    return make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)


@pytest.fixture
def funder(db) -> User:
    return make_user("finn.funder@example.org", network_role=User.NetworkRole.FUNDER)


@pytest.fixture
def stranger(db) -> User:
    """Signed in, but with no place in the network."""
    return make_user("sam.stranger@example.org")


PERSONAS = ["anonymous", "stranger", "member", "data_lead", "lead", "faculty", "outsider",
            "backbone", "funder"]


@pytest.fixture
def as_persona(request, client: Client):
    """as_persona('lead') -> a test client signed in as that persona (or anonymous)."""

    def sign_in(name: str) -> Client:
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in



@pytest.fixture(autouse=True)
def _changes_heard_at_commit(monkeypatch):
    """A test runs inside one transaction that is never committed, so the listeners of
    changed values (the stored chart summaries) would never hear of a change. Here a
    change is heard when the transaction that made it would have committed: when the
    service's outermost atomic block exits without error (at once outside any block); a
    rolled-back change is never heard. tests/charts/test_summaries.py also checks the real
    after-commit path."""
    from types import SimpleNamespace

    from django.db import connections, transaction

    from coiin.measures import changes

    def test_level(using):
        return all(getattr(a, "_from_testcase", False)
                   for a in connections[using or "default"].atomic_blocks)

    def on_commit(func, using=None, robust=False):
        if test_level(using):
            func()
            return
        func.heard_at_commit = True
        transaction.on_commit(func, using=using, robust=robust)

    original_exit = transaction.Atomic.__exit__

    def exit_block(self, *exc):
        result = original_exit(self, *exc)
        connection = connections[self.using or "default"]
        if exc[0] is None and test_level(self.using):
            due = [e for e in connection.run_on_commit
                   if getattr(e[1], "heard_at_commit", False)]
            if due:
                connection.run_on_commit = [e for e in connection.run_on_commit
                                            if e not in due]
                for entry in due:
                    entry[1]()
        return result

    monkeypatch.setattr(changes, "transaction", SimpleNamespace(on_commit=on_commit))
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_block)
