"""The case's transitions as its services run them: lock the row, check state, condition and role, run,
write the event. A double click or two users at once take turns on the lock, and the second finds the
work done."""

from django.db import transaction

from aftersales import events, signals
from aftersales.models import Case
from core import machines
from core.errors import Refused
from core.tenancy import require_same_tenant
from orders.services import exchange_order_withdraw


def lock_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("order__buyer__tier", "store", "exchange_order")
        .get(pk=case.pk)
    )


def check_transition(case: Case, actor, name: str) -> None:
    """Refused (state or condition) or PermissionDenied (role), in the user's words."""
    require_same_tenant(case.tenant_id, actor)
    machines.check(case, actor, name)


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
    events.case_confirmed(case=case, actor=actor, from_status=from_status)
    return case


@transaction.atomic
def case_complete(*, case: Case, actor) -> Case:
    """Complete a case with nothing left to refund (an exchange settled by its exchange order)."""
    case = lock_case(case)
    from_status = transition_case(case, actor, "complete")
    events.case_completed(case=case, actor=actor, from_status=from_status)
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
    events.case_cancelled(case=case, actor=actor, from_status=from_status, reason=reason, voided=voided)
    signals.case_cancelled.send(sender=Case, case=case, actor=actor)
    return case
