"""Each platform's cancellation rules (PRODUCT.md "Order cancellation", seed order-cancellation.txt)."""

from dataclasses import dataclass

from channels.models import Channel
from core.errors import Refused
from inventory.models import WarehouseKind


@dataclass(frozen=True)
class CancelRule:
    statuses: frozenset[str]  # platform statuses in which the seller may cancel
    reasons: tuple[str, ...]  # the platform's own reason list
    partial: bool  # may cancel chosen items, not only the whole order


SELLER_CANCEL = {
    Channel.SHOPEE: CancelRule(
        frozenset({"To Process", "Ready to Ship", "Processed"}),
        ("Pricing Error", "Buyer requests cancellation", "Out of Stock", "Not Support COD"),
        partial=False,
    ),
    Channel.LAZADA: CancelRule(
        frozenset({"Pending", "Repacked", "Packed", "Ready to Ship Pending"}),
        (
            "Out of Delivery Area",
            "Out of Stock",
            "Customer unreachable",
            "Duplicate order",
            "Wrong Price or Pricing Error",
            "Sourcing Delay",
            "System Error",
            "Incorrect or Incomplete Shipping Address",
        ),
        partial=True,
    ),
    Channel.TIKTOK: CancelRule(
        frozenset({"Awaiting Shipment", "Awaiting Collection"}),
        ("Out of Stock", "Pricing Error", "Unable to deliver to buyer's address"),
        partial=False,
    ),
}

BUYER_REQUEST_CHANNELS = frozenset({Channel.SHOPEE, Channel.TIKTOK, Channel.TOKOPEDIA})


def cancel_rule_for(order) -> CancelRule:
    """The rule for this order, or Refused saying why it cannot be cancelled here."""
    rule = SELLER_CANCEL.get(order.store.channel)
    if rule is None:
        raise Refused(
            f"Cancelling is not supported for {order.store.get_channel_display()} orders.", code="channel_cannot_cancel"
        )
    if order.status == "cancelled":
        raise Refused(f"Order {order.number} is already cancelled.", code="already_cancelled")
    if order.platform_status not in rule.statuses:
        allowed = ", ".join(sorted(rule.statuses))
        raise Refused(
            f"Order {order.number} is “{order.platform_status or 'unknown'}” on "
            f"{order.store.get_channel_display()}; it can only be cancelled while {allowed}.",
            code="platform_status",
            platform_status=order.platform_status,
        )
    return rule


def shipped_by_third_party(order) -> bool:
    """A third-party warehouse has already shipped the order: cancelling it on the platform does not
    bring the parcel back; the seller settles it with that warehouse."""
    return bool(order.warehouse_id and order.warehouse.kind == WarehouseKind.THIRD_PARTY and order.shipped_at)


def third_party_warning(order) -> str:
    """What to tell the user before and after agreeing to cancel such an order ('' when nothing); a
    supplier warehouse's parcel is the supplier's stock-out, settled with the supplier the same way."""
    if order.ships_from_supplier and order.shipped_at:
        return (
            f"Order {order.number} has already been shipped from the supplier warehouse {order.warehouse.name}: "
            "settle the parcel with the supplier."
        )
    if not shipped_by_third_party(order):
        return ""
    return (
        f"Order {order.number} has already been shipped by the third-party warehouse "
        f"{order.warehouse.name}: settle the parcel with that warehouse."
    )
