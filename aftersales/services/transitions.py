"""The case's transitions as its services run them: lock the row, check state, condition and role, run,
write the event. A double click or two users at once take turns on the lock, and the second finds the
work done."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import can_proceed, has_transition_perm

from aftersales.events import case_event
from aftersales.models import Case, CaseEvent
from core.errors import Refused
from core.tenancy import require_same_tenant
from orders.services import exchange_order_withdraw

# What each transition is called on its button, and why it may be refused beyond the state.
ACTIONS = {
    "confirm": "Confirm After-Sales",
    "confirm_and_stock_in": "Confirm After-Sales and Stock-In",
    "receive": "Stock-In",
    "request_refund": "Create Refund Order",
    "confirm_refund": "Confirm Refund",
    "reject_refund": "Reject",
    "complete": "Complete After-Sales",
    "cancel": "Cancel",
}
CONDITION_REFUSALS = {
    "confirm_and_stock_in": "a Refund-Only case has no parcel to stock in",
    "request_refund": "nothing is left to refund",
    "complete": "there is still money to refund (or, for an exchange, the exchange order is not generated yet)",
}


def lock_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("order__buyer__tier", "store", "exchange_order")
        .get(pk=case.pk)
    )


def check_transition(case: Case, actor, name: str) -> None:
    """Refused (state or condition) or PermissionDenied (role), in the user's words."""
    require_same_tenant(case.tenant_id, actor)
    method = getattr(case, name)
    if not can_proceed(method, check_conditions=False):
        raise Refused(f"Case {case.number} is {case.get_status_display()}: {ACTIONS[name]} is not possible now.")
    if not can_proceed(method):
        raise Refused(f"Case {case.number}: {ACTIONS[name]} is not possible, {CONDITION_REFUSALS[name]}.")
    if not has_transition_perm(method, actor):
        raise PermissionDenied(f"Your role does not allow {ACTIONS[name]}.")


def transition_case(case: Case, actor, name: str, **kwargs) -> str:
    """Check and run one transition on a locked case and save it; returns the state it left."""
    check_transition(case, actor, name)
    from_status = case.status
    getattr(case, name)(**kwargs)
    case.save()
    return from_status


@transaction.atomic
def case_confirm(*, case: Case, actor) -> Case:
    """Confirm After-Sales: To Confirm -> Confirm Return / Confirm Refund / Confirm Exchange."""
    case = lock_case(case)
    from_status = transition_case(case, actor, "confirm")
    case_event(case=case, type=CaseEvent.Type.CONFIRMED, actor=actor, from_status=from_status)
    return case


@transaction.atomic
def case_complete(*, case: Case, actor) -> Case:
    """Complete a case with nothing left to refund (an exchange settled by its exchange order)."""
    case = lock_case(case)
    from_status = transition_case(case, actor, "complete")
    case_event(case=case, type=CaseEvent.Type.COMPLETED, actor=actor, from_status=from_status)
    return case


@transaction.atomic
def case_cancel(*, case: Case, actor, reason: str) -> Case:
    """Cancel a case not yet completed: a refund order still processing is voided, and an exchange
    order still Waiting to Approve is withdrawn (an approved one is left to the order desk)."""
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for cancelling.", code="reason_missing", field="reason")
    case = lock_case(case)
    from_status = transition_case(case, actor, "cancel", reason=reason)
    voided = []
    for refund in case.refunds.select_for_update().processing():
        refund.void(actor=actor)
        refund.save()
        voided.append(refund.number)
    if exchange_order_withdraw(case=case, actor=actor, reason=f"After-sales case {case.number} cancelled"):
        voided.append(case.exchange_order.number)
    case_event(
        case=case, type=CaseEvent.Type.CANCELLED, actor=actor, from_status=from_status, reason=reason, voided=voided
    )
    return case
