"""Catalogue history: what each save in Settings changed on a SKU, a customer tier or a warehouse,
value by value, as the seller reads it on the item's page (labels and values written as shown)."""

from decimal import Decimal

from inventory.models import SKU, CatalogueChange, ComboItem, CustomerTier, TierPrice, Warehouse, WarehouseKind

Snapshot = dict[str, str]


def _shown(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def sku_snapshot(sku: SKU) -> Snapshot:
    """The SKU's values a seller edits: its fields, each tier price, each sub-SKU's quantity."""
    shot = {
        "SKU code": sku.code,
        "Product name": sku.name,
        "Wholesale price": _shown(sku.wholesale_price) if sku.wholesale_price is not None else "",
        "Active": _shown(sku.is_active),
    }
    prices = TierPrice.objects.filter(tenant_id=sku.tenant_id, sku=sku).select_related("tier").order_by("tier__name")
    shot |= {f"{price.tier.name} price": _shown(price.price) for price in prices}
    parts = ComboItem.objects.filter(tenant_id=sku.tenant_id, combo=sku).select_related("component")
    shot |= {f"Sub-SKU {part.component.code}": _shown(part.quantity) for part in parts.order_by("component__code")}
    return shot


def tier_snapshot(tier: CustomerTier) -> Snapshot:
    return {"Tier name": tier.name}


def warehouse_snapshot(warehouse: Warehouse) -> Snapshot:
    return {
        "Warehouse name": warehouse.name,
        "Warehouse code": warehouse.code,
        "Type": WarehouseKind(warehouse.kind).label,
        "Active": _shown(warehouse.is_active),
        "Default return warehouse": _shown(warehouse.is_default_return),
    }


SNAPSHOTS = {
    SKU: ("sku", sku_snapshot),
    CustomerTier: ("tier", tier_snapshot),
    Warehouse: ("warehouse", warehouse_snapshot),
}


def snapshot(item: SKU | CustomerTier | Warehouse) -> Snapshot:
    return SNAPSHOTS[type(item)][1](item)


def catalogue_changed(*, item, actor, before: Snapshot | None) -> CatalogueChange | None:
    """Record what changed on `item` since `before` (None: it was just created); nothing when nothing did."""
    after = snapshot(item)
    old = before or {}
    changes = [
        {"what": what, "from": old.get(what, ""), "to": after.get(what, "")}
        for what in [*after, *(what for what in old if what not in after)]
        if old.get(what, "") != after.get(what, "")
    ]
    if before is not None and not changes:
        return None
    field = SNAPSHOTS[type(item)][0]
    return CatalogueChange.objects.create(
        tenant_id=item.tenant_id, actor=actor, created=before is None, changes=changes, **{field: item}
    )
