import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from accounts.permissions import Perm
from channels.models import Channel, OutboundAction, OutboundKind
from inventory.models import MovementReason, StockLevel, StockMovement, WarehouseKind
from inventory.services import stock_move
from orders.models import CancelRequestStatus, Order, OrderStatus
from orders.services import cancelled_order_stock_in, order_cancel, order_ship
from tests.factories import (
    CancelRequestFactory,
    ComboItemFactory,
    OrderItemFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
)


def _on_hand(sku, warehouse) -> int:
    level = StockLevel.objects.filter(sku=sku, warehouse=warehouse).first()
    return level.on_hand if level else 0


def _shipped_then_cancelled(quantity=3, combo=False):
    """An order shipped from its warehouse (stock out through the real service), then cancelled."""
    if combo:
        part = ComboItemFactory(quantity=2)
        item = OrderItemFactory(order__tenant=part.tenant, sku=part.combo, quantity=quantity)
        skus = [part.component]
    else:
        item = OrderItemFactory(quantity=quantity)
        skus = [item.sku]
    order = item.order
    for sku in skus:
        stock_move(
            sku=sku,
            warehouse=order.warehouse,
            quantity=100,
            reason=MovementReason.OPENING,
            source="Opening",
            source_key=f"opening:{sku.pk}",
        )
    order_ship(order=order, actor=None)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)  # cancelled by the platform in transit
    return order, skus


def test_canceled_stock_in_puts_back_exactly_what_left_once(db, login):
    order, [sku] = _shipped_then_cancelled(quantity=3)
    assert _on_hand(sku, order.warehouse) == 97
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS]))

    listing = client.get(reverse("orders:canceled"))
    assert "To stock in" in listing.content.decode()
    for _ in range(2):  # a double click
        client.post(reverse("orders:canceled-stock-in"), {"order": [order.pk]})

    assert _on_hand(sku, order.warehouse) == 100
    assert StockMovement.objects.filter(reason=MovementReason.CANCEL_STOCK_IN).count() == 1
    assert "Stocked in" in client.get(reverse("orders:canceled")).content.decode()
    assert order.events.filter(type="cancel_stocked_in").count() == 1


def test_canceled_stock_in_of_a_combo_returns_its_sub_skus(db):
    order, [component] = _shipped_then_cancelled(quantity=2, combo=True)
    assert _on_hand(component, order.warehouse) == 96
    desk = UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS])
    assert cancelled_order_stock_in(order=order, actor=desk) is True
    assert cancelled_order_stock_in(order=order, actor=desk) is False
    assert _on_hand(component, order.warehouse) == 100


@pytest.mark.django_db(transaction=True)
def test_concurrent_canceled_stock_in_happens_once():
    order, [sku] = _shipped_then_cancelled(quantity=5)
    barrier, results = threading.Barrier(6), []
    desk = UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS])

    def click():
        barrier.wait()
        try:
            results.append(cancelled_order_stock_in(order=order, actor=desk))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert _on_hand(sku, order.warehouse) == 100
    assert StockMovement.objects.filter(reason=MovementReason.CANCEL_STOCK_IN).count() == 1


def test_bulk_stock_in_refuses_orders_of_another_tenant_and_writes_nothing(db, login):
    order, _ = _shipped_then_cancelled()
    foreign, _ = _shipped_then_cancelled()
    client = login(UserFactory(tenant=order.tenant, owner=True))
    response = client.post(reverse("orders:canceled-stock-in"), {"order": [order.pk, foreign.pk]}, follow=True)
    assert "not in this list any more" in response.content.decode()
    assert not StockMovement.objects.filter(reason=MovementReason.CANCEL_STOCK_IN).exists()


def test_seller_cancels_from_the_list_and_the_order_waits_to_sync(db, login):
    item = OrderItemFactory(order__platform_status="Ready to Ship", order__store__channel=Channel.SHOPEE)
    order = item.order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS]))
    listing = client.get(reverse("orders:index"))
    assert reverse("orders:cancel", args=[order.pk]) in listing.content.decode()

    response = client.post(reverse("orders:cancel", args=[order.pk]), {"reason": "Out of Stock"}, follow=True)

    assert "waiting to sync" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert OutboundAction.objects.get(order=order).status == "pending"
    cancelled_tab = client.get(reverse("orders:index") + "?tab=cancelled")
    assert [o.pk for o in cancelled_tab.context["page"]] == [order.pk]
    assert "waiting to sync" in cancelled_tab.content.decode()


def test_cancel_refused_shows_why_and_changes_nothing(db, login):
    order = OrderItemFactory(order__platform_status="Shipped").order
    client = login(UserFactory(tenant=order.tenant, owner=True))
    response = client.get(reverse("orders:cancel", args=[order.pk]), follow=True)
    assert "it can only be cancelled while Processed, Ready to Ship, To Process" in response.content.decode()
    bad_reason = client.post(reverse("orders:cancel", args=[order.pk]), {"reason": "Whatever"}, follow=True)
    assert bad_reason.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and not OutboundAction.objects.exists()


