"""What the platform says about a store's orders, written into ours: one page at a time, idempotent.

`upsert(store, platform_orders, source)` reads the page's existing orders in one query (locked, so a
pull and a webhook re-fetch of the same order take turns), inserts the new ones in bulk (buyers,
orders and lines by COPY on PostgreSQL, orders counted in the same transaction exactly as
TenantQuerySet.bulk_create counts them: orders/bulk.py), and saves only the rows whose status really
changed, through the Order.sync transition (or the seller-cancel path when the platform cancelled),
each with one history line "Updated from the platform". The same payload twice writes nothing. An
unknown raw status keeps our status, stores the raw value as the platform status and marks the order
Needs review (a badge on the lists and the order page) until the platform says something we know.

Lines: a platform line's seller SKU is the seller's own SKU code (that is what sellers type in the
platform's listing), so it is matched to the tenant's SKU with that code. An unknown code is added to
the catalogue, named after the product and marked in its history as created by the sync: the line is
kept, its stock follows the ledger, and the seller can complete the SKU later in Settings.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection as db
from django.db import transaction
from django.utils import timezone

from channels.adapters.base import PlatformOrder
from channels.models import OutboundAction, OutboundStatus, Store
from channels.platforms import PLATFORMS
from channels.platforms.labels import status_label
from inventory.models import SKU, CatalogueChange
from orders import bulk, events
from orders.cancel_requests import order_status_requests
from orders.models import Buyer, CancelRequest, CancelRequestStatus, Order, OrderItem, OrderStatus
from orders.services import order_cancel_by_platform

CENT = Decimal("0.01")
LARGEST = Decimal("9999999999.99")  # what the amount columns hold
PLATFORM_CANCEL_REASON = "Cancelled on the platform"


@dataclass
class Upserted:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # not paid yet, or without an id we can keep

    def __iadd__(self, other: "Upserted") -> "Upserted":
        for name in ("created", "changed", "unchanged", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def money(value: Decimal | None) -> Decimal:
    try:
        amount = (value or Decimal(0)).quantize(CENT)
    except InvalidOperation:
        return Decimal(0)
    return amount if -LARGEST <= amount <= LARGEST else Decimal(0)


def shown_status(store: Store, order: PlatformOrder) -> tuple[str, bool]:
    """(platform_status to keep, needs review): the label the cancel rules compare with, or the raw
    status as sent when we do not know it (the order then needs review)."""
    label = status_label(store.channel, order.raw_status)
    review = order.status is None or label is None
    return (label or order.raw_status.strip()[:40] or "unknown"), review


def _keepable(store: Store, orders: list[PlatformOrder]) -> dict[str, PlatformOrder]:
    platform = PLATFORMS.get(store.channel)
    unpaid = {raw.lower() for raw in platform.awaiting_payment} if platform else set()
    page = {}
    for order in orders:
        if not order.id or len(order.id) > 64:
            continue
        if order.status is None and order.raw_status.strip().lower() in unpaid:
            continue  # not an order to work on until it is paid
        page[order.id] = order  # the last word on an order within a page wins
    return page


@transaction.atomic(savepoint=False)
def upsert(store: Store, platform_orders: list[PlatformOrder], source: str, *, skus: dict | None = None) -> Upserted:
    """Write one page of the platform's orders of `store`; `source` says why (pull, webhook, ...).
    `skus`: {code: SKU id} known so far, kept by the caller across the pages of one pull (it spares a
    query a page; a SKU in use cannot be deleted, and a stale one fails the page, which is retried)."""
    page = _keepable(store, platform_orders)
    result = Upserted(skipped=len(platform_orders) - len(page))
    if not page:
        return result
    existing = {order.number: order for order in _existing(store, list(page))}
    new = [order for number, order in page.items() if number not in existing]
    created = _create(store, new, {} if skus is None else skus) if new else []
    result.created = len(created)
    for number, order in existing.items():
        result.changed += _apply(store, order, page[number], source)
    result.unchanged = len(existing) - result.changed
    order_status_requests(store, page, existing, created, source)
    return result


def _existing(store: Store, numbers: list[str]) -> list[Order]:
    """The page's orders already here, locked, each marked `waiting_to_sync` (an action of the seller
    not yet sent) and `open_request` (a buyer's request pending). By (tenant, number), the store
    checked here: with the store in the WHERE clause the planner may walk the store's every order (its
    estimate for one store is poor) to find a page's 100. The marks are asked apart, only when some
    orders exist: as subqueries they cost more to plan than the whole read of a page of new orders."""
    rows = Order.objects.for_tenant(store.tenant).filter(number__in=numbers).select_for_update(of=("self",))
    orders = [order for order in rows.order_by("pk") if order.store_id == store.pk]
    if orders:
        pks = [order.pk for order in orders]
        sent = OutboundAction.objects.filter(order__in=pks, status=OutboundStatus.PENDING)
        asked = CancelRequest.objects.filter(order__in=pks, status=CancelRequestStatus.PENDING)
        waiting, requested = set(sent.values_list("order_id", flat=True)), set(asked.values_list("order_id", flat=True))
        for order in orders:
            order.waiting_to_sync, order.open_request = order.pk in waiting, order.pk in requested
    return orders


def _apply(store: Store, order: Order, seen: PlatformOrder, source: str) -> bool:
    """Bring one existing order to what the platform says; True when its status moved (one history
    line). An order with an action still waiting to sync keeps our status: the platform has not
    heard of the seller's change yet (the relay re-fetches it once sent)."""
    shown, review = shown_status(store, seen)
    target = order.status if review or order.waiting_to_sync else seen.status
    tracking = seen.tracking_number[:64] or order.tracking_number
    moved = target != order.status or shown != order.platform_status or review != order.needs_review
    if not moved:
        if tracking != order.tracking_number:
            order.tracking_number = tracking
            order.save(update_fields=["tracking_number", "updated_at"])
        return False
    before = (order.get_status_display(), order.platform_status)
    fields = ["platform_status", "needs_review", "tracking_number", "updated_at"]
    if target != order.status:
        if target == OrderStatus.CANCELLED:
            order_cancel_by_platform(order=order, reason=PLATFORM_CANCEL_REASON)
        else:
            order.sync(status=target)
            fields.append("status")
    order.platform_status, order.needs_review, order.tracking_number = shown, review, tracking
    order.save(update_fields=fields)
    events.order_synced(
        order=order,
        source=source,
        before=before,
        after=(order.get_status_display(), shown),
        raw_status=seen.raw_status[:64],
        needs_review=review,
    )
    return True


