"""Refund order writes. Each locks the case first, then the refund, so two finance users
confirming one refund at once take turns and the second finds it already confirmed."""

from decimal import Decimal

from django.db import transaction

from aftersales import events
from aftersales.limits import ZERO, CaseRoom, case_refund_room
from aftersales.models import Case
from aftersales.services import check_transition, lock_case, transition_case
from core import machines
from core.errors import Refused
from core.numbering import next_number
from orders.models import Order
from refunds.models import PaymentMethod, RefundOrder


@transaction.atomic
def refund_create(
    *,
    case: Case,
    actor,
    amount: Decimal,
    method: PaymentMethod,
    payment_info: str = "",
    proof=None,
    note: str = "",
) -> RefundOrder:
    """Create Refund Order: never above what is left to refund -> Refund Processing."""
    case = lock_case(case)
    check_transition(case, actor, "request_refund")
    if amount is None or amount <= 0:
        raise Refused("The refund amount must be more than 0.", code="amount_not_positive", limit=ZERO)
    _check_room(case, amount, f"The refund amount {amount} {case.currency}")
    if method not in PaymentMethod.values:
        raise Refused("Choose a payment method.", code="unknown_method", field="method")
    from_status = transition_case(case, actor, "request_refund")
    refund = RefundOrder.objects.create(
        tenant_id=case.tenant_id,
        number=next_number(tenant_id=case.tenant_id, prefix="RF"),
        case=case,
        store_id=case.store_id,
        amount=amount,
        currency=case.currency,
        method=method,
        payment_info=payment_info,
        proof=proof or "",
        note=note,
        created_by=actor,
    )
    events.case_refund_requested(case=case, actor=actor, from_status=from_status, refund=refund)
    return refund


def room_refusal(case: Case, room: CaseRoom, amount: Decimal, what: str, then: str = "") -> Refused | None:
    """Why `amount` cannot be refunded on the case (None when it can): never above what is left on
    the case (invariant 1) nor, unless the case was entered as an over-refund, above the case's
    share of what its order has left to refund (invariant 7)."""
    currency = case.currency
    if amount > room.case_left:
        return Refused(
            f"{what} is more than the refundable {room.case_left} {currency} left to refund on case {case.number} "
            f"(refundable {case.refundable}, refunded {room.refunded}){then}.",
            code="above_refundable",
            limit=room.case_left,
            amount=amount,
        )
    if amount > room.left:
        return room.order.refusal(what, amount, left=room.left, case=case, refunded=room.refunded, then=then)
    return None


def _check_room(case: Case, amount: Decimal, what: str, then: str = "") -> None:
    # the order row is the lock: two cases of one order paid at once take turns
    Order.objects.select_for_update().get(pk=case.order_id)
    if refusal := room_refusal(case, case_refund_room(case), amount, what, then):
        raise refusal


def _lock_pair(refund: RefundOrder, actor, name: str) -> tuple[Case, RefundOrder]:
    case = lock_case(refund.case)
    refund = RefundOrder.objects.select_for_update().get(pk=refund.pk)
    machines.check(refund, actor, name)
    return case, refund


@transaction.atomic
def refund_confirm(*, refund: RefundOrder, actor) -> RefundOrder:
    """Confirm Refund: the money is paid -> the case is After-Sales Completed."""
    case, refund = _lock_pair(refund, actor, "confirm")
    # an exchange order edited since, or another case of the order paid first, may have cut the room
    _check_room(case, refund.amount, f"Refund {refund.number} ({refund.amount} {refund.currency})", ": reject it")
    refund.confirm(actor=actor)
    refund.save()
    from_status = transition_case(case, actor, "confirm_refund")
    events.case_refund_confirmed(case=case, actor=actor, from_status=from_status, refund=refund)
    return refund


@transaction.atomic
def refund_reject(*, refund: RefundOrder, actor, reason: str) -> RefundOrder:
    """Reject: the case goes back to where a new payment slip can be created."""
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for rejecting.", code="reason_missing", field="reason")
    case, refund = _lock_pair(refund, actor, "reject")
    refund.reject(actor=actor, reason=reason)
    refund.save()
    from_status = transition_case(case, actor, "reject_refund")
    events.case_refund_rejected(case=case, actor=actor, from_status=from_status, refund=refund, reason=reason)
    return refund
