"""The outbox seen by the seller: the Sync failed list with Retry, and the platform's refusal on the order."""

import os

import pytest
from playwright.sync_api import expect

from channels.models import Channel, OutboundAction, OutboundKind, OutboundStatus
from tests.browser.waits import loads
from tests.factories import PASSWORD, OrderItemFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def _action(order, status, error=""):
    return OutboundAction.objects.create(
        tenant=order.tenant,
        store=order.store,
        order=order,
        kind=OutboundKind.CANCEL_ORDER,
        status=status,
        attempts=5 if status == OutboundStatus.FAILED else 1,
        last_error=error,
        payload={"order_number": order.number, "reason": "Out of Stock"},
    )


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_sync_failed_orders_are_listed_retried_and_a_refusal_shows_on_the_order(page, log_in, owner):
    tenant = owner.tenant
    store = StoreFactory(tenant=tenant, name="TikTok MY", channel=Channel.TIKTOK)
    failed, refused, waiting = (
        OrderItemFactory(order__tenant=tenant, order__store=store, order__number=number).order
        for number in ("TT-FAILED-1", "TT-REFUSED-2", "TT-WAITING-3")
    )
    _action(failed, OutboundStatus.FAILED, "TikTok Shop: HTTP 503 on each of 4 tries")
    _action(refused, OutboundStatus.REFUSED, "TikTok Shop: The cancel reason is not valid for an order in IN_TRANSIT")
    _action(waiting, OutboundStatus.PENDING)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(owner.username, PASSWORD)

    with loads(page):
        page.goto("/orders/")
    with loads(page):
        page.get_by_role("link", name="Sync failed").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TT-FAILED-1")
    expect(rows.first).to_contain_text("Sync failed")
    _shot(page, "sync-failed-list.png")

    with loads(page):
        rows.first.get_by_role("button", name="Retry").click()
    expect(page.get_by_text("Waiting to sync again: TT-FAILED-1.")).to_be_visible()
    retried = OutboundAction.objects.get(order=failed)
    # waiting to sync again, and tried once at once: this store is not connected to its platform
    assert (retried.status, retried.attempts) == (OutboundStatus.PENDING, 1)
    assert retried.last_error == "TikTok MY is not connected to TikTok Shop."

    with loads(page):
        page.goto(f"/orders/{refused.pk}/")
    expect(page.locator("#order-sync")).to_contain_text("Refused")
    expect(page.locator("#order-sync")).to_contain_text("not valid for an order in IN_TRANSIT")
    _shot(page, "refused-order.png")
