"""Order writes: one function per user action, each atomic, each locking the order row first."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed

from accounts.permissions import Perm, require_perm
from channels.models import OutboundAction, OutboundKind, OutboundStatus
from core import machines
from core.errors import Refused
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from core.numbering import next_number
from core.tenancy import require_same_tenant
from inventory.models import SKU, MovementReason, StockMovement, Warehouse
from inventory.pricing import price_for
from inventory.services import expand_combo, refuse_inactive, stock_move
from orders import events, signals
from orders.cancellation import cancel_rule_for, third_party_warning
from orders.models import (
    CancelRequest,
    Order,
    OrderItem,
    OrderStatus,
)

CENT = Decimal("0.01")


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("store", "warehouse").get(pk=order.pk)


def _outbound(order: Order, kind: OutboundKind, **payload) -> OutboundAction:
    """The outbox row the platform must hear of; the relay is woken after commit (the periodic relay
    delivers it anyway if this wake-up is lost)."""
    from orders.relay_tasks import deliver_outbox  # tasks load after the services they call

    action = OutboundAction.objects.create(
        tenant_id=order.tenant_id,
        store=order.store,
        order=order,
        kind=kind,
        payload={"order_number": order.number, **payload},
    )
    transaction.on_commit(deliver_outbox.delay)
    return action


def _undo_of(order: Order, lines) -> dict:
    """What undoes a cancel the platform may refuse (orders.relay): the status before it and the
    quantities it cancelled per line."""
    return {"previous_status": order.status, "undo_items": {str(item.pk): item.open_quantity for item in lines}}


def _mark_cancelled(order: Order, *, reason: str) -> None:
    """The whole order is cancelled: every unit of every line, and the order itself."""
    machines.check(order, None, "cancel")
    order.items.update(cancelled_quantity=F("quantity"))
    order.cancel(reason=reason)
    order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])


@transaction.atomic
def order_ship(*, order: Order, actor=None, tracking_number: str = "") -> Order:
    """Ship from the order's warehouse: one stock-out per (sub-)SKU, at most once per order line.

    Records what the platform (channel sync) or the seed says happened: no page ships an order,
    so no role is asked here. `actor` is None for the system. A page that ships must first give
    this a permission check (tests/core/test_service_permissions.py keeps it out of the views).

    From a supplier warehouse the stock is the supplier's: nothing leaves this tenant's ledger; the
    supplier's stock-out is made by distribution, told by `order_shipped`."""
    order = _lock(order)
    if order.status == OrderStatus.SHIPPED:
        return order
    machines.check(order, actor, "ship")
    ours = not order.ships_from_supplier
    for item in order.items.select_related("sku"):
        for sku, quantity in expand_combo(item.sku, item.open_quantity) if ours else ():
            stock_move(
                sku=sku,
                warehouse=order.warehouse,
                quantity=-quantity,
                reason=MovementReason.ORDER_SHIPPED,
                source=f"Order {order.number}",
                source_key=f"order:{order.pk}:ship:{item.pk}:{sku.pk}",
                actor=actor,
                order=order,
            )
        if item.unit_price_at_shipment is None:
            item.unit_price_at_shipment = item.unit_price
            item.save(update_fields=["unit_price_at_shipment"])
    order.ship(tracking_number=tracking_number)
    order.save(update_fields=["status", "shipped_at", "tracking_number", "updated_at"])
    events.order_shipped(order=order, actor=actor)
    signals.order_shipped.send(sender=Order, order=order, actor=actor)
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor, reason: str, items: dict[int, int] | None = None) -> Order:
    """Seller cancels the whole order, or (where the platform allows) some quantities of its items.

    `items` maps order-item id to the quantity to cancel. The platform hears of it through an
    outbox row written in this same transaction.
    """
    require_perm(actor, Perm.CANCEL_ORDERS)
    require_same_tenant(order.tenant_id, actor)
    order = _lock(order)
    rule = cancel_rule_for(order)
    if reason not in rule.reasons:
        raise Refused(
            f"“{reason}” is not a {order.store.get_channel_display()} cancellation reason.", code="unknown_reason"
        )
    lines = {item.pk: item for item in order.items.all()}
    if items:
        if not rule.partial:
            raise Refused(f"{order.store.get_channel_display()} cancels whole orders only.", code="whole_orders_only")
        for item_id, quantity in items.items():
            item = lines.get(item_id)
            if item is None or not 0 < quantity <= item.open_quantity:
                raise Refused(
                    "Choose items of this order, each with a quantity between 1 and what is left.",
                    code="item_quantity",
                )
    wanted = items or {pk: item.open_quantity for pk, item in lines.items()}
    undo = _undo_of(order, lines.values())
    for item_id, quantity in wanted.items():
        item = lines[item_id]
        item.cancelled_quantity += quantity
        item.save(update_fields=["cancelled_quantity"])
    whole = all(item.open_quantity == 0 for item in lines.values())
    if whole:
        _mark_cancelled(order, reason=reason)
        _outbound(order, OutboundKind.CANCEL_ORDER, reason=reason, **undo)
        events.order_cancelled(order=order, actor=actor, reason=reason)
    else:
        _outbound(
            order,
            OutboundKind.CANCEL_ITEMS,
            reason=reason,
            items=[{"item_id": pk, "sku": lines[pk].sku.code, "quantity": q} for pk, q in wanted.items()],
        )
        events.order_items_cancelled(order=order, actor=actor, reason=reason, items=wanted)
    return order


