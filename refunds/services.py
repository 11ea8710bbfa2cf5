"""Refund order writes. Each locks the case first, then the refund, so two finance users
confirming one refund at once take turns and the second finds it already confirmed."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import has_transition_perm

from aftersales.events import case_event
from aftersales.models import Case, CaseEvent
from aftersales.services import check_transition, lock_case, transition_case
from core.errors import Refused
from core.numbering import next_number
from refunds.models import PaymentMethod, RefundOrder, RefundStatus


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
    left = case.refund_left()
    if amount is None or amount <= 0:
        raise Refused("The refund amount must be more than 0.")
    if amount > left:
        raise Refused(f"The refund amount {amount} is more than the refundable {left} {case.currency}.")
    if method not in PaymentMethod.values:
        raise Refused("Choose a payment method.")
    from_status = transition_case(case, actor, "request_refund")
    refund = RefundOrder.objects.create(
        tenant_id=case.tenant_id,
        number=next_number(tenant_id=case.tenant_id, prefix="RF"),
        case=case,
        amount=amount,
        currency=case.currency,
        method=method,
        payment_info=payment_info,
        proof=proof or "",
        note=note,
        created_by=actor,
    )
    case_event(
        case=case,
        type=CaseEvent.Type.REFUND_REQUESTED,
        actor=actor,
        from_status=from_status,
        refund=refund.number,
        amount=str(amount),
    )
    return refund


def _lock_pair(refund: RefundOrder, actor, name: str) -> tuple[Case, RefundOrder]:
    case = lock_case(refund.case)
    refund = RefundOrder.objects.select_for_update().get(pk=refund.pk)
    if refund.status != RefundStatus.PROCESSING:
        raise Refused(f"Refund {refund.number} is already {refund.get_status_display().lower()}.")
    if not has_transition_perm(getattr(refund, name), actor):
        raise PermissionDenied("Your role does not include After-Sales Refund.")
    return case, refund


@transaction.atomic
def refund_confirm(*, refund: RefundOrder, actor) -> RefundOrder:
    """Confirm Refund: the money is paid -> the case is After-Sales Completed."""
    case, refund = _lock_pair(refund, actor, "confirm")
    if refund.amount > case.refund_left():  # the exchange order may have been edited since
        raise Refused(
            f"Refund {refund.number} ({refund.amount} {refund.currency}) is more than the "
            f"{case.refund_left()} {case.currency} left to refund on case {case.number}: reject it."
        )
    refund.confirm(actor=actor)
    refund.save()
    from_status = transition_case(case, actor, "confirm_refund")
    case_event(
        case=case,
        type=CaseEvent.Type.REFUND_CONFIRMED,
        actor=actor,
        from_status=from_status,
        refund=refund.number,
        amount=str(refund.amount),
    )
    return refund


@transaction.atomic
def refund_reject(*, refund: RefundOrder, actor, reason: str) -> RefundOrder:
    """Reject: the case goes back to where a new payment slip can be created."""
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for rejecting.")
    case, refund = _lock_pair(refund, actor, "reject")
    refund.reject(actor=actor, reason=reason)
    refund.save()
    from_status = transition_case(case, actor, "reject_refund")
    case_event(
        case=case,
        type=CaseEvent.Type.REFUND_REJECTED,
        actor=actor,
        from_status=from_status,
        refund=refund.number,
        reason=reason,
    )
    return refund
