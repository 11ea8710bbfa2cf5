"""Each platform's raw order status -> its label as the seller sees it on the platform (and in the
help-centre seeds), which Order.platform_status keeps and the cancel rules (orders/cancellation.py)
compare against. A raw status not listed here has no label: the sync keeps the raw value and marks
the order "needs review".

Shopee: Seller Centre's To Ship tab splits READY_TO_SHIP into "To Process" (no shipment arranged);
RETRY_SHIP (the courier comes again, shipment already arranged) is the seeds' "Ready to Ship".
Lazada: item statuses are matched case-insensitively; "toship" (packed, waiting for the ready-to-ship
call) is the seeds' "Ready to Ship Pending".
"""

from channels.models import Channel
from channels.platforms import lazada
from channels.platforms.common import CANCELLED, MAX_STATUS_LENGTH

STATUS_LABELS: dict[str, dict[str, str]] = {
    Channel.TIKTOK: {
        "UNPAID": "Unpaid",
        "ON_HOLD": "On Hold",
        "AWAITING_SHIPMENT": "Awaiting Shipment",
        "PARTIALLY_SHIPPING": "Partially Shipping",
        "AWAITING_COLLECTION": "Awaiting Collection",
        "IN_TRANSIT": "In Transit",
        "DELIVERED": "Delivered",
        "COMPLETED": "Completed",
        "CANCELLED": "Cancelled",
        "CANCEL": "Cancelled",
    },
    Channel.SHOPEE: {
        "UNPAID": "Unpaid",
        "PENDING": "Pending",
        "INVOICE_PENDING": "Invoice Pending",
        "READY_TO_SHIP": "To Process",
        "PROCESSED": "Processed",
        "RETRY_SHIP": "Ready to Ship",
        "SHIPPED": "Shipped",
        "TO_CONFIRM_RECEIVE": "To Confirm Receive",
        "IN_CANCEL": "In Cancellation",
        "CANCELLED": "Cancelled",
        "TO_RETURN": "To Return",
        "COMPLETED": "Completed",
    },
    Channel.LAZADA: {
        "unpaid": "Unpaid",
        "pending": "Pending",
        "topack": "Pending",
        "packed": "Packed",
        "repacked": "Repacked",
        "toship": "Ready to Ship Pending",
        "ready_to_ship": "Ready to Ship",
        "shipping": "Shipping",
        "shipped": "Shipped",
        "delivered": "Delivered",
        "returned": "Returned",
        "canceled": "Canceled",
        "failed": "Delivery Failed",
        "lost": "Lost",
    },
}
FOLD_CASE = frozenset({Channel.LAZADA})


def status_label(channel: str, raw: object) -> str | None:
    """The seller-facing label of a raw status, or None when it is not a documented one. A Lazada
    order's raw status is its items' statuses joined by commas: its label is the least advanced live
    item's, as its status is (channels.platforms.lazada.order_status)."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_STATUS_LENGTH:
        return None
    labels = STATUS_LABELS.get(channel, {})
    if channel in FOLD_CASE:
        parts = [part.strip().lower() for part in raw.split(",")]
        if not all(part in labels for part in parts):
            return None
        live = [part for part in parts if lazada.our_status(part) not in (CANCELLED, None)] or parts
        ranked = sorted(
            live, key=lambda part: lazada.PROGRESS.index(s) if (s := lazada.our_status(part)) in lazada.PROGRESS else -1
        )
        return labels[ranked[0]]
    return labels.get(raw.strip())


def _progress(lazada_status: str) -> int:
    """How far along a Lazada item status is (-1: not a forward status, such as failed or lost)."""
    ours = lazada.our_status(lazada_status)
    return lazada.PROGRESS.index(ours) if ours in lazada.PROGRESS else -1
