"""Shared fixtures: the real reference network and named personas around one team."""

from __future__ import annotations

import datetime as dt
import inspect
from functools import cache
from types import SimpleNamespace

import pytest
from django.test import Client

from coiin.demo.network import load_reference
from coiin.measures import services as reporting
from coiin.measures.catalog import default_measure_codes, load_catalog
from coiin.measures.models import Measure
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services
from coiin.network.models import (
    FacultyAssignment,
    Jurisdiction,
    LearningNetwork,
    Team,
    TeamMembership,
    User,
)
from tests.passes import uses_database

PASSWORD = "a-long-test-password-42"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "migrations: migrates the test database back and forward to check that "
        "models moved between apps keep their rows (tests/test_migrations_move.py)")
    config.addinivalue_line(
        "markers", "database_url: uses the database of DATABASE_URL without the test database "
        "fixtures (a command run in its own process): one of --database-tests-only")


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="only the tests whose outcome can depend on the database: those that use the "
             "test database or are marked database_url. The PostgreSQL pass of .ci/run: the "
             "others (pure computation, files, templates without rows) cannot reach the "
             "database (pytest-django refuses them) and ran the same in the SQLite pass.")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Baseline:
    """The real reference rows (cohorts, the 59 jurisdictions, the six networks, the strata
    and the measure catalog) that almost every test reads and none may change for good.

    They are committed once into each worker's test database, before its first test, instead
    of being written by every test that asks for them: each test's writes are rolled back as
    always, so the rows every test starts from are the same. A test that asks for none of
    them still sees them, as a real instance does (the catalog is loaded by migrate's
    set-up there too). A transactional test empties every table when it ends
    (pytest-django flushes them); the rows are committed again before the next test."""

    def __init__(self) -> None:
        self.present: bool | None = None  # None: no test database yet

    def load(self, blocker) -> None:
        from django.db import transaction

        with blocker.unblock(), transaction.atomic():
            load_reference()
            load_catalog()
        self.present = True


BASELINE = Baseline()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On PostgreSQL a test database's commits need not wait for the disk (a test database
    is thrown away), and the flush after a transactional test deletes rows (below)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        yield
        return
    options = db.setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """The test database is emptied after a transactional test (pytest-django's flush)
        by deleting every row rather than by PostgreSQL's TRUNCATE, which makes new files for
        each of the hundred-odd tables and their indexes: about ten times slower on these
        nearly empty tables. The same rows go, in the flush's one transaction, whose foreign
        keys (deferrable, as Django makes them) are checked when it commits; sequences go
        on, as with TRUNCATE without RESTART IDENTITY. A flush that resets sequences or
        cascades is PostgreSQL's own."""
        if reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};"
            for t in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", flush_by_delete)
        yield


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb,
                    django_db_createdb, django_db_modify_db_settings):
    """pytest-django's, but each test database is made from the models rather than by
    running every migration, then completed to be what ``migrate`` makes (tests/schema.py;
    tests/test_schema_from_models.py holds the two the same); then the baseline rows."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.schema import complete_models_schema, migrations_off

    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        with migrations_off():
            made = setup_databases(verbosity=request.config.option.verbose, interactive=False,
                                   aliases=aliases, serialized_aliases=serialized_aliases,
                                   keepdb=keepdb)
        for alias in aliases:
            complete_models_schema(connections[alias])
    BASELINE.load(django_db_blocker)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(made, verbosity=request.config.option.verbose)
            except Exception as exc:  # as pytest-django's own: a warning, not a failed test
                # (PostgreSQL refuses to drop a database a straggling connection still uses;
                # the next run's set-up replaces it)
                request.node.warn(pytest.PytestWarning(
                    f"Error when trying to teardown test databases: {exc!r}"))


def _is_transactional(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return bool(names & {"transactional_db", "live_server", "django_db_reset_sequences",
                         "django_db_serialized_rollback"}) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _is_transactional(item) and BASELINE.present:
        BASELINE.present = False  # flushed: committed again before the next test


@pytest.fixture
def reference(db) -> tuple[dict[str, Jurisdiction], dict[str, LearningNetwork]]:
    """Cohorts, the 59 jurisdictions and the six learning networks (real data), as
    ``load_reference()`` returns them; fresh instances for every test."""
    codes = _reference_codes()
    return ({j.postal_code: j for j in Jurisdiction.objects.filter(postal_code__in=codes[0])},
            {n.slug: n for n in LearningNetwork.objects.filter(slug__in=codes[1])})


@cache
def _reference_codes() -> tuple[list[str], list[str]]:
    from coiin.demo.network import LEARNING_NETWORKS, read_jurisdictions

    return ([row["postal_code"] for row in read_jurisdictions()],
            [spec.slug for spec in LEARNING_NETWORKS])


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
    """The real measure catalog, as ``load_catalog()`` returns it."""
    from coiin.measures.catalog import CATALOG

    by_code = Measure.objects.in_bulk([spec.code for spec in CATALOG], field_name="code")
    return {spec.code: by_code[spec.code] for spec in CATALOG}


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


def make_data_lead(team: Team) -> User:
    user = make_user("dara.data@example.org")
    services.add_member(team=team, user=user, role=TeamMembership.Role.DATA_LEAD)
    return user


def make_faculty(team: Team) -> User:
    user = make_user("fay.faculty@example.org")
    FacultyAssignment.objects.create(learning_network=team.learning_network, user=user)
    return user


def make_backbone() -> User:
    return make_user("bea.backbone@example.org", network_role=User.NetworkRole.BACKBONE)


@pytest.fixture
def data_lead(team) -> User:
    return make_data_lead(team)


@pytest.fixture
def member(team) -> User:
    user = make_user("max.member@example.org")
    services.add_member(team=team, user=user, role=TeamMembership.Role.MEMBER)
    return user


@pytest.fixture
def faculty(team) -> User:
    return make_faculty(team)


@pytest.fixture
def outsider(other_team) -> User:
    """The lead of another jurisdiction's team in another network."""
    user = make_user("otto.outsider@example.org")
    services.add_member(team=other_team, user=user, role=TeamMembership.Role.LEAD)
    return user


