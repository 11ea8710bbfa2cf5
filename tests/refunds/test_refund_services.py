"""Refund orders through the real services: create, confirm, reject, and the money rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from accounts.permissions import Perm
from aftersales.models import CaseEvent, CaseStatus
from aftersales.services import case_confirm, case_confirm_and_stock_in, case_generate_exchange_order
from core.errors import Refused
from orders.services import order_entry_update
from refunds.models import PaymentMethod, RefundOrder, RefundStatus
from refunds.services import refund_confirm, refund_create, refund_reject
from tests.factories import SKUFactory, UserFactory, WarehouseFactory, make_case, make_refund, shipped_order

pytestmark = pytest.mark.django_db


def _received(case):
    """A case whose parcel is back: Received Return, ready for a refund order."""
    case_confirm_and_stock_in(case=case, actor=case.created_by, warehouse=WarehouseFactory(tenant=case.tenant))
    case.refresh_from_db()
    return case


def _finance(tenant):
    return UserFactory(tenant=tenant, perms=[Perm.AFTERSALES_REFUND])


def _refund_only_case(tenant=None):
    case = make_case(type="refund_only", order=shipped_order(tenant=tenant) if tenant else None)
    return case_confirm(case=case, actor=case.created_by)


def _exchange_case(*, exchange_price: Decimal):
    order = shipped_order()  # 2 x 25.00 returned = 50.00
    sku = SKUFactory(tenant=order.tenant, wholesale_price=exchange_price)
    return make_case(type="exchange", order=order, exchange=[(sku, 1)])


def test_create_moves_the_case_to_refund_processing_and_records_the_amount():
    # given a Return & Refund case received back (returned 50.00 MYR)
    case = _received(make_case())
    finance = _finance(case.tenant)
    # when finance creates a refund order for part of it
    refund = refund_create(
        case=case, actor=finance, amount=Decimal("40.00"), method=PaymentMethod.BANK_TRANSFER, payment_info="Maybank 1"
    )
    # then the slip is processing, in the case's currency, and the case is in Refund Processing
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUND_PROCESSING
    assert (refund.status, refund.amount, refund.currency, refund.created_by) == (
        RefundStatus.PROCESSING,
        Decimal("40.00"),
        "MYR",
        finance,
    )
    event = case.events.get(type=CaseEvent.Type.REFUND_REQUESTED)
    assert (event.actor, event.from_status, event.to_status) == (
        finance,
        CaseStatus.RECEIVED_RETURN,
        CaseStatus.REFUND_PROCESSING,
    )
    assert event.data == {"refund": refund.number, "amount": "40.00"}


def test_confirm_completes_the_case_and_records_who_decided():
    # given a refund in Refund Processing
    refund = make_refund()
    finance = _finance(refund.tenant)
    # when finance confirms it
    refund_confirm(refund=refund, actor=finance)
    # then the refund is confirmed by finance, and the case is After-Sales Completed
    refund.refresh_from_db()
    case = refund.case
    assert (refund.status, refund.decided_by) == (RefundStatus.CONFIRMED, finance)
    assert refund.decided_at is not None
    assert (case.status, case.refunded(), case.refund_left()) == (CaseStatus.COMPLETED, Decimal("50.00"), 0)
    assert case.completed_at is not None
    event = case.events.get(type=CaseEvent.Type.REFUND_CONFIRMED)
    assert (event.actor, event.to_status, event.data["amount"]) == (finance, CaseStatus.COMPLETED, "50.00")


def test_a_confirmed_refund_cannot_be_confirmed_or_rejected_again():
    refund = make_refund()
    finance = _finance(refund.tenant)
    refund_confirm(refund=refund, actor=finance)
    with pytest.raises(Refused) as confirmed:
        refund_confirm(refund=refund, actor=finance)
    with pytest.raises(Refused) as rejected:
        refund_reject(refund=refund, actor=finance, reason="Wrong account")
    assert confirmed.value.code == rejected.value.code == "wrong_state"
    assert refund.case.events.filter(type=CaseEvent.Type.REFUND_CONFIRMED).count() == 1


def test_reject_needs_a_reason_and_changes_nothing_without_one():
    refund = make_refund()
    with pytest.raises(Refused) as refused:
        refund_reject(refund=refund, actor=_finance(refund.tenant), reason="   ")
    assert refused.value.code == "reason_missing"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSING
    assert refund.case.status == CaseStatus.REFUND_PROCESSING


def test_reject_sends_a_return_and_refund_back_to_received_return_for_a_new_slip():
    # given a Return & Refund case with a slip in Refund Processing
    first = make_refund(amount=Decimal("50.00"))
    finance = _finance(first.tenant)
    # when finance rejects it, then a new slip is created on the same case
    refund_reject(refund=first, actor=finance, reason="Wrong bank account")
    case = first.case
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    second = refund_create(case=case, actor=finance, amount=Decimal("50.00"), method=PaymentMethod.E_WALLET)
    # then the first keeps its reason and decider, and the case keeps both slips
    first.refresh_from_db()
    assert (first.status, first.reject_reason, first.decided_by) == (
        RefundStatus.REJECTED,
        "Wrong bank account",
        finance,
    )
    assert set(case.refunds.values_list("number", "status")) == {
        (first.number, RefundStatus.REJECTED),
        (second.number, RefundStatus.PROCESSING),
    }
    assert case.events.get(type=CaseEvent.Type.REFUND_REJECTED).data["reason"] == "Wrong bank account"


def test_reject_sends_a_refund_only_case_back_to_confirm_refund_for_a_new_slip():
    # given a Refund-Only case confirmed (no parcel) with a slip
    case = _refund_only_case()
    assert case.status == CaseStatus.CONFIRM_REFUND
    finance = _finance(case.tenant)
    first = refund_create(case=case, actor=finance, amount=Decimal("50.00"), method=PaymentMethod.CASH)
    # when it is rejected
    refund_reject(refund=first, actor=finance, reason="Buyer asked for e-wallet")
    # then the case is back in Confirm Refund and takes a new slip, which completes it
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_REFUND
    second = refund_create(case=case, actor=finance, amount=Decimal("50.00"), method=PaymentMethod.E_WALLET)
    refund_confirm(refund=second, actor=finance)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.refunds.count() == 2


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00")])
def test_a_zero_or_negative_amount_is_refused(amount):
    case = _received(make_case())
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=_finance(case.tenant), amount=amount, method=PaymentMethod.CASH)
    assert refused.value.code == "amount_not_positive"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    assert not RefundOrder.objects.filter(case=case).exists()


def test_an_amount_above_what_is_left_is_refused_naming_the_refundable():
    case = _received(make_case())
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=_finance(case.tenant), amount=Decimal("50.01"), method=PaymentMethod.CASH)
    assert refused.value.code == "above_refundable"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    assert not RefundOrder.objects.filter(case=case).exists()
    assert not case.events.filter(type=CaseEvent.Type.REFUND_REQUESTED).exists()


def test_a_case_not_received_yet_takes_no_refund_order():
    case = make_case()  # To Confirm
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=_finance(case.tenant), amount=Decimal("1.00"), method=PaymentMethod.CASH)
    assert refused.value.code == "wrong_state"


def test_the_refundable_of_an_exchange_is_returned_less_exchange_items():
    # given an exchange: 50.00 returned, one exchange item priced 30.00 wholesale
    case = _received(_exchange_case(exchange_price=Decimal("30.00")))
    # then the refundable is 50.00 - 30.00, and no more can be refunded
    assert (case.returned_total, case.exchange_total, case.total_refund) == (
        Decimal("50.00"),
        Decimal("30.00"),
        Decimal("20.00"),
    )
    assert case.refundable == case.refund_left() == Decimal("20.00")
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=case.created_by, amount=Decimal("20.01"), method=PaymentMethod.CASH)
    assert refused.value.code == "above_refundable"
    refund = refund_create(case=case, actor=case.created_by, amount=Decimal("20.00"), method=PaymentMethod.CASH)
    assert refund.amount == Decimal("20.00")


def test_an_exchange_worth_more_than_the_return_has_nothing_to_refund():
    # given an exchange item (80.00) worth more than what came back (50.00)
    case = _received(_exchange_case(exchange_price=Decimal("80.00")))
    # then the refundable is 0, never negative, and no refund order can be made
    assert case.total_refund == Decimal("-30.00")
    assert case.refundable == case.refund_left() == Decimal("0.00")
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=case.created_by, amount=Decimal("1.00"), method=PaymentMethod.CASH)
    assert refused.value.code == "nothing_to_refund"


def test_confirmed_refunds_never_sum_above_the_refundable():
    # given an exchange (refundable 50.00 - 30.00) whose exchange order is generated, and a slip for all of it
    case = _received(_exchange_case(exchange_price=Decimal("30.00")))
    actor = case.created_by
    exchange_order = case_generate_exchange_order(case=case, actor=actor)
    slip = refund_create(case=case, actor=actor, amount=Decimal("20.00"), method=PaymentMethod.CASH)
    # when the exchange order is edited up to 40.00 before finance confirms
    item = exchange_order.items.get()
    order_entry_update(order=exchange_order, actor=actor, lines={item.pk: (1, Decimal("40.00"))}, tracking_number="")
    # then the now too large slip cannot be confirmed
    with pytest.raises(Refused) as refused:
        refund_confirm(refund=slip, actor=actor)
    assert refused.value.code == "above_refundable"
    # and after rejecting it, a slip of what is left is confirmed, and nothing more can be asked
    refund_reject(refund=slip, actor=actor, reason="Exchange order changed")
    case.refresh_from_db()
    refund_confirm(refund=refund_create(case=case, actor=actor, amount=Decimal("10.00"), method="cash"), actor=actor)
    case.refresh_from_db()
    confirmed = case.refunds.filter(status=RefundStatus.CONFIRMED).aggregate(s=Sum("amount"))["s"]
    assert confirmed == case.refundable == Decimal("10.00")
    assert case.status == CaseStatus.COMPLETED
    with pytest.raises(Refused):
        refund_create(case=case, actor=actor, amount=Decimal("0.01"), method=PaymentMethod.CASH)


def test_a_role_without_after_sales_refund_may_not_touch_refunds():
    # given a refund, and an operator whose role has Manual After-Sales Order only
    refund = make_refund()
    operator = UserFactory(tenant=refund.tenant, perms=[Perm.MANUAL_AFTERSALES])
    # then each refund action is denied, and nothing changes
    with pytest.raises(PermissionDenied):
        refund_confirm(refund=refund, actor=operator)
    with pytest.raises(PermissionDenied):
        refund_reject(refund=refund, actor=operator, reason="No")
    case = _received(make_case(order=shipped_order(tenant=refund.tenant), actor=refund.case.created_by))
    with pytest.raises(PermissionDenied):
        refund_create(case=case, actor=operator, amount=Decimal("1.00"), method=PaymentMethod.CASH)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSING
    assert not case.refunds.exists()
