"""The same sync with the other platforms' adapters, against the sandbox marketplace: Shopee orders and
a buyer's request (its IN_CANCEL status) arrive and settle; Lazada orders arrive with the label of their
least advanced item. The sync knows no platform: only the adapter and the status labels differ."""

import pytest

from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderStatus
from orders.sync import pull
from tests import counts
from tests.factories import TenantFactory
from tests.sandbox_fixtures import connect_lazada, connect_shopee

pytestmark = pytest.mark.django_db


def test_shopee_orders_and_a_buyer_request_arrive_and_settle(sandbox, settings):
    store, shop = connect_shopee(sandbox, settings, TenantFactory())
    item = {"model_sku": "TEE-M", "model_quantity_purchased": 2, "model_discounted_price": 15.5}
    body = {"shop_id": shop["shop_id"], "order_status": "READY_TO_SHIP", "item_list": [item], "count": 2}
    first, second = sandbox.control("POST", "shopee/orders", body)["orders"]

    pull(store)

    order = Order.objects.get(store=store, number=first["order_sn"])
    assert (order.status, order.platform_status, order.needs_review) == (OrderStatus.NEW, "To Process", False)
    (line,) = order.items.select_related("sku")
    assert (line.sku.code, line.quantity, str(line.unit_price)) == ("TEE-M", 2, "15.50")

    for placed in (first, second):
        sandbox.control("POST", f"shopee/orders/{placed['order_sn']}/buyer_cancel", {"reason": "Need to change"})
    pull(store)
    pull(store)  # the overlap: nothing twice

    requests = CancelRequest.objects.order_by("external_id")
    assert [(r.external_id, r.status) for r in requests] == sorted(
        (p["order_sn"], CancelRequestStatus.PENDING) for p in (first, second)
    )
    assert OrderEvent.objects.filter(type=OrderEvent.Type.CANCEL_REQUESTED).count() == 2

    sandbox.control("POST", f"shopee/orders/{first['order_sn']}/status", {"order_status": "CANCELLED"})
    sandbox.control("POST", f"shopee/orders/{second['order_sn']}/status", {"order_status": "READY_TO_SHIP"})
    pull(store)

    assert CancelRequest.objects.get(external_id=first["order_sn"]).status == CancelRequestStatus.AGREED
    assert CancelRequest.objects.get(external_id=second["order_sn"]).status == CancelRequestStatus.REJECTED
    assert Order.objects.get(number=first["order_sn"]).status == OrderStatus.CANCELLED
    assert counts.kept() == counts.fresh()


def test_lazada_orders_arrive_labelled_by_their_least_advanced_item(sandbox, settings):
    store, seller = connect_lazada(sandbox, settings, TenantFactory())
    items = [{"sku": "MUG-1", "name": "Mug", "item_price": "12.00", "quantity": 2}, {"sku": "CUP-1", "name": "Cup"}]
    (placed,) = sandbox.control(
        "POST", "lazada/orders", {"seller_id": seller["seller_id"], "status": "pending", "items": items}
    )["orders"]

    pull(store)

    order = Order.objects.get(store=store)
    assert order.number == str(placed["order_id"])
    assert (order.status, order.platform_status, order.needs_review) == (OrderStatus.NEW, "Pending", False)
    assert sorted(order.items.values_list("sku__code", flat=True)) == ["CUP-1", "MUG-1"]
    assert counts.kept() == counts.fresh()