@pytest.fixture
def backbone(db) -> User:
    return make_backbone()


def georgia_safe_sleep(*personas: str) -> SimpleNamespace:
    """For a module's shared rows: what the fixtures of the same names make, at once:
    ``reference``, ``catalog``, ``team`` (Georgia Safe Sleep), ``chosen`` (its network's
    default measures) and the personas named (``data_lead``, ``faculty``, ``backbone``)."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    team = services.join_network(jurisdiction=jurisdictions["GA"],
                                 learning_network=networks["safe-sleep"])
    chosen = [catalog[c] for c in default_measure_codes("safe-sleep")]
    reporting.choose_measures(team=team, measures=chosen)
    makers = {"data_lead": lambda: make_data_lead(team), "faculty": lambda: make_faculty(team),
              "backbone": make_backbone}
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog, team=team,
                           chosen=chosen, **{name: makers[name]() for name in personas})


def report_months(team: Team, measure: Measure, user: User, numerators: list[int], *,
                  denominator: int, confirm: str = "ok", final_but_last: bool = False) -> None:
    """One submitted month per numerator from January 2015, each entered and submitted three
    days after its month ends (all provisional, or final but the last)."""
    period = Period.parse("2015-01")
    for i, num in enumerate(numerators):
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                              entries=[Entry(measure, period.label, numerator=str(num),
                                             denominator=str(denominator), confirm=confirm)],
                              today=day)
        reporting.submit(submission=sub, user=user, today=day,
                         is_final=final_but_last and i < len(numerators) - 1)
        period = period.next()


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



def _hear_changes_at_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test runs inside one transaction that is never committed, so the listeners of
    changed values (the stored chart summaries) would never hear of a change. Here a
    change is heard when the transaction that made it would have committed: when the
    service's outermost atomic block exits without error (at once outside any block); a
    rolled-back change is never heard. The blocks a test runs inside (the test case's own,
    and the one holding rows shared by a module's tests, see SharedRows) are flagged
    ``_from_testcase``. tests/charts/test_summaries.py also checks the real after-commit
    path."""
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


