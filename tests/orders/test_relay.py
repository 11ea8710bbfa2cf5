"""The outbox goes out (issue 11 §5): each action reaches the sandbox marketplace once and ends Sent,
Refused (the local change undone) or Sync failed (then Retry)."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Perm
from channels.models import Channel, Connection, ConnectionStatus, OutboundAction, OutboundKind, OutboundStatus
from channels.signals import orders_changed
from orders.models import CancelRequest, CancelRequestStatus, OrderEvent, OrderStatus
from orders.relay import deliver_due
from orders.services import cancel_request_answer, order_cancel, outbound_retry
from tests.factories import OrderItemFactory, UserFactory
from tests.orders.relay_setup import calls_with, on_sandbox, placed_order, placed_shopee_order, sandbox_cancellations
from tests.sandbox_fixtures import connect_lazada, connect_shopee, connect_tiktok


@pytest.fixture
def store_and_shop(sandbox, settings, tenant):
    return connect_tiktok(sandbox, settings, tenant)


@pytest.fixture
def seller(tenant):
    return UserFactory(tenant=tenant, owner=True)


@pytest.fixture
def heard():
    """The orders_changed signals sent: (store, numbers, source)."""
    got = []

    def receiver(sender, numbers, source, **kwargs):
        got.append((sender, list(numbers), source))

    orders_changed.connect(receiver, weak=False, dispatch_uid="test-relay-heard")
    yield got
    orders_changed.disconnect(dispatch_uid="test-relay-heard")


def _time_passes(action: OutboundAction) -> None:
    OutboundAction.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_seller_cancel_reaches_the_platform_once_and_ends_sent(
    sandbox, store_and_shop, seller, heard, django_capture_on_commit_callbacks
):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    order_cancel(order=order, actor=seller, reason="Out of Stock")
    action = OutboundAction.objects.get(order=order)

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_due() == 1
    assert deliver_due() == 0  # nothing left to send

    action.refresh_from_db()
    assert action.status == OutboundStatus.DELIVERED and action.delivered_at and action.attempts == 1
    assert on_sandbox(sandbox, order)["status"] == "CANCELLED"
    assert calls_with(sandbox, action.idempotency_key) == 1
    assert [(c["cancel_reason"], c["role"]) for c in sandbox_cancellations(sandbox, store, order)] == [
        ("seller_cancel_reason_out_of_stock", "SELLER")  # TikTok's name for the seller's reason
    ]
    assert heard == [(store, [order.number], "sent")]  # the order sync re-fetches it from the platform


def test_a_cancel_the_platform_refuses_reopens_the_order_with_its_message(
    sandbox, store_and_shop, seller, heard, login, django_capture_on_commit_callbacks
):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop, quantity=3)
    order_cancel(order=order, actor=seller, reason="Out of Stock")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    sandbox.control("POST", f"tiktok/orders/{order.number}/status", {"status": "IN_TRANSIT"})  # shipped meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        deliver_due()

    action = OutboundAction.objects.get(order=order)
    assert action.status == OutboundStatus.REFUSED
    assert "not valid for an order in IN_TRANSIT" in action.last_error
    order.refresh_from_db()
    # reopened (no longer cancelled), then re-fetched by the order sync: the platform says it shipped
    assert (order.status, order.cancelled_at, order.cancel_reason) == (OrderStatus.SHIPPED, None, "")
    assert order.platform_status == "In Transit"
    assert order.items.get().cancelled_quantity == 0
    refused = order.events.get(type=OrderEvent.Type.PLATFORM_REFUSED)
    assert refused.data["reason"] == action.last_error and refused.actor is None
    assert heard == [(store, [order.number], "refused")]
    page = login(seller).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Refused by the platform" in page and "not valid for an order in IN_TRANSIT" in page


def test_a_failing_platform_is_tried_again_later_and_the_cancel_happens_once(sandbox, store_and_shop, seller, settings):
    settings.CHANNEL_OUTBOX_BACKOFF = 60
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    order_cancel(order=order, actor=seller, reason="Out of Stock")
    action = OutboundAction.objects.get(order=order)
    # every try the adapter makes in one attempt gets a 500
    sandbox.control("POST", "faults", {"status": 500, "count": 4, "path": "/return_refund/"})

    before = timezone.now()
    deliver_due()
    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.PENDING, 1)
    assert "HTTP 500" in action.last_error
    wait = (action.next_attempt_at - before).total_seconds()
    assert 30 - 1 <= wait <= 60 + 1  # backoff with jitter: half to all of 60 s
    assert deliver_due() == 0  # not before its time

    _time_passes(action)
    deliver_due()
    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.DELIVERED, 2)
    assert on_sandbox(sandbox, order)["status"] == "CANCELLED"
    assert len(sandbox_cancellations(sandbox, store, order)) == 1


def test_after_n_failures_the_action_is_sync_failed_and_retry_sends_it(
    sandbox, store_and_shop, seller, settings, login, django_capture_on_commit_callbacks
):
    settings.CHANNEL_OUTBOX_TRIES = 3
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    order_cancel(order=order, actor=seller, reason="Out of Stock")
    action = OutboundAction.objects.get(order=order)
    Connection.objects.filter(store=store).update(status=ConnectionStatus.REAUTHORIZE)

    for _ in range(3):
        deliver_due()
        _time_passes(action)
    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.FAILED, 3)
    assert action.last_error == f"{store.name} is not connected to TikTok Shop."
    client = login(seller)
    listed = client.get(reverse("orders:index"), {"tab": "all", "sync": "failed"}).content.decode()
    assert order.number in listed and "Sync failed" in listed

    Connection.objects.filter(store=store).update(status=ConnectionStatus.CONNECTED)
    with django_capture_on_commit_callbacks(execute=True):  # Retry queues the delivery (eager here)
        retried = client.post(reverse("orders:outbound-retry"), {"order": [order.pk]})
    assert retried.status_code == 302
    action.refresh_from_db()
    assert action.status == OutboundStatus.DELIVERED
    assert on_sandbox(sandbox, order)["status"] == "CANCELLED"
    assert calls_with(sandbox, action.idempotency_key) == 1
    assert not client.get(reverse("orders:index"), {"tab": "all", "sync": "failed"}).context["page"]


def test_retry_twice_changes_nothing_twice(sandbox, store_and_shop, seller):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    order_cancel(order=order, actor=seller, reason="Out of Stock")
    action = OutboundAction.objects.get(order=order)
    OutboundAction.objects.filter(pk=action.pk).update(status=OutboundStatus.FAILED, attempts=5)

    assert outbound_retry(actions=[action], actor=seller) == [action]
    assert outbound_retry(actions=[action], actor=seller) == []  # a double click
    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.PENDING, 0)


def test_a_buyer_request_agreed_reaches_the_platform(sandbox, store_and_shop, seller):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    asked = sandbox.control("POST", f"tiktok/orders/{order.number}/buyer_cancel", {})
    request = CancelRequest.objects.create(
        tenant=order.tenant, order=order, reason="Change of mind", external_id=asked["cancel_id"]
    )
    cancel_request_answer(request=request, actor=seller, agree=True)

    deliver_due()

    action = OutboundAction.objects.get(order=order, kind=OutboundKind.AGREE_CANCEL)
    assert action.status == OutboundStatus.DELIVERED
    assert on_sandbox(sandbox, order)["status"] == "CANCELLED"
    [cancellation] = sandbox_cancellations(sandbox, store, order)
    assert cancellation["cancel_status"] == "CANCELLATION_REQUEST_COMPLETE"


def test_an_answer_the_platform_refuses_puts_the_request_back_to_pending(sandbox, store_and_shop, seller, login):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop)
    request = CancelRequest.objects.create(tenant=order.tenant, order=order, reason="Change of mind", external_id="9")
    cancel_request_answer(request=request, actor=seller, agree=True)

    deliver_due()

    action = OutboundAction.objects.get(order=order)
    assert action.status == OutboundStatus.REFUSED and "does not belong to this seller" in action.last_error
    request.refresh_from_db()
    assert (request.status, request.answered_by) == (CancelRequestStatus.PENDING, None)
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and order.items.get().cancelled_quantity == 0
    assert order.events.filter(type=OrderEvent.Type.PLATFORM_REFUSED).count() == 1
    listed = login(seller).get(reverse("orders:cancel-requests")).content.decode()
    assert "Refused by the platform: TikTok Shop: The cancellation does not belong to this seller" in listed


def test_cancelling_some_items_where_the_platform_cannot_is_refused_and_undone(sandbox, store_and_shop):
    store, shop = store_and_shop
    order = placed_order(sandbox, store, shop, quantity=3)
    item = order.items.get()
    item.cancelled_quantity = 1
    item.save()
    items = [{"item_id": item.pk, "sku": item.sku.code, "quantity": 1}]
    action = OutboundAction.objects.create(
        tenant=order.tenant,
        store=store,
        order=order,
        kind=OutboundKind.CANCEL_ITEMS,
        payload={"order_number": order.number, "reason": "Out of Stock", "items": items},
    )

    deliver_due()

    action.refresh_from_db()
    assert action.status == OutboundStatus.REFUSED
    assert action.last_error == "TikTok Shop: TikTok Shop cannot cancel some items of an order here."
    assert order.items.get().cancelled_quantity == 0
    assert sandbox.control("GET", "calls")["paths"].get("/return_refund/202309/cancellations", 0) == 0


@pytest.mark.django_db(transaction=True)  # each relay in its own thread, on its own connection
def test_two_relays_at_once_deliver_each_action_once_and_in_order_per_store(sandbox, settings, tenant):
    seller = UserFactory(tenant=tenant, owner=True)
    stores = [connect_tiktok(sandbox, settings, tenant, name=f"TikTok {n}") for n in (1, 2)]
    with mock.patch("orders.relay_tasks.deliver_outbox.delay"):  # held back: the relays below deliver
        for store, shop in stores:
            for _ in range(3):
                order_cancel(order=placed_order(sandbox, store, shop), actor=seller, reason="Out of Stock")
    sandbox.control("POST", "faults", {"delay": 0.3, "count": 6, "path": "/return_refund/"})  # sends overlap
    barrier, tried = threading.Barrier(2), []

    def relay() -> None:
        try:
            barrier.wait()
            tried.append(deliver_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sum(tried) == 6, tried  # no action tried by both
    actions = list(OutboundAction.objects.order_by("created_at", "pk"))
    assert [a.status for a in actions] == [OutboundStatus.DELIVERED] * 6
    assert [calls_with(sandbox, a.idempotency_key) for a in actions] == [1] * 6
    for store, _ in stores:
        mine = [a for a in actions if a.store_id == store.pk]
        assert [a.delivered_at for a in mine] == sorted(a.delivered_at for a in mine)


def test_shopee_hears_a_seller_cancel_and_a_buyer_request_agreed_by_its_order_number(sandbox, settings, tenant, seller):
    store, shop = connect_shopee(sandbox, settings, tenant)
    cancelled, asked = placed_shopee_order(sandbox, store, shop), placed_shopee_order(sandbox, store, shop)
    order_cancel(order=cancelled, actor=seller, reason="Out of Stock")
    sandbox.control("POST", f"shopee/orders/{asked.number}/buyer_cancel", {"reason": "Change of mind"})
    request = CancelRequest.objects.create(
        tenant=tenant, order=asked, reason="Change of mind"
    )  # no id: Shopee's is the order
    cancel_request_answer(request=request, actor=seller, agree=True)

    assert deliver_due() == 2

    assert [a.status for a in OutboundAction.objects.order_by("created_at")] == [OutboundStatus.DELIVERED] * 2
    for order in (cancelled, asked):
        assert sandbox.control("GET", f"shopee/orders/{order.number}")["order_status"] == "CANCELLED"


def _failed_action(order) -> OutboundAction:
    return OutboundAction.objects.create(
        tenant=order.tenant,
        store=order.store,
        order=order,
        kind=OutboundKind.CANCEL_ORDER,
        status=OutboundStatus.FAILED,
        attempts=5,
        last_error="TikTok Shop: HTTP 503 on each of 4 tries",
        payload={"order_number": order.number, "reason": "Out of Stock"},
    )


def test_the_order_page_shows_sync_failed_with_why_and_retries_it(db, login):
    action = _failed_action(OrderItemFactory().order)
    order = action.order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS]))
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Cancel order: <strong>Sync failed</strong>" in page and "HTTP 503 on each of 4 tries" in page
    assert reverse("orders:retry", args=[order.pk]) in page

    for _ in range(2):  # a double click
        response = client.post(reverse("orders:retry", args=[order.pk]), follow=True)
    assert "Nothing to retry" in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.PENDING, 0)


def test_bulk_retry_refuses_another_tenants_order_and_changes_nothing(db, login):
    mine, theirs = _failed_action(OrderItemFactory().order), _failed_action(OrderItemFactory().order)
    client = login(UserFactory(tenant=mine.tenant, owner=True))
    response = client.post(reverse("orders:outbound-retry"), {"order": [mine.order.pk, theirs.order.pk]}, follow=True)
    assert "not in this list any more" in response.content.decode()
    assert {a.status for a in OutboundAction.objects.all()} == {OutboundStatus.FAILED}


def test_a_role_without_cancel_orders_cannot_retry(db, login):
    action = _failed_action(OrderItemFactory().order)
    client = login(UserFactory(tenant=action.tenant, perms=[Perm.ORDER_ENTRY]))
    assert client.post(reverse("orders:retry", args=[action.order.pk])).status_code == 403
    assert client.post(reverse("orders:outbound-retry"), {"order": [action.order.pk]}).status_code == 403
    action.refresh_from_db()
    assert action.status == OutboundStatus.FAILED


def test_a_platform_we_cannot_reach_yet_is_a_failed_try_in_words(db):
    action = _failed_action(OrderItemFactory(order__store__channel=Channel.TOKOPEDIA).order)
    OutboundAction.objects.filter(pk=action.pk).update(status=OutboundStatus.PENDING, attempts=0)

    deliver_due()

    action.refresh_from_db()
    assert (action.status, action.attempts) == (OutboundStatus.PENDING, 1)
    assert action.last_error == "Tokopedia cannot be reached from here yet."


def test_lazada_hears_a_seller_cancel(sandbox, settings, tenant, seller):
    store, lazada_seller = connect_lazada(sandbox, settings, tenant)
    placed = sandbox.control("POST", "lazada/orders", {"seller_id": lazada_seller["seller_id"], "status": "pending"})
    order = OrderItemFactory(
        order__tenant=tenant,
        order__store=store,
        order__number=str(placed["orders"][0]["order_id"]),
        order__platform_status="Pending",
    ).order
    order_cancel(order=order, actor=seller, reason="Out of Stock")

    deliver_due()

    assert OutboundAction.objects.get(order=order).status == OutboundStatus.DELIVERED
    items = sandbox.control("GET", f"lazada/orders/{order.number}")["items"]
    assert {item["status"] for item in items} == {"canceled"}
