"""Given steps of the outbox tests: a TikTok store connected to the sandbox, an order placed there and
synced here (as the order sync would write it), and what the sandbox says happened."""

from decimal import Decimal

from django.conf import settings

from channels.models import Connection
from orders.models import Order, OrderItem, OrderStatus
from tests.factories import SKUFactory, WarehouseFactory

PLATFORM_STATUS = {"AWAITING_SHIPMENT": "Awaiting Shipment", "AWAITING_COLLECTION": "Awaiting Collection"}


def placed_order(sandbox, store, shop, *, status="AWAITING_SHIPMENT", quantity=2) -> Order:
    """An order placed on the sandbox, and ours for it with one line of `quantity`."""
    line = {"sku_id": "1", "seller_sku": "SKU-1", "product_name": "Lip tint", "sale_price": "10.00"}
    answer = sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], "status": status, "line_items": [line]})
    platform_order = answer["orders"][0]
    order = Order.objects.create(
        tenant=store.tenant,
        store=store,
        number=platform_order["id"],
        status=OrderStatus.NEW,
        platform_status=PLATFORM_STATUS[status],
        currency=store.currency,
        paid_amount=Decimal("20.00"),
        warehouse=WarehouseFactory(tenant=store.tenant),
        ordered_at=store.created_at,
    )
    OrderItem.objects.create(
        tenant=store.tenant, order=order, sku=SKUFactory(tenant=store.tenant), quantity=quantity, unit_price=10
    )
    return order


def placed_shopee_order(sandbox, store, shop) -> Order:
    """A Shopee order READY_TO_SHIP on the sandbox, and ours for it."""
    answer = sandbox.control("POST", "shopee/orders", {"shop_id": shop["shop_id"], "order_status": "READY_TO_SHIP"})
    order = Order.objects.create(
        tenant=store.tenant,
        store=store,
        number=answer["orders"][0]["order_sn"],
        platform_status="Ready to Ship",
        currency=store.currency,
        ordered_at=store.created_at,
    )
    OrderItem.objects.create(
        tenant=store.tenant, order=order, sku=SKUFactory(tenant=store.tenant), quantity=1, unit_price=5
    )
    return order


def on_sandbox(sandbox, order: Order) -> dict:
    return sandbox.control("GET", f"tiktok/orders/{order.number}")


def sandbox_cancellations(sandbox, store, order: Order) -> list[dict]:
    """The cancellations the sandbox holds for the order, asked as the seller (signed search)."""
    connection = Connection.objects.get(store=store)
    config = settings.CHANNEL_APIS["tiktok"]
    app = {"app_key": config["app_key"], "app_secret": config["app_secret"]}
    status, answer = sandbox.tiktok(
        "POST",
        "/return_refund/202309/cancellations/search",
        app,
        connection.access_token,
        query={"shop_cipher": connection.shop_cipher, "page_size": "50"},
        body={"order_ids": [order.number]},
    )
    assert status == 200 and answer["code"] == 0, answer
    return answer["data"]["cancellations"]


def calls_with(sandbox, key) -> int:
    return sandbox.control("GET", "calls")["idempotency_keys"].get(str(key), 0)
