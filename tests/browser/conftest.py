"""Browser fixtures: Playwright's sync API driving Debian's Chromium against live_server.

Without /usr/bin/chromium the browser tests are skipped locally, but fail under CI (CI set),
so a CI image that lost its browser cannot pass silently.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async guard would then
# refuse the ORM calls that tests make to set up data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 390, "height": 844}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """open_page(viewport=DESKTOP) -> a fresh page; CSP violations are collected on it."""
    contexts = []

    def _open(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda msg: (
                "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
            ),
        )
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests flush the database after each test, which also empties what the
    data migrations seeded (synonyms, sensitive words). Django's serialized_rollback
    cannot restore it here: once Playwright runs its event loop in this thread, the
    connection object differs from the one that kept the serialized copy. Seed again."""
    from importlib import import_module

    from django.apps import apps

    from gongkai.search.query import clear_synonyms

    for module in (
        "gongkai.search.migrations.0003_seed_synonyms",
        "gongkai.privacy.migrations.0002_seed_words",
    ):
        import_module(module).seed(apps, None)
    clear_synonyms()
