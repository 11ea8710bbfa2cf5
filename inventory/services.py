from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from core.tenancy import require_same_tenant
from inventory.models import SKU, Condition, MovementReason, StockLevel, StockMovement, Warehouse

if TYPE_CHECKING:
    from aftersales.models import Case
    from orders.models import Order


def expand_combo(sku: SKU, quantity: int) -> list[tuple[SKU, int]]:
    """A combo moves its sub-SKUs; any other SKU moves itself."""
    if not sku.is_combo:
        return [(sku, quantity)]
    return [(item.component, item.quantity * quantity) for item in sku.components.select_related("component")]


@transaction.atomic
def stock_move(
    *,
    sku: SKU,
    warehouse: Warehouse,
    quantity: int,
    reason: MovementReason,
    source: str,
    source_key: str,
    actor=None,
    condition: Condition = Condition.SELLABLE,
    case: "Case | None" = None,
    order: "Order | None" = None,
) -> tuple[StockMovement, bool]:
    """Record one ledger movement and apply it to on-hand, once per `source_key`. `case` or
    `order` is the document it came from (None for an opening count or an adjustment).

    Returns (movement, created). A second call with the same key, sequential or concurrent (the
    unique constraint makes the later insert wait, then find the first), changes nothing.
    """
    require_same_tenant(sku.tenant_id, warehouse, case, order)
    movement, created = StockMovement.objects.get_or_create(
        tenant_id=sku.tenant_id,
        source_key=source_key,
        defaults={
            "sku": sku,
            "warehouse": warehouse,
            "condition": condition,
            "quantity": quantity,
            "reason": reason,
            "source": source,
            "actor": actor,
            "case": case,
            "order": order,
        },
    )
    if created:
        level, _ = StockLevel.objects.get_or_create(
            tenant_id=sku.tenant_id, sku=sku, warehouse=warehouse, condition=condition
        )
        StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + quantity)
    return movement, created
