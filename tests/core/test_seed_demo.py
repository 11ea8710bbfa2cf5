import html
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from core.demo import DEMO_PASSWORD

HREF = re.compile(r'href="([^"#]+)"')
DEMO_LOGINS = ["seller", "operator", "finance", "warehouse", "orderdesk", "supplier"]


def _row_counts() -> Counter:
    return Counter({m._meta.label: m.objects.count() for m in apps.get_models()})


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_seed_demo_twice_changes_nothing(demo):
    before = _row_counts()
    call_command("seed_demo", verbosity=0)
    assert _row_counts() == before


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_user_can_click_every_link_they_see(username, demo, client):
    """Log in as the demo user (by e-mail, as a user would), then follow every link on every page
    reached, breadth first: each must answer 200, since a link shown is a link allowed."""
    response = client.post(reverse("accounts:login"), {"username": f"{username}@demo.local", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    seen, queue, visited = {"/"}, ["/"], 0
    while queue and visited < 200:
        url = queue.pop(0)
        response = client.get(url)
        visited += 1
        if response.status_code == 302 and urlsplit(response.url).netloc:
            continue  # Connect store: the link sends the seller on to the platform's authorize page
        assert response.status_code == 200, (username, url, response.status_code)
        if response.streaming:  # a file (buyer evidence, a payment proof): read it to the end, which closes it
            assert b"".join(response.streaming_content), (username, url)
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            target = urljoin(url, html.unescape(href))
            path = urlsplit(target)
            if path.scheme or path.netloc or target.startswith(("/static/", "/media/", "/admin/")) or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    assert visited > 1


def test_the_restricted_demo_sub_account_sees_only_its_stores(demo):
    from accounts.models import User
    from channels.selectors import stores_for_user

    orderdesk = User.objects.get(username="orderdesk")
    assert {s.name for s in stores_for_user(user=orderdesk)} == {"Shopee MY - Demo Official", "Lazada MY - Demo Store"}


def test_seed_demo_fills_every_order_list_and_to_do(demo):
    from django.db.models import Sum

    from accounts.models import Tenant, User
    from channels.models import Channel
    from core.errors import Refused
    from inventory.models import StockLevel, StockMovement
    from orders.cancellation import cancel_rule_for
    from orders.models import CancelRequest, CancelRequestStatus, Order, OrderStatus
    from orders.selectors import cancelled_to_stock_in

    # given the seeded demo
    seller = Tenant.objects.get(name="Demo Seller")
    owner = User.objects.get(tenant=seller, is_owner=True)
    orders = Order.objects.for_tenant(seller).select_related("store")

    def cancellable(order) -> bool:
        try:
            cancel_rule_for(order)
        except Refused:
            return False
        return True

    # then every list has rows, some of them cancellable on each platform with cancel rules
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    for channel in (Channel.SHOPEE, Channel.LAZADA, Channel.TIKTOK):
        assert any(cancellable(order) for order in orders.filter(store__channel=channel)), channel
    assert cancelled_to_stock_in(tenant=seller, user=owner).exists()
    assert CancelRequest.objects.for_tenant(seller).filter(status=CancelRequestStatus.PENDING).exists()
    # and on-hand is the sum of the stock ledger, level by level
    for level in StockLevel.objects.all():
        moved = StockMovement.objects.filter(
            tenant_id=level.tenant_id, sku_id=level.sku_id, warehouse_id=level.warehouse_id, condition=level.condition
        ).aggregate(total=Sum("quantity"))["total"]
        assert level.on_hand == moved, (level.sku_id, level.warehouse_id, level.condition)


# Every tab of every manual flow (PRODUCT.md, "Manual after-sales cases") has demo cases.
MANUAL_TABS = {
    "return_refund": ["to_confirm", "confirm_return", "received_return", "refund_processing", "completed", "cancelled"],
    "refund_only": ["to_confirm", "confirm_refund", "refund_processing", "completed"],
    "exchange": ["to_confirm", "confirm_exchange", "received_return", "refund_processing", "completed", "cancelled"],
}


def test_seed_demo_fills_every_after_sales_tab(demo):
    from accounts.models import Tenant
    from aftersales.models import Case, CaseAttachment, CaseLine, LineKind
    from inventory.models import Condition, StockMovement
    from orders.models import OrderStatus
    from orders.selectors import ELIGIBLE_FOR_AFTERSALES
    from refunds.models import RefundOrder, RefundStatus

    # given the seeded demo
    seller = Tenant.objects.get(name="Demo Seller")
    cases = Case.objects.for_tenant(seller).select_related("order", "store", "exchange_order")

    # then every (flow, tab) pair has a case
    present = set(cases.values_list("type", "status"))
    missing = [(t, s) for t, tabs in MANUAL_TABS.items() for s in tabs if (t, s) not in present]
    assert not missing
    # on eligible orders, one case per order, across the stores, offline included
    assert all(case.order.status in ELIGIBLE_FOR_AFTERSALES for case in cases)
    assert len({case.order_id for case in cases}) == cases.count()
    assert {case.store.channel for case in cases} >= {"shopee", "lazada", "tiktok", "offline"}
    # with evidence, refunds confirmed and rejected, SKUs added and amounts adjusted by hand
    assert CaseAttachment.objects.for_tenant(seller).filter(content_type="image/png").exists()
    assert CaseAttachment.objects.for_tenant(seller).filter(content_type="application/pdf").exists()
    refunds = RefundOrder.objects.for_tenant(seller)
    assert refunds.filter(status=RefundStatus.REJECTED).exists()
    assert refunds.filter(status=RefundStatus.CONFIRMED).exists()
    assert all(refund.proof for refund in refunds)
    lines = CaseLine.objects.for_tenant(seller)
    assert lines.filter(kind=LineKind.RETURNED, order_item__isnull=True).exists()
    assert any(line.amount != line.unit_price * line.quantity for line in lines)
    # the warehouse received some units damaged and one parcel short
    assert StockMovement.objects.filter(case__isnull=False, condition=Condition.DAMAGED).exists()
    assert (
        lines.filter(case__received_at__isnull=False, kind=LineKind.RETURNED)
        .exclude(received_quantity=F("quantity"))
        .exists()
    )
    assert cases.exclude(return_tracking_number="").exists()
    # and every exchange order links both ways, one of them still waiting in Order Entry
    exchanges = [case for case in cases if case.exchange_order_id]
    assert exchanges
    assert all(case.exchange_order.exchange_case == case for case in exchanges)
    assert any(case.exchange_order.status == OrderStatus.WAITING_APPROVAL for case in exchanges)
    assert cases.filter(type="exchange", status="completed", refunds__isnull=True).exists()
