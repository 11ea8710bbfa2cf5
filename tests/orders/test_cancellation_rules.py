"""The platform rules table: every platform x platform status x whole/partial."""

import pytest

from accounts.permissions import Perm
from channels.models import Channel, OutboundAction, OutboundKind
from core.errors import Refused
from orders.cancellation import SELLER_CANCEL
from orders.models import OrderStatus
from orders.services import order_cancel
from tests.factories import OrderItemFactory, StoreFactory, UserFactory

ALLOWED = {
    Channel.SHOPEE: ["To Process", "Ready to Ship", "Processed"],
    Channel.LAZADA: ["Pending", "Repacked", "Packed", "Ready to Ship Pending"],
    Channel.TIKTOK: ["Awaiting Shipment", "Awaiting Collection"],
}
NOT_ALLOWED = {
    Channel.SHOPEE: ["Shipped", "Completed", "Cancelled", "In Cancel"],
    Channel.LAZADA: ["Shipped", "Delivered", "Canceled"],
    Channel.TIKTOK: ["In Transit", "Delivered", "Completed", "Unpaid"],
}
PARTIAL = {Channel.SHOPEE: False, Channel.LAZADA: True, Channel.TIKTOK: False}
CASES = [(ch, st, True) for ch, sts in ALLOWED.items() for st in sts] + [
    (ch, st, False) for ch, sts in NOT_ALLOWED.items() for st in sts
]


def _desk(order):
    return UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS])


def _order(channel, platform_status, lines=2):
    store = StoreFactory(channel=channel)
    first = OrderItemFactory(
        order__tenant=store.tenant, order__store=store, order__platform_status=platform_status, quantity=3
    )
    for _ in range(lines - 1):
        OrderItemFactory(order=first.order, quantity=2)
    return first.order


@pytest.mark.parametrize(("channel", "platform_status", "allowed"), CASES)
@pytest.mark.parametrize("partial", [False, True], ids=["whole", "items"])
def test_seller_cancel_follows_each_platforms_rules(db, channel, platform_status, allowed, partial):
    order = _order(channel, platform_status)
    actor = UserFactory(tenant=order.tenant, owner=True)
    reason = SELLER_CANCEL[channel].reasons[0]
    items = {order.items.first().pk: 1} if partial else None
    expect_ok = allowed and (not partial or PARTIAL[channel])

    if expect_ok:
        order_cancel(order=order, actor=actor, reason=reason, items=items)
    else:
        with pytest.raises(Refused) as refusal:
            order_cancel(order=order, actor=actor, reason=reason, items=items)
        said = str(refusal.value)
        assert (
            (platform_status in said and "can only be cancelled while" in said)
            if not allowed
            else "cancels whole orders only" in said
        )

    order.refresh_from_db()
    outbox = OutboundAction.objects.filter(order=order)
    if not expect_ok:
        assert order.status == OrderStatus.NEW and not outbox.exists()
        assert all(item.cancelled_quantity == 0 for item in order.items.all())
    elif partial:
        assert order.status == OrderStatus.NEW  # one of five units cancelled: the order goes on
        assert outbox.get().kind == OutboundKind.CANCEL_ITEMS
        assert sorted(i.cancelled_quantity for i in order.items.all()) == [0, 1]
    else:
        assert order.status == OrderStatus.CANCELLED and order.cancel_reason == reason
        assert outbox.get().kind == OutboundKind.CANCEL_ORDER
        payload = outbox.get().payload
        assert (payload["order_number"], payload["reason"]) == (order.number, reason)
        # what undoes it if the platform refuses: the status before, the units cancelled per line
        assert payload["previous_status"] == OrderStatus.NEW
        assert sorted(payload["undo_items"].values()) == sorted(i.quantity for i in order.items.all())


@pytest.mark.parametrize("channel", list(SELLER_CANCEL))
def test_only_the_platforms_own_reasons_are_accepted(db, channel):
    order = _order(channel, ALLOWED[channel][0])
    others = {r for rule in SELLER_CANCEL.values() for r in rule.reasons} - set(SELLER_CANCEL[channel].reasons)
    with pytest.raises(Refused) as refused:
        order_cancel(order=order, actor=_desk(order), reason=sorted(others)[0])
    assert refused.value.code == "unknown_reason"
    assert not OutboundAction.objects.exists()


def test_reason_lists_are_those_of_the_help_centre():
    assert SELLER_CANCEL[Channel.SHOPEE].reasons == (
        "Pricing Error",
        "Buyer requests cancellation",
        "Out of Stock",
        "Not Support COD",
    )
    assert len(SELLER_CANCEL[Channel.LAZADA].reasons) == 8
    assert SELLER_CANCEL[Channel.TIKTOK].reasons == (
        "Out of Stock",
        "Pricing Error",
        "Unable to deliver to buyer's address",
    )


@pytest.mark.parametrize("channel", [Channel.SHOPIFY, Channel.WOOCOMMERCE, Channel.OFFLINE, Channel.TOKOPEDIA])
def test_platforms_without_seller_cancel_refuse_with_a_reason(db, channel):
    order = _order(channel, "paid")
    with pytest.raises(Refused) as refused:
        order_cancel(order=order, actor=_desk(order), reason="Out of Stock")
    assert refused.value.code == "channel_cannot_cancel"


def test_lazada_cancelling_every_remaining_unit_cancels_the_order(db):
    order = _order(Channel.LAZADA, "Pending")
    lines = {item.pk: item.quantity for item in order.items.all()}
    order_cancel(order=order, actor=_desk(order), reason="Out of Stock", items=lines)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert OutboundAction.objects.get(order=order).kind == OutboundKind.CANCEL_ORDER


def test_lazada_refuses_more_than_is_left_and_items_of_another_order(db):
    order, other = _order(Channel.LAZADA, "Pending"), _order(Channel.LAZADA, "Pending")
    item = order.items.first()
    for items in ({item.pk: item.quantity + 1}, {item.pk: 0}, {other.items.first().pk: 1}):
        with pytest.raises(Refused) as refused:
            order_cancel(order=order, actor=_desk(order), reason="Out of Stock", items=items)
        assert refused.value.code == "item_quantity"
    assert not OutboundAction.objects.exists()