def test_cancel_form_rejects_a_reason_of_another_platform(db, login):
    order = OrderItemFactory(order__platform_status="To Process").order
    client = login(UserFactory(tenant=order.tenant, owner=True))
    response = client.post(reverse("orders:cancel", args=[order.pk]), {"reason": "Sourcing Delay"})
    assert response.status_code == 200
    assert "That reason cannot be chosen (any more): choose another." in response.content.decode()
    assert not OutboundAction.objects.exists()


def test_lazada_cancel_form_cancels_chosen_items(db, login):
    store = StoreFactory(channel=Channel.LAZADA)
    keep = OrderItemFactory(order__tenant=store.tenant, order__store=store, order__platform_status="Packed", quantity=2)
    drop = OrderItemFactory(order=keep.order, quantity=4)
    client = login(UserFactory(tenant=store.tenant, owner=True))
    client.post(
        reverse("orders:cancel", args=[keep.order.pk]),
        {"reason": "Out of Stock", "scope": "items", f"qty_{drop.pk}": 4},
    )
    drop.refresh_from_db()
    keep.refresh_from_db()
    assert (drop.cancelled_quantity, keep.cancelled_quantity) == (4, 0)
    action = OutboundAction.objects.get()
    assert action.kind == OutboundKind.CANCEL_ITEMS and action.payload["items"][0]["quantity"] == 4


def test_buyer_cancel_request_agree_and_reject(db, login):
    agree = CancelRequestFactory(order__platform_status="To Process")
    reject = CancelRequestFactory(order__tenant=agree.tenant, order__platform_status="To Process")
    client = login(UserFactory(tenant=agree.tenant, perms=[Perm.CANCEL_ORDERS]))
    page = client.get(reverse("orders:cancel-requests")).content.decode()
    assert agree.order.number in page and reject.order.number in page

    client.post(reverse("orders:cancel-request-answer", args=[agree.pk]), {"decision": "agree"})
    client.post(reverse("orders:cancel-request-answer", args=[reject.pk]), {"decision": "reject"})
    again = client.post(reverse("orders:cancel-request-answer", args=[agree.pk]), {"decision": "reject"}, follow=True)

    assert (
        f"Cancel request on order {agree.order.number} is Agreed: Reject is not possible now." in again.content.decode()
    )
    agree.refresh_from_db()
    reject.refresh_from_db()
    assert (agree.status, reject.status) == (CancelRequestStatus.AGREED, CancelRequestStatus.REJECTED)
    assert agree.order.status == OrderStatus.CANCELLED
    assert Order.objects.get(pk=reject.order.pk).status == OrderStatus.NEW
    assert sorted(OutboundAction.objects.values_list("kind", flat=True)) == ["agree_cancel", "reject_cancel"]


def test_agreeing_on_an_order_a_third_party_warehouse_shipped_says_to_settle_it_there(db, login):
    tpl = WarehouseFactory(kind=WarehouseKind.THIRD_PARTY, name="Jakarta 3PL")
    request = CancelRequestFactory(
        order__tenant=tpl.tenant,
        order__warehouse=tpl,
        order__store__channel=Channel.TIKTOK,
        order__status=OrderStatus.SHIPPED,
    )
    Order.objects.filter(pk=request.order.pk).update(shipped_at=request.order.ordered_at)
    client = login(UserFactory(tenant=tpl.tenant, owner=True))
    response = client.post(
        reverse("orders:cancel-request-answer", args=[request.pk]), {"decision": "agree"}, follow=True
    )
    assert "already been shipped by the third-party warehouse Jakarta 3PL" in response.content.decode()


def test_cancel_pages_need_the_cancel_orders_permission(db, login):
    request = CancelRequestFactory(order__platform_status="To Process")
    order = request.order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.MANUAL_AFTERSALES]))  # sees orders, cannot cancel
    assert client.get(reverse("orders:index")).status_code == 200
    assert reverse("orders:cancel", args=[order.pk]) not in client.get(reverse("orders:index")).content.decode()
    for method, url in [
        ("get", reverse("orders:cancel", args=[order.pk])),
        ("post", reverse("orders:cancel", args=[order.pk])),
        ("get", reverse("orders:cancel-requests")),
        ("post", reverse("orders:cancel-request-answer", args=[request.pk])),
        ("get", reverse("orders:canceled")),
        ("post", reverse("orders:canceled-stock-in")),
    ]:
        assert getattr(client, method)(url, {"reason": "Out of Stock"}).status_code == 403, url
    assert not OutboundAction.objects.exists()


