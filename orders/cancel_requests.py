"""Buyers' cancellation requests as the platform tells them, written into Processing Orders > Cancel
Order. TikTok has request objects (Search Cancellations, with a cancel_id); Shopee has none: an order
in IN_CANCEL is the request (its id is the order_sn) and its next status ends it (CANCELLED: agreed,
anything else: refused). A pending request arrives once, with one "Buyer asked to cancel" line; one
the platform settled is moved to Agreed or Rejected (with its history line) when it is still pending
here. One answered here and waiting to sync is left as the seller answered it."""

from django.db import transaction

from channels.adapters.base import PlatformCancelRequest, PlatformOrder
from channels.models import Store
from channels.platforms import PLATFORMS
from channels.platforms.common import REQUEST_AGREED, REQUEST_PENDING, REQUEST_REJECTED
from orders import events
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderStatus

BUYER_REASON = "Buyer requests cancellation"


def requests_in_order_status(channel: str) -> bool:
    """True where the request is an order status (Shopee), not an object of its own."""
    platform = PLATFORMS.get(channel)
    return bool(platform) and any(platform.cancel_request_status(raw) for raw in platform.statuses)


def order_status_requests(
    store: Store, page: dict[str, PlatformOrder], existing: dict[str, Order], created: list, source: str
) -> None:
    """Open or settle the requests an order status carries, for the orders of one upserted page
    (`existing`: those read by the upsert; `created`: those it added, with their pk and number)."""
    if not requests_in_order_status(store.channel):
        return
    platform = PLATFORMS[store.channel]
    asking = {new.pk for new in created if platform.cancel_request_status(page[new.number].raw_status)}
    added = {o.number: o for o in Order.objects.for_tenant(store.tenant).filter(pk__in=asking)} if asking else {}
    for number, seen in page.items():
        order = existing.get(number) or added.get(number)
        if order is None:
            continue
        if platform.cancel_request_status(seen.raw_status) == REQUEST_PENDING:
            if not getattr(order, "open_request", False):
                _open(order, external_id=number, reason=seen.buyer_cancel_reason or BUYER_REASON)
        elif getattr(order, "open_request", False):
            request = order.cancel_requests.filter(status=CancelRequestStatus.PENDING).first()
            if request is not None:
                _settle(order, request, agreed=seen.status == OrderStatus.CANCELLED)


@transaction.atomic
def upsert_cancel_requests(store: Store, requests: list[PlatformCancelRequest], source: str) -> int:
    """Write one page of the platform's request objects (TikTok); returns how many rows moved. A
    request of an order we do not have (not paid, not synced yet) waits for a later page or pull."""
    wanted = {r.order_id for r in requests if r.id and r.status}
    rows = Order.objects.for_tenant(store.tenant).filter(number__in=wanted).select_for_update(of=("self",))
    orders = {o.number: o for o in rows.order_by("pk") if o.store_id == store.pk}  # see upsert._existing
    known = {
        r.external_id: r
        for r in CancelRequest.objects.for_tenant(store.tenant).filter(
            order__in=orders.values(), external_id__in=[r.id for r in requests]
        )
    }
    pending = {
        r.order_id: r
        for r in CancelRequest.objects.for_tenant(store.tenant).filter(
            order__in=orders.values(), status=CancelRequestStatus.PENDING
        )
    }
    moved = 0
    for seen in requests:
        order = orders.get(seen.order_id)
        if order is None or seen.status is None:
            continue
        mine = known.get(seen.id)
        if mine is None:
            other = pending.get(order.pk)
            if other is not None and not other.external_id:  # entered before we knew its id
                other.external_id = seen.id[:64]
                other.save(update_fields=["external_id", "updated_at"])
                mine = known[seen.id] = other
            elif other is None or seen.status != REQUEST_PENDING:
                mine = known[seen.id] = _open(order, external_id=seen.id, reason=seen.reason, status=seen.status)
                moved += 1
                if seen.status == REQUEST_PENDING:
                    pending[order.pk] = mine
                continue
        if mine is not None and mine.status == CancelRequestStatus.PENDING and seen.status != REQUEST_PENDING:
            mine.order = order
            _settle(order, mine, agreed=seen.status == REQUEST_AGREED)
            pending.pop(order.pk, None)
            moved += 1
    return moved


def _open(order: Order, *, external_id: str, reason: str, status: str = REQUEST_PENDING) -> CancelRequest:
    """A request as the platform has it (pending, or already settled when first seen)."""
    final = status if status in (REQUEST_AGREED, REQUEST_REJECTED) else CancelRequestStatus.PENDING
    request = CancelRequest.objects.create(
        tenant_id=order.tenant_id,
        order=order,
        reason=(reason or BUYER_REASON)[:200],
        external_id=external_id[:64],
        status=final,
    )
    events.cancel_requested(order=order, request=request)
    return request


def _settle(order: Order, request: CancelRequest, *, agreed: bool) -> None:
    """The platform settled it (the seller answered in the platform's own seller centre, the platform
    decided, or the buyer withdrew): the order itself follows from its own status."""
    request.order = order
    (request.agree if agreed else request.reject)(actor=None)
    request.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    events.cancel_request_answered(order=order, actor=None, request=request)