@dataclass(frozen=True)
class New:
    """An order this page adds: what its lines and its requests need of it."""

    pk: int
    number: str
    status: str


def _create(store: Store, new: list[PlatformOrder], skus: dict) -> list[New]:
    """Insert the page's new orders with their buyers and lines. Rows, not model instances: building
    a hundred Order objects a page cost more than PostgreSQL's insert of them."""
    now = timezone.now()
    buyer_rows, buyers = _buyers(store, new, now)
    rows = []
    for seen in new:
        shown, review = shown_status(store, seen)
        status = seen.status if not review else OrderStatus.NEW
        cancelled = status == OrderStatus.CANCELLED
        rows.append(
            [
                *(now, now, store.tenant_id, store.pk, seen.id, buyers[seen.id], status, shown, review),
                *((seen.amounts.currency or store.currency)[:3], money(seen.amounts.total)),
                *(seen.tracking_number[:64], seen.created_at or now),
                *((seen.updated_at or now, PLATFORM_CANCEL_REASON) if cancelled else (None, "")),
                *(None, None, None, False),
            ]
        )
    created = [New(pk, row[4], row[6]) for pk, row in zip(_insert(store, rows, buyer_rows), rows, strict=True)]
    bulk.insert(OrderItem, ITEM_FIELDS, _items(store, new, created, skus))
    return created


def _insert(store: Store, rows: list[list], buyer_rows: dict[str, tuple]) -> list[int]:
    """The new buyers, then the orders (counted), ids drawn for both in one round trip; COPY on
    PostgreSQL (orders.bulk), bulk_create elsewhere. Returns the orders' ids. A row's buyer_id holds,
    until here, the key of its buyer when that buyer is new."""
    at = ORDER_FIELDS.index("buyer_id")
    if db.vendor != "postgresql":
        drawn = dict(zip(buyer_rows, bulk.insert_with_ids(Buyer, BUYER_FIELDS, list(buyer_rows.values())), strict=True))
        orders = [Order(**dict(zip(ORDER_FIELDS, row, strict=True))) for row in rows]
        for order in orders:
            order.buyer_id = drawn.get(order.buyer_id, order.buyer_id)
        return [order.pk for order in Order.objects.bulk_create(orders)]  # counted by TenantQuerySet
    buyer_ids, order_ids = bulk.reserve_ids((Buyer, len(buyer_rows)), (Order, len(rows)))
    new_buyers = [(pk, *row) for pk, row in zip(buyer_ids, buyer_rows.values(), strict=True)]
    bulk.insert(Buyer, ("id", *BUYER_FIELDS), new_buyers)
    drawn = dict(zip(buyer_rows, buyer_ids, strict=True))
    for row in rows:
        row[at] = drawn.get(row[at], row[at])
    statuses = Counter(row[ORDER_FIELDS.index("status")] for row in rows)
    bulk.insert_counted(Order, ORDER_FIELDS, rows, order_ids, store=store, statuses=statuses)
    return order_ids


