"""Stock-In / Return: a case's returned lines go back into a warehouse."""

from django.db import transaction
from django.utils import timezone

from aftersales import events
from aftersales.models import Case, LineKind
from aftersales.scan_sources import stocked_elsewhere
from aftersales.services.transitions import check_transition, lock_case, transition_case
from core.errors import Refused
from core.tenancy import require_same_tenant
from inventory.models import Condition, MovementReason, Warehouse, WarehouseKind
from inventory.services import expand_combo, stock_move


def _stock_in(case: Case, actor, *, warehouse: Warehouse, received: dict[int, tuple[int, int]]) -> dict:
    """Put the returned lines back: `received` maps line id to (sellable, damaged) quantities.
    Returns, per SKU code, the sellable, damaged and expected quantities (for the timeline). The
    caller has checked the transition on the locked case, and runs and saves it after."""
    require_same_tenant(case.tenant_id, warehouse)
    if why := stocked_elsewhere(tenant=case.tenant, cases=[case]).get(case.pk):
        raise Refused(why, code="stocked_in_elsewhere")
    if warehouse.kind == WarehouseKind.SUPPLIER or not warehouse.is_active:
        raise Refused(
            f"{warehouse.name} does not take returns: choose one of your own active warehouses.",
            code="warehouse_not_receiving",
            field="warehouse",
        )
    lines = list(case.lines.filter(kind=LineKind.RETURNED).select_related("sku"))
    unknown = set(received) - {line.pk for line in lines}
    if unknown:
        raise Refused("Receive only the lines of this case.", code="not_on_case")
    for line in lines:  # every check before the first write
        sellable, damaged = received.get(line.pk, (0, 0))
        if sellable < 0 or damaged < 0:
            raise Refused(
                f"{line.sku.code}: quantities cannot be negative.", code="quantity_negative", case_line=line.pk
            )
        expected = line.quantity - line.received_quantity  # whatever the path, never past the case's line
        if sellable + damaged > expected:
            raise Refused(
                f"{line.sku.code}: {sellable + damaged} received is more than the {expected} expected"
                + (f" ({line.received_quantity} of {line.quantity} already in)." if line.received_quantity else "."),
                code="above_expected",
                case_line=line.pk,
                limit=expected,
                received=sellable + damaged,
            )
    if not any(sellable + damaged for sellable, damaged in received.values()):
        raise Refused("Receive at least one item.", code="nothing_received")
    done: dict[str, dict[str, int]] = {}  # per SKU code, for the timeline (two lines may share a SKU)
    for line in lines:
        sellable, damaged = received.get(line.pk, (0, 0))
        for condition, quantity in ((Condition.SELLABLE, sellable), (Condition.DAMAGED, damaged)):
            for sku, units in expand_combo(line.sku, quantity) if quantity else ():
                stock_move(
                    sku=sku,
                    warehouse=warehouse,
                    quantity=units,
                    reason=MovementReason.RETURN_STOCK_IN,
                    condition=condition,
                    source=f"After-sales case {case.number}",
                    source_key=f"case:{case.pk}:return:{line.pk}:{sku.pk}:{condition}",
                    actor=actor,
                    case=case,
                )
        line.received_quantity += sellable + damaged
        line.save(update_fields=["received_quantity"])
        sku_done = done.setdefault(line.sku.code, {"sellable": 0, "damaged": 0, "expected": 0})
        for key, quantity in (("sellable", sellable), ("damaged", damaged), ("expected", line.quantity)):
            sku_done[key] += quantity
    case.received_warehouse = warehouse  # saved with the transition that follows, in one UPDATE
    return done


@transaction.atomic
def case_confirm_and_stock_in(
    *, case: Case, actor, warehouse: Warehouse, condition: Condition = Condition.SELLABLE
) -> Case:
    """Confirm After-Sales and Stock-In: every returned item goes back at once -> Received Return."""
    case = lock_case(case)
    check_transition(case, actor, "confirm_and_stock_in")
    full = {
        line.pk: (line.quantity, 0) if condition == Condition.SELLABLE else (0, line.quantity)
        for line in case.lines.filter(kind=LineKind.RETURNED)
    }
    lines = _stock_in(case, actor, warehouse=warehouse, received=full)
    from_status = transition_case(case, actor, "confirm_and_stock_in")
    events.case_stocked_in(
        case=case, actor=actor, from_status=from_status, warehouse=warehouse, lines=lines, with_confirm=True
    )
    return case


@transaction.atomic
def case_receive(*, case: Case, actor, warehouse: Warehouse, received: dict[int, tuple[int, int]]) -> Case:
    """Stock-In / Return: the parcel is received into a warehouse -> Received Return. Once per case."""
    case = lock_case(case)
    if case.received_at:
        raise Refused(
            f"Case {case.number} was already received on {timezone.localtime(case.received_at):%Y-%m-%d %H:%M}.",
            code="already_received",
        )
    check_transition(case, actor, "receive")
    lines = _stock_in(case, actor, warehouse=warehouse, received=received)
    from_status = transition_case(case, actor, "receive")
    events.case_stocked_in(case=case, actor=actor, from_status=from_status, warehouse=warehouse, lines=lines)
    return case


@transaction.atomic
def case_receive_elsewhere(*, case: Case, warehouse: Warehouse | None, note: str, received: dict[int, int]) -> Case:
    """Another party (the supplier of a distribution order) stocked the parcel in, on its own ledger:
    the case moves to Received Return with no movement on this tenant's, `warehouse` its row naming
    where the parcel went. `received`: returned line id -> the quantity that came back. The caller holds the case's lock
    first (the order `case_cancel` takes it in), or this takes it."""
    case = lock_case(case)
    if warehouse is not None:
        require_same_tenant(case.tenant_id, warehouse)
    if case.received_at:
        raise Refused(f"Case {case.number} was already received.", code="already_received")
    check_transition(case, None, "receive_elsewhere")
    for line in case.lines.filter(kind=LineKind.RETURNED, pk__in=list(received)):
        line.received_quantity = min(line.quantity, max(0, received[line.pk]))
        line.save(update_fields=["received_quantity"])
    from_status = case.status
    case.receive_elsewhere(warehouse=warehouse)
    case.save()
    events.case_received_by_supplier(case=case, from_status=from_status, warehouse=warehouse, note=note)
    return case
