"""The periodic pull against the sandbox marketplace: the cursor moves only after every page committed,
the overlap catches a late write, one worker per store (the lease) and a dead worker's lease runs out,
buyers' cancellation requests reach Processing Orders > Cancel Order and follow the platform."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channels.models import Connection
from channels.signals import orders_changed, sync_requested
from orders import sync
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderStatus
from orders.sync import pull, take_lease
from tests import counts
from tests.concurrency import race
from tests.factories import TenantFactory, UserFactory
from tests.sandbox_fixtures import connect_tiktok

SEARCH = "/order/202309/orders/search"


def place(sandbox, shop, count=1, **order):
    body = {"shop_id": shop["id"], "count": count, "line_items": [{"seller_sku": "SKU-1"}], **order}
    return sandbox.control("POST", "tiktok/orders", body)["orders"]


@pytest.fixture
def connected(sandbox, settings, db):
    settings.CHANNEL_SYNC_OVERLAP = 600
    return connect_tiktok(sandbox, settings, TenantFactory())


@pytest.mark.django_db
def test_the_cursor_stays_when_a_page_fails_and_the_next_pull_catches_up(sandbox, connected, monkeypatch):
    store, shop = connected
    place(sandbox, shop, count=600)  # six pages of 100
    real_upsert, pages = sync.upsert, []

    def upsert_then_break_the_platform(*args, **kwargs):
        pages.append(real_upsert(*args, **kwargs))
        if len(pages) == 1:  # every try of the next page the walk asks for fails (5xx)
            sandbox.control("POST", "faults", {"status": 500, "count": 4, "path": SEARCH})
        return pages[-1]

    monkeypatch.setattr(sync, "upsert", upsert_then_break_the_platform)
    pull(store)

    connection = Connection.objects.get(store=store)
    committed = Order.objects.count()
    assert committed == 100 * len(pages) and 100 <= committed < 600  # the pages before the failure stay
    assert connection.synced_until is None and connection.last_synced_at is None
    assert "could not be reached" in connection.last_error and connection.last_error_at
    assert connection.lease_owner == ""

    monkeypatch.setattr(sync, "upsert", real_upsert)
    pulled = pull(store)

    assert (pulled.upserted.created, pulled.upserted.unchanged) == (600 - committed, committed)
    connection.refresh_from_db()
    assert Order.objects.count() == 600 and connection.synced_until is not None
    assert not OrderEvent.objects.exists()
    assert counts.kept() == counts.fresh()


@pytest.mark.django_db
def test_the_overlap_catches_an_order_the_platform_showed_late(sandbox, connected, settings):
    store, shop = connected
    (late,) = place(sandbox, shop)
    # the last pull ended a minute after this order's update time, without seeing it
    Connection.objects.filter(store=store).update(synced_until=timezone.now() + timedelta(seconds=60))

    settings.CHANNEL_SYNC_OVERLAP = 0
    pull(store)
    assert not Order.objects.filter(number=late["id"]).exists()  # without the overlap it is lost

    Connection.objects.filter(store=store).update(synced_until=timezone.now() + timedelta(seconds=60))
    settings.CHANNEL_SYNC_OVERLAP = 600
    pull(store)
    assert Order.objects.filter(number=late["id"]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_pulls_at_once_one_runs(sandbox, connected):
    store, shop = connected
    place(sandbox, shop, count=5)
    sandbox.control("POST", "faults", {"delay": 1.5, "count": 1, "path": SEARCH})  # the first walk is slow

    done, refused, errors = race(lambda _: pull(store), [1, 2])

    assert not errors and not refused
    assert sorted(result is None for result in done) == [False, True]
    assert Order.objects.count() == 5
    assert sandbox.control("GET", "calls")["paths"][SEARCH] == 1


@pytest.mark.django_db
def test_a_dead_workers_lease_runs_out(sandbox, connected, settings):
    store, shop = connected
    place(sandbox, shop)
    connection = Connection.objects.get(store=store)
    assert take_lease(connection.pk, "worker-that-died")

    assert pull(store) is None  # held
    assert not Order.objects.exists()

    Connection.objects.filter(pk=connection.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert pull(store) is not None
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_buyer_request_appears_in_cancel_order_and_follows_the_platform(sandbox, connected):
    store, shop = connected
    first, second = place(sandbox, shop, count=2)
    pull(store)
    asked = [
        sandbox.control("POST", f"tiktok/orders/{o['id']}/buyer_cancel", {"reason": "Changed my mind"})
        for o in (first, second)
    ]

    pull(store)
    pull(store)  # the overlap reads both again: nothing doubles

    requests = CancelRequest.objects.order_by("pk")
    assert [(r.external_id, r.status) for r in requests] == [(a["cancel_id"], "pending") for a in asked]
    assert requests[0].reason == "Changed my mind"
    line = OrderEvent.objects.get(order__number=first["id"])
    assert line.type == OrderEvent.Type.CANCEL_REQUESTED and line.get_type_display() == "Buyer asked to cancel"
    owner = UserFactory(tenant=store.tenant, owner=True)
    client = Client()
    client.force_login(owner)
    page = client.get(reverse("orders:cancel-requests"))
    assert page.status_code == 200 and first["id"] in page.content.decode()

    # the seller answers in TikTok's own seller centre: approve one, reject the other
    for answer, request in (("approve", asked[0]), ("reject", asked[1])):
        _, reply = sandbox.tiktok(
            "POST",
            f"/return_refund/202309/cancellations/{request['cancel_id']}/{answer}",
            _app(sandbox),
            _token(store),
            query={"shop_cipher": Connection.objects.get(store=store).shop_cipher, "idempotency_key": answer},
            body={} if answer == "approve" else {"reject_reason": "seller_reject_apply_product_has_been_packed"},
        )
        assert reply["code"] == 0, reply
    pull(store)

    agreed, rejected = CancelRequest.objects.order_by("pk")
    assert (agreed.status, rejected.status) == (CancelRequestStatus.AGREED, CancelRequestStatus.REJECTED)
    assert Order.objects.get(number=first["id"]).status == OrderStatus.CANCELLED
    assert Order.objects.get(number=second["id"]).status == OrderStatus.NEW
    assert [e.type for e in Order.objects.get(number=first["id"]).events.all()] == [
        "cancel_requested",
        "synced",
        "cancel_request_agreed",
    ]
    assert counts.kept() == counts.fresh()


def _app(sandbox):
    from django.conf import settings

    config = settings.CHANNEL_APIS["tiktok"]
    return {"app_key": config["app_key"], "app_secret": config["app_secret"]}


def _token(store):
    return Connection.objects.get(store=store).access_token


@pytest.mark.django_db
def test_signals_refetch_and_sync_on_commit(sandbox, connected, django_capture_on_commit_callbacks):
    store, shop = connected
    (placed,) = place(sandbox, shop)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        orders_changed.send(sender=store, numbers=[placed["id"]], source="webhook")
    assert len(queued) == 1 and Order.objects.filter(number=placed["id"]).exists()

    place(sandbox, shop)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        sync_requested.send(sender=store)
    assert len(queued) == 1 and Order.objects.count() == 2


@pytest.mark.django_db
def test_sync_channels_once_pulls_every_connected_store(sandbox, settings):
    from django.core.management import call_command

    first, shop_a = connect_tiktok(sandbox, settings, TenantFactory(), name="Shop A")
    second, shop_b = connect_tiktok(sandbox, settings, TenantFactory(), name="Shop B")
    place(sandbox, shop_a, count=2)
    place(sandbox, shop_b, count=3)

    call_command("sync_channels", "--once")

    assert Order.objects.filter(store=first).count() == 2 and Order.objects.filter(store=second).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_refetches_of_the_same_new_orders_at_once_write_each_order_once(sandbox, connected):
    store, shop = connected
    numbers = [o["id"] for o in place(sandbox, shop, count=30)]

    done, refused, errors = race(lambda _: sync.refetch(store, numbers, "webhook"), [1, 2, 3])

    assert not errors and not refused
    assert sorted(result.created for result in done)[-1] >= 1 and sum(r.created for r in done) == 30
    assert Order.objects.count() == 30
    assert counts.kept() == counts.fresh()