def test_restricted_sub_account_sees_only_orders_of_its_stores(db, login):
    mine = OrderItemFactory().order
    other = OrderItemFactory(order__tenant=mine.tenant).order
    sub = UserFactory(tenant=mine.tenant, perms=[Perm.CANCEL_ORDERS], all_stores=False)
    from guardian.shortcuts import assign_perm

    assign_perm("sales_channels.access_store", sub, mine.store)
    client = login(sub)
    assert [o.pk for o in client.get(reverse("orders:index")).context["page"]] == [mine.pk]
    assert client.get(reverse("orders:detail", args=[other.pk])).status_code == 404


def test_order_list_tabs_search_and_counts(db, login):
    new = OrderItemFactory(order__tracking_number="TRK123").order
    shipped = OrderItemFactory(order__tenant=new.tenant, order__status=OrderStatus.SHIPPED).order
    client = login(UserFactory(tenant=new.tenant, owner=True))
    response = client.get(reverse("orders:index"))
    counts = {tab.key: tab.count for tab in response.context["tabs"]}
    assert counts["new"] == 1 and counts["shipped"] == 1 and counts["cancelled"] == 0
    assert [o.pk for o in client.get(reverse("orders:index") + "?tab=shipped").context["page"]] == [shipped.pk]
    assert [o.pk for o in client.get(reverse("orders:index") + "?q=TRK123").context["page"]] == [new.pk]
    assert client.get(reverse("orders:index") + "?tab=nope").status_code == 404
    partial = client.get(reverse("orders:index") + "?tab=shipped", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="order-panel">')


def test_order_list_query_count_does_not_grow_with_orders(db, login, django_assert_max_num_queries):
    first = OrderItemFactory().order
    for _ in range(30):
        OrderItemFactory(order__tenant=first.tenant, order__store=first.store)
    client = login(UserFactory(tenant=first.tenant, owner=True))
    with django_assert_max_num_queries(10):  # session, user, role, stores, counts, page ids, rows, sync...
        response = client.get(reverse("orders:index"))
    assert len(response.context["page"]) == 31


def test_order_entry_approve_moves_a_manual_order_to_new_orders(db, login):
    order = OrderItemFactory(
        order__status=OrderStatus.WAITING_APPROVAL, order__is_manual=True, order__store__channel=Channel.OFFLINE
    ).order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.ORDER_ENTRY]))
    assert order.number in client.get(reverse("orders:entry")).content.decode()
    client.post(reverse("orders:approve", args=[order.pk]))
    client.post(reverse("orders:approve", args=[order.pk]))  # a second click is refused, not applied twice
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and order.events.filter(type="approved").count() == 1


def test_shipping_moves_stock_once_and_records_the_price_at_shipment(db):
    item = OrderItemFactory(quantity=2, unit_price=Decimal("19.90"))
    order_ship(order=item.order, actor=None)
    order_ship(order=item.order, actor=None)
    item.refresh_from_db()
    assert _on_hand(item.sku, item.order.warehouse) == -2
    assert item.unit_price_at_shipment == Decimal("19.90")


def test_order_entry_edit_recomputes_the_amount_and_refuses_bad_input(db, login):
    item = OrderItemFactory(order__status=OrderStatus.WAITING_APPROVAL, quantity=1, unit_price=Decimal("10.00"))
    order = item.order
    client = login(UserFactory(tenant=order.tenant, owner=True))
    bad = client.post(reverse("orders:entry-edit", args=[order.pk]), {f"qty_{item.pk}": 0, f"price_{item.pk}": "-1"})
    assert bad.status_code == 200 and "At least 1." in bad.content.decode()
    client.post(
        reverse("orders:entry-edit", args=[order.pk]),
        {f"qty_{item.pk}": 3, f"price_{item.pk}": "12.50", "tracking_number": "MY123"},
    )
    order.refresh_from_db()
    assert order.paid_amount == Decimal("37.50") and order.tracking_number == "MY123"
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.NEW)
    assert client.get(reverse("orders:entry-edit", args=[order.pk])).status_code == 404


def test_outbox_row_and_cancel_commit_together_or_not_at_all(db, monkeypatch):
    # given a cancellable order, and a failure after the outbox row is written (the history write)
    order = OrderItemFactory(order__platform_status="To Process").order

    def fail(**kwargs):
        assert OutboundAction.objects.exists()  # the outbox row was written before the failure
        raise RuntimeError("disk full")

    monkeypatch.setattr("orders.events.order_cancelled", fail)
    # when the cancel fails half-way
    with pytest.raises(RuntimeError):
        order_cancel(order=order, actor=UserFactory(tenant=order.tenant, owner=True), reason="Out of Stock")
    # then neither the outbox row nor the cancellation exists
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and not OutboundAction.objects.exists()
    assert order.items.get().cancelled_quantity == 0
