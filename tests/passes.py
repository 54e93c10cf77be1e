"""Which tests can depend on the database: the PostgreSQL pass of .ci/run runs only those
(``--database-tests-only``, tests/conftest.py); the others ran the same in the SQLite pass."""

from __future__ import annotations

import inspect
from functools import cache
from pathlib import Path

_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                      "django_db_serialized_rollback"}


def uses_database(item) -> bool:
    """Whether a test may reach the database: it or a fixture it asks for is one of the
    database's, it is marked so, or it or one of this suite's fixtures it asks for takes
    ``request``, with which it can ask for any fixture by name when it runs (``as_persona``,
    directly or through a helper)."""
    if (set(getattr(item, "fixturenames", ())) & _DATABASE_FIXTURES
            or item.get_closest_marker("django_db") or item.get_closest_marker("database_url")):
        return True
    info = getattr(item, "_fixtureinfo", None)
    funcs = [getattr(item, "obj", None)] + [
        d.func for defs in (info.name2fixturedefs.values() if info else ()) for d in defs]
    return any(_takes_request(f) for f in funcs if f is not None)


@cache
def _takes_request(func) -> bool:
    try:
        path, params = inspect.getsourcefile(func), inspect.signature(func).parameters
    except (OSError, TypeError, ValueError):
        return False
    return bool(path and path.startswith(str(_TESTS)) and "request" in params)


_TESTS = Path(__file__).parent
