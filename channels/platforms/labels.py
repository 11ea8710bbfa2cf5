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
from channels.platforms.common import MAX_STATUS_LENGTH

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
    """The seller-facing label of a raw status, or None when it is not a documented one."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_STATUS_LENGTH:
        return None
    key = raw.strip().lower() if channel in FOLD_CASE else raw.strip()
    return STATUS_LABELS.get(channel, {}).get(key)
