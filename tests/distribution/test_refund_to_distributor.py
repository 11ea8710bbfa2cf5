"""The three formulas on one worked example, and the refund to the distributor's Customer Balance.

Supplier's price at shipment 15.00 x 2 = stock-out amount 30.00, distribution fee 1.50, settled
20.00 (unsettled 11.50); Distribution Charge Setting 2.00 per order + 0.50 per item (fee 3.00):
- Return Amount = 15.00 x 2 = 30.00;
- Refundable = 30.00 - 11.50 - 0.00 - 3.00 = 15.50;
- estimate before stock-in: manual case 30.00 - 3.00 = 27.00; abnormal return 30.00 - 1.50 - 3.00 = 25.50.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Refused
from distribution.formulas import estimate, refund_figures
from distribution.models import BalanceMovement, DistributorRefund, InboundStatus, StockOut
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import (
    balance,
    charge_setting_set,
    distributor_refund_confirm,
    distributor_refund_create,
)
from inventory.models import SKU
from tests.distribution.helpers import make_bridge, pushed_return
from tests.factories import PNG_1PX, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _example():
    bridge = make_bridge()
    charge_setting_set(actor=bridge.supplier, per_order=D("2.00"), per_item=D("0.50"))
    push, supplier_return = pushed_return(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=D("20.00"))
    supplier_return.refresh_from_db()
    return bridge, push, supplier_return


def _receive(bridge, supplier_return):
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    return supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )


def test_the_estimate_before_stock_in():
    _, _, supplier_return = _example()
    assert estimate(supplier_return) == D("27.00")  # manual case: 15.00 x 2 - 3.00
    supplier_return.case_type = "abnormal_return"
    assert estimate(supplier_return) == D("25.50")  # stock-out 30.00 - distribution fee 1.50 - 3.00


def test_return_amount_is_the_price_at_shipment_not_today_s_and_refundable_follows():
    bridge, _, supplier_return = _example()
    SKU.objects.filter(tenant=bridge.supplier.tenant).update(wholesale_price=D("99.00"))  # the cost moved since
    supplier_return = _receive(bridge, supplier_return)
    figures = refund_figures(supplier_return)
    assert figures.return_amount == D("30.00")
    assert (figures.unsettled, figures.exchange_amount, figures.handling_fee) == (D("11.50"), D("0"), D("3.00"))
    assert figures.refundable == D("15.50")


def test_refundable_is_never_below_zero():
    bridge, _, supplier_return = _example()
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=D("0.00"))  # 31.50 unsettled
    assert refund_figures(_receive(bridge, supplier_return)).refundable == D("0.00")


def test_a_refund_to_customer_balance_completes_the_return_and_credits_both_ledgers():
    bridge, push, supplier_return = _example()
    supplier_return = _receive(bridge, supplier_return)
    refund = distributor_refund_create(
        supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance"
    )
    assert refund.amount == refund.refundable == D("15.50")
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
    partnership = bridge.partnership
    assert balance(tenant=bridge.supplier.tenant, partnership=partnership) == D("15.50")
    assert balance(tenant=bridge.distributor.tenant, partnership=partnership) == D("15.50")
    assert BalanceMovement.objects.for_tenant(bridge.distributor.tenant).get().push == push
    with pytest.raises(Refused) as err:  # once per return
        distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance")
    assert err.value.code == "wrong_state"
    assert BalanceMovement.objects.count() == 2


def test_a_refund_above_the_refundable_is_refused_with_the_limit():
    bridge, _, supplier_return = _example()
    supplier_return = _receive(bridge, supplier_return)
    with pytest.raises(Refused) as err:
        distributor_refund_create(
            supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance", amount=D("15.51")
        )
    assert err.value.code == "above_refundable" and "15.50" in err.value.message
    assert not DistributorRefund.objects.exists()


def test_a_bank_transfer_waits_for_the_distributor_to_confirm_receipt():
    bridge, push, supplier_return = _example()
    supplier_return = _receive(bridge, supplier_return)
    with pytest.raises(Refused):
        distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="bank_transfer")
    with pytest.raises(Refused) as no_proof:
        distributor_refund_create(
            supplier_return=supplier_return, actor=bridge.supplier, method="bank_transfer", bank_details="Maybank 1234"
        )
    assert no_proof.value.code == "proof_missing"
    refund = distributor_refund_create(
        supplier_return=supplier_return, actor=bridge.supplier, method="bank_transfer", bank_details="Maybank 1234",
        proof=SimpleUploadedFile("slip.png", PNG_1PX),
    )  # fmt: skip
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.REFUND_PROCESSING
    distributor_refund_confirm(push=push, actor=bridge.distributor)
    refund.refresh_from_db()
    supplier_return.refresh_from_db()
    assert refund.status == "completed" and supplier_return.status == InboundStatus.COMPLETED
    assert not BalanceMovement.objects.exists()  # money went by bank, not to the balance


def test_refunds_need_the_after_sales_refund_role():
    bridge, _, supplier_return = _example()
    supplier_return = _receive(bridge, supplier_return)
    clerk = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.return_stockin"])
    with pytest.raises(PermissionDenied):
        distributor_refund_create(supplier_return=supplier_return, actor=clerk, method="customer_balance")