@pytest.fixture(autouse=True)
def _changes_heard_at_commit(monkeypatch):
    _hear_changes_at_commit(monkeypatch)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Spanish leaves Spanish active in
    its thread (the locale middleware sets it per request and never unsets it), and the next
    test in the same process would read Spanish where it expects English."""
    from django.utils import translation

    yield
    translation.deactivate()


class SharedRows:
    """Rows that many tests only read, made once instead of once per test.

    They are written inside one outer transaction, flagged like the test case's own block,
    that is never committed: each test's own block (the ``db`` fixture) nests inside it as a
    savepoint, so whatever a test writes is rolled back after it as before, and the shared
    rows themselves are rolled back when a test that did not ask for them comes (see
    ``pytest_runtest_setup``) or the session ends. The same on SQLite and PostgreSQL.
    One set at a time per process: asking for another set rolls back the first.
    """

    def __init__(self) -> None:
        self.key: str | None = None  # which rows are held
        self.name: str | None = None  # the fixture that opened them
        self.value: object = None
        self._atomic = None
        self._blocker = None

    def get(self, name: str, make, blocker):
        key = f"{make.__module__}.{make.__qualname__}"
        if self.key == key:
            return self.value
        self.close()
        from django.db import transaction

        self._blocker = blocker
        with blocker.unblock():
            atomic = transaction.atomic(using="default")
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
            self._atomic = atomic
            try:
                with pytest.MonkeyPatch.context() as patch:
                    _hear_changes_at_commit(patch)
                    self.value = make()
            except BaseException:
                self.close()
                raise
        self.key, self.name = key, name
        return self.value

    def close(self) -> None:
        if self._atomic is None:
            return
        from django.db import transaction

        atomic, self._atomic = self._atomic, None
        self.key, self.name, self.value = None, None, None
        with self._blocker.unblock():
            transaction.set_rollback(True, using="default")
            atomic.__exit__(None, None, None)


SHARED = SharedRows()


def shared_rows(name: str, make):
    """Two fixtures for rows made by ``make()`` once for the tests that follow one another
    asking for them (a module's, kept on one worker by its ``xdist_group``): ``name``
    returns what ``make`` returned and gives the test its own transaction inside the
    shared one; ``_name_rows``, which it asks for first, opens the shared transaction.
    Bind both in the module: ``_demo_rows, demo = shared_rows("demo", make_demo)``."""

    @pytest.fixture(name=f"_{name}_rows")
    def rows(_shared_rows_closed_at_the_end, django_db_blocker):
        return SHARED.get(f"_{name}_rows", make, django_db_blocker)

    def value(db, **kwargs):
        return kwargs[f"_{name}_rows"]

    # The shared block must be open before the test's own (``db``), so it comes first.
    value.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter(f"_{name}_rows", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("db", inspect.Parameter.POSITIONAL_OR_KEYWORD)])
    return rows, pytest.fixture(name=name)(value)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that did not ask for the shared rows never sees them: roll them back first."""
    if SHARED.name is not None and SHARED.name not in getattr(item, "fixturenames", ()):
        SHARED.close()
    if BASELINE.present is False:  # whether or not this test asks for the database now:
        from pytest_django.plugin import blocking_manager_key  # it may ask for it later

        BASELINE.load(item.config.stash[blocking_manager_key])


def fixtures_from(rows: str, *names: str) -> dict:
    """Fixtures named ``names`` that hand out the same-named attributes of the ``rows``
    fixture (a list is copied per test), for a module whose shared rows stand in for the
    suite's persona and catalog fixtures: ``globals().update(fixtures_from("crib_rows",
    "team", "chosen"))``."""

    def make(name: str):
        def value(**kwargs):
            got = getattr(kwargs[rows], name)
            return list(got) if isinstance(got, (list, tuple)) else got

        value.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
            inspect.Parameter(rows, inspect.Parameter.POSITIONAL_OR_KEYWORD)])
        return pytest.fixture(name=name)(value)

    return {name: make(name) for name in names}


def fixtures_from_when(rows: str, asked: str, *names: str) -> dict:
    """``fixtures_from`` only in a test that asks for ``asked``: there each of ``names`` is
    the shared rows' own; in any other test it is the fixture it overrides (the suite's),
    so a module can share rows with the tests that need them and no others."""

    def make(name: str):
        @pytest.fixture(name=name)
        def value(request):
            if asked in request.fixturenames:
                got = getattr(request.getfixturevalue(rows), name)
                return list(got) if isinstance(got, list) else got
            return request.getfixturevalue(name)  # the fixture this one overrides

        return value

    return {name: make(name) for name in names}


@pytest.fixture(scope="session")
def _shared_rows_closed_at_the_end(django_db_setup):
    """Before the test database goes (a fixture is torn down before those it asks for)."""
    yield
    SHARED.close()


LONG_SINGLE_TESTS = {"test_migrations_move.py", "test_upgrade.py", "test_backup.py",
                     "test_schema_from_models.py", "test_two_machines.py"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker by reading
    the group from the end of each test's id, which pytest-xdist appends by assigning
    ``item._nodeid``; since pytest 9 an item's id lives in ``item._id``, so the suffix was
    silently lost and every group (the browser tests', the shared rows') was spread over the
    workers like any other test. Append it where pytest 9 keeps it."""
    # The longest single tests (migrating a database back and forth, backing one up and
    # restoring it, two machines' month end) start first, so no worker is left with one of
    # them at the very end.
    items.sort(key=lambda item: item.path.name not in LONG_SINGLE_TESTS)
    if config.getoption("database_tests_only"):
        kept: list = []
        left: list = []
        for item in items:
            (kept if uses_database(item) else left).append(item)
        config.hook.pytest_deselected(items=left)
        items[:] = kept
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # before pytest 9 pytest-xdist does it itself
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")
