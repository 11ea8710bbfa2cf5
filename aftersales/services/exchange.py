"""Exchange: the order that sends the exchange items."""

from decimal import ROUND_HALF_UP

from django.db import transaction

from accounts.permissions import Perm, require_perm
from aftersales import events
from aftersales.models import Case, LineKind
from aftersales.services.create import CENT
from aftersales.services.transitions import check_transition, lock_case
from orders.models import Order
from orders.services import exchange_order_create


@transaction.atomic
def case_generate_exchange_order(*, case: Case, actor) -> Order:
    """Generate Exchange Order: a manual order for the exchange items, Waiting to Approve in Order
    Entry, linked both ways. Once per case."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    case = lock_case(case)
    check_transition(case, actor, "generate_exchange_order")
    lines = [
        (line.sku, line.quantity, (line.amount / line.quantity).quantize(CENT, ROUND_HALF_UP))
        for line in case.lines.filter(kind=LineKind.EXCHANGE).select_related("sku")
    ]
    order = exchange_order_create(case=case, actor=actor, lines=lines)
    case.generate_exchange_order(order=order)
    case.save(update_fields=["exchange_order", "updated_at"])
    events.case_exchange_order_created(case=case, actor=actor, order=order)
    return order
