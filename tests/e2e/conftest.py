"""End-to-end fixtures: the app served by a real HTTP server in a thread, driven by Debian's
Chromium through Playwright (never a downloaded browser).

The tests skip only when /usr/bin/chromium is missing on a developer's machine; in CI (CI set)
a missing browser fails them, so they can never be skipped silently there.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest
from werkzeug.serving import make_server

from tests.web.conftest import Person

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}

# The account fixtures (make_person, supervisor, worker, cheap hashing) are the web tests' own.
from tests.web.conftest import (  # noqa: E402,F401 - fixtures shared with the request tests
    cheap_password_hashing,
    make_callback,
    make_person,
    supervisor,
    worker,
)


def _need_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must `apt-get install -y chromium`")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the browser tests need it. "
                "In CI they never skip.")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test's app (its own database, Redis and clock) on 127.0.0.1 at a free port."""
    app.config["TESTING"] = False  # served as in production: errors are pages, not exceptions
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at laptop size; ``page.goto("/...")`` is relative to the server."""
    context = browser.new_context(base_url=live_server, viewport=LAPTOP, locale="fi-FI")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def sign_in_as(page) -> Callable[[Person], object]:
    def sign_in(person: Person):
        page.goto("/sign-in")
        page.get_by_label("Käyttäjätunnus").fill(person.username)
        page.get_by_label("Salasana").fill(person.password)
        page.get_by_role("button", name="Kirjaudu sisään").click()
        page.wait_for_load_state()
        return page

    return sign_in


@pytest.fixture
def screenshot(page) -> Callable[[str], Path]:
    """Save the page as artifacts/screenshots/<name>.png (full page) for people to look at."""

    def shoot(name: str, *, target=None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return shoot
