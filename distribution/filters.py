"""The filters of the distribution lists (core/filters.py says how they are applied)."""

from accounts.models import Tenant
from channels.filters import store_filter
from core.filters import FilterSet, RowFilter, search
from distribution.models import DistributionOrder, Partnership
from inventory.models import Warehouse, WarehouseKind


def suppliers_of(tenant):
    """The supplier tenants `tenant` distributes for (the Supplier filters of its lists offer these)."""
    return Tenant.objects.filter(pk__in=Partnership.objects.as_distributor(tenant).values("supplier")).order_by("name")


def orders_fulfilled_by(tenant, supplier):
    """The ids of `tenant`'s orders `supplier` fulfils, on the distribution orders' (tenant, partnership) index."""
    partnerships = Partnership.objects.as_distributor(tenant).filter(supplier=supplier)
    return DistributionOrder.objects.for_tenant(tenant).filter(partnership__in=partnerships).values("order")


def _suppliers(filters: FilterSet):
    return suppliers_of(filters.tenant)


def _distributors(filters: FilterSet):
    return Tenant.objects.filter(pk__in=Partnership.objects.as_supplier(filters.tenant).values("distributor"))


def _shipping_warehouses(filters: FilterSet):
    return Warehouse.objects.for_tenant(filters.tenant).filter(kind=WarehouseKind.SUPPLIER)


class PushFilter(FilterSet):
    """Return & Stock-in - Distribution: a search, the store, the supplier and the shipping warehouse."""

    q = search("case__number", "distribution_order__order__number", placeholder="Case or order number")
    store = store_filter("case__store")
    supplier = RowFilter(
        field_name="distribution_order__partnership__supplier",
        queryset=_suppliers,
        label="Supplier",
        empty_label="All suppliers",
    )
    warehouse = RowFilter(
        field_name="distribution_order__warehouse",
        queryset=_shipping_warehouses,
        label="Shipping Warehouse",
        empty_label="All shipping warehouses",
    )


class BigShopFilter(FilterSet):
    """After Sales Orders - BigShop and Return & Stock-in - BigShop: a search and the distributor."""

    q = search(
        "number", "case_number", "order_number", "return_tracking_number", placeholder="Return, case, order or tracking"
    )
    distributor = RowFilter(
        field_name="partnership__distributor",
        queryset=_distributors,
        label="Distributor",
        empty_label="All distributors",
    )
