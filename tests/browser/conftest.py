"""Real Chromium through Playwright against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tests.conftest import clear_cache, require_postgresql, running_worker

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make here
# are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_URL = f"{settings.STATIC_URL}vendor/axe/axe.min.js"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# Screenshots are for looking at, so they are taken only when asked for: a full-page PNG
# costs a tenth of a second or more, hundreds of times a run.
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (run `make browser-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Makes browser contexts (fresh cookies and storage, like another device) and closes them."""
    contexts = []

    def make(**options: object):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _live_settings(settings, live_server) -> None:
    settings.SITE_URL = live_server.url
    # Each test clicks quickly through many fields from one address.
    settings.QUESTIONNAIRE_RATE_PER_IP = "100000/m"
    settings.QUESTIONNAIRE_RATE_PER_LINK = "100000/m"
    clear_cache()


def sign_in(context, user, live_server) -> None:
    """Gives the browser context the session of a signed-in advisor."""
    http = HttpClient()
    http.force_login(user)
    cookie = http.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now. axe is loaded by
    its URL, so the browser compiles it once rather than on every page, and asked for
    violations only.

    Without ``preload`` axe does not fetch and parse every stylesheet before it runs (two
    fifths of a run). Only two of its rules read what it preloads: css-orientation-lock, an
    experimental rule axe leaves off, and no-autoplay-audio, of moderate impact, for audio
    and video the app does not have."""
    # After a click that navigates, the new document may still be arriving: axe is added to
    # it once it has loaded.
    page.wait_for_load_state()
    page.add_script_tag(url=AXE_URL)
    options = {"resultTypes": ["violations"], "preload": False}
    results = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def at_each_width(page) -> Iterator[int]:
    """Resizes the page as it is now to a phone's width, then a laptop's, and yields each
    width: one load and one set of clicks, checked at both. The page stays at the laptop's."""
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        yield viewport["width"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )


def shot(page, name: str) -> None:
    """Keeps a full-page screenshot in SCREENSHOT_DIR, when it is set."""
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def worker(django_db_blocker, settings, tmp_path):
    """A real Celery worker for the journeys that need the pipeline (PostgreSQL and Redis)."""
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path
    with running_worker(django_db_blocker) as running:
        yield running
