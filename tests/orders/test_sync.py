"""The order sync against the sandbox marketplace (a real process): orders, items, buyers and amounts
arrive; the same payload twice changes nothing; a status change is one history line; the platform's
cancel follows the stock rule of a local one; an unknown status needs review and the sync goes on."""

from decimal import Decimal

import pytest

from channels.models import Connection
from inventory.models import SKU, CatalogueChange, MovementReason, StockMovement
from orders.models import Order, OrderEvent, OrderStatus
from orders.selectors import cancelled_to_stock_in
from orders.services import cancelled_order_stock_in, order_ship
from orders.sync import pull, refetch
from orders.upsert import upsert
from tests import counts
from tests.factories import SKUFactory, TenantFactory, UserFactory, WarehouseFactory
from tests.sandbox_fixtures import connect_tiktok

pytestmark = pytest.mark.django_db

LINES = [
    {"seller_sku": "LIP-RED", "product_name": "Lipstick red", "sale_price": "19.90", "original_price": "25.00"},
    {"seller_sku": "LIP-RED", "product_name": "Lipstick red", "sale_price": "19.90", "original_price": "25.00"},
    {"seller_sku": "NEW-ONE", "product_name": "Brand new mascara", "sale_price": "12.50"},
]


def place(sandbox, shop, **order):
    body = {"shop_id": shop["id"], "currency": "MYR", "shipping_fee": "4.60", "line_items": LINES, **order}
    return sandbox.control("POST", "tiktok/orders", body)["orders"]


def move(sandbox, order_id, status, **more):
    sandbox.control("POST", f"tiktok/orders/{order_id}/status", {"status": status, **more})


@pytest.fixture
def tenant():
    return TenantFactory()


@pytest.fixture
def connected(sandbox, settings, tenant):
    store, shop = connect_tiktok(sandbox, settings, tenant)
    return store, shop


def test_orders_arrive_with_items_buyer_and_amounts(sandbox, connected, tenant):
    store, shop = connected
    lipstick = SKUFactory(tenant=tenant, code="LIP-RED")
    (placed,) = place(sandbox, shop, buyer={"name": "Siti Aminah", "phone_number": "60123456789"})

    pulled = pull(store)

    assert pulled.upserted.created == 1
    order = Order.objects.get(store=store, number=placed["id"])
    assert (order.status, order.platform_status, order.needs_review) == ("new", "Awaiting Shipment", False)
    assert order.paid_amount == Decimal("67.10")  # the platform's total_amount and order.currency == "MYR"
    assert order.buyer.name == "Siti Aminah" and order.buyer.phone == "60123456789"
    items = {item.sku.code: item for item in order.items.select_related("sku")}
    assert items["LIP-RED"].sku == lipstick and items["LIP-RED"].quantity == 2
    assert items["LIP-RED"].unit_price == Decimal("19.90")
    # an unknown seller SKU is added to the catalogue, the line kept
    assert items["NEW-ONE"].quantity == 1 and items["NEW-ONE"].sku.name == "Brand new mascara"
    assert CatalogueChange.objects.get(sku=items["NEW-ONE"].sku).created
    assert SKU.objects.filter(tenant=tenant, code="LIP-RED").count() == 1
    connection = Connection.objects.get(store=store)
    assert connection.synced_until is not None and connection.last_synced_at is not None
    assert connection.orders_synced == 1 and connection.sync_progress == 1 and connection.lease_owner == ""
    assert counts.kept() == counts.fresh()


def test_unpaid_orders_wait_until_paid(sandbox, connected):
    store, shop = connected
    (placed,) = place(sandbox, shop, status="UNPAID")
    pull(store)
    assert not Order.objects.filter(number=placed["id"]).exists()
    move(sandbox, placed["id"], "AWAITING_SHIPMENT")
    refetch(store, [placed["id"]], "webhook")
    assert Order.objects.get(number=placed["id"]).platform_status == "Awaiting Shipment"


def test_the_same_payload_twice_changes_nothing(sandbox, connected):
    store, shop = connected
    placed = place(sandbox, shop, count=3)
    pull(store)
    before = list(Order.objects.order_by("pk").values())

    again = refetch(store, [o["id"] for o in placed], "webhook")
    pull(store)  # the overlap reads the same orders again

    assert (again.created, again.changed, again.unchanged) == (0, 0, 3)
    assert list(Order.objects.order_by("pk").values()) == before
    assert not OrderEvent.objects.exists()