@transaction.atomic
def cancel_request_answer(*, request: CancelRequest, actor, agree: bool) -> tuple[CancelRequest, str]:
    """Agree or Reject a buyer's cancellation request. Returns the request and a warning for the
    user (empty when none): an order a third-party warehouse has shipped must be settled there."""
    require_perm(actor, Perm.CANCEL_ORDERS)
    require_same_tenant(request.tenant_id, actor)
    order = _lock(request.order)
    request = CancelRequest.objects.select_for_update().select_related("order__store").get(pk=request.pk)
    answer = "agree" if agree else "reject"
    machines.check(request, actor, answer)
    getattr(request, answer)(actor=actor)
    request.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    warning, undo = "", {}
    if agree:
        warning = third_party_warning(order)
        if can_proceed(order.cancel):  # not when the platform has cancelled it already
            undo = _undo_of(order, order.items.all())
            _mark_cancelled(order, reason=request.reason)
    kind = OutboundKind.AGREE_CANCEL if agree else OutboundKind.REJECT_CANCEL
    _outbound(order, kind, request_id=request.pk, **undo)
    events.cancel_request_answered(order=order, actor=actor, request=request)
    return request, warning


def stock_to_return(order: Order) -> dict[tuple[SKU, Warehouse], int]:
    """What a cancelled order's stock-in puts back: the net of what its shipment took out."""
    back: dict[tuple[SKU, Warehouse], int] = {}
    shipped = StockMovement.objects.for_tenant(order.tenant).filter(order=order, reason=MovementReason.ORDER_SHIPPED)
    for movement in shipped.select_related("sku", "warehouse"):
        key = (movement.sku, movement.warehouse)
        back[key] = back.get(key, 0) - movement.quantity
    return {key: quantity for key, quantity in back.items() if quantity > 0}


