"""After-sales case writes: one function per user action, each atomic, each locking the case row
(or, to create a case, the order row) first, so a double click or two users at once take turns
and the second finds the work done."""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from accounts.permissions import Perm, require_perm
from aftersales.events import case_event
from aftersales.limits import MAX_ADDED_UNITS, ZERO, order_refund_room, returnable_message
from aftersales.models import MANUAL_TYPES, Case, CaseAttachment, CaseEvent, CaseLine, CaseStatus, CaseType, LineKind
from core.errors import Refused
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from core.numbering import next_number
from core.tenancy import require_same_tenant
from inventory.models import SKU, Condition, MovementReason, Warehouse, WarehouseKind
from inventory.pricing import line_amount, price_for
from inventory.services import expand_combo, refuse_inactive, stock_move
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import ELIGIBLE_FOR_AFTERSALES
from orders.services import exchange_order_create, exchange_order_withdraw

CENT = Decimal("0.01")

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


@dataclass(frozen=True)
class LineInput:
    """A line as the user entered it. `amount` None: quantity x unit price. `unit_price` None: the
    order line's price paid, or for an added SKU the buyer's tier price, else wholesale, else 0."""

    sku: SKU
    quantity: int
    amount: Decimal | None = None
    order_item: OrderItem | None = None
    unit_price: Decimal | None = None


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


# --- creating a case -------------------------------------------------------------------------


def order_refusal(order: Order) -> str:
    """Why no after-sales case can be entered on this order ('' when it can)."""
    if order.status in ELIGIBLE_FOR_AFTERSALES:
        return ""
    allowed = ", ".join(OrderStatus(s).label for s in ELIGIBLE_FOR_AFTERSALES)
    return f"Order {order.number} is {order.get_status_display()}: after-sales cases are entered for {allowed} orders."


def returnable_by_sku(order: Order) -> dict[int, int]:
    """Per SKU on the order: what it holds less what its earlier (not cancelled) cases returned.
    SKUs not on the order are absent: they are bounded per case (`MAX_ADDED_UNITS`) instead."""
    held: Counter[int] = Counter()
    for item in order.items.all():
        held[item.sku_id] += item.quantity if order.status == OrderStatus.CANCELLED else item.open_quantity
    taken = (
        CaseLine.objects.filter(tenant_id=order.tenant_id, case__order=order, kind=LineKind.RETURNED)
        .filter(sku_id__in=list(held))
        .exclude(case__status=CaseStatus.CANCELLED)
        .values_list("sku_id", "quantity")
    )
    for sku_id, quantity in taken:
        held[sku_id] -= quantity
    return {sku_id: max(0, n) for sku_id, n in held.items()}


@dataclass(frozen=True)
class PricedLine:
    kind: LineKind
    index: int  # among the lines of its kind, so a page can show a refusal beside the line
    line: LineInput
    unit_price: Decimal
    amount: Decimal

    @property
    def priced_amount(self) -> Decimal:
        return line_amount(quantity=self.line.quantity, unit_price=self.unit_price)

    @property
    def is_over_price(self) -> bool:
        """A returned line's hand-typed amount above quantity x unit price."""
        return self.kind == LineKind.RETURNED and self.line.amount is not None and self.amount > self.priced_amount

    def refused(self, message: str, *, code: str, field: str, **figures) -> Refused:
        return Refused(
            f"{self.line.sku.code}: {message}", code=code, kind=self.kind, line=self.index, field=field, **figures
        )


