"""The cancel forms in a browser: the Lazada button and dialog follow the choice, the case's cancel
reason is checked before any dialog, and an htmx search lands on the tab holding the match."""

import re

import pytest
from playwright.sync_api import expect

from channels.models import Channel
from orders.models import OrderStatus
from tests.browser.waits import loads, opened
from tests.factories import PASSWORD, OrderItemFactory, StoreFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_lazada_cancel_button_and_dialog_say_whole_order_or_how_many_items(page, log_in, owner):
    store = StoreFactory(tenant=owner.tenant, channel=Channel.LAZADA)
    first = OrderItemFactory(
        order__tenant=owner.tenant, order__store=store, order__number="LZ-B", order__platform_status="Packed"
    )
    second = OrderItemFactory(order=first.order, quantity=3)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_in(owner.username, PASSWORD)

    page.goto(f"/orders/{first.order.pk}/cancel/")
    expect(page.get_by_label("Cancel the whole order")).to_be_checked()
    expect(page.get_by_role("button", name="Cancel order LZ-B")).to_be_visible()
    page.locator(f"[name=qty_{second.pk}]").fill("2")  # typing a quantity chooses "chosen items"
    expect(page.get_by_label("Cancel chosen items")).to_be_checked()
    expect(page.get_by_role("button", name="Cancel 2 items of order LZ-B")).to_be_visible()
    page.get_by_label("Reason").select_option("Out of Stock")
    with loads(page):
        page.get_by_role("button", name="Cancel 2 items of order LZ-B").click()
    assert asked == ["Cancel 2 items of order LZ-B on Lazada? The platform will be told; this cannot be undone here."]
    expect(page.get_by_role("alert").first).to_contain_text("cancellation recorded")
    second.refresh_from_db()
    assert second.cancelled_quantity == 2


def test_cancel_case_asks_nothing_until_a_reason_is_given(page, log_in, owner):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    log_in(owner.username, PASSWORD)

    page.goto(f"/after-sales/{case.pk}/")
    page.get_by_role("button", name="Cancel case").click()
    opened(page.locator("#cancel-panel"))
    page.get_by_role("button", name="Cancel this case").click()
    expect(page.get_by_label("Reason for cancelling")).to_be_focused()  # the browser points at the field
    assert asked == [] and page.evaluate("() => !document.querySelector('[name=reason]').validity.valid")
    page.get_by_label("Reason for cancelling").fill("Buyer changed their mind")
    page.get_by_role("button", name="Cancel this case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("To Confirm")  # dismissed: nothing changed
    assert len(asked) == 1 and asked[0].startswith(f"Cancel the Return & Refund case {case.number}")


def test_an_order_search_lands_on_the_tab_holding_the_match(page, log_in, owner):
    shipped = OrderItemFactory(
        order__tenant=owner.tenant, order__status=OrderStatus.SHIPPED, order__tracking_number="SPX-BR-1"
    ).order
    OrderItemFactory(order__tenant=owner.tenant)
    log_in(owner.username, PASSWORD)

    page.goto("/orders/")
    page.get_by_label("Search orders").fill("SPX-BR-1")
    with page.expect_response(lambda response: "tab=shipped" in response.url):
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(f"#order-{shipped.pk}")).to_be_visible()
    expect(page.get_by_role("tab", name="Shipped")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"/orders/\?tab=shipped&q=SPX-BR-1"))  # pushed: a reload stays there
