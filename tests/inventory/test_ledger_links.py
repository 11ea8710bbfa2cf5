"""Modules link by key: a stock movement points at the case or order it came from, and a case at
the warehouse it was received into. Nothing parses `source_key` or reads the timeline back."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Perm
from aftersales.services import case_confirm, case_confirm_and_stock_in, case_receive
from core.errors import Refused
from inventory.models import MovementReason, StockMovement
from inventory.services import stock_move
from orders.models import Order, OrderStatus
from orders.selectors import order_detail_context
from orders.services import cancelled_order_stock_in, order_ship
from tests.factories import (
    OrderFactory,
    OrderItemFactory,
    SKUFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    shipped_order,
)

pytestmark = pytest.mark.django_db


def test_shipping_and_the_cancelled_order_stock_in_point_to_the_order(tenant, owner):
    # given an order of two lines, shipped, then cancelled by the platform in transit
    order = OrderFactory(tenant=tenant)
    OrderItemFactory(order=order, quantity=3)
    OrderItemFactory(order=order, quantity=1)
    order_ship(order=order, actor=owner)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    # when its stock is put back
    assert cancelled_order_stock_in(order=order, actor=owner)
    # then every movement names the order by key, and no case
    movements = StockMovement.objects.filter(tenant=tenant)
    assert sorted((m.reason, m.quantity, m.order_id, m.case_id) for m in movements) == [
        (MovementReason.CANCEL_STOCK_IN, 1, order.pk, None),
        (MovementReason.CANCEL_STOCK_IN, 3, order.pk, None),
        (MovementReason.ORDER_SHIPPED, -3, order.pk, None),
        (MovementReason.ORDER_SHIPPED, -1, order.pk, None),
    ]
    # and the order page lists them
    assert set(order_detail_context(order=order)["movements"]) == set(movements)


@pytest.mark.parametrize("how", ["confirm and stock-in", "stock-in page"])
def test_a_return_stock_in_points_to_its_case_and_the_case_keeps_the_warehouse(how, tenant, owner):
    # given a case on a shipped order, and a return warehouse
    case = make_case(order=shipped_order(tenant=tenant), actor=owner)
    warehouse = WarehouseFactory(tenant=tenant, name="Returns KL")
    # when the parcel is stocked in
    if how == "confirm and stock-in":
        case = case_confirm_and_stock_in(case=case, actor=owner, warehouse=warehouse)
    else:
        case = case_confirm(case=case, actor=owner)
        lines = {line.pk: (line.quantity, 0) for line in case.lines.all()}
        case = case_receive(case=case, actor=owner, warehouse=warehouse, received=lines)
    # then the case records where it went, and its movements point at the case (not at the order)
    case.refresh_from_db()
    assert case.received_warehouse == warehouse
    movements = StockMovement.objects.filter(tenant=tenant)
    assert movements.exists()
    assert {(m.case_id, m.order_id, m.warehouse_id) for m in movements} == {(case.pk, None, warehouse.pk)}
    assert set(case.movements.all()) == set(movements)


def test_the_stock_in_page_names_the_warehouse_a_case_went_into_even_once_renamed(tenant, owner, login):
    # given a case received into "Main Warehouse", which is renamed afterwards
    clerk = UserFactory(tenant=tenant, perms=[Perm.RETURN_STOCKIN])
    warehouse = WarehouseFactory(tenant=tenant, name="Main Warehouse")
    case = case_confirm(case=make_case(order=shipped_order(tenant=tenant), actor=owner), actor=owner)
    case_receive(case=case, actor=clerk, warehouse=warehouse, received={line.pk: (2, 0) for line in case.lines.all()})
    warehouse.name = "KL Returns"
    warehouse.save(update_fields=["name"])
    case.refresh_from_db()
    when = f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}"
    # when the parcel is scanned again
    html = login(clerk).get(reverse("inventory:index"), {"q": case.number}).content.decode()
    # then the page names the warehouse as it is called now (the timeline keeps the old name)
    assert f"Case {case.number} was already received on {when} into KL Returns; it is now Received Return." in html


@pytest.mark.parametrize("document", ["case", "order"])
def test_a_movement_never_points_at_another_tenants_document(document, tenant):
    # given another tenant's case and order
    theirs = make_case()
    foreign = {"case": theirs, "order": theirs.order}[document]
    # when / then
    with pytest.raises(Refused, match="belongs to another account"):
        stock_move(
            sku=SKUFactory(tenant=tenant),
            warehouse=WarehouseFactory(tenant=tenant),
            quantity=1,
            reason=MovementReason.ADJUSTMENT,
            source="Adjustment",
            source_key="adjustment:1",
            **{document: foreign},
        )
    assert not StockMovement.objects.filter(tenant=tenant).exists()
