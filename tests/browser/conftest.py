"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Full-page screenshots of the pages the journeys check are for people to look at, not part
of any assertion, and drawing them costs the browser and this process several seconds a run:
they are taken into test-artifacts/ only when COIIN_SCREENSHOTS=1 is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COIIN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # With the suite spread over cores (pytest-xdist --dist loadgroup), the browser
            # tests share one worker: two Chromiums and two live servers on a 2-core machine
            # starve each other past Playwright's timeouts.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("COIIN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each journey starts with an empty cache, as a new visitor's would: the browser tests run
    one after another in one process, all from 127.0.0.1, and together they sign in more often
    in a minute than allauth's per-address limit allows one visitor (429)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """A full-page PNG in test-artifacts/ when COIIN_SCREENSHOTS=1 (see the module's note)."""
    if os.environ.get("COIIN_SCREENSHOTS") != "1":
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
