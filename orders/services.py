"""Order writes: one function per user action, each atomic, each locking the order row first."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from channels.models import OutboundAction, OutboundKind
from core.errors import Refused
from core.tenancy import require_same_tenant
from inventory.models import SKU, MovementReason, StockMovement, Warehouse, WarehouseKind
from inventory.pricing import price_for
from inventory.services import expand_combo, stock_move
from orders.cancellation import BUYER_REQUEST_CHANNELS, cancel_rule_for
from orders.events import order_event
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderItem, OrderStatus


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("store", "warehouse").get(pk=order.pk)


def _outbound(order: Order, kind: OutboundKind, **payload) -> OutboundAction:
    return OutboundAction.objects.create(
        tenant_id=order.tenant_id,
        store=order.store,
        order=order,
        kind=kind,
        payload={"order_number": order.number, **payload},
    )


def _mark_cancelled(order: Order, *, reason: str) -> None:
    """The whole order is cancelled: every unit of every line, and the order itself."""
    order.items.update(cancelled_quantity=F("quantity"))
    order.status, order.cancelled_at, order.cancel_reason = OrderStatus.CANCELLED, timezone.now(), reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])


@transaction.atomic
def order_ship(*, order: Order, actor, tracking_number: str = "") -> Order:
    """Ship from the order's warehouse: one stock-out per (sub-)SKU, at most once per order line."""
    order = _lock(order)
    if order.status == OrderStatus.SHIPPED:
        return order
    if order.status not in (OrderStatus.NEW, OrderStatus.IN_PROCESS, OrderStatus.TO_PICKUP):
        raise Refused(f"Order {order.number} is {order.get_status_display()} and cannot be shipped.")
    for item in order.items.select_related("sku"):
        for sku, quantity in expand_combo(item.sku, item.open_quantity):
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
    order.status, order.shipped_at = OrderStatus.SHIPPED, timezone.now()
    order.tracking_number = tracking_number or order.tracking_number
    order.save(update_fields=["status", "shipped_at", "tracking_number", "updated_at"])
    order_event(order=order, type=OrderEvent.Type.SHIPPED, actor=actor)
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor, reason: str, items: dict[int, int] | None = None) -> Order:
    """Seller cancels the whole order, or (where the platform allows) some quantities of its items.

    `items` maps order-item id to the quantity to cancel. The platform hears of it through an
    outbox row written in this same transaction.
    """
    order = _lock(order)
    rule = cancel_rule_for(order)
    if reason not in rule.reasons:
        raise Refused(f"“{reason}” is not a {order.store.get_channel_display()} cancellation reason.")
    lines = {item.pk: item for item in order.items.all()}
    if items:
        if not rule.partial:
            raise Refused(f"{order.store.get_channel_display()} cancels whole orders only.")
        for item_id, quantity in items.items():
            item = lines.get(item_id)
            if item is None or not 0 < quantity <= item.open_quantity:
                raise Refused("Choose items of this order, each with a quantity between 1 and what is left.")
    wanted = items or {pk: item.open_quantity for pk, item in lines.items()}
    for item_id, quantity in wanted.items():
        item = lines[item_id]
        item.cancelled_quantity += quantity
        item.save(update_fields=["cancelled_quantity"])
    whole = all(item.open_quantity == 0 for item in lines.values())
    if whole:
        _mark_cancelled(order, reason=reason)
        _outbound(order, OutboundKind.CANCEL_ORDER, reason=reason)
        order_event(order=order, type=OrderEvent.Type.CANCELLED, actor=actor, reason=reason)
    else:
        _outbound(
            order,
            OutboundKind.CANCEL_ITEMS,
            reason=reason,
            items=[{"item_id": pk, "sku": lines[pk].sku.code, "quantity": q} for pk, q in wanted.items()],
        )
        order_event(
            order=order,
            type=OrderEvent.Type.ITEMS_CANCELLED,
            actor=actor,
            reason=reason,
            items={str(pk): q for pk, q in wanted.items()},
        )
    return order


