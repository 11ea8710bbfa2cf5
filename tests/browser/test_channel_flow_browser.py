"""Issue 11's whole loop in a real browser, against the sandbox marketplace (a real process): a seller
connects a TikTok shop, its orders arrive by themselves, a cancel reaches the platform, the platform
shows it cancelled and our order follows. (A refused cancel: tests/orders/test_relay.py.)"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from tests.browser.waits import loads, swaps
from tests.channels.connecting import register_tiktok_app
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LINE = {"seller_sku": "LIP-TINT", "product_name": "Lip tint", "sale_price": "10.00"}


def connect(page, sandbox, shop) -> None:
    page.goto("/settings/stores/")
    with loads(page):
        page.get_by_role("link", name="Connect store").click()
    with loads(page):
        page.get_by_role("link", name="TikTok Shop").click()
    page.get_by_label("Seller").select_option(shop["open_id"])
    with loads(page):
        page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_test_id("connection-status")).to_have_text("Connected")


def cancel(page, order: Order) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(reverse("orders:detail", args=[order.pk]))
    with loads(page):
        page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_label("Reason").select_option("Out of Stock")
    with loads(page):
        page.get_by_role("button", name=re.compile(f"Cancel order {order.number}")).click()


def test_a_connected_stores_orders_arrive_and_a_cancel_reaches_the_platform(
    page, log_in, owner, live_server, sandbox, settings
):
    # given our app on the platform (pushes to this server) and a shop there with two paid orders
    register_tiktok_app(
        sandbox,
        settings,
        redirect_uri=live_server.url + reverse("settings:store-connect-callback"),
        webhook_url=live_server.url + reverse("webhooks:tiktok"),
    )
    shop = sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "MY"})
    paid = {"shop_id": shop["id"], "status": "AWAITING_SHIPMENT", "line_items": [LINE], "count": 2}
    placed = sandbox.control("POST", "tiktok/orders", paid)["orders"]
    log_in(owner.username, PASSWORD)

    # when the seller connects the shop and clicks Sync now
    connect(page, sandbox, shop)
    with swaps(page):
        page.get_by_role("button", name="Sync now").click()

    # then its orders are in the order list, New, as the platform has them
    page.goto("/orders/")
    for order in placed:
        expect(page.get_by_role("link", name=order["id"])).to_be_visible()
    kept, dropped = (Order.objects.get(number=order["id"]) for order in placed)
    assert kept.status == dropped.status == OrderStatus.NEW

    # when the seller cancels one
    cancel(page, dropped)

    # then the platform has it cancelled, once, and our order follows the platform's word
    assert sandbox.control("GET", f"tiktok/orders/{dropped.number}")["status"] == "CANCELLED"
    calls = sandbox.control("GET", "calls")["paths"]
    assert calls["/return_refund/202309/cancellations"] == 1
    page.goto(reverse("orders:detail", args=[dropped.pk]))
    expect(page.get_by_text("platform: Cancelled")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Cancel order: Sent"))).to_be_visible()
    assert sandbox.control("GET", f"tiktok/orders/{kept.number}")["status"] == "AWAITING_SHIPMENT"
