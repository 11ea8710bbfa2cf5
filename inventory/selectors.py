from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from channels.selectors import store_qs, stores_for_user
from inventory.filters import LedgerFilter, SKUFilter, StockFilter, TierFilter, WarehouseFilter
from inventory.models import (
    SKU,
    CatalogueChange,
    ComboItem,
    Condition,
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


SKU_MATCHES = 10  # options a SKU picker shows at once


def sku_matches(*, tenant, query: str, single: bool = False) -> list[SKU]:
    """What a SKU picker offers for `query`: active SKUs whose code or name holds it (an exact code
    first, then codes starting with it), singles only if `single`; each with `on_hand`, its sellable
    stock over every warehouse (for a combo: how many whole combos its sub-SKUs make)."""
    query = query.strip()
    if not query:
        return []
    sellable = (
        StockLevel.objects.filter(tenant=tenant, sku=OuterRef("pk"), condition=Condition.SELLABLE)
        .values("sku")
        .annotate(total=Sum("on_hand"))
        .values("total")
    )
    skus = sku_choices(tenant=tenant).filter(Q(code__icontains=query) | Q(name__icontains=query))
    if single:
        skus = skus.filter(is_combo=False)
    rank = models.Case(
        When(code__iexact=query, then=0), When(code__istartswith=query, then=1), default=2, output_field=IntegerField()
    )
    found = list(
        skus.annotate(rank=rank, on_hand=Coalesce(Subquery(sellable), 0)).order_by("rank", "code")[:SKU_MATCHES]
    )
    _combo_stock([sku for sku in found if sku.is_combo], tenant=tenant)
    return found


def _combo_stock(combos: list[SKU], *, tenant) -> None:
    if not combos:
        return
    items = ComboItem.objects.for_tenant(tenant).filter(combo__in=combos)
    parts = items.values_list("combo_id", "component_id", "quantity")
    levels = dict(
        StockLevel.objects.for_tenant(tenant)
        .filter(sku__in=items.values("component_id"), condition=Condition.SELLABLE)
        .values("sku")
        .annotate(total=Sum("on_hand"))
        .values_list("sku", "total")
    )
    makes: dict[int, int] = {}
    for combo_id, component_id, quantity in parts:
        whole = max(0, levels.get(component_id, 0)) // quantity
        makes[combo_id] = min(makes.get(combo_id, whole), whole)
    for combo in combos:
        combo.on_hand = makes.get(combo.pk, 0)


def main_currency(*, tenant) -> str:
    """The currency most of the tenant's stores sell in ('' without a store): catalogue prices are
    shown in it where no order says otherwise."""
    row = store_qs(tenant=tenant).values("currency").annotate(n=Count("pk")).order_by("-n", "currency").first()
    return row["currency"] if row else ""


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


def catalogue_history(*, tenant, item: SKU | CustomerTier | Warehouse) -> QuerySet[CatalogueChange]:
    """What each save in Settings changed on this SKU, tier or warehouse, newest first."""
    field = {SKU: "sku", CustomerTier: "tier", Warehouse: "warehouse"}[type(item)]
    return CatalogueChange.objects.for_tenant(tenant).filter(**{field: item}).select_related("actor")


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
