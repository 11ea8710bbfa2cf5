import re

import pytest
from playwright.sync_api import expect

from channels.models import Channel
from inventory.models import MovementReason, StockLevel
from inventory.services import stock_move
from orders.models import Order, OrderStatus
from orders.services import order_ship
from tests.browser.waits import loads
from tests.factories import PASSWORD, CancelRequestFactory, OrderItemFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_seller_cancels_answers_a_buyer_request_and_stocks_a_canceled_order_in(page, log_in, owner):
    tenant = owner.tenant
    shopee = StoreFactory(tenant=tenant, name="Shopee MY", channel=Channel.SHOPEE)
    to_cancel = OrderItemFactory(
        order__tenant=tenant, order__store=shopee, order__number="SHP-CANCEL-1", order__platform_status="Ready to Ship"
    ).order
    request = CancelRequestFactory(
        order__tenant=tenant, order__store=shopee, order__number="SHP-BUYER-2", reason="Found cheaper elsewhere"
    )
    shipped = OrderItemFactory(
        order__tenant=tenant, order__store=shopee, order__number="SHP-SHIPPED-3", quantity=4
    ).order
    stock_move(
        sku=shipped.items.get().sku,
        warehouse=shipped.warehouse,
        quantity=10,
        reason=MovementReason.OPENING,
        source="Opening",
        source_key="opening",
    )
    order_ship(order=shipped, actor=None)
    Order.objects.filter(pk=shipped.pk).update(status=OrderStatus.CANCELLED)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible buttons
    log_in(owner.username, PASSWORD)

    # 1. seller cancel from New Orders
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    row = page.locator(f"#order-{to_cancel.pk}")
    with loads(page):
        row.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_label("Reason").select_option("Out of Stock")
    with loads(page):
        page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("alert").first).to_contain_text("waiting to sync with Shopee")
    expect(page.get_by_text("Cancel order: waiting to sync", exact=True)).to_be_visible()

    # 2. buyer request: Agree
    page.goto("/orders/cancel-requests/")
    with loads(page):
        page.locator(f"#cancel-request-{request.pk}").get_by_role("button", name="Agree").click()
    expect(page.get_by_role("alert").first).to_contain_text("SHP-BUYER-2: cancellation agreed")
    expect(page.locator(f"#cancel-request-{request.pk}")).to_have_count(0)

    # 3. Canceled Orders Stock In
    with loads(page):
        page.get_by_role("link", name="Canceled Orders").click()
    shipped_row = page.locator(f"#order-{shipped.pk}")
    expect(shipped_row).to_contain_text("To stock in")
    shipped_row.get_by_role("checkbox").check()
    with loads(page):
        page.get_by_role("button", name="Canceled Orders Stock In").click()
    expect(page.get_by_role("alert").first).to_contain_text("Stocked in: SHP-SHIPPED-3.")
    expect(page.locator(f"#order-{shipped.pk}")).to_contain_text(re.compile("Stocked in"))
    assert StockLevel.objects.get(sku=shipped.items.get().sku).on_hand == 10
