"""Create After-Sales Order: the lines as entered, priced and checked against what the order holds
and has left to refund; the order row is locked, so two cases entered on one order take turns."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from accounts.permissions import Perm, require_perm
from aftersales import events, signals
from aftersales.limits import MAX_ADDED_UNITS, ZERO, order_refund_room, returnable_message
from aftersales.models import MANUAL_TYPES, Case, CaseLine, CaseStatus, CaseType, LineKind
from aftersales.services.details import _attach
from core.errors import Refused
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from core.numbering import next_number
from core.tenancy import require_same_tenant
from inventory.models import SKU
from inventory.pricing import line_amount, price_for
from inventory.services import refuse_inactive
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import ELIGIBLE_FOR_AFTERSALES

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineInput:
    """A line as the user entered it. `amount` None: quantity x unit price. `unit_price` None: the
    order line's price paid, or for an added SKU the buyer's tier price, else wholesale, else 0."""

    sku: SKU
    quantity: int
    amount: Decimal | None = None
    order_item: OrderItem | None = None
    unit_price: Decimal | None = None


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


def _lock_order(order: Order) -> Order:
    """The order row is the lock: two cases entered on one order at once cannot both take its last
    unit, nor both the rest of what it has left to refund."""
    return Order.objects.select_for_update(of=("self",)).select_related("buyer__tier", "store").get(pk=order.pk)


def _check_entry(order: Order, type: CaseType, returned: list[LineInput], exchange: list[LineInput]) -> None:
    """The order takes cases, and the case's type and lines go together."""
    if refusal := order_refusal(order):
        raise Refused(refusal, code="order_not_eligible")
    if type not in MANUAL_TYPES:
        raise Refused("Choose Return & Refund, Refund-Only or Exchange.", code="unknown_type")
    if not returned:
        raise Refused("Add at least one returned item.", code="no_returned_items")
    if type == CaseType.EXCHANGE and not exchange:
        raise Refused("An exchange needs at least one exchange item.", code="no_exchange_items")
    if type != CaseType.EXCHANGE and exchange:
        raise Refused("Only an Exchange has exchange items.", code="exchange_items_not_allowed")


def _priced_lines(
    order: Order, returned: list[LineInput], exchange: list[LineInput]
) -> tuple[list[PricedLine], list[PricedLine]]:
    """Every line priced and checked; the returned ones against what the order still holds."""
    priced_returned = [_priced(line, kind=LineKind.RETURNED, index=i, order=order) for i, line in enumerate(returned)]
    priced_exchange = [_priced(line, kind=LineKind.EXCHANGE, index=i, order=order) for i, line in enumerate(exchange)]
    _check_quantities(order, priced_returned)
    return priced_returned, priced_exchange


def _create_lines(case: Case, priced: list[PricedLine]) -> None:
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
        for p in priced
    )


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
    order = _lock_order(order)
    _check_entry(order, type, returned, exchange)
    priced_returned, priced_exchange = _priced_lines(order, returned, exchange)
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
    _create_lines(case, [*priced_returned, *priced_exchange])
    events.case_created(case=case, actor=actor, over_refund_note=over_refund_note, over_refund_beyond=beyond)
    for upload, content_type in attachments:
        _attach(case, actor, upload, content_type)
    signals.case_created.send(sender=Case, case=case, actor=actor)
    return case