ORDER_FIELDS = (
    *("created_at", "updated_at", "tenant_id", "store_id", "number", "buyer_id", "status", "platform_status"),
    *("needs_review", "currency", "paid_amount", "tracking_number", "ordered_at", "cancelled_at", "cancel_reason"),
    *("cancel_stocked_in_at", "shipped_at", "warehouse_id", "is_manual"),
)
ITEM_FIELDS = ("tenant_id", "order_id", "sku_id", "quantity", "cancelled_quantity", "unit_price")


def _items(store: Store, new: list[PlatformOrder], orders: list[New], skus: dict) -> list[tuple]:
    """One row per (SKU, unit price) of each order: TikTok sends one line per unit, others a quantity."""
    names = {_code(line): line.product_name for seen in new for line in seen.items}
    unknown = {code: name for code, name in names.items() if code not in skus}
    page_skus = skus
    if unknown:
        found, added = _skus(store, unknown)
        skus |= found  # committed before this page; one added here is kept once a later page finds it
        page_skus = skus | added
    rows = []
    for seen, order in zip(new, orders, strict=True):
        lines: dict[tuple[str, Decimal], int] = defaultdict(int)
        for line in seen.items:
            price = money(line.sale_price if line.sale_price is not None else line.original_price)
            lines[_code(line), max(price, Decimal(0))] += max(1, int(getattr(line, "quantity", 1) or 1))
        cancelled = order.status == OrderStatus.CANCELLED
        for (code, price), quantity in lines.items():
            rows.append((store.tenant_id, order.pk, page_skus[code], quantity, quantity if cancelled else 0, price))
    return rows


def _code(line) -> str:
    return (line.seller_sku.strip() or line.sku_id.strip() or "UNKNOWN")[:60]


def _skus(store: Store, names: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """({SKU code: id} found, {code: id} added to the catalogue) for the page's codes."""
    catalogue = SKU.objects.for_tenant(store.tenant)
    found = dict(catalogue.filter(code__in=names).values_list("code", "pk"))
    missing = [code for code in names if code not in found]
    if not missing:
        return found, {}
    SKU.objects.bulk_create(
        [SKU(tenant_id=store.tenant_id, code=code, name=(names[code] or code)[:200]) for code in missing],
        ignore_conflicts=True,  # another worker may add the same code at the same time
    )
    added = dict(catalogue.filter(code__in=missing).values_list("code", "pk"))
    CatalogueChange.objects.bulk_create(
        CatalogueChange(
            tenant_id=store.tenant_id,
            sku_id=pk,
            created=True,
            changes=[{"what": "Created by the order sync", "from": "", "to": f"{store.name}: {names[code]}"[:200]}],
        )
        for code, pk in added.items()
    )
    return found, added


BUYER_FIELDS = ("created_at", "updated_at", "tenant_id", "name", "email", "phone", "external_id")


def _buyers(store: Store, new: list[PlatformOrder], now) -> tuple[dict[str, tuple], dict[str, object]]:
    """(rows of the buyers to add, by key; {order id: buyer id, or the key of a buyer to add}). The
    platform's buyer id finds a buyer synced before; the key of an unnamed buyer is the order id."""
    keys = {seen.id: f"{store.channel}:{seen.buyer.user_id}"[:80] for seen in new if seen.buyer.user_id}
    found = Buyer.objects.for_tenant(store.tenant).filter(external_id__in=keys.values())
    known = dict(found.values_list("external_id", "pk"))
    made: dict[str, tuple] = {}
    chosen: dict[str, object] = {}
    for seen in new:
        key = keys.get(seen.id) or seen.id
        if key not in known and key not in made:
            b, external_id = seen.buyer, keys.get(seen.id, "")
            name = (b.name or "Buyer")[:120]
            made[key] = (now, now, store.tenant_id, name, b.email[:254], b.phone[:40], external_id)
        chosen[seen.id] = known.get(key, key)
    return made, chosen
