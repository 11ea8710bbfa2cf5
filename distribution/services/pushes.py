"""Return & Stock-in - Distribution: a case on a distribution order adds a record; the record is
pushed to the supplier once (a retried task or a double click finds it pushed), or fails with the
rule that refused it; a cancelled case recalls it.

Locks are taken case first, then the push record, then the supplier return: the order of
`case_cancel` (which locks the case and then recalls), so a push and a cancel of one case take turns.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from aftersales.models import PARCEL_TYPES, Case, CaseStatus, CaseType, LineKind
from core.errors import Refused
from core.numbering import next_number
from distribution import events
from distribution.models import (
    DistributionOrder,
    DistributionSetting,
    InboundStatus,
    PartnershipStatus,
    PushStatus,
    ReturnPush,
    SupplierReturn,
    SupplierReturnLine,
)
from distribution.services.orders import distribution_order_create, supplier_lines
from distribution.signals import record_added
from inventory.models import Warehouse, WarehouseKind
from orders import events as order_events

PUSH_WINDOW_DAYS = 90
T = events.T


def auto_push(tenant_id: int) -> bool:
    return DistributionSetting.objects.filter(tenant_id=tenant_id, auto_push=True).exists()


def _ends_of(case: Case) -> DistributionOrder | None:
    """The case's distribution order; one shipped from a supplier warehouse before it had one is made
    now. Refused (a SKU not mapped, the partnership not active): the case stands without a record,
    the order's history says why, and Make distribution order adds the record once fixed."""
    ends = DistributionOrder.objects.for_tenant(case.tenant).filter(order_id=case.order_id).first()
    order = case.order
    if ends is not None or not order.ships_from_supplier:
        return ends
    try:
        return distribution_order_create(order=order)  # its own savepoint: a refusal writes nothing
    except Refused as refusal:
        order_events.distribution_order_refused(order=order, actor=None, reason=refusal.message)
        return None


def return_record_add(*, case: Case) -> ReturnPush | None:
    """A case with a parcel on a distribution order adds its record to To Push, in the caller's
    transaction, and with Auto-push on queues its push once that commits (the record To Push is the
    outbox, the beat relay its backstop). Once per case."""
    if case.type not in PARCEL_TYPES or ReturnPush.objects.filter(case=case).exists():
        return None
    ends = _ends_of(case)
    if ends is None:
        return None
    push = ReturnPush.objects.create(tenant_id=case.tenant_id, case=case, distribution_order=ends)
    events.on_distributor(push, T.ADDED)
    record_added.send(sender=ReturnPush, push=push)  # with Auto-push on, the receiver queues its push
    return push


def _target(stock_out) -> Warehouse:
    """The supplier warehouse the return goes to: the one that shipped it, unless that one is
    third-party (never a target), then the supplier's default return warehouse if it is its own."""
    warehouse = stock_out.warehouse
    if warehouse.kind == WarehouseKind.OWN and warehouse.is_active:
        return warehouse
    fallback = Warehouse.objects.for_tenant(stock_out.tenant).filter(
        is_default_return=True, kind=WarehouseKind.OWN, is_active=True
    )
    if found := fallback.first():
        return found
    raise Refused(
        f"{warehouse.name} is a {warehouse.get_kind_display().lower()} of the supplier and the supplier has no own "
        "return warehouse: distribution returns never go to a third-party warehouse.",
        code="third_party_warehouse",
    )


def push_refusal(push: ReturnPush, case: Case) -> tuple:
    """(supplier lines with their prices at shipment, target warehouse), or Refused with the rule."""
    order = push.distribution_order.order
    partnership = push.distribution_order.partnership
    if case.status == CaseStatus.CANCELLED:
        raise Refused(f"Case {case.number} is cancelled.", code="case_cancelled")
    age = timezone.now() - order.ordered_at
    if age > timedelta(days=PUSH_WINDOW_DAYS):
        raise Refused(
            f"Order {order.number} was placed {age.days} days ago: orders older than {PUSH_WINDOW_DAYS} days "
            "cannot be pushed.",
            code="order_too_old",
            limit=PUSH_WINDOW_DAYS,
        )
    if not partnership.covers(order.ordered_at):
        ended = f"ended {timezone.localtime(partnership.ended_at):%Y-%m-%d}" if partnership.ended_at else "not active"
        raise Refused(
            f"Order {order.number} was placed outside the cooperation period with {partnership.supplier} "
            f"(the partnership is {ended}).",
            code="outside_cooperation",
        )
    if partnership.status not in (PartnershipStatus.ACTIVE, PartnershipStatus.TERMINATED):
        raise Refused(f"The partnership with {partnership.supplier} is not active.", code="partnership_inactive")
    returned = [(line.sku, line.quantity) for line in case.lines.filter(kind=LineKind.RETURNED).select_related("sku")]
    wanted = supplier_lines(partnership, returned)  # combos split into sub-SKUs, each mapped
    stock_out = push.distribution_order.stock_out
    shipped = {line.sku_id: line for line in stock_out.lines.all()}
    for sku, quantity in wanted.items():
        line = shipped.get(sku.pk)
        if line is None or quantity > line.quantity:
            raise Refused(
                f"Stock-out {stock_out.number} shipped {line.quantity if line else 0} of the supplier's {sku.code}: "
                f"{quantity} cannot be returned to it.",
                code="not_shipped",
            )
    return [(sku, quantity, shipped[sku.pk].unit_price) for sku, quantity in wanted.items()], _target(stock_out)


