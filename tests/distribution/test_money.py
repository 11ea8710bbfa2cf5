"""Complete without refund, and Pay with balance: the rules, on the services.

The example: supplier price 15.00 x 2 = stock-out 30.00 + distribution fee 1.50; the return
handling fee 2.00 + 0.50 per item = 3.00."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import Refused
from distribution.models import ZERO, BalanceMovement, DistributorRefund, InboundStatus, ReturnEvent, StockOut
from distribution.services.balance import balance_pay
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import (
    charge_setting_set,
    distributor_refund_create,
    distributor_refund_none,
)
from tests.distribution.helpers import balances, distribution_order, make_bridge, pushed_return
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


SETTLED = Decimal("31.50")


def _received(bridge, *, settled=SETTLED):
    charge_setting_set(actor=bridge.supplier, per_order=D("2.00"), per_item=D("0.50"))
    push, supplier_return = pushed_return(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=settled)
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return = supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    return push, supplier_return


# --- Complete without refund ---------------------------------------------------------------------


def test_nothing_refundable_completes_without_refund_with_the_reason_on_both_timelines():
    bridge = make_bridge()
    push, supplier_return = _received(bridge, settled=Decimal("0.00"))  # 31.50 unsettled eats the 30.00 returned
    with pytest.raises(Refused) as err:
        distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance")
    assert err.value.code == "amount_not_positive"  # a refund order of 0 is not a refund
    with pytest.raises(Refused) as err:
        distributor_refund_none(supplier_return=supplier_return, actor=bridge.supplier, reason="  \x00 ")
    assert err.value.code == "reason_missing"
    refund = distributor_refund_none(
        supplier_return=supplier_return, actor=bridge.supplier, reason="Order not paid yet: nothing to refund"
    )
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
    assert refund.amount == 0 and refund.method == "none" and refund.status == DistributorRefund.Status.COMPLETED
    assert not BalanceMovement.objects.exists()
    for side in ({"push": push}, {"supplier_return": supplier_return}):
        event = ReturnEvent.objects.get(type=ReturnEvent.Type.COMPLETED_NO_REFUND, **side)
        assert "Order not paid yet" in event.note
    with pytest.raises(Refused) as err:  # once
        distributor_refund_none(supplier_return=supplier_return, actor=bridge.supplier, reason="again")
    assert err.value.code == "wrong_state"


def test_with_something_refundable_a_return_is_not_completed_without_refund():
    bridge = make_bridge()
    _, supplier_return = _received(bridge)  # all settled: 30.00 - 3.00 = 27.00 refundable
    with pytest.raises(Refused) as err:
        distributor_refund_none(supplier_return=supplier_return, actor=bridge.supplier, reason="No")
    assert err.value.code == "refundable_left" and "27.00" in err.value.message
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED


def test_complete_without_refund_needs_the_refund_role():
    bridge = make_bridge()
    _, supplier_return = _received(bridge, settled=Decimal("0.00"))
    clerk = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.return_stockin"])
    with pytest.raises(PermissionDenied):
        distributor_refund_none(supplier_return=supplier_return, actor=clerk, reason="No")
    with pytest.raises(Refused):  # nor another tenant's user
        distributor_refund_none(supplier_return=supplier_return, actor=bridge.distributor, reason="No")


# --- Pay with balance ----------------------------------------------------------------------------


def _balance_of(bridge, amount):
    """A refund to Customer Balance of `amount` (the example's return, all settled, fee 3.00)."""
    _, supplier_return = _received(bridge)
    distributor_refund_create(
        supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance", amount=amount
    )


def _owed(bridge, settled=ZERO):
    """An order of the distributor not paid yet: 15.00 x 2 + fee 1.50 = 31.50, less `settled`."""
    order = distribution_order(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))
    StockOut.objects.filter(distribution_order=order).update(settled_amount=settled)
    return order


def test_the_balance_pays_what_it_covers_of_an_order_on_both_ledgers():
    bridge = make_bridge()
    _balance_of(bridge, D("20.00"))
    order = _owed(bridge)
    paid = balance_pay(distribution_order=order, actor=bridge.distributor)
    assert (paid.amount, paid.unsettled, paid.balance) == (D("20.00"), D("11.50"), D("0.00"))
    assert StockOut.objects.get(distribution_order=order).settled_amount == D("20.00")
    assert balances(bridge) == (D("0.00"), D("0.00"))
    supplier_row = BalanceMovement.objects.get(tenant=bridge.supplier.tenant, amount=D("-20.00"))
    assert "Paid stock-out" in supplier_row.source
    assert BalanceMovement.objects.get(tenant=bridge.distributor.tenant, amount=D("-20.00")).actor == bridge.distributor
    with pytest.raises(Refused) as err:  # the second click: nothing left to spend
        balance_pay(distribution_order=order, actor=bridge.distributor)
    assert err.value.code == "no_balance" and "0" in err.value.message
    assert BalanceMovement.objects.count() == 4  # the credit and the spend, each on both sides


def test_the_balance_pays_no_more_than_is_unsettled():
    bridge = make_bridge()
    _balance_of(bridge, D("27.00"))
    order = _owed(bridge, settled=D("30.00"))  # 1.50 left
    paid = balance_pay(distribution_order=order, actor=bridge.distributor)
    assert paid.amount == D("1.50") and paid.unsettled == 0 and paid.balance == D("25.50")
    assert balances(bridge) == (D("25.50"), D("25.50"))
    with pytest.raises(Refused) as err:
        balance_pay(distribution_order=order, actor=bridge.distributor)
    assert err.value.code == "nothing_unsettled"
    assert balances(bridge) == (D("25.50"), D("25.50"))


def test_no_balance_pays_nothing():
    bridge = make_bridge()
    order = _owed(bridge)
    with pytest.raises(Refused) as err:
        balance_pay(distribution_order=order, actor=bridge.distributor)
    assert err.value.code == "no_balance"
    assert StockOut.objects.get(distribution_order=order).settled_amount == 0
    assert not BalanceMovement.objects.exists()


def test_pay_with_balance_needs_the_distribution_role_of_the_distributor():
    bridge = make_bridge()
    _balance_of(bridge, D("20.00"))
    order = _owed(bridge)
    clerk = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.aftersales_refund"])
    with pytest.raises(PermissionDenied):
        balance_pay(distribution_order=order, actor=clerk)
    with pytest.raises(Refused):  # the supplier cannot spend the distributor's balance
        balance_pay(distribution_order=order, actor=bridge.supplier)
    assert StockOut.objects.get(distribution_order=order).settled_amount == 0