def _priced(line: LineInput, *, kind: LineKind, index: int, order: Order) -> PricedLine:
    priced = PricedLine(kind=kind, index=index, line=line, unit_price=ZERO, amount=ZERO)
    if line.order_item is None:  # the order's own lines may name a SKU made inactive since
        refuse_inactive(line.sku, kind=kind, line=index, field="sku")
    if line.quantity is None or line.quantity < 1:
        raise priced.refused("the quantity must be at least 1.", code="quantity_below_one", field="quantity", limit=1)
    if line.quantity > MAX_LINE_QUANTITY:
        raise priced.refused(
            f"quantity {line.quantity} is more than the {MAX_LINE_QUANTITY} a line can hold.",
            code="quantity_out_of_range",
            field="quantity",
            limit=MAX_LINE_QUANTITY,
            quantity=line.quantity,
        )
    if line.amount is not None:
        if line.amount < 0:
            raise priced.refused("the amount cannot be negative.", code="amount_negative", field="amount", limit=ZERO)
        if line.amount > MAX_AMOUNT or line.amount != line.amount.quantize(CENT):
            raise priced.refused(
                f"amount {line.amount} is not an amount a line can hold (0.00 to {MAX_AMOUNT}, to the cent).",
                code="amount_out_of_range",
                field="amount",
                limit=MAX_AMOUNT,
                amount=line.amount,
            )
    unit_price = line.unit_price
    if unit_price is None:
        unit_price = line.order_item.unit_price if line.order_item else price_for(sku=line.sku, tier=_tier(order))
    if not ZERO <= unit_price <= MAX_AMOUNT:
        raise priced.refused(
            f"unit price {unit_price} is not a price a line can hold (0.00 to {MAX_AMOUNT}).",
            code="price_out_of_range",
            field="amount",
            limit=MAX_AMOUNT,
            unit_price=unit_price,
        )
    amount = line.amount if line.amount is not None else line_amount(quantity=line.quantity, unit_price=unit_price)
    if amount > MAX_AMOUNT:
        raise priced.refused(
            f"{line.quantity} x {unit_price} = {amount} is more than the {MAX_AMOUNT} a line can hold.",
            code="amount_out_of_range",
            field="quantity",
            limit=MAX_AMOUNT,
            amount=amount,
        )
    return PricedLine(kind=kind, index=index, line=line, unit_price=unit_price, amount=amount)


def _tier(order: Order):
    return order.buyer.tier if order.buyer_id else None


def _check_quantities(order: Order, returned: list[PricedLine]) -> None:
    """An order's SKU is returned at most as many times as the order still holds it; SKUs not on
    the order come to at most `MAX_ADDED_UNITS` units per case."""
    left = returnable_by_sku(order)
    wanted: Counter[int] = Counter()
    added = 0
    for priced in returned:
        line = priced.line
        if line.order_item is not None and line.order_item.order_id != order.pk:
            raise Refused(f"{line.sku.code} is not a line of order {order.number}.", code="not_on_order")
        if line.sku.pk in left:
            wanted[line.sku.pk] += line.quantity
            if wanted[line.sku.pk] > left[line.sku.pk]:
                raise Refused(
                    returnable_message(line.sku.code, left[line.sku.pk]),
                    code="above_returnable",
                    kind=priced.kind,
                    line=priced.index,
                    field="quantity",
                    limit=left[line.sku.pk],
                    quantity=wanted[line.sku.pk],
                )
        else:
            added += line.quantity
            if added > MAX_ADDED_UNITS:
                raise priced.refused(
                    f"{added} units of SKUs not on order {order.number} is more than the {MAX_ADDED_UNITS} "
                    "one case may add.",
                    code="added_units_above_limit",
                    field="quantity",
                    limit=MAX_ADDED_UNITS,
                    units=added,
                )


def _total(lines: list[PricedLine], label: str) -> Decimal:
    total = sum((p.amount for p in lines), ZERO)
    if total > MAX_AMOUNT:
        raise Refused(
            f"{label} {total} is more than the {MAX_AMOUNT} a case can hold.",
            code="total_out_of_range",
            limit=MAX_AMOUNT,
            total=total,
        )
    return total


def _check_over_refund(order: Order, actor, returned: list[PricedLine], total: Decimal, note: str) -> str:
    """A returned line above quantity x unit price, or a returned total above what the order has left
    to refund, needs the Over-Refund permission and a note. Returns what was exceeded ('' if nothing)."""
    currency = order.currency
    refusals: list[tuple[Refused, str]] = []
    for p in returned:
        if p.is_over_price:
            figures = f"{p.line.quantity} x {p.unit_price} = {p.priced_amount}"
            refusals.append(
                (
                    p.refused(
                        f"amount {p.amount} {currency} is more than {figures} {currency}.",
                        code="amount_above_price",
                        field="amount",
                        limit=p.priced_amount,
                        amount=p.amount,
                    ),
                    f"{p.line.sku.code} {p.amount} above {figures}",
                )
            )
    room = order_refund_room(order)
    if total > room.left:
        refusals.append(
            (
                room.refusal(f"Returned total {total} {currency}", total, left=room.left),
                f"returned total {total} above the {room.left} order {order.number} had left",
            )
        )
    if not refusals:
        return ""
    first = refusals[0][0]
    if not actor.has_perm(Perm.OVER_REFUND):
        raise Refused(
            f"{first.message} Going beyond it needs the {Perm.OVER_REFUND.label} permission and a note.",
            code=first.code,
            **first.figures,
        )
    if not note:
        raise Refused(
            f"{first.message} To go beyond it, say why in the over-refund note.",
            code="over_refund_note_missing",
            **{**first.figures, "field": "over_refund_note"},
        )
    return "; ".join(beyond for _, beyond in refusals)