@transaction.atomic
def cancel_request_answer(*, request: CancelRequest, actor, agree: bool) -> tuple[CancelRequest, str]:
    """Agree or Reject a buyer's cancellation request. Returns the request and a warning for the
    user (empty when none): an order a third-party warehouse has shipped must be settled there."""
    order = _lock(request.order)
    request = CancelRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CancelRequestStatus.PENDING:
        raise Refused(f"This request was already {request.get_status_display().lower()}.")
    if order.store.channel not in BUYER_REQUEST_CHANNELS:
        raise Refused(f"{order.store.get_channel_display()} has no buyer cancellation requests.")
    request.status = CancelRequestStatus.AGREED if agree else CancelRequestStatus.REJECTED
    request.answered_by, request.answered_at = actor, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    warning = ""
    if agree:
        if order.warehouse and order.warehouse.kind == WarehouseKind.THIRD_PARTY and order.shipped_at:
            warning = (
                f"Order {order.number} has already been shipped by the third-party warehouse "
                f"{order.warehouse.name}: settle the parcel with that warehouse."
            )
        _mark_cancelled(order, reason=request.reason)
    _outbound(order, OutboundKind.AGREE_CANCEL if agree else OutboundKind.REJECT_CANCEL, request_id=request.pk)
    order_event(
        order=order,
        actor=actor,
        type=OrderEvent.Type.CANCEL_REQUEST_AGREED if agree else OrderEvent.Type.CANCEL_REQUEST_REJECTED,
    )
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
    already done (a double click, a retry, another user at the same time)."""
    order = _lock(order)
    if order.status != OrderStatus.CANCELLED:
        raise Refused(f"Order {order.number} is not cancelled.")
    if order.cancel_stocked_in_at:
        return False
    for (sku, warehouse), quantity in stock_to_return(order).items():
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
    order_event(order=order, type=OrderEvent.Type.CANCEL_STOCKED_IN, actor=actor)
    return True


@transaction.atomic
def order_approve(*, order: Order, actor) -> Order:
    """Order Entry: Approve moves a manual order from Waiting to Approve to New Orders."""
    order = _lock(order)
    if order.status != OrderStatus.WAITING_APPROVAL:
        raise Refused(f"Order {order.number} is not waiting to approve.")
    order.status = OrderStatus.NEW
    order.save(update_fields=["status", "updated_at"])
    order_event(order=order, type=OrderEvent.Type.APPROVED, actor=actor)
    return order


@transaction.atomic
def order_entry_withdraw(*, order: Order, actor, reason: str) -> bool:
    """A manual order still Waiting to Approve is cancelled when what it was made for goes (the
    after-sales case of an exchange order). No platform knows of it, so nothing is sent. Returns
    False when it was already approved: it then follows the normal cancellation."""
    order = _lock(order)
    if order.status != OrderStatus.WAITING_APPROVAL:
        return False
    _mark_cancelled(order, reason=reason)
    order_event(order=order, type=OrderEvent.Type.CANCELLED, actor=actor, reason=reason)
    return True


@transaction.atomic
def order_entry_update(*, order: Order, actor, lines: dict[int, tuple[int, Decimal]], tracking_number: str) -> Order:
    """Order Entry edit: only while Waiting to Approve; the paid amount follows the lines."""
    order = _lock(order)
    if order.status != OrderStatus.WAITING_APPROVAL:
        raise Refused(
            f"Order {order.number} is {order.get_status_display()}; only orders waiting to approve are edited."
        )
    total = Decimal("0")
    for item in order.items.all():
        quantity, price = lines.get(item.pk, (item.quantity, item.unit_price))
        if quantity < 1 or price < 0:
            raise Refused("Quantities must be at least 1 and prices not negative.")
        item.quantity, item.unit_price = quantity, price
        item.save(update_fields=["quantity", "unit_price"])
        total += quantity * price
    order.paid_amount, order.tracking_number = total, tracking_number
    order.save(update_fields=["paid_amount", "tracking_number", "updated_at"])
    order_event(order=order, type=OrderEvent.Type.EDITED, actor=actor, paid_amount=str(total))
    return order


@transaction.atomic
def order_entry_create(*, tenant, actor, store, warehouse, buyer, lines) -> Order:
    """Order Entry: a manual order, Waiting to Approve. `lines` are (sku, quantity, unit price or None)."""
    require_same_tenant(tenant.pk, store, warehouse, buyer, *(sku for sku, _, _ in lines))
    order = Order.objects.create(
        tenant=tenant,
        store=store,
        warehouse=warehouse,
        buyer=buyer,
        status=OrderStatus.WAITING_APPROVAL,
        number=f"MO-{uuid.uuid4().hex[:10].upper()}",
        currency=store.currency,
        ordered_at=timezone.now(),
        is_manual=True,
        platform_status="",
    )
    total = Decimal("0")
    for sku, quantity, price in lines:
        unit_price = price if price is not None else price_for(sku=sku, tier=buyer.tier if buyer else None)
        OrderItem.objects.create(tenant=tenant, order=order, sku=sku, quantity=quantity, unit_price=unit_price)
        total += quantity * unit_price
    order.paid_amount = total
    order.save(update_fields=["paid_amount"])
    order_event(order=order, type=OrderEvent.Type.CREATED, actor=actor, paid_amount=str(total))
    return order
