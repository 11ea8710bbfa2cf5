from django.db.models import Q, QuerySet

from inventory.models import SKU, StockLevel, StockMovement, Warehouse


def warehouse_qs(*, tenant) -> QuerySet[Warehouse]:
    return Warehouse.objects.for_tenant(tenant)


def sku_qs(*, tenant) -> QuerySet[SKU]:
    return SKU.objects.for_tenant(tenant)


def stock_levels(*, tenant, query: str = "", warehouse_id: int | None = None) -> QuerySet[StockLevel]:
    """On-hand rows of the tenant, one per SKU, warehouse and condition; `query` matches the SKU's
    code or name."""
    levels = StockLevel.objects.for_tenant(tenant).select_related("sku", "warehouse")
    if query:
        levels = levels.filter(Q(sku__code__icontains=query) | Q(sku__name__icontains=query))
    if warehouse_id is not None:
        levels = levels.filter(warehouse_id=warehouse_id)
    return levels.order_by("sku__code", "warehouse__name", "condition", "pk")


def sku_stock_levels(*, tenant, sku: SKU) -> QuerySet[StockLevel]:
    """The SKU's current on-hand per warehouse and condition."""
    return (
        StockLevel.objects.for_tenant(tenant)
        .filter(sku=sku)
        .select_related("warehouse")
        .order_by("warehouse__name", "condition", "pk")
    )


def sku_ledger(*, tenant, sku: SKU) -> QuerySet[StockMovement]:
    """The SKU's stock movements, newest first."""
    return (
        StockMovement.objects.for_tenant(tenant)
        .filter(sku=sku)
        .select_related("warehouse", "actor")
        .order_by("-created_at", "-pk")
    )