def test_a_status_change_is_one_history_line(sandbox, connected):
    store, shop = connected
    (placed,) = place(sandbox, shop)
    pull(store)
    move(sandbox, placed["id"], "AWAITING_COLLECTION")

    pull(store)
    refetch(store, [placed["id"]], "webhook")  # the webhook of the same change

    order = Order.objects.get(number=placed["id"])
    assert (order.status, order.platform_status) == (OrderStatus.TO_PICKUP, "Awaiting Collection")
    (event,) = order.events.all()
    assert event.type == OrderEvent.Type.SYNCED and event.actor is None
    assert event.get_type_display() == "Updated from the platform"
    assert event.data["from"] == "Awaiting Shipment" and event.data["to"] == "Awaiting Collection"
    assert event.data["raw"] == "AWAITING_COLLECTION"
    assert counts.kept() == counts.fresh()


def test_a_platform_cancel_follows_the_stock_rule_of_a_local_one(sandbox, connected, tenant):
    store, shop = connected
    (placed,) = place(sandbox, shop)
    pull(store)
    warehouse = WarehouseFactory(tenant=tenant)
    Order.objects.filter(number=placed["id"]).update(warehouse=warehouse)  # not a counted field
    order_ship(order=Order.objects.get(number=placed["id"]))  # the stock left the warehouse
    move(sandbox, placed["id"], "CANCELLED", initiator="BUYER", reason="Lost parcel")

    pull(store)

    order = Order.objects.get(number=placed["id"])
    assert order.status == OrderStatus.CANCELLED and order.platform_status == "Cancelled"
    assert all(item.open_quantity == 0 for item in order.items.all())
    owner = UserFactory(tenant=tenant, owner=True)
    assert list(cancelled_to_stock_in(tenant=tenant, user=owner)) == [order]
    assert cancelled_order_stock_in(order=order, actor=owner)
    back = StockMovement.objects.filter(order=order, reason=MovementReason.CANCEL_STOCK_IN)
    assert sum(m.quantity for m in back) == 3
    assert [e.type for e in order.events.all()] == ["shipped", "synced", "cancel_stocked_in"]
    assert counts.kept() == counts.fresh()


def test_an_unknown_status_needs_review_and_the_sync_goes_on(sandbox, connected):
    store, shop = connected
    first, second = place(sandbox, shop, count=2)
    pull(store)
    with_new_status = next(p for p in _platform_orders(store, [first["id"]]))
    odd = type(with_new_status)(**{**with_new_status.__dict__, "raw_status": "AWAITING_TELEPORT", "status": None})
    move(sandbox, second["id"], "IN_TRANSIT")
    second_now = next(p for p in _platform_orders(store, [second["id"]]))

    done = upsert(store, [odd, second_now], "pull")

    assert done.changed == 2
    order = Order.objects.get(number=first["id"])
    assert order.status == OrderStatus.NEW and order.needs_review
    assert order.platform_status == "AWAITING_TELEPORT"
    assert order.events.get().data["needs_review"] is True
    assert Order.objects.get(number=second["id"]).status == OrderStatus.SHIPPED
    # the platform's next word clears it
    refetch(store, [first["id"]], "webhook")
    order.refresh_from_db()
    assert not order.needs_review and order.platform_status == "Awaiting Shipment"


def _platform_orders(store, numbers):
    from channels.connections import session

    with session(store) as link:
        return link.adapter.orders(link.access_token, link.shop, numbers)


def test_a_returning_buyer_is_found_by_the_platforms_buyer_id(sandbox, connected):
    store, shop = connected
    first = place(sandbox, shop, user_id="7494001", buyer={"name": "Siti"})
    place(sandbox, shop, user_id="7494001", buyer={"name": "Siti"})  # a later page, the same buyer
    other = place(sandbox, shop, user_id="7494002", count=2)
    refetch(store, [first[0]["id"]], "webhook")

    pull(store)

    buyers = {order.buyer_id for order in Order.objects.filter(buyer__external_id="tiktok:7494001")}
    assert len(buyers) == 1 and Order.objects.filter(buyer__name="Siti").count() == 2
    assert Order.objects.get(number=other[0]["id"]).buyer == Order.objects.get(number=other[1]["id"]).buyer
