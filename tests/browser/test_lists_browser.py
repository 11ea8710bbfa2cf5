"""The lists as a person works them: select-all and the bulk bar, buttons that cannot be sent
twice while their request runs, and the same lists without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from aftersales.models import Case, CaseStatus
from tests.browser.waits import loads
from tests.factories import PASSWORD, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def _hold(page, pattern: str) -> list:
    """htmx requests to URLs matching `pattern` wait here, unanswered, until the test continues them."""
    held = []

    def handle(route):
        if route.request.headers.get("hx-request") == "true":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(pattern), handle)
    return held


def _held(page, held: list, count: int = 1) -> None:
    """Wait until `count` requests are held: Playwright hands a route to its handler only while the
    test is inside a Playwright call, so the strip can be disabled before the handler has run."""
    for _ in range(200):
        if len(held) == count:
            return
        page.wait_for_timeout(50)  # a Playwright call: lets the route reach its handler
    raise AssertionError(f"{len(held)} requests held, expected {count}")


def test_select_all_shows_the_bulk_bar_with_the_count_and_clearing_hides_it(page, log_in, owner):
    cases = [make_case(order=shipped_order(tenant=owner.tenant), actor=owner) for _ in range(3)]
    log_in(owner.username, PASSWORD)
    page.goto("/after-sales/")
    bar = page.get_by_role("region", name="Selected rows")
    select_all = page.get_by_label("Select all cases on this page")
    rows = [page.get_by_label(f"Select {case.number}") for case in cases]
    # nothing selected: no bar
    expect(bar).to_be_hidden()

    # select-all ticks the page's rows; the bar appears and says how many
    select_all.check()
    for row in rows:
        expect(row).to_be_checked()
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("3 selected")

    # one row cleared: the count follows, and the header box shows a partial selection
    rows[0].uncheck()
    expect(bar).to_contain_text("2 selected")
    expect(select_all).not_to_be_checked()
    assert select_all.evaluate("box => box.indeterminate")

    # select-all again, then clear: every row cleared, the bar gone
    select_all.check()
    expect(bar).to_contain_text("3 selected")
    select_all.uncheck()
    for row in rows:
        expect(row).not_to_be_checked()
    expect(bar).to_be_hidden()

    # a single row selected by hand brings the bar back, and its button confirms that case
    rows[1].check()
    expect(bar).to_contain_text("1 selected")
    # sent, the form's buttons are disabled with a spinner until the next page comes: here the
    # server answers "no content", so the page stays as it was while waiting, and a second click
    # sends nothing
    page.on("dialog", lambda dialog: dialog.accept())
    sent = []

    def nothing_yet(route):
        sent.append(route.request.post_data)
        route.fulfill(status=204)

    page.route(re.compile(r"/bulk-confirm/$"), nothing_yet)
    confirm = bar.get_by_role("button", name="Confirm After-Sales")
    with page.expect_response(re.compile(r"/bulk-confirm/$")):
        confirm.click()
    expect(confirm).to_be_disabled()
    expect(confirm.locator(".spinner-border")).to_be_visible()
    confirm.click(force=True)
    assert page.evaluate("document.readyState") == "complete"  # a round trip: a second send would be seen
    assert len(sent) == 1 and f"case={cases[1].pk}" in sent[0]

    # the real answer: the page after the confirmation
    page.unroute(re.compile(r"/bulk-confirm/$"))
    page.reload()
    page.get_by_label(f"Select {cases[1].number}").check()
    with loads(page):
        bar.get_by_role("button", name="Confirm After-Sales").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Confirmed 1: {cases[1].number}.")
    assert Case.objects.get(pk=cases[1].pk).status == CaseStatus.CONFIRM_RETURN
    assert Case.objects.filter(status=CaseStatus.TO_CONFIRM).count() == 2


def test_an_empty_list_has_no_bulk_bar(page, log_in, owner):
    log_in(owner.username, PASSWORD)
    page.goto("/after-sales/")
    expect(page.get_by_text("No case here.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm After-Sales")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    page.goto("/orders/canceled/")
    expect(page.get_by_text("No canceled order.")).to_be_visible()
    expect(page.get_by_role("button", name="Canceled Orders Stock In")).to_have_count(0)


def test_a_tab_is_disabled_and_shows_its_spinner_while_it_loads(page, log_in, owner):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    log_in(owner.username, PASSWORD)
    page.goto("/after-sales/?tab=cancelled")
    tabs = page.get_by_role("tablist")
    held = _hold(page, r"/after-sales/\?tab=all")
    with page.expect_response(lambda response: response.request.headers.get("hx-request") == "true"):
        page.get_by_role("tab", name=re.compile("^All")).click()
        # the strip is disabled (no second click) and its spinner shows until the panel comes
        expect(tabs).to_have_attribute("disabled", "")
        expect(tabs).to_have_class(re.compile("htmx-request"))
        _held(page, held)
        held[0].continue_()
    expect(page.get_by_role("tab", name=re.compile("^All"))).to_have_attribute("aria-selected", "true")
    expect(page.locator(f"#case-{case.pk}")).to_be_visible()
    expect(page.get_by_role("tablist")).not_to_have_attribute("disabled", "")
    expect(page).to_have_url(re.compile(r"\?tab=all$"))


def test_without_javascript_the_bulk_bar_is_shown_and_works(browser, live_server, owner):
    waiting = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username or e-mail").fill(owner.username)
        page.get_by_label("Password").fill(PASSWORD)
        with loads(page):
            page.get_by_role("button", name="Log in").click()
        page.goto("/after-sales/")
        # the bar is there from the start (nothing would show it), the select-all box is not
        expect(page.get_by_role("button", name="Confirm After-Sales")).to_be_visible()
        expect(page.get_by_label("Select all cases on this page")).to_be_hidden()
        page.get_by_label(f"Select {waiting.number}").check()
        with loads(page):
            page.get_by_role("button", name="Confirm After-Sales").click()
        expect(page.get_by_role("alert").first).to_contain_text(f"Confirmed 1: {waiting.number}.")
    finally:
        context.close()