def _lock(push: ReturnPush) -> tuple[Case, ReturnPush]:
    case = Case.objects.select_for_update(of=("self",)).get(pk=push.case_id)
    push = (
        ReturnPush.objects.select_for_update(of=("self",))
        .select_related("distribution_order__order", "distribution_order__partnership__supplier")
        .select_related("distribution_order__stock_out__warehouse")
        .get(pk=push.pk)
    )
    return case, push


@transaction.atomic
def return_push(*, push: ReturnPush, actor=None) -> ReturnPush:
    """Push (or Re-push) one record: the supplier gets one return, whatever the retries and clicks.
    A rule that refuses moves the record to Push Failed with its reason; pushed is left as it is."""
    if actor is not None:
        require_perm(actor, Perm.DISTRIBUTION)
        if actor.tenant_id != push.tenant_id:
            raise Refused("That belongs to another account.", code="other_tenant")
    case, push = _lock(push)
    if push.status == PushStatus.PUSHED:
        return push
    if push.status == PushStatus.RECALLED:
        raise Refused(f"The return of case {case.number} was recalled: the case is cancelled.", code="recalled")
    try:
        lines, warehouse = push_refusal(push, case)
    except Refused as refusal:
        push.fail(reason=refusal.message, code=refusal.code)
        push.save()
        events.on_distributor(push, T.PUSH_FAILED, actor=actor, note=refusal.message)
        return push
    stock_out = push.distribution_order.stock_out
    supplier_return = SupplierReturn.objects.create(
        tenant_id=stock_out.tenant_id,
        number=next_number(tenant_id=stock_out.tenant_id, prefix="BS"),
        push=push,
        partnership=push.distribution_order.partnership,
        stock_out=stock_out,
        case_number=case.number,
        case_type=case.type,
        order_number=push.distribution_order.order.number,
        return_tracking_number=case.return_tracking_number,
        exchange_amount=case.exchange_amount if case.type == CaseType.EXCHANGE else 0,
        warehouse=warehouse,
        currency=stock_out.currency,
    )
    SupplierReturnLine.objects.bulk_create(
        SupplierReturnLine(
            tenant_id=stock_out.tenant_id, supplier_return=supplier_return, sku=sku, quantity=q, unit_price=price
        )
        for sku, q, price in lines
    )
    push.push()
    push.save()
    events.on_both(push, supplier_return, T.PUSHED, actor=actor, note=f"{supplier_return.number} to {warehouse.name}")
    return push


def return_recall(*, case: Case, actor) -> ReturnPush | None:
    """The case is cancelled (in its transaction, the case locked): the record is recalled, and the
    supplier's return leaves Pending Stock-in; once the supplier received it, the recall is refused
    and both sides are told why (the case is still cancelled: the parcel stays the supplier's)."""
    push = ReturnPush.objects.select_for_update(of=("self",)).filter(case=case).first()
    if push is None or push.status == PushStatus.RECALLED:
        return push
    supplier_return = SupplierReturn.objects.select_for_update(of=("self",)).filter(push=push).first()
    if supplier_return is not None and supplier_return.status != InboundStatus.PENDING:
        when = timezone.localtime(supplier_return.received_at)
        why = (
            f"{push.distribution_order.partnership.supplier.name} received return {supplier_return.number} on "
            f"{when:%Y-%m-%d %H:%M}: it cannot be recalled."
        )
        push.recall_refused = supplier_return.recall_refused = why[:300]
        push.save(update_fields=["recall_refused", "updated_at"])
        supplier_return.save(update_fields=["recall_refused", "updated_at"])
        events.on_both(push, supplier_return, T.RECALL_REFUSED, actor=actor, note=why)
        return push
    push.recall()
    push.save()
    if supplier_return is None:
        events.on_distributor(push, T.RECALLED, actor=actor, note=f"Case {case.number} cancelled")
        return push
    supplier_return.recall()
    supplier_return.save()
    events.on_both(push, supplier_return, T.RECALLED, actor=actor, note=f"Case {case.number} cancelled")
    return push


@transaction.atomic
def distribution_order_make(*, order, actor) -> DistributionOrder:
    """Make distribution order, once the seller fixed what refused it when the order shipped: the
    distribution order, then the record of each open case already on the order (those cases were
    created without one)."""
    ends = distribution_order_create(order=order, actor=actor)
    waiting = Case.objects.for_tenant(ends.tenant).filter(order_id=ends.order_id, type__in=PARCEL_TYPES)
    for case in waiting.exclude(status=CaseStatus.CANCELLED).filter(distribution_push__isnull=True):
        return_record_add(case=case)
    return ends
