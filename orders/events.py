"""The order history: one writer per event type (Saleor's order/events.py), each with the named
fields its type records; the services call them in the same transaction as the change."""

from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent

T = OrderEvent.Type


def _write(order: Order, type: T, actor, **data) -> OrderEvent:
    return OrderEvent.objects.create(tenant_id=order.tenant_id, order=order, type=type, actor=actor, data=data)


def order_created(*, order: Order, actor) -> OrderEvent:
    """Entered in Order Entry (or generated for an exchange), with its paid amount."""
    return _write(order, T.CREATED, actor, paid_amount=str(order.paid_amount))


def order_edited(*, order: Order, actor) -> OrderEvent:
    return _write(order, T.EDITED, actor, paid_amount=str(order.paid_amount))


def order_approved(*, order: Order, actor) -> OrderEvent:
    return _write(order, T.APPROVED, actor)


def platform_refused(*, order: Order, action: str, message: str) -> OrderEvent:
    """The platform refused what was sent (`action`, as the outbox names it); the system undid it."""
    return _write(order, T.PLATFORM_REFUSED, None, action=action, reason=message)


def order_shipped(*, order: Order, actor) -> OrderEvent:
    return _write(order, T.SHIPPED, actor)


def distribution_order_made(*, order: Order, actor, supplier: str) -> OrderEvent:
    """Distribution made the order's distribution order: `supplier` fulfils it."""
    return _write(order, T.DISTRIBUTION_MADE, actor, supplier=supplier)


def distribution_order_refused(*, order: Order, actor, reason: str) -> OrderEvent:
    """Shipped from a supplier warehouse, but its distribution order could not be made: why. Said
    once while the reason stands (each case on the order asks again)."""
    tried = order.events.filter(type__in=[T.DISTRIBUTION_REFUSED, T.DISTRIBUTION_MADE])
    last = tried.order_by("-created_at", "-pk").first()
    if last is not None and last.type == T.DISTRIBUTION_REFUSED and last.data.get("reason") == reason:
        return last
    return _write(order, T.DISTRIBUTION_REFUSED, actor, reason=reason)


def order_cancelled(*, order: Order, actor, reason: str) -> OrderEvent:
    return _write(order, T.CANCELLED, actor, reason=reason)


def order_items_cancelled(*, order: Order, actor, reason: str, items: dict[int, int]) -> OrderEvent:
    """`items`: order-item id -> the quantity cancelled."""
    return _write(order, T.ITEMS_CANCELLED, actor, reason=reason, items={str(pk): q for pk, q in items.items()})


def cancel_request_answered(*, order: Order, actor, request: CancelRequest) -> OrderEvent:
    agreed = request.status == CancelRequestStatus.AGREED
    type = T.CANCEL_REQUEST_AGREED if agreed else T.CANCEL_REQUEST_REJECTED
    return _write(order, type, actor, reason=request.reason)


def order_cancel_stocked_in(*, order: Order, actor) -> OrderEvent:
    return _write(order, T.CANCEL_STOCKED_IN, actor)


def order_synced(
    *, order: Order, source: str, before: tuple[str, str], after: tuple[str, str], raw_status: str, needs_review: bool
) -> OrderEvent:
    """The platform moved the order: `before` and `after` are (our status, the platform's) as shown."""
    return _write(
        order,
        T.SYNCED,
        None,
        **{"from": before[1], "to": after[1]},
        raw=raw_status,
        status_from=before[0],
        status_to=after[0],
        needs_review=needs_review,
        source=source,
    )


def cancel_requested(*, order: Order, request: CancelRequest) -> OrderEvent:
    """The buyer asked the platform to cancel; the request reached us by the sync."""
    return _write(order, T.CANCEL_REQUESTED, None, reason=request.reason, request_id=request.external_id)
