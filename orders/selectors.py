from django.db.models import F, QuerySet

from channels.models import OutboundAction, OutboundKind, OutboundStatus
from channels.selectors import restricted_stores, stores_for_user
from core.counts import keep_counts
from core.tabs import ALL, count_by_status, grouped_counts
from inventory.models import StockMovement, WarehouseKind
from orders.filters import CancelRequestFilter, OrderFilter
from orders.models import Buyer, CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderStatus

# Order list tabs, in the order users know them, each with the statuses it shows; then All, which
# shows them all (not the orders waiting in Order Entry) and so counts their sum.
ORDER_TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "new": ("New Orders", (OrderStatus.NEW,)),
    "in_process": ("In Process Orders", (OrderStatus.IN_PROCESS,)),
    "to_pickup": ("To Pickup", (OrderStatus.TO_PICKUP,)),
    "shipped": ("Shipped", (OrderStatus.SHIPPED,)),
    "completed": ("Completed", (OrderStatus.COMPLETED,)),
    "cancelled": ("Voided / Cancelled", (OrderStatus.CANCELLED,)),
}
ORDER_TABS[ALL] = ("All", tuple(status for _, statuses in ORDER_TABS.values() for status in statuses))


# Buyers' cancel requests: those waiting for an answer first, then the answered ones, then All.
CANCEL_REQUEST_TABS: dict[str, str] = {
    CancelRequestStatus.PENDING: "Pending",
    CancelRequestStatus.AGREED: "Agreed",
    CancelRequestStatus.REJECTED: "Rejected",
    ALL: "All",
}


