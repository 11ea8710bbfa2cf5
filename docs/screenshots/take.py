"""Take the issue 9 screenshots: the refund list at 1366x768 and the Stock-In receive form at 390x844.

Start the demo app first (any database), then run this against it:

    python manage.py migrate && python manage.py seed_demo && python manage.py runserver 127.0.0.1:8765
    python docs/screenshots/take.py after            # -> docs/screenshots/after-*.png
    python docs/screenshots/take.py before --base-url http://127.0.0.1:8765

The refund list is seen by `finance`; the receive form by `warehouse`, who scans the case number
of the first case waiting for its parcel.
Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); Playwright downloads nothing.
"""

import argparse
import os
import shutil
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PASSWORD = "demo12345"  # core.demo.DEMO_PASSWORD


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def refund_list(page: Page) -> None:
    log_in(page, "finance")
    page.goto("/refunds/")


def receive_form(page: Page) -> None:
    log_in(page, "warehouse")
    page.goto("/stock/")
    first = page.locator("#scan-results tbody tr[id^=case-] td").first
    code = first.inner_text().split()[0]  # the case number (the type is on the line below)
    page.locator("#scan-code").fill(code)
    with page.expect_response(lambda response: "/stock/" in response.url):
        page.locator("#scan-code").press("Enter")
    page.locator("#scan-results form").wait_for()


SHOTS = [  # name, width, height, how to get there
    ("refund-list-1366", 1366, 768, refund_list),
    ("receive-form-390", 390, 844, receive_form),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("when", choices=["before", "after"], help="the file name's prefix")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        for name, width, height, go in SHOTS:
            context = browser.new_context(base_url=args.base_url, viewport={"width": width, "height": height})
            page = context.new_page()
            go(page)
            path = HERE / f"{args.when}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            print(
                path.relative_to(HERE.parent.parent), page.evaluate("document.documentElement.scrollWidth"), "px wide"
            )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
