"""The outbox relay: every channels.OutboundAction is delivered to its platform and ends Sent,
Refused (the local change undone) or Sync failed (after CHANNEL_OUTBOX_TRIES tries, with Retry).

One action at a time is claimed with FOR UPDATE SKIP LOCKED and its row stays locked through the
send. That breaks the house rule of "nothing external inside atomic()" on purpose: a worker killed
mid-send rolls its claim back, so the row is Waiting to sync again and the next worker sends it
with the same idempotency key, which the platform answers with its first answer. Nothing is lost
and the business action happens once. A store's actions go out in the order they were written: an
action waits while an older one of its store is still Waiting to sync (locked by another worker, or
backing off).

The relay is the system (actor None) working for every tenant: it reads rows by id, and each row
carries its tenant. Retry is a user's action: orders.services.outbound_retry.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from channels.adapters import CONNECTABLE
from channels.adapters.base import PlatformError, PlatformRefused
from channels.connections import session
from channels.models import Channel, OutboundAction, OutboundKind, OutboundStatus
from channels.signals import orders_changed
from core.errors import Refused
from inventory.models import MovementReason, StockMovement
from inventory.services import stock_move
from orders import events
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderStatus

logger = logging.getLogger(__name__)

A = OutboundStatus
# A platform that needs a reason to reject a buyer's request, and the one sent: the seller is asked
# for none (TikTok's reason names: marketplaces.md §1.4).
REJECT_REASONS = {Channel.TIKTOK: "seller_reject_apply_product_has_been_packed"}
MAX_BACKOFF = 3600  # seconds


class CannotSend(Exception):
    """This platform (or its adapter) has no call for the action: a refusal, said in our words."""


def deliver_due(*, limit: int = 100) -> int:
    """Deliver the actions that are due, one transaction each; how many were tried. An action is tried
    at most once per run, so a failing one backs off instead of spinning here."""
    tried: list[int] = []
    while len(tried) < limit:
        action = deliver_one(skip=tried)
        if action is None:
            break
        tried.append(action.pk)
    return len(tried)


def deliver_one(*, skip=()) -> OutboundAction | None:
    """Claim the oldest due action no other worker holds, send it, record how it ended."""
    with transaction.atomic():
        action = _claim(skip)
        if action is None:
            return None
        try:
            with transaction.atomic():  # a failure inside leaves the claim usable
                _send(action)
        except (PlatformRefused, CannotSend) as refusal:
            _refused(action, refusal)
        except (PlatformError, Refused) as failure:  # unreachable, garbled, not connected
            _failed(action, str(failure))
        except Exception as bug:  # never lose the row to our own error: it fails like any try, and is logged
            logger.exception("outbox action %s: sending failed", action.pk)
            _failed(action, f"Internal error while sending: {type(bug).__name__}")
        else:
            _sent(action)
    return action


def _claim(skip) -> OutboundAction | None:
    now = timezone.now()
    older = OutboundAction.objects.filter(store=OuterRef("store"), status=A.PENDING).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    return (
        OutboundAction.objects.filter(status=A.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(pk__in=list(skip))
        .exclude(Exists(older))
        .select_related("store", "order")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("created_at", "pk")
        .first()
    )


def _send(action: OutboundAction) -> None:
    key = str(action.idempotency_key)
    number = action.payload.get("order_number") or action.order.number
    if action.store.channel not in CONNECTABLE:  # a failed try, not a refusal: Retry once it is connectable
        raise Refused(f"{action.store.get_channel_display()} cannot be reached from here yet.", code="not_connectable")
    with session(action.store) as platform:
        token, shop = platform.access_token, platform.shop
        if action.kind == OutboundKind.CANCEL_ORDER:
            platform.adapter.cancel_order(token, shop, number, action.payload.get("reason", ""), key)
        elif action.kind in (OutboundKind.AGREE_CANCEL, OutboundKind.REJECT_CANCEL):
            request = CancelRequest.objects.get(pk=action.payload["request_id"], tenant_id=action.tenant_id)
            cancel_id = request.external_id or (number if action.store.channel == Channel.SHOPEE else "")
            if not cancel_id:
                raise CannotSend(f"The platform's id of the cancellation request on order {number} is not known.")
            agree = action.kind == OutboundKind.AGREE_CANCEL
            platform.adapter.answer_cancel_request(
                token,
                shop,
                cancel_id,
                approve=agree,
                idempotency_key=key,
                reason="" if agree else REJECT_REASONS.get(action.store.channel, ""),
            )
        elif hasattr(platform.adapter, "cancel_items"):
            items = action.payload.get("items", [])
            platform.adapter.cancel_items(token, shop, number, items, action.payload.get("reason", ""), key)
        else:
            raise CannotSend(f"{action.store.get_channel_display()} cannot cancel some items of an order here.")


def _sent(action: OutboundAction) -> None:
    action.status, action.delivered_at, action.last_error = A.DELIVERED, timezone.now(), ""
    action.attempts += 1
    action.save(update_fields=["status", "delivered_at", "last_error", "attempts", "updated_at"])
    _refetch(action, "sent")


def _failed(action: OutboundAction, why: str) -> None:
    """One more failed try: back off with jitter (so many actions do not come back in step), or give up."""
    action.attempts += 1
    action.last_error = why[:2000]
    if action.attempts >= settings.CHANNEL_OUTBOX_TRIES:
        action.status, action.next_attempt_at = A.FAILED, None
    else:
        delay = min(MAX_BACKOFF, settings.CHANNEL_OUTBOX_BACKOFF * 2 ** (action.attempts - 1))
        action.next_attempt_at = timezone.now() + timedelta(seconds=delay * (0.5 + random.random() / 2))
    action.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"])


def _refused(action: OutboundAction, refusal: Exception) -> None:
    message = refusal.message if isinstance(refusal, PlatformRefused) else str(refusal)
    channel = action.store.get_channel_display()
    action.status, action.last_error = A.REFUSED, f"{channel}: {message or 'refused, without a reason'}"[:2000]
    action.attempts += 1
    action.save(update_fields=["status", "last_error", "attempts", "updated_at"])
    if action.order_id:
        _undo(action)
        _refetch(action, "refused")  # what the platform says the order is now


def _refetch(action: OutboundAction, source: str) -> None:
    store, number = action.store, action.payload.get("order_number", "")
    if number:
        transaction.on_commit(lambda: orders_changed.send(sender=store, numbers=[number], source=source))


# Undoing what the platform refused


def _undo(action: OutboundAction) -> None:
    order = Order.objects.select_for_update(of=("self",)).get(pk=action.order_id)
    payload = action.payload
    if action.kind == OutboundKind.CANCEL_ITEMS:
        _restore_items(order, {str(line["item_id"]): line["quantity"] for line in payload.get("items", [])})
    elif action.kind == OutboundKind.CANCEL_ORDER or payload.get("previous_status"):
        _reopen(order, payload)
    if action.kind in (OutboundKind.AGREE_CANCEL, OutboundKind.REJECT_CANCEL):
        _reopen_request(payload["request_id"])
    events.platform_refused(order=order, action=action.get_kind_display(), message=action.last_error)


def _restore_items(order: Order, quantities: dict[str, int]) -> None:
    for item in order.items.filter(pk__in=[int(pk) for pk in quantities]):
        item.cancelled_quantity = max(0, item.cancelled_quantity - int(quantities[str(item.pk)]))
        item.save(update_fields=["cancelled_quantity"])


def _reopen(order: Order, payload: dict) -> None:
    """A refused cancel: its lines back, the order back to its status before (unless the platform has
    moved it since), and stock a Canceled Orders Stock In put back taken out again."""
    _restore_items(order, payload.get("undo_items", {}))
    if order.status != OrderStatus.CANCELLED:
        return
    order.sync(status=payload.get("previous_status") or OrderStatus.NEW)
    order.cancelled_at, order.cancel_reason = None, ""
    fields = ["status", "cancelled_at", "cancel_reason", "updated_at"]
    if order.cancel_stocked_in_at:
        _reverse_stock_in(order)
        order.cancel_stocked_in_at = None
        fields.append("cancel_stocked_in_at")
    order.save(update_fields=fields)


def _reverse_stock_in(order: Order) -> None:
    stocked = StockMovement.objects.for_tenant(order.tenant_id).filter(
        order=order, reason=MovementReason.CANCEL_STOCK_IN
    )
    for movement in stocked.select_related("sku", "warehouse"):
        stock_move(
            sku=movement.sku,
            warehouse=movement.warehouse,
            quantity=-movement.quantity,
            reason=MovementReason.ADJUSTMENT,
            source=f"Cancel of order {order.number} refused by the platform",
            source_key=f"order:{order.pk}:cancel-refused:{movement.pk}",
            order=order,
        )


def _reopen_request(request_id: int) -> None:
    request = CancelRequest.objects.select_for_update().get(pk=request_id)
    newer = CancelRequest.objects.filter(order_id=request.order_id, status=CancelRequestStatus.PENDING)
    if request.status == CancelRequestStatus.PENDING or newer.exists():  # one pending request per order
        return
    request.reopen()
    request.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
