"""The filters of the stock and catalogue lists, applied by their selectors (core/filters.py says how)."""

from django.db.models import Q

from core.filters import FilterSet, RowFilter, SearchFilter, day_range, search
from inventory.models import SKU, Warehouse


def tenant_warehouses(filters: FilterSet):
    return Warehouse.objects.for_tenant(filters.tenant).order_by("name", "pk")


def warehouse_filter() -> RowFilter:
    return RowFilter(queryset=tenant_warehouses, label="Warehouse", empty_label="All warehouses")


class SKUFilter(FilterSet):
    """Settings > Products (its Active / Inactive tabs are the list's own)."""

    q = search("code", "name", placeholder="SKU code or name")


class StockFilter(FilterSet):
    q = SearchFilter(method="search", label="Search SKUs", placeholder="SKU code or name")
    warehouse = warehouse_filter()

    def search(self, levels, name, value):
        """The SKUs matched first, on their own indexes: one OR across the join scans every level."""
        skus = SKU.objects.for_tenant(self.tenant).filter(Q(code__icontains=value) | Q(name__icontains=value))
        return levels.filter(sku__in=skus.values("pk"))


class LedgerFilter(FilterSet):
    """A SKU's ledger: the warehouse, the days the movements were made in."""

    warehouse = warehouse_filter()
    locals().update(day_range("created_at"))


class TierFilter(FilterSet):
    q = search("name", placeholder="Tier name")


class WarehouseFilter(FilterSet):
    q = search("name", "code", placeholder="Name or code")
