"""Distribution orders: a distributor's order fulfilled from a supplier warehouse makes both ends at
once, the distributor's `DistributionOrder` and the supplier's `StockOut` priced at shipment."""

from collections import Counter
from decimal import Decimal

from django.db import transaction

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
from orders.models import Order


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


@transaction.atomic
def distribution_order_create(*, order: Order, actor=None, distribution_fee: Decimal = ZERO) -> DistributionOrder:
    """`order` ships from a supplier warehouse (its shipping warehouse is one of a partnership's):
    the distributor's end, and the supplier's stock-out with each line's price at shipment (the
    supplier's wholesale price) and the stock taken out of the supplier's ledger. Once per order."""
    if actor is not None:
        require_perm(actor, Perm.DISTRIBUTION)
        if actor.tenant_id != order.tenant_id:
            raise Refused("That belongs to another account.", code="other_tenant")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if existing := DistributionOrder.objects.filter(order=order).first():
        return existing
    link = (
        PartnerWarehouse.objects.select_related("partnership__supplier", "supplier_warehouse")
        .filter(distributor_warehouse_id=order.warehouse_id, partnership__distributor_id=order.tenant_id)
        .first()
    )
    if link is None:
        raise Refused(f"Order {order.number} does not ship from a supplier warehouse.", code="not_distribution")
    partnership = link.partnership
    if partnership.status != PartnershipStatus.ACTIVE:
        raise Refused(f"The partnership with {partnership.supplier} is not active.", code="partnership_inactive")
    items = [(item.sku, item.quantity) for item in order.items.select_related("sku")]
    lines = supplier_lines(partnership, items)
    ends = DistributionOrder.objects.create(
        tenant_id=order.tenant_id, partnership=partnership, order=order, warehouse_id=order.warehouse_id
    )
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
    return ends
