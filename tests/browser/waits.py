"""Wait for what a click starts, then assert.

On a loaded machine the server can take longer to answer than expect()'s 5 s, and a page read
while it still loads has no scripts yet (no Bootstrap collapse, no data-confirm, no htmx). So an
action that loads a page runs inside `loads(page)`, which waits for that page's load event, and
one htmx answers runs inside `swaps(page)`, which waits for htmx's response. The assertions after
them check a page that is already there, and a database read sees what the server committed.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Locator, Page, expect

# How long a click may take to load its page on a loaded machine (a parallel `make test`): a wait,
# not a speed target (those are in bench/); a click that loads nothing still fails, after it.
LOAD_TIMEOUT = 30_000


@contextmanager
def loads(page: Page) -> Iterator[None]:
    """The action loads a new page (a link, a form, a redirect after a POST): wait until it has loaded."""
    with page.expect_navigation(timeout=LOAD_TIMEOUT) as navigation:
        yield
    response = navigation.value
    assert response is not None, f"no page was loaded, still at {page.url}"
    assert response.ok, f"{response.status} from {response.url}"


@contextmanager
def swaps(page: Page) -> Iterator[None]:
    """The action makes an htmx request: wait for its response; expect() then waits for the swap."""
    with page.expect_response(
        lambda response: response.request.headers.get("hx-request") == "true", timeout=LOAD_TIMEOUT
    ) as answer:
        yield
    assert answer.value.ok, f"{answer.value.status} from {answer.value.url}"


def opened(panel: Locator) -> None:
    """A Bootstrap collapse a click opened has finished sliding open: while it slides (`collapsing`)
    its contents are clipped, and a click on a button inside can land on the panel instead."""
    expect(panel).to_have_class(re.compile(r"\bshow\b"))
