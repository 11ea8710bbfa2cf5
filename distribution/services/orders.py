"""Distribution orders: a distributor's order fulfilled from a supplier warehouse makes both ends at
once, the distributor's `DistributionOrder` and the supplier's `StockOut` priced at shipment."""

from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from core.errors import Refused
from core.numbering import next_number
from distribution.models import (
    ZERO,
    DistributionOrder,
    Partnership,
    PartnershipStatus,
    PartnerWarehouse,
    SkuMapping,
    StockOut,
    StockOutLine,
)
from inventory.models import SKU, MovementReason
from inventory.services import expand_combo, stock_move
from orders import events as order_events
from orders.models import Order, OrderStatus


def supplier_lines(partnership: Partnership, lines: list[tuple[SKU, int]]) -> Counter:
    """The distributor's (SKU, quantity) lines as the supplier's: combos split into their sub-SKUs,
    each mapped to the supplier's SKU. {supplier SKU: quantity}; refused on the first unmapped one."""
    units: Counter = Counter()
    for sku, quantity in lines:
        for part, count in expand_combo(sku, quantity):
            units[part] += count
    mapped = {
        m.sku_id: m.supplier_sku
        for m in SkuMapping.objects.for_tenant(partnership.distributor)
        .filter(partnership=partnership)
        .select_related("supplier_sku")
    }
    out: Counter = Counter()
    for part, count in units.items():
        if part.pk not in mapped:
            raise Refused(
                f"{part.code} is not mapped to a SKU of {partnership.supplier}: map it under Distribution.",
                code="sku_not_mapped",
                sku=part.code,
            )
        out[mapped[part.pk]] += count
    return out


def _link(order: Order) -> PartnerWarehouse:
    """The partnership's warehouse `order` ships from, its partnership active, or Refused with why."""
    if order.shipped_at is None and order.status not in (OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        raise Refused(f"Order {order.number} has not shipped yet.", code="not_shipped")
    link = (
        PartnerWarehouse.objects.select_related("partnership__supplier", "supplier_warehouse")
        .filter(distributor_warehouse_id=order.warehouse_id, partnership__distributor_id=order.tenant_id)
        .first()
    )
    if link is None:
        raise Refused(f"Order {order.number} does not ship from a supplier warehouse.", code="not_distribution")
    if link.partnership.status != PartnershipStatus.ACTIVE:
        raise Refused(f"The partnership with {link.partnership.supplier} is not active.", code="partnership_inactive")
    return link


def _stock_out(ends: DistributionOrder, link: PartnerWarehouse, lines, distribution_fee: Decimal) -> StockOut:
    """The supplier's end, each line priced at shipment and taken out of the supplier's ledger."""
    order, partnership = ends.order, ends.partnership
    stock_out = StockOut.objects.create(
        tenant_id=partnership.supplier_id,
        number=next_number(tenant_id=partnership.supplier_id, prefix="SO"),
        partnership=partnership,
        distribution_order=ends,
        warehouse=link.supplier_warehouse,
        order_number=order.number,
        ordered_at=order.ordered_at,
        currency=order.currency,
        distribution_fee=distribution_fee,
        shipped_at=order.shipped_at or timezone.now(),
    )
    for sku, quantity in lines.items():
        line = StockOutLine.objects.create(
            tenant_id=stock_out.tenant_id,
            stock_out=stock_out,
            sku=sku,
            quantity=quantity,
            unit_price=sku.wholesale_price or ZERO,
        )
        stock_out.amount += line.unit_price * quantity
        stock_move(
            sku=sku,
            warehouse=link.supplier_warehouse,
            quantity=-quantity,
            reason=MovementReason.ORDER_SHIPPED,
            source=f"Stock-out {stock_out.number}",
            source_key=f"stockout:{stock_out.pk}:{sku.pk}",
        )
    stock_out.save(update_fields=["amount", "updated_at"])
    return stock_out


@transaction.atomic
def distribution_order_create(*, order: Order, actor=None, distribution_fee: Decimal = ZERO) -> DistributionOrder:
    """`order` shipped from a supplier warehouse (its shipping warehouse is one of a partnership's):
    the distributor's end, and the supplier's stock-out with each line's price at shipment (the
    supplier's wholesale price) and the stock taken out of the supplier's ledger. Once per order.
    Made when the order ships (receivers.py, `actor` None: the shipment is the authority), or by
    Make distribution order once the seller fixed what refused it."""
    if actor is not None:
        require_perm(actor, Perm.DISTRIBUTION)
        if actor.tenant_id != order.tenant_id:
            raise Refused("That belongs to another account.", code="other_tenant")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if existing := DistributionOrder.objects.filter(order=order).first():
        return existing
    link = _link(order)
    partnership = link.partnership
    items = [(item.sku, item.open_quantity) for item in order.items.select_related("sku")]
    lines = supplier_lines(partnership, [(sku, quantity) for sku, quantity in items if quantity > 0])
    ends = DistributionOrder.objects.create(
        tenant_id=order.tenant_id, partnership=partnership, order=order, warehouse_id=order.warehouse_id
    )
    _stock_out(ends, link, lines, distribution_fee)
    order_events.distribution_order_made(order=order, actor=actor, supplier=partnership.supplier.name)
    return ends
