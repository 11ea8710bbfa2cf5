"""Order Entry (create, edit, Approve) needs the Order Entry permission, by service and by URL; an
exchange order is still generated from its case by the after-sales operator (issue 8, finding 10)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.permissions import Perm
from aftersales.models import CaseType
from aftersales.services import case_confirm, case_generate_exchange_order
from channels.models import Channel
from core.errors import Refused
from orders.models import Order, OrderStatus
from orders.services import order_approve, order_entry_create, order_entry_update
from tests.factories import (
    OrderItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    shipped_order,
)

pytestmark = pytest.mark.django_db


def _waiting():
    return OrderItemFactory(
        order__status=OrderStatus.WAITING_APPROVAL,
        order__is_manual=True,
        order__store__channel=Channel.OFFLINE,
        unit_price=Decimal("10.00"),
    )


def _status(order) -> str:
    order.refresh_from_db()
    return order.status


def test_a_cancel_orders_role_cannot_approve_create_or_edit_by_service():
    item = _waiting()
    order = item.order
    canceller = UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS])

    with pytest.raises(PermissionDenied, match="Order Entry"):
        order_approve(order=order, actor=canceller)
    with pytest.raises(PermissionDenied, match="Order Entry"):
        order_entry_update(order=order, actor=canceller, lines={item.pk: (5, Decimal("1.00"))}, tracking_number="X")
    with pytest.raises(PermissionDenied, match="Order Entry"):
        order_entry_create(
            tenant=order.tenant,
            actor=canceller,
            store=order.store,
            warehouse=order.warehouse,
            buyer=None,
            lines=[(item.sku, 1, None)],
        )

    item.refresh_from_db()
    assert _status(order) == OrderStatus.WAITING_APPROVAL
    assert (item.quantity, item.unit_price, order.tracking_number) == (1, Decimal("10.00"), "")
    assert Order.objects.count() == 1 and not order.events.exists()


def test_a_cancel_orders_role_cannot_approve_create_or_edit_by_url(login):
    item = _waiting()
    order = item.order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.CANCEL_ORDERS]))

    listing = client.get(reverse("orders:entry")).content.decode()
    assert order.number in listing  # the list is open to the Orders area...
    for button in (reverse("orders:approve", args=[order.pk]), reverse("orders:entry-edit", args=[order.pk])):
        assert button not in listing  # ...without the buttons the role cannot use
    assert reverse("orders:entry-create") not in listing
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("orders:approve", args=[order.pk]) not in detail

    assert client.get(reverse("orders:entry-create")).status_code == 403  # no form it could not submit
    assert client.get(reverse("orders:entry-edit", args=[order.pk])).status_code == 403
    assert client.post(reverse("orders:approve", args=[order.pk])).status_code == 403
    edit = {f"qty_{item.pk}": 5, f"price_{item.pk}": "1.00", "tracking_number": "X"}
    assert client.post(reverse("orders:entry-edit", args=[order.pk]), edit).status_code == 403
    create = {"store": order.store.pk, "warehouse": order.warehouse.pk, "sku_0": item.sku.code, "qty_0": 1}
    assert client.post(reverse("orders:entry-create"), create).status_code == 403

    item.refresh_from_db()
    assert _status(order) == OrderStatus.WAITING_APPROVAL and item.quantity == 1
    assert Order.objects.count() == 1


def test_an_order_entry_role_creates_edits_and_approves_by_url(login):
    item = _waiting()
    order = item.order
    client = login(UserFactory(tenant=order.tenant, perms=[Perm.ORDER_ENTRY]))

    listing = client.get(reverse("orders:entry")).content.decode()
    assert reverse("orders:approve", args=[order.pk]) in listing and reverse("orders:entry-create") in listing
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("orders:approve", args=[order.pk]) in detail
    edit = {f"qty_{item.pk}": 3, f"price_{item.pk}": "4.00", "tracking_number": "MY1"}
    assert client.post(reverse("orders:entry-edit", args=[order.pk]), edit).status_code == 302
    assert client.post(reverse("orders:approve", args=[order.pk])).status_code == 302
    create = {"store": order.store.pk, "warehouse": order.warehouse.pk, "sku_0": item.sku.code, "qty_0": 2}
    assert client.post(reverse("orders:entry-create"), create).status_code == 302

    order.refresh_from_db()
    assert (order.status, order.paid_amount) == (OrderStatus.NEW, Decimal("12.00"))
    assert Order.objects.filter(status=OrderStatus.WAITING_APPROVAL).count() == 1


def test_the_exchange_order_is_generated_on_the_cases_authority_and_approved_by_the_order_desk():
    # given a confirmed exchange case handled by an operator holding only Manual After-Sales Order
    order = shipped_order()
    operator = UserFactory(tenant=order.tenant, perms=[Perm.MANUAL_AFTERSALES])
    case = make_case(type=CaseType.EXCHANGE, order=order, exchange=[(SKUFactory(tenant=order.tenant), 1)])
    case_confirm(case=case, actor=operator)
    # when the operator generates the exchange order
    exchange = case_generate_exchange_order(case=case, actor=operator)
    # then it waits to approve, for the case's store and buyer, and only Order Entry approves it
    assert (exchange.status, exchange.store, exchange.buyer) == (OrderStatus.WAITING_APPROVAL, case.store, order.buyer)
    with pytest.raises(PermissionDenied, match="Order Entry"):
        order_approve(order=exchange, actor=operator)
    order_approve(order=exchange, actor=UserFactory(tenant=order.tenant, perms=[Perm.ORDER_ENTRY]))
    assert _status(exchange) == OrderStatus.NEW


def test_an_order_entry_role_of_another_tenant_is_refused():
    order = _waiting().order
    stranger = UserFactory(owner=True)
    with pytest.raises(Refused, match="another account"):
        order_approve(order=order, actor=stranger)
    assert _status(order) == OrderStatus.WAITING_APPROVAL


# --- bounds on the lines -----------------------------------------------------------------------


def _entry_user(tenant):
    return UserFactory(tenant=tenant, perms=[Perm.ORDER_ENTRY])


@pytest.mark.parametrize(
    ("quantity", "price", "code", "said"),
    [
        (10_001, Decimal("1.00"), "quantity_out_of_range", "between 1 and 10,000 per line"),
        (0, Decimal("1.00"), "quantity_out_of_range", "between 1 and 10,000 per line"),
        (1, Decimal("10000000000.00"), "price_out_of_range", "between 0.00 and 9,999,999,999.99"),
        (1, Decimal("-0.01"), "price_out_of_range", "between 0.00 and 9,999,999,999.99"),
        (1, Decimal("1.001"), "price_out_of_range", "in cents"),
        (10_000, Decimal("9999999999.99"), "amount_out_of_range", "largest an order can hold (9,999,999,999.99)"),
    ],
)
def test_order_entry_lines_are_bounded_and_the_refusal_names_the_limit(quantity, price, code, said):
    item = _waiting()
    order, actor = item.order, _entry_user(item.tenant)
    with pytest.raises(Refused, match=re.escape(said)) as refusal:
        order_entry_create(
            tenant=order.tenant,
            actor=actor,
            store=order.store,
            warehouse=order.warehouse,
            buyer=None,
            lines=[(item.sku, quantity, price)],
        )
    assert refusal.value.code == code
    with pytest.raises(Refused, match=re.escape(said)):
        order_entry_update(order=order, actor=actor, lines={item.pk: (quantity, price)}, tracking_number="")
    item.refresh_from_db()
    assert Order.objects.count() == 1 and (item.quantity, item.unit_price) == (1, Decimal("10.00"))


def test_out_of_range_lines_typed_in_the_forms_are_refused_with_the_limit_not_a_500(login):
    store = StoreFactory(channel=Channel.OFFLINE)
    tenant = store.tenant
    sku = SKUFactory(tenant=tenant)
    client = login(_entry_user(tenant))
    base = {"store": store.pk, "warehouse": WarehouseFactory(tenant=tenant).pk, "sku_0": sku.code}
    for line, said in [
        ({"qty_0": 10**12}, "At most 10,000."),
        ({"qty_0": 1, "price_0": "99999999999"}, "At most 9,999,999,999.99."),
        ({"qty_0": 10_000, "price_0": "9999999999.99"}, "largest an order can hold"),
    ]:
        response = client.post(reverse("orders:entry-create"), {**base, **line})
        assert response.status_code == 200 and said in response.content.decode(), said
    item = _waiting()
    client = login(_entry_user(item.tenant))
    response = client.post(
        reverse("orders:entry-edit", args=[item.order.pk]), {f"qty_{item.pk}": 10**12, f"price_{item.pk}": "1"}
    )
    assert response.status_code == 200 and "At most 10,000." in response.content.decode()
    assert Order.objects.filter(tenant=tenant).count() == 0
