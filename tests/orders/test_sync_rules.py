"""Rules of the upsert beyond one platform's API: a seller's change still waiting to sync is not undone
by a pull, and where the buyer's request is an order status (Shopee's IN_CANCEL) it opens and settles
a request in Processing Orders > Cancel Order. TikTok's side runs on the sandbox (test_sync*.py);
Shopee's adapter lands apart, so its orders are given here as the adapter returns them."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from channels.adapters.base import Amounts, Buyer, OrderItem, PlatformOrder
from channels.models import Channel, OutboundAction, OutboundStatus
from channels.platforms.shopee import our_status as shopee_status
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderStatus
from orders.services import order_cancel
from orders.sync import pull
from orders.upsert import upsert
from tests import counts
from tests.factories import StoreFactory, TenantFactory, UserFactory
from tests.sandbox_fixtures import connect_tiktok

pytestmark = pytest.mark.django_db


def shopee_order(sn: str, raw: str) -> PlatformOrder:
    return PlatformOrder(
        id=sn,
        raw_status=raw,
        status=shopee_status(raw),
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        updated_at=datetime(2026, 11, 2, tzinfo=UTC),
        amounts=Amounts("MYR", Decimal("30.00"), None, None, None, None, None),
        buyer=Buyer(name="Ali", user_id="99"),
        items=(OrderItem("1", "m1", "TEE-M", "T-shirt M", Decimal("30.00"), None, None, None),),
    )


def test_a_seller_cancel_waiting_to_sync_is_not_undone_by_a_pull(sandbox, settings):
    tenant = TenantFactory()
    store, shop = connect_tiktok(sandbox, settings, tenant)
    (placed,) = sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"]})["orders"]
    pull(store)
    order = Order.objects.get(number=placed["id"])
    order_cancel(order=order, actor=UserFactory(tenant=tenant, owner=True), reason="Out of Stock")

    pull(store)  # the platform still says Awaiting Shipment: the cancel has not reached it

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not order.events.filter(type=OrderEvent.Type.SYNCED).exists()

    OutboundAction.objects.filter(order=order).update(status=OutboundStatus.REFUSED)  # the platform said no
    pull(store)
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and order.platform_status == "Awaiting Shipment"
    assert counts.kept() == counts.fresh()


def test_shopee_in_cancel_opens_a_request_and_its_next_status_settles_it():
    store = StoreFactory(tenant=TenantFactory(), channel=Channel.SHOPEE)
    upsert(store, [shopee_order("A1", "READY_TO_SHIP"), shopee_order("B2", "IN_CANCEL")], "pull")
    upsert(store, [shopee_order("A1", "IN_CANCEL")], "webhook")
    upsert(store, [shopee_order("A1", "IN_CANCEL"), shopee_order("B2", "IN_CANCEL")], "pull")  # again: nothing

    pending = CancelRequest.objects.filter(status=CancelRequestStatus.PENDING).order_by("external_id")
    assert [r.external_id for r in pending] == ["A1", "B2"]
    assert OrderEvent.objects.filter(type=OrderEvent.Type.CANCEL_REQUESTED).count() == 2
    assert Order.objects.get(number="A1").platform_status == "In Cancellation"

    upsert(store, [shopee_order("A1", "CANCELLED"), shopee_order("B2", "READY_TO_SHIP")], "pull")

    assert CancelRequest.objects.get(external_id="A1").status == CancelRequestStatus.AGREED
    assert CancelRequest.objects.get(external_id="B2").status == CancelRequestStatus.REJECTED
    a1 = Order.objects.get(number="A1")
    assert a1.status == OrderStatus.CANCELLED and a1.items.get().open_quantity == 0
    assert Order.objects.get(number="B2").platform_status == "To Process"
    assert counts.kept() == counts.fresh()
