"""The seed's loop on both sides, through the services the pages call: the distributor's order ships
from the supplier's warehouse, its buyer returns it, the record is pushed, the supplier stocks the
parcel in and refunds to the Customer Balance, the distributor refunds its buyer and pays its next
purchase from the balance. Then both sides' ledgers agree: the stock is back where it left, and
each side's balance is the same sum."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from aftersales.models import CaseStatus
from aftersales.services import case_confirm
from distribution.models import BalanceMovement, DistributionOrder, InboundStatus, StockOut
from distribution.services import return_push, sku_map
from distribution.services.balance import balance_pay
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import distributor_refund_create
from inventory.models import MovementReason, StockLevel, StockMovement
from inventory.services import stock_move
from orders.services import order_ship
from refunds.models import PaymentMethod
from refunds.services import refund_confirm, refund_create
from tests.distribution.helpers import balances, make_bridge
from tests.factories import OrderFactory, OrderItemFactory, SKUFactory, make_case

pytestmark = pytest.mark.django_db


def _on_hand(tenant, sku=None) -> int:
    levels = StockLevel.objects.for_tenant(tenant).filter(**({"sku": sku} if sku else {}))
    return levels.aggregate(s=Sum("on_hand"))["s"] or 0


def _moved(tenant, sku=None) -> int:
    movements = StockMovement.objects.for_tenant(tenant).filter(**({"sku": sku} if sku else {}))
    return movements.aggregate(s=Sum("quantity"))["s"] or 0


def _purchase(bridge, sku, quantity: int):
    order = OrderFactory(
        tenant=bridge.distributor.tenant, warehouse=bridge.distributor_warehouse,
        paid_amount=Decimal("25.00") * quantity, ordered_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    item = OrderItemFactory(order=order, sku=sku, quantity=quantity, unit_price=Decimal("25.00"))
    order_ship(order=order, actor=None)  # the shipment makes the distribution order
    return order, item


def test_the_loop_closes_and_both_sides_ledgers_agree(login):
    bridge = make_bridge()
    distributor, supplier = bridge.distributor, bridge.supplier
    theirs = SKUFactory(tenant=supplier.tenant, wholesale_price=Decimal("15.00"))
    stock_move(
        sku=theirs, warehouse=bridge.supplier_warehouse, quantity=10, reason=MovementReason.OPENING,
        source="Opening stock", source_key="opening",
    )  # fmt: skip
    ours = SKUFactory(tenant=distributor.tenant)
    sku_map(partnership=bridge.partnership, actor=distributor, sku=ours, supplier_code=theirs.code)
    order, _ = _purchase(bridge, ours, 2)
    assert _on_hand(supplier.tenant, theirs) == 8
    StockOut.objects.update(settled_amount=F("amount") + F("distribution_fee"))  # the distributor paid for it

    case = make_case(order=order, actor=distributor, return_tracking_number="RT-LOOP")
    case_confirm(case=case, actor=distributor)
    push = return_push(push=case.distribution_push, actor=distributor)
    supplier_return = push.supplier_return
    supplier_return_receive(
        supplier_return=supplier_return, actor=supplier, warehouse=bridge.supplier_warehouse,
        received={line.pk: (line.quantity, 0) for line in supplier_return.lines.all()},
    )  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN  # the distributor's case followed the supplier's receipt

    refund = distributor_refund_create(supplier_return=supplier_return, actor=supplier, method="customer_balance")
    assert refund.amount == Decimal("30.00")  # 15.00 at shipment x 2, all settled, no fee
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED

    buyer_refund = refund_create(case=case, actor=distributor, amount=Decimal("50.00"), method=PaymentMethod.PLATFORM)
    refund_confirm(refund=buyer_refund, actor=distributor)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED

    # stock: back where it left, on the supplier's ledger only; the levels are the movements' sum
    assert _on_hand(supplier.tenant, theirs) == 10 == _moved(supplier.tenant, theirs)
    assert _on_hand(distributor.tenant) == 0 == _moved(distributor.tenant)
    # money: each side's own ledger, the same balance
    assert balances(bridge) == (Decimal("30.00"), Decimal("30.00"))

    # the next purchase (one unit, 15.00 at shipment) is paid from the balance, on both ledgers
    next_order, _ = _purchase(bridge, ours, 1)
    payment = balance_pay(distribution_order=DistributionOrder.objects.get(order=next_order), actor=distributor)
    assert payment.amount == Decimal("15.00")
    assert StockOut.objects.get(distribution_order__order=next_order).unsettled == 0
    assert balances(bridge) == (Decimal("15.00"), Decimal("15.00"))
    for side in (distributor.tenant, supplier.tenant):
        amounts = sorted(BalanceMovement.objects.for_tenant(side).values_list("amount", flat=True))
        assert amounts == [Decimal("-15.00"), Decimal("30.00")]
    assert _on_hand(supplier.tenant, theirs) == 9 == _moved(supplier.tenant, theirs)  # the next purchase shipped
    assert _on_hand(distributor.tenant) == 0 == _moved(distributor.tenant)