# After-sales cases are entered on these orders (PRODUCT.md).
ELIGIBLE_FOR_AFTERSALES = (OrderStatus.TO_PICKUP, OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def order_qs(*, tenant, user) -> QuerySet[Order]:
    """The orders this user may see: the tenant's, in the stores the user may work with."""
    orders = Order.objects.for_tenant(tenant)
    if not user.sees_all_stores:
        orders = orders.filter(store__in=stores_for_user(user=user))
    return orders


def order_list(*, tenant, user, statuses=(), params=None) -> QuerySet[Order]:
    """The orders this user may see in `statuses` (all when empty), filtered by `params` (the list's
    query string) through OrderFilter."""
    orders = order_qs(tenant=tenant, user=user)
    if statuses:
        orders = orders.filter(status__in=statuses)
    filters = OrderFilter(params, orders.select_related("store", "buyer"), tenant=tenant, user=user)
    if statuses:
        return filters.qs
    return keep_counts(filters.qs, filters, stores=restricted_stores(user=user))  # its tabs' counts are kept


def mark_waiting_to_sync(orders) -> None:
    """Set `waiting_to_sync` and `sync_failed` on a page of orders in one query (not a subquery per row)."""
    unsent = OutboundAction.objects.filter(
        order__in=[o.pk for o in orders], status__in=(OutboundStatus.PENDING, OutboundStatus.FAILED)
    ).values_list("order_id", "status")
    pending = {pk for pk, status in unsent if status == OutboundStatus.PENDING}
    failed = {pk for pk, status in unsent if status == OutboundStatus.FAILED}
    for order in orders:
        order.waiting_to_sync, order.sync_failed = order.pk in pending, order.pk in failed


def mark_platform_refusals(requests) -> None:
    """Set `refusal` on a page of cancel requests, in one query: the platform's words when it refused
    the answer given to a request now Pending again (orders.relay)."""
    refused = OutboundAction.objects.filter(
        order__in=[r.order_id for r in requests],
        kind__in=(OutboundKind.AGREE_CANCEL, OutboundKind.REJECT_CANCEL),
        status=OutboundStatus.REFUSED,
    ).order_by("created_at", "pk")
    said = {payload.get("request_id"): error for payload, error in refused.values_list("payload", "last_error")}
    for request in requests:
        request.refusal = said.get(request.pk, "") if request.status == CancelRequestStatus.PENDING else ""


def failed_actions(*, tenant, user, orders) -> QuerySet[OutboundAction]:
    """The Sync failed actions of these orders, among those the user may see."""
    visible = order_qs(tenant=tenant, user=user).filter(pk__in=[o.pk for o in orders])
    return OutboundAction.objects.for_tenant(tenant).filter(order__in=visible, status=OutboundStatus.FAILED)


def order_tab_counts(orders: QuerySet[Order]) -> dict[str, int]:
    """The count of every tab, for an `order_list` before its tab's statuses are chosen."""
    by_status = count_by_status(orders)
    return grouped_counts(by_status, {key: statuses for key, (_, statuses) in ORDER_TABS.items()})


def cancel_request_list(*, tenant, user, params=None) -> QuerySet[CancelRequest]:
    """Processing Orders > Cancel Order (every tab), newest first, filtered by `params`."""
    requests = (
        cancel_request_qs(tenant=tenant, user=user)
        .select_related("order__buyer", "order__warehouse", "answered_by")
        .order_by("-created_at", "-pk")
    )
    filters = CancelRequestFilter(params, requests, tenant=tenant, user=user)
    return keep_counts(filters.qs, filters, stores=restricted_stores(user=user))  # its tabs' counts are kept


def cancelled_to_stock_in(*, tenant, user) -> QuerySet[Order]:
    """Canceled orders whose stock left the warehouse and has not been put back yet (not those
    shipped from a supplier warehouse: that stock was the supplier's, never in this ledger)."""
    return (
        order_qs(tenant=tenant, user=user)
        .filter(status=OrderStatus.CANCELLED, shipped_at__isnull=False, cancel_stocked_in_at__isnull=True)
        .exclude(warehouse__kind=WarehouseKind.SUPPLIER)
    )


def cancel_request_qs(*, tenant, user) -> QuerySet[CancelRequest]:
    return (
        CancelRequest.objects.for_tenant(tenant)
        .filter(order__in=order_qs(tenant=tenant, user=user))
        .select_related("order__store")
    )


def canceled_orders(*, tenant, user, params=None) -> QuerySet[Order]:
    """Canceled Orders > Canceled: those still to stock in first."""
    return (
        order_list(tenant=tenant, user=user, statuses=(OrderStatus.CANCELLED,), params=params)
        .select_related("warehouse")
        .order_by(F("cancel_stocked_in_at").desc(nulls_first=True), "-cancelled_at", "-pk")
    )


def distribution_state(order: Order, events: list[OrderEvent]) -> dict:
    """An order shipped from a supplier warehouse has a distribution order (its supplier's stock-out),
    told by its history: the supplier it was made with, or why it was not (the last refusal)."""
    from_supplier = order.ships_from_supplier
    shipped = order.shipped_at is not None or order.status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED)
    made = [e for e in events if e.type == OrderEvent.Type.DISTRIBUTION_MADE]
    refused = [e for e in events if e.type == OrderEvent.Type.DISTRIBUTION_REFUSED]
    return {
        "distribution_supplier": made[-1].data.get("supplier", "") if made else "",
        "distribution_missing": from_supplier and shipped and not made,
        "distribution_refused": refused[-1].data.get("reason", "") if refused and not made else "",
    }


def order_detail_context(*, order: Order) -> dict:
    events = list(order.events.select_related("actor"))
    return {
        "items": order.items.select_related("sku"),
        "movements": StockMovement.objects.for_tenant(order.tenant)
        .filter(order=order)
        .select_related("sku", "warehouse", "actor"),
        "events": events,
        **distribution_state(order, events),
        "outbound": order.outbound_actions.order_by("-created_at"),
        "has_failed": order.outbound_actions.filter(status=OutboundStatus.FAILED).exists(),
        "cancel_requests": order.cancel_requests.order_by("-created_at"),
        "cases": order.cases.order_by("-created_at"),
        "eligible_statuses": ELIGIBLE_FOR_AFTERSALES,
    }


def buyer_qs(*, tenant) -> QuerySet[Buyer]:
    return Buyer.objects.for_tenant(tenant).select_related("tier").order_by("name")
