"""Exchange: the order that sends the exchange items."""

from decimal import ROUND_HALF_UP

from django.db import transaction

from accounts.permissions import Perm, require_perm
from aftersales.events import case_event
from aftersales.models import Case, CaseEvent, CaseStatus, CaseType, LineKind
from aftersales.services.create import CENT
from aftersales.services.transitions import lock_case
from core.errors import Refused
from core.tenancy import require_same_tenant
from orders.models import Order
from orders.services import exchange_order_create


@transaction.atomic
def case_generate_exchange_order(*, case: Case, actor) -> Order:
    """Generate Exchange Order: a manual order for the exchange items, Waiting to Approve in Order
    Entry, linked both ways. Once per case."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor)
    case = lock_case(case)
    if case.type != CaseType.EXCHANGE:
        raise Refused(f"Case {case.number} is a {case.get_type_display()}: only exchanges have an exchange order.")
    if case.exchange_order_id:
        raise Refused(f"Case {case.number} already has exchange order {case.exchange_order.number}.")
    if case.status not in (CaseStatus.CONFIRM_EXCHANGE, CaseStatus.RECEIVED_RETURN):
        raise Refused(
            f"Case {case.number} is {case.get_status_display()}: the exchange order is generated from "
            "Confirm Exchange or Received Return."
        )
    lines = [
        (line.sku, line.quantity, (line.amount / line.quantity).quantize(CENT, ROUND_HALF_UP))
        for line in case.lines.filter(kind=LineKind.EXCHANGE).select_related("sku")
    ]
    order = exchange_order_create(case=case, actor=actor, lines=lines)
    case.exchange_order = order
    case.save(update_fields=["exchange_order", "updated_at"])
    case_event(case=case, type=CaseEvent.Type.EXCHANGE_ORDER_CREATED, actor=actor, order=order.number)
    return order