@transaction.atomic
def cancelled_order_stock_in(*, order: Order, actor) -> bool:
    """Canceled Orders Stock In: put the stock back, once per order. Returns False when it was
    already done (a double click, a retry, another user at the same time). The order desk does it
    from Canceled Orders, beside the cancellation: Cancel Orders, not the warehouse's Return Stock-In."""
    require_perm(actor, Perm.CANCEL_ORDERS)
    require_same_tenant(order.tenant_id, actor)
    order = _lock(order)
    if order.status != OrderStatus.CANCELLED:
        raise Refused(f"Order {order.number} is not cancelled.", code="not_cancelled")
    if order.cancel_stocked_in_at:
        return False
    back = stock_to_return(order)
    if not back and order.ships_from_supplier:
        raise Refused(
            f"Order {order.number} shipped from the supplier warehouse {order.warehouse.name}: that stock is the "
            "supplier's, nothing comes back into yours.",
            code="supplier_stock",
        )
    for (sku, warehouse), quantity in back.items():
        stock_move(
            sku=sku,
            warehouse=warehouse,
            quantity=quantity,
            reason=MovementReason.CANCEL_STOCK_IN,
            source=f"Canceled order {order.number}",
            source_key=f"order:{order.pk}:cancel-stock-in:{sku.pk}:{warehouse.pk}",
            actor=actor,
            order=order,
        )
    order.cancel_stocked_in_at = timezone.now()
    order.save(update_fields=["cancel_stocked_in_at", "updated_at"])
    events.order_cancel_stocked_in(order=order, actor=actor)
    return True


@transaction.atomic
def outbound_retry(*, actions, actor) -> list[OutboundAction]:
    """Retry actions that ended Sync failed (orders.relay): Waiting to sync again, tries counted from
    zero, delivery queued. Returns those retried; one not Sync failed any more (retried already: a
    double click) is left as it is."""
    from orders.relay_tasks import deliver_outbox

    require_perm(actor, Perm.CANCEL_ORDERS)
    require_same_tenant(actor.tenant_id, actor, *actions)
    locked = OutboundAction.objects.select_for_update().filter(
        pk__in=[a.pk for a in actions], status=OutboundStatus.FAILED
    )
    retried = list(locked.order_by("created_at", "pk"))
    for action in retried:
        action.status, action.attempts, action.next_attempt_at = OutboundStatus.PENDING, 0, None
        action.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    if retried:
        transaction.on_commit(deliver_outbox.delay)
    return retried


@transaction.atomic
def order_approve(*, order: Order, actor) -> Order:
    """Order Entry: Approve moves a manual order from Waiting to Approve to New Orders."""
    require_perm(actor, Perm.ORDER_ENTRY)
    require_same_tenant(order.tenant_id, actor)
    order = _lock(order)
    machines.check(order, actor, "approve")
    order.approve()
    order.save(update_fields=["status", "updated_at"])
    events.order_approved(order=order, actor=actor)
    return order


def _line_amount(code: str, quantity: int, price: Decimal, **where) -> Decimal:
    """quantity x price of one Order Entry line, each within what a line and the columns hold. `where`
    (line=, item=) tells the form which row a refusal is about."""
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise Refused(
            f"{code}: the quantity must be between 1 and {MAX_LINE_QUANTITY:,} per line.",
            code="quantity_out_of_range",
            quantity=quantity,
            limit=MAX_LINE_QUANTITY,
            field="quantity",
            **where,
        )
    if not (price.is_finite() and 0 <= price <= MAX_AMOUNT and price == price.quantize(CENT)):
        raise Refused(
            f"{code}: the unit price must be between 0.00 and {MAX_AMOUNT:,}, in cents.",
            code="price_out_of_range",
            price=price,
            limit=MAX_AMOUNT,
            field="price",
            **where,
        )
    return quantity * price


def _check_total(total: Decimal) -> None:
    if total > MAX_AMOUNT:
        raise Refused(
            f"The order amount {total:,} is above the largest an order can hold ({MAX_AMOUNT:,}).",
            code="amount_out_of_range",
            amount=total,
            limit=MAX_AMOUNT,
        )


@transaction.atomic
def order_entry_update(*, order: Order, actor, lines: dict[int, tuple[int, Decimal]], tracking_number: str) -> Order:
    """Order Entry edit: only while Waiting to Approve; the paid amount follows the lines."""
    require_perm(actor, Perm.ORDER_ENTRY)
    require_same_tenant(order.tenant_id, actor)
    order = _lock(order)
    if order.status != OrderStatus.WAITING_APPROVAL:
        raise Refused(
            f"Order {order.number} is {order.get_status_display()}; only orders waiting to approve are edited.",
            code="wrong_state",
        )
    items = list(order.items.select_related("sku"))
    total = Decimal("0")
    for item in items:  # every check before the first write
        item.quantity, item.unit_price = lines.get(item.pk, (item.quantity, item.unit_price))
        total += _line_amount(item.sku.code, item.quantity, item.unit_price, item=item.pk)
    _check_total(total)
    OrderItem.objects.bulk_update(items, ["quantity", "unit_price"])
    order.paid_amount, order.tracking_number = total, tracking_number
    order.save(update_fields=["paid_amount", "tracking_number", "updated_at"])
    events.order_edited(order=order, actor=actor)
    return order


