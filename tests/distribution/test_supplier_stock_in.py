"""The supplier stocks a distribution return in (one, or a selection from Confirm Return) and the
distributor's case follows it to Received Return, with no movement on the distributor's ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from aftersales.events import summary
from aftersales.models import CaseStatus
from aftersales.services import case_confirm, case_receive
from core.errors import Refused
from distribution.models import InboundStatus, SupplierReturn
from distribution.services.bigshop import supplier_return_receive, supplier_returns_receive_all
from inventory.models import StockMovement, WarehouseKind
from tests.distribution.helpers import make_bridge, pushed_return
from tests.factories import UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def _whole(supplier_return) -> dict:
    return {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}


def test_the_suppliers_stock_in_moves_the_distributors_case_to_received_return():
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge, lines=((Decimal("25.00"), 2),))
    case_confirm(case=push.case, actor=bridge.distributor)
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received=_whole(supplier_return),
    )  # fmt: skip
    case = push.case
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN and case.received_at
    # its received warehouse is the distributor's own row naming the supplier's warehouse
    assert case.received_warehouse == bridge.distributor_warehouse
    assert [line.received_quantity for line in case.lines.all()] == [2]
    # the stock is the supplier's: nothing moved on the distributor's ledger
    assert not StockMovement.objects.for_tenant(bridge.distributor.tenant).filter(reason="return_stock_in").exists()
    assert StockMovement.objects.for_tenant(bridge.supplier.tenant).filter(reason="return_stock_in").count() == 1
    event = case.events.get(type="received_by_supplier")
    assert event.actor is None and event.from_status == "confirm_return" and event.to_status == "received_return"
    said = summary(event)
    assert supplier_return.number in said and bridge.supplier.tenant.name in said
    assert bridge.distributor_warehouse.name in said and bridge.supplier.username not in said


def test_a_case_still_to_confirm_follows_too_and_a_partial_receipt_is_counted_on_its_line():
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge, lines=((Decimal("25.00"), 2),))
    line = supplier_return.lines.get()
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received={line.pk: (1, 0)},
    )  # fmt: skip
    case = push.case
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    assert [line.received_quantity for line in case.lines.all()] == [1]  # 1 of the 2 came back


def test_a_combo_line_is_received_as_the_whole_combos_its_parts_make():
    """The case returns 2 of a plain SKU and 1 combo of 2 sub-SKU units: the supplier receives 2 and 1
    of the sub-SKU, so the combo (2 units each) did not come back whole."""
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge, lines=((Decimal("25.00"), 2),), combo=True)
    plain, parts = supplier_return.lines.order_by("pk")
    assert parts.quantity == 2
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received={plain.pk: (2, 0), parts.pk: (0, 1)},
    )  # fmt: skip
    lines = push.case.lines.order_by("pk")
    assert [(line.sku.is_combo, line.received_quantity) for line in lines] == [(False, 2), (True, 0)]


def test_another_own_warehouse_of_the_supplier_falls_back_to_the_orders_shipping_warehouse():
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge)
    elsewhere = WarehouseFactory(tenant=bridge.supplier.tenant, kind=WarehouseKind.OWN)
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=elsewhere, received=_whole(supplier_return)
    )
    push.case.refresh_from_db()
    assert push.case.received_warehouse == push.distribution_order.warehouse


def test_the_distributor_cannot_stock_a_distribution_case_in_itself():
    bridge = make_bridge()
    push, _ = pushed_return(bridge)
    case_confirm(case=push.case, actor=bridge.distributor)
    own = WarehouseFactory(tenant=bridge.distributor.tenant, kind=WarehouseKind.OWN)
    line = push.case.lines.get()
    with pytest.raises(Refused) as refused:
        case_receive(case=push.case, actor=bridge.distributor, warehouse=own, received={line.pk: (line.quantity, 0)})
    assert refused.value.code == "stocked_in_elsewhere" and bridge.supplier.tenant.name in refused.value.message
    assert not StockMovement.objects.filter(reason="return_stock_in").exists()


def test_confirm_return_stocks_in_a_selection_whole_and_says_each_result():
    bridge = make_bridge()
    (_, first), (_, second), (_, third) = (pushed_return(bridge) for _ in range(3))
    supplier_return_receive(
        supplier_return=third, actor=bridge.supplier, warehouse=bridge.supplier_warehouse, received=_whole(third)
    )
    results = supplier_returns_receive_all(
        returns=[first, second, third], actor=bridge.supplier, warehouse=bridge.supplier_warehouse
    )
    said = {r.number: why for r, why in results}
    assert said[first.number] == said[second.number] == ""
    assert "Received Return" in said[third.number] and "nothing to stock in" in said[third.number]
    assert set(SupplierReturn.objects.values_list("status", flat=True)) == {InboundStatus.RECEIVED}
    moved = StockMovement.objects.for_tenant(bridge.supplier.tenant).filter(reason="return_stock_in")
    assert set(moved.values_list("condition", flat=True)) == {"sellable"} and moved.count() == 3


def test_confirm_return_takes_own_warehouses_only_and_needs_the_stock_in_role():
    bridge = make_bridge()
    _, supplier_return = pushed_return(bridge)
    third = WarehouseFactory(tenant=bridge.supplier.tenant, kind=WarehouseKind.THIRD_PARTY)
    [(_, why)] = supplier_returns_receive_all(returns=[supplier_return], actor=bridge.supplier, warehouse=third)
    assert "own active warehouses" in why
    viewer = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.manual_aftersales"])
    with pytest.raises(PermissionDenied):
        supplier_returns_receive_all(returns=[supplier_return], actor=viewer, warehouse=bridge.supplier_warehouse)
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.PENDING
    assert not StockMovement.objects.filter(reason="return_stock_in").exists()


def test_a_combo_received_whole_counts_as_one_on_the_case():
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge, lines=((Decimal("25.00"), 2),), combo=True)
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received=_whole(supplier_return),
    )  # fmt: skip
    assert [line.received_quantity for line in push.case.lines.order_by("pk")] == [2, 1]
