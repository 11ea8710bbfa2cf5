from django.db import models
from django.db.models import Count, Q, QuerySet, Value, When

from channels.selectors import stores_for_user
from inventory.filters import LedgerFilter, SKUFilter, StockFilter, TierFilter, WarehouseFilter
from inventory.models import (
    SKU,
    ComboItem,
    CustomerTier,
    StockLevel,
    StockMovement,
    TierPrice,
    Warehouse,
    WarehouseKind,
)


def warehouse_qs(*, tenant) -> QuerySet[Warehouse]:
    return Warehouse.objects.for_tenant(tenant)


def sku_qs(*, tenant) -> QuerySet[SKU]:
    return SKU.objects.for_tenant(tenant)


def sku_choices(*, tenant) -> QuerySet[SKU]:
    """The SKUs a picker offers for a new order or case: the active ones (documents that already
    name an inactive SKU still show it)."""
    return sku_qs(tenant=tenant).filter(is_active=True)


def tier_qs(*, tenant) -> QuerySet[CustomerTier]:
    return CustomerTier.objects.for_tenant(tenant).order_by("name", "pk")


SKU_STATUSES = {"active": True, "inactive": False}


def _skus(*, tenant, params) -> QuerySet[SKU]:
    return SKUFilter(params, sku_qs(tenant=tenant), tenant=tenant).qs


def sku_list(*, tenant, status: str = "", params=None) -> QuerySet[SKU]:
    """Settings > Products: the tenant's SKUs by code, filtered by `params` through SKUFilter, active
    or inactive (`status`, '' for both), each with its number of sub-SKUs and tier prices."""
    skus = _skus(tenant=tenant, params=params)
    if status in SKU_STATUSES:
        skus = skus.filter(is_active=SKU_STATUSES[status])
    return skus.annotate(
        component_count=Count("components", distinct=True), tier_price_count=Count("tier_prices", distinct=True)
    ).order_by("code", "pk")


def sku_status_counts(*, tenant, params=None) -> dict[str, int]:
    skus = _skus(tenant=tenant, params=params)
    counts = dict(skus.order_by().values_list("is_active").annotate(n=Count("pk")).values_list("is_active", "n"))
    return {"active": counts.get(True, 0), "inactive": counts.get(False, 0), "all": sum(counts.values())}


def sku_tier_prices(*, sku: SKU) -> dict[int, object]:
    """Tier id -> this SKU's price for that tier."""
    return dict(TierPrice.objects.for_tenant(sku.tenant_id).filter(sku=sku).values_list("tier_id", "price"))


def combo_components(*, sku: SKU) -> QuerySet[ComboItem]:
    return ComboItem.objects.for_tenant(sku.tenant_id).filter(combo=sku).select_related("component").order_by("pk")


def component_choices(*, tenant, combo: SKU | None = None) -> QuerySet[SKU]:
    """What a combo may hold: the active single SKUs, and whatever it already holds."""
    skus = sku_qs(tenant=tenant).filter(is_combo=False)
    held = Q(pk__in=combo_components(sku=combo).values("component_id")) if combo is not None else Q(pk__in=[])
    return skus.filter(Q(is_active=True) | held)


def tier_list(*, tenant, params=None) -> QuerySet[CustomerTier]:
    tiers = TierFilter(params, tier_qs(tenant=tenant), tenant=tenant).qs
    return tiers.annotate(price_count=Count("prices", distinct=True), buyer_count=Count("buyers", distinct=True))


def warehouse_list(*, tenant, params=None) -> QuerySet[Warehouse]:
    return WarehouseFilter(params, warehouse_qs(tenant=tenant), tenant=tenant).qs.order_by("name", "pk")


def stock_levels(*, tenant, params=None) -> QuerySet[StockLevel]:
    """On-hand rows of the tenant, one per SKU, warehouse and condition, filtered by `params` through
    StockFilter (a search in the SKU's code or name, a warehouse)."""
    levels = StockLevel.objects.for_tenant(tenant).select_related("sku", "warehouse")
    levels = StockFilter(params, levels, tenant=tenant).qs
    return levels.order_by("sku__code", "warehouse__name", "condition", "pk")


def sku_stock_levels(*, tenant, sku: SKU) -> QuerySet[StockLevel]:
    """The SKU's current on-hand per warehouse and condition."""
    return (
        StockLevel.objects.for_tenant(tenant)
        .filter(sku=sku)
        .select_related("warehouse")
        .order_by("warehouse__name", "condition", "pk")
    )


def sku_ledger(*, tenant, user, sku: SKU, params=None) -> QuerySet[StockMovement]:
    """The SKU's stock movements, newest first, filtered by `params` through LedgerFilter. Stock is
    shared by every store, so every movement is listed and the rows add up to on-hand; but
    `source_shown` is False where the source is an order or case of a store this user may not work
    with, whose number the page then hides."""
    movements = LedgerFilter(params, StockMovement.objects.for_tenant(tenant).filter(sku=sku), tenant=tenant).qs
    if user.sees_all_stores:
        shown = Value(True)
    else:
        stores = stores_for_user(user=user)
        own = Q(order__store__in=stores) | Q(case__store__in=stores) | Q(order__isnull=True, case__isnull=True)
        shown = models.Case(When(own, then=True), default=False, output_field=models.BooleanField())
    return movements.annotate(source_shown=shown).select_related("warehouse", "actor").order_by("-created_at", "-pk")


def receiving_warehouses(*, tenant) -> QuerySet[Warehouse]:
    """Where a returned parcel may go: the tenant's own or third-party warehouses, still active."""
    return warehouse_qs(tenant=tenant).filter(is_active=True).exclude(kind=WarehouseKind.SUPPLIER)