@transaction.atomic
def order_entry_create(*, tenant, actor, store, warehouse, buyer, lines) -> Order:
    """Order Entry: a manual order, Waiting to Approve. `lines` are (sku, quantity, unit price or None)."""
    require_perm(actor, Perm.ORDER_ENTRY)
    require_same_tenant(tenant.pk, actor, store, warehouse, buyer, *(sku for sku, _, _ in lines))
    for line, (sku, _, _) in enumerate(lines):
        refuse_inactive(sku, line=line, field="sku")
    return _waiting_order(tenant=tenant, actor=actor, store=store, warehouse=warehouse, buyer=buyer, lines=lines)


@transaction.atomic
def exchange_order_create(*, case, actor, lines) -> Order:
    """Generate Exchange Order: the exchange order of an after-sales case, created on the case's
    authority (Manual After-Sales Order, not Order Entry), for the case's store, warehouse and
    buyer. It waits to approve like any manual order: the order desk (Order Entry) approves it.
    The case service checks the case itself (type, state, once per case) under its lock."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor, *(sku for sku, _, _ in lines))
    order = case.order
    return _waiting_order(
        tenant=case.tenant, actor=actor, store=case.store, warehouse=order.warehouse, buyer=order.buyer, lines=lines
    )


def _waiting_order(*, tenant, actor, store, warehouse, buyer, lines) -> Order:
    priced = []
    for line, (sku, quantity, price) in enumerate(lines):
        unit_price = price if price is not None else price_for(sku=sku, tier=buyer.tier if buyer else None)
        priced.append((sku, quantity, unit_price, _line_amount(sku.code, quantity, unit_price, line=line)))
    total = sum((amount for *_, amount in priced), Decimal("0"))
    _check_total(total)
    order = Order.objects.create(
        tenant=tenant,
        store=store,
        warehouse=warehouse,
        buyer=buyer,
        status=OrderStatus.WAITING_APPROVAL,
        number=next_number(tenant_id=tenant.pk, prefix="MO"),
        currency=store.currency,
        ordered_at=timezone.now(),
        is_manual=True,
        platform_status="",
        paid_amount=total,
    )
    OrderItem.objects.bulk_create(
        OrderItem(tenant=tenant, order=order, sku=sku, quantity=quantity, unit_price=unit_price)
        for sku, quantity, unit_price, _ in priced
    )
    events.order_created(order=order, actor=actor)
    return order


@transaction.atomic
def exchange_order_withdraw(*, case, actor, reason: str) -> bool:
    """The case's exchange order, still Waiting to Approve, is cancelled with the case (on the
    case's authority, like its creation). No platform knows of it, so nothing is sent. Returns
    False when there is none or it was already approved: it then follows the normal cancellation."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor)
    if not case.exchange_order_id:
        return False
    order = _lock(case.exchange_order)
    if order.status != OrderStatus.WAITING_APPROVAL:
        return False
    _mark_cancelled(order, reason=reason)
    events.order_cancelled(order=order, actor=actor, reason=reason)
    return True


def order_cancel_by_platform(*, order: Order, reason: str) -> Order:
    """The platform cancelled the order (its buyer, itself, or our cancel once sent). The same stock
    rule as the seller's cancellation: every unit cancelled, nothing moved now; what had shipped waits
    for Canceled Orders Stock In. The sync calls it on a row it holds locked, in its own transaction;
    no outbox row, the platform knows. The system acts: no role is asked."""
    _mark_cancelled(order, reason=reason)
    return order
