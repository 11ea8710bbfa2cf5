"""Pay with balance pressed twice at once, on one order or on two: the partnership's lock makes them
take turns, so the balance is never spent twice (each thread on its own PostgreSQL connection)."""

from decimal import Decimal

import pytest

from distribution.models import BalanceMovement, StockOut
from distribution.services.balance import balance_pay
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import balance, distributor_refund_create
from tests.concurrency import race
from tests.distribution.helpers import distribution_order, make_bridge, pushed_return

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


def _balance_of_30(bridge) -> None:
    _, supplier_return = pushed_return(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"))
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=D("30.00"))
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance")


def _owed(bridge):
    return distribution_order(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))  # 31.50


@pytest.mark.parametrize("same_order", [True, False], ids=["double-click", "two-orders"])
def test_two_pays_at_once_never_overspend_the_balance(same_order):
    bridge = make_bridge()
    _balance_of_30(bridge)
    orders = [_owed(bridge)] * 2 if same_order else [_owed(bridge), _owed(bridge)]
    done, refused, errors = race(lambda order: balance_pay(distribution_order=order, actor=bridge.distributor), orders)
    assert not errors, errors
    assert len(done) == 1 and len(refused) == 1 and refused[0].code == "no_balance", (done, refused)
    assert done[0].amount == D("30.00")
    for tenant in (bridge.distributor.tenant, bridge.supplier.tenant):
        assert balance(tenant=tenant, partnership=bridge.partnership) == 0
    settled = StockOut.objects.filter(distribution_order__in=orders).values_list("settled_amount", flat=True)
    assert sum(settled) == D("30.00")
    assert BalanceMovement.objects.filter(amount__lt=0).count() == 2  # one spend, on each side