@transaction.atomic
def case_create(
    *,
    tenant,
    actor,
    order: Order,
    type: CaseType,
    returned: list[LineInput],
    exchange: list[LineInput] = (),
    reason: str = "",
    notes: str = "",
    return_tracking_number: str = "",
    assignee=None,
    attachments: list[tuple] = (),
    over_refund_note: str = "",
) -> Case:
    """Create After-Sales Order: a manual case in To Confirm, its lines priced and totalled, never
    refunding more than the order has left unless an Over-Refund user says why."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    lines = [*returned, *exchange]
    require_same_tenant(
        tenant.pk, actor, order, assignee, *(line.sku for line in lines), *(line.order_item for line in lines)
    )
    # the order row is the lock: two cases entered on one order at once cannot both take its last
    # unit, nor both the rest of what it has left to refund
    order = Order.objects.select_for_update(of=("self",)).select_related("buyer__tier", "store").get(pk=order.pk)
    if refusal := order_refusal(order):
        raise Refused(refusal)
    if type not in MANUAL_TYPES:
        raise Refused("Choose Return & Refund, Refund-Only or Exchange.")
    if not returned:
        raise Refused("Add at least one returned item.")
    if type == CaseType.EXCHANGE and not exchange:
        raise Refused("An exchange needs at least one exchange item.")
    if type != CaseType.EXCHANGE and exchange:
        raise Refused("Only an Exchange has exchange items.")
    priced_returned = [_priced(line, kind=LineKind.RETURNED, index=i, order=order) for i, line in enumerate(returned)]
    priced_exchange = [_priced(line, kind=LineKind.EXCHANGE, index=i, order=order) for i, line in enumerate(exchange)]
    _check_quantities(order, priced_returned)
    returned_total = _total(priced_returned, "Returned total")
    exchange_total = _total(priced_exchange, "Exchange total")
    over_refund_note = over_refund_note.strip()
    beyond = _check_over_refund(order, actor, priced_returned, returned_total, over_refund_note)
    case = Case.objects.create(
        tenant_id=order.tenant_id,
        number=next_number(tenant_id=order.tenant_id, prefix="AS"),
        store=order.store,
        order=order,
        type=type,
        reason=reason,
        notes=notes,
        return_tracking_number=return_tracking_number.strip(),
        assignee=assignee,
        created_by=actor,
        currency=order.currency,
        returned_total=returned_total,
        exchange_total=exchange_total,
        over_refund_note=over_refund_note if beyond else "",
    )
    CaseLine.objects.bulk_create(
        CaseLine(
            tenant_id=case.tenant_id,
            case=case,
            kind=p.kind,
            order_item=p.line.order_item,
            sku=p.line.sku,
            quantity=p.line.quantity,
            unit_price=p.unit_price,
            amount=p.amount,
        )
        for p in (*priced_returned, *priced_exchange)
    )
    over_refund = {"over_refund": over_refund_note, "over_refund_beyond": beyond} if beyond else {}
    case_event(
        case=case,
        type=CaseEvent.Type.CREATED,
        actor=actor,
        type_label=case.get_type_display(),
        returned_total=str(case.returned_total),
        exchange_total=str(case.exchange_total),
        **over_refund,
    )
    for upload, content_type in attachments:
        _attach(case, actor, upload, content_type)
    return case


# --- confirming and stocking in ---------------------------------------------------------------


@transaction.atomic
def case_confirm(*, case: Case, actor) -> Case:
    """Confirm After-Sales: To Confirm -> Confirm Return / Confirm Refund / Confirm Exchange."""
    case = lock_case(case)
    from_status = transition_case(case, actor, "confirm")
    case_event(case=case, type=CaseEvent.Type.CONFIRMED, actor=actor, from_status=from_status)
    return case


def _stock_in(case: Case, actor, *, warehouse: Warehouse, received: dict[int, tuple[int, int]]) -> dict:
    """Put the returned lines back: `received` maps line id to (sellable, damaged) quantities."""
    require_same_tenant(case.tenant_id, warehouse)
    if warehouse.kind == WarehouseKind.SUPPLIER or not warehouse.is_active:
        raise Refused(
            f"{warehouse.name} does not take returns: choose one of your own active warehouses.",
            code="warehouse_not_receiving",
            field="warehouse",
        )
    lines = list(case.lines.filter(kind=LineKind.RETURNED).select_related("sku"))
    unknown = set(received) - {line.pk for line in lines}
    if unknown:
        raise Refused("Receive only the lines of this case.")
    for line in lines:  # every check before the first write
        sellable, damaged = received.get(line.pk, (0, 0))
        if sellable < 0 or damaged < 0:
            raise Refused(f"{line.sku.code}: quantities cannot be negative.", case_line=line.pk)
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
        raise Refused("Receive at least one item.")
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
    case.received_warehouse = warehouse
    case.save(update_fields=["received_warehouse", "updated_at"])
    return {"warehouse": warehouse.name, "lines": done}


@transaction.atomic
def case_confirm_and_stock_in(
    *, case: Case, actor, warehouse: Warehouse, condition: Condition = Condition.SELLABLE
) -> Case:
    """Confirm After-Sales and Stock-In: every returned item goes back at once -> Received Return."""
    case = lock_case(case)
    from_status = transition_case(case, actor, "confirm_and_stock_in")
    full = {
        line.pk: (line.quantity, 0) if condition == Condition.SELLABLE else (0, line.quantity)
        for line in case.lines.filter(kind=LineKind.RETURNED)
    }
    stocked = _stock_in(case, actor, warehouse=warehouse, received=full)
    case_event(case=case, type=CaseEvent.Type.CONFIRMED_AND_STOCKED_IN, actor=actor, from_status=from_status, **stocked)
    return case


@transaction.atomic
def case_receive(*, case: Case, actor, warehouse: Warehouse, received: dict[int, tuple[int, int]]) -> Case:
    """Stock-In / Return: the parcel is received into a warehouse -> Received Return. Once per case."""
    case = lock_case(case)
    if case.received_at:
        raise Refused(
            f"Case {case.number} was already received on {timezone.localtime(case.received_at):%Y-%m-%d %H:%M}."
        )
    from_status = transition_case(case, actor, "receive")
    stocked = _stock_in(case, actor, warehouse=warehouse, received=received)
    case_event(case=case, type=CaseEvent.Type.RECEIVED, actor=actor, from_status=from_status, **stocked)
    return case


# --- exchange, completion, cancellation, details ------------------------------------------------


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
    from refunds.models import RefundStatus

    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for cancelling.", code="reason_missing", field="reason")
    case = lock_case(case)
    from_status = transition_case(case, actor, "cancel", reason=reason)
    voided = []
    for refund in case.refunds.select_for_update().filter(status=RefundStatus.PROCESSING):
        refund.void(actor=actor)
        refund.save()
        voided.append(refund.number)
    if exchange_order_withdraw(case=case, actor=actor, reason=f"After-sales case {case.number} cancelled"):
        voided.append(case.exchange_order.number)
    case_event(
        case=case, type=CaseEvent.Type.CANCELLED, actor=actor, from_status=from_status, reason=reason, voided=voided
    )
    return case


@transaction.atomic
def case_update(*, case: Case, actor, return_tracking_number: str, assignee, notes: str) -> Case:
    """The details a case gathers on the way: tracking number, person in charge, notes."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor, assignee)
    case = lock_case(case)
    if case.status in (CaseStatus.COMPLETED, CaseStatus.CANCELLED):
        raise Refused(f"Case {case.number} is {case.get_status_display()} and cannot be edited.")
    new = {"return_tracking_number": return_tracking_number.strip(), "assignee": assignee, "notes": notes}
    changed = [field for field, value in new.items() if getattr(case, field) != value]
    if not changed:
        return case
    for field in changed:
        setattr(case, field, new[field])
    case.save(update_fields=[*changed, "updated_at"])
    case_event(case=case, type=CaseEvent.Type.EDITED, actor=actor, fields=changed)
    return case


@transaction.atomic
def attachment_add(*, case: Case, actor, upload, content_type: str) -> CaseAttachment:
    """Add buyer evidence while the case is open; `content_type` was read from the file's content
    by the form."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor)
    case = lock_case(case)
    if case.status in (CaseStatus.COMPLETED, CaseStatus.CANCELLED):
        raise Refused(
            f"Case {case.number} is {case.get_status_display()}: no more evidence can be added.", code="case_closed"
        )
    return _attach(case, actor, upload, content_type)


def _attach(case: Case, actor, upload, content_type: str) -> CaseAttachment:
    attachment = CaseAttachment.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        file=upload,
        name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    case_event(case=case, type=CaseEvent.Type.ATTACHMENT_ADDED, actor=actor, name=attachment.name)
    return attachment
