"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.waits import loads

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    def _log_in(username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username or e-mail").fill(username)
        page.get_by_label("Password").fill(password)
        with loads(page):
            page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url("/")  # the dashboard, not the login form again

    return _log_in


@pytest.fixture
def session(browser, live_server):
    """session(user or username, password) -> a page logged in as that user, in a browser context
    of its own: two tenants side by side (a distributor and its supplier)."""
    from tests.factories import PASSWORD

    contexts = []

    def _session(user, password: str = PASSWORD):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto("/accounts/login/")
        page.get_by_label("Username or e-mail").fill(getattr(user, "username", user))
        page.get_by_label("Password").fill(password)
        with loads(page):
            page.get_by_role("button", name="Log in").click()
        return page

    yield _session
    for context in contexts:
        context.close()
