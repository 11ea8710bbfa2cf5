"""The supplier's side: Return & Stock-in - BigShop. A pushed return is stocked in through the
stock ledger, into one of the supplier's own warehouses, and moves to Received Return; the
distributor's case follows it there, with no movement on the distributor's ledger.

Locks: the distributor's case, then its push record, then the supplier return, the order
`case_cancel` takes them in (the case, then its recall), so a stock-in and a cancel take turns."""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from aftersales.models import Case, LineKind
from aftersales.services import case_receive_elsewhere, lock_case
from core.errors import Refused
from core.tenancy import require_same_tenant
from distribution import events
from distribution.models import DistributionOrder, InboundStatus, PartnerWarehouse, ReturnPush, SupplierReturn
from distribution.services.orders import supplier_lines
from inventory.models import Condition, MovementReason, Warehouse, WarehouseKind
from inventory.services import stock_move

T = events.T


def _check_lines(supplier_return: SupplierReturn, lines: list, received: dict[int, tuple[int, int]]) -> None:
    if set(received) - {line.pk for line in lines}:
        raise Refused("Receive only the lines of this return.", code="not_on_return")
    for line in lines:
        sellable, damaged = received.get(line.pk, (0, 0))
        if sellable < 0 or damaged < 0:
            raise Refused(f"{line.sku.code}: quantities cannot be negative.", code="quantity_negative")
        if sellable + damaged > line.quantity:
            raise Refused(
                f"{line.sku.code}: {sellable + damaged} received is more than the {line.quantity} expected.",
                code="above_expected",
                limit=line.quantity,
            )
    if not any(s + d for s, d in received.values()):
        raise Refused("Receive at least one item.", code="nothing_received")


@transaction.atomic
def supplier_return_receive(
    *, supplier_return: SupplierReturn, actor, warehouse: Warehouse, received: dict[int, tuple[int, int]]
) -> SupplierReturn:
    """Stock-in: `received` maps line id to (sellable, damaged). Once per return; own warehouses only."""
    require_perm(actor, Perm.RETURN_STOCKIN)
    require_same_tenant(actor.tenant_id, supplier_return, warehouse)
    case_id = ReturnPush.objects.filter(pk=supplier_return.push_id).values_list("case_id", flat=True).get()
    case = lock_case(Case(pk=case_id))  # the case first: see the module's note on locks
    push = ReturnPush.objects.select_for_update(of=("self",)).get(pk=supplier_return.push_id)
    supplier_return = SupplierReturn.objects.select_for_update(of=("self",)).get(pk=supplier_return.pk)
    if supplier_return.status != InboundStatus.PENDING:
        raise Refused(
            f"Return {supplier_return.number} is {supplier_return.get_status_display()}: nothing to stock in.",
            code="wrong_state",
        )
    if warehouse.kind != WarehouseKind.OWN or not warehouse.is_active:
        raise Refused(
            f"{warehouse.name} is not one of your own active warehouses: distribution returns go to those only.",
            code="not_own_warehouse",
            field="warehouse",
        )
    lines = list(supplier_return.lines.select_related("sku"))
    _check_lines(supplier_return, lines, received)
    for line in lines:
        sellable, damaged = received.get(line.pk, (0, 0))
        for condition, quantity in ((Condition.SELLABLE, sellable), (Condition.DAMAGED, damaged)):
            if quantity:
                stock_move(
                    sku=line.sku,
                    warehouse=warehouse,
                    quantity=quantity,
                    reason=MovementReason.RETURN_STOCK_IN,
                    condition=condition,
                    source=f"BigShop return {supplier_return.number}",
                    source_key=f"bigshop:{supplier_return.pk}:{line.pk}:{condition}",
                    actor=actor,
                )
        line.received_quantity = sellable + damaged
        line.save(update_fields=["received_quantity"])
    supplier_return.receive(actor=actor, warehouse=warehouse)
    supplier_return.save()
    when = f"{timezone.localtime(supplier_return.received_at):%Y-%m-%d %H:%M}"
    events.on_both(push, supplier_return, T.RECEIVED, actor=actor, note=f"Stocked in on {when}")
    case_receive_elsewhere(
        case=case,
        warehouse=_distributors_row(push, warehouse),
        note=f"Return {supplier_return.number} stocked in by {supplier_return.tenant.name} on {when}",
        received=_case_lines_received(push, case, lines),
    )
    return supplier_return


def _case_lines_received(push: ReturnPush, case: Case, lines: list) -> dict[int, int]:
    """The supplier's received units told as the case's returned lines: each line (a combo split, its
    parts mapped) takes the whole units of it the received stock covers, in the case's line order."""
    left: Counter = Counter({line.sku_id: line.received_quantity for line in lines})
    partnership = push.distribution_order.partnership
    received = {}
    for line in case.lines.filter(kind=LineKind.RETURNED).select_related("sku").order_by("pk"):
        per_unit = supplier_lines(partnership, [(line.sku, 1)])
        units = min(line.quantity, *(left[sku.pk] // count for sku, count in per_unit.items()))
        for sku, count in per_unit.items():
            left[sku.pk] -= units * count
        received[line.pk] = units
    return received


def _distributors_row(push: ReturnPush, warehouse: Warehouse) -> Warehouse:
    """The distributor's own row naming the supplier warehouse the parcel went into; the order's
    shipping warehouse when the partnership does not list that one."""
    ends = DistributionOrder.objects.select_related("warehouse").get(pk=push.distribution_order_id)
    link = PartnerWarehouse.objects.filter(partnership_id=ends.partnership_id, supplier_warehouse=warehouse)
    mirrored = link.select_related("distributor_warehouse").first()
    return mirrored.distributor_warehouse if mirrored else ends.warehouse


def supplier_returns_receive_all(*, returns, actor, warehouse: Warehouse) -> list[tuple[SupplierReturn, str]]:
    """Confirm Return on After Sales Orders - BigShop: each return stocked in whole, every expected
    item sellable, each in its own transaction. Per return, '' or why it was refused."""
    require_perm(actor, Perm.RETURN_STOCKIN)
    results = []
    for supplier_return in returns:
        full = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
        try:
            supplier_return_receive(supplier_return=supplier_return, actor=actor, warehouse=warehouse, received=full)
        except Refused as refusal:
            results.append((supplier_return, refusal.message))
        else:
            results.append((supplier_return, ""))
    return results
