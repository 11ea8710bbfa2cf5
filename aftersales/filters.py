"""The filters of the after-sales lists, applied by their selectors (core/filters.py says how)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django_filters import ChoiceFilter

from accounts.models import Tenant
from aftersales.models import MANUAL_TYPES, Case
from channels.filters import channel_filter, store_filter
from core.filters import FilterSet, RowFilter, SearchFilter, any_of, codes, day_range, few_ids
from inventory.filters import tenant_warehouses
from orders.models import Buyer, Order


@dataclass(frozen=True)
class SupplierSource:
    """Who fulfils a distributor's orders is known to distribution, an app above this one: it
    registers this when ready (`register_suppliers`). `suppliers(tenant)`: the supplier tenants it
    works with; `orders(tenant, supplier)`: the ids of its orders that supplier fulfils."""

    suppliers: Callable[[Tenant], QuerySet[Tenant]]
    orders: Callable[[Tenant, Tenant], QuerySet]


SUPPLIERS: list[SupplierSource] = []  # one source, once distribution is ready


def register_suppliers(source: SupplierSource) -> None:
    SUPPLIERS[:] = [source]


def partner_suppliers(filters: FilterSet) -> QuerySet[Tenant]:
    """The suppliers the Supplier filter offers and takes: the tenant's partners, none without distribution."""
    return SUPPLIERS[0].suppliers(filters.tenant) if SUPPLIERS else Tenant.objects.none()


def _by_code(tenant, found: list[str]) -> list[QuerySet[Case]]:
    cases, orders = Case.objects.for_tenant(tenant), Order.objects.for_tenant(tenant)
    return [
        cases.filter(number__in=found),
        cases.filter(return_tracking_number__in=found),
        cases.filter(order__in=orders.filter(number__in=found).values("pk")),
        cases.filter(order__in=orders.filter(tracking_number__in=found).values("pk")),
    ]


def cases_matching(*, tenant, code: str) -> list[int] | QuerySet[Case]:
    """The ids of the cases a typed or scanned code names (for `pk__in`): case number, buyer's return
    tracking number, the order's number or tracking number (as typed or upper-cased). One union of
    branches each on its btree index (`any_of`)."""
    found = codes(code)
    if not found:
        return []
    return any_of(*_by_code(tenant, found))


def case_search(cases: QuerySet[Case], *, tenant, text: str) -> QuerySet[Case]:
    """`cases` a code names (`cases_matching`), or whose buyer's name holds `text` (in any case, on
    the names' trigram index); a name many buyers share is matched row by row (`few_ids` says why)."""
    found = codes(text)
    if not found:
        return cases.none()
    matches = _by_code(tenant, found)
    orders = Order.objects.for_tenant(tenant)
    named = Buyer.objects.for_tenant(tenant).filter(name__icontains=text.strip())
    buyers = few_ids(named)
    if buyers is None:  # along the list's order, each case's order joined: a page fills after a few
        return cases.filter(Q(pk__in=any_of(*matches)) | Q(order__buyer__in=named.values("pk")))
    if buyers:
        matches.append(Case.objects.for_tenant(tenant).filter(order__in=orders.filter(buyer__in=buyers).values("pk")))
    return cases.filter(pk__in=any_of(*matches))


class ShippingFilters(FilterSet):
    """The order's shipping warehouse and its supplier: the After-Sales lists and Stock-In / Return's
    waiting list filter their cases by both."""

    warehouse = RowFilter(
        method="shipped_from", queryset=tenant_warehouses, label="Shipping Warehouse", empty_label="All warehouses"
    )
    supplier = RowFilter(
        method="fulfilled_by", queryset=partner_suppliers, label="Supplier", empty_label="All suppliers"
    )

    def shipped_from(self, cases, name, value):
        # the warehouse's orders on their warehouse index, then their cases on the order index
        orders = Order.objects.for_tenant(self.tenant).filter(warehouse=value)
        return cases.filter(order__in=orders.values("pk"))

    def fulfilled_by(self, cases, name, value):
        return cases.filter(order__in=SUPPLIERS[0].orders(self.tenant, value))


class CaseFilter(ShippingFilters):
    """Manual After-Sales Order: a search, the store, channel and type, the order's shipping warehouse
    and supplier, the days it was created in."""

    q = SearchFilter(method="search", label="Search cases", placeholder="Case, order or tracking number, or buyer")
    store = store_filter()
    channel = channel_filter()
    type = ChoiceFilter(choices=[(t.value, t.label) for t in MANUAL_TYPES], label="Type", empty_label="All types")
    locals().update(day_range("created_at", labels=("Created from", "Created to")))

    def search(self, cases, name, value):
        return case_search(cases, tenant=self.tenant, text=value)


class ReturnFilter(ShippingFilters):
    """Stock-In / Return: the scanned code (a scanner types codes, not buyers' names), the store, the
    order's shipping warehouse and supplier."""

    q = SearchFilter(method="search", label="Tracking number, case number or order number")
    store = store_filter()

    def search(self, cases, name, value):
        return cases.filter(pk__in=cases_matching(tenant=self.tenant, code=value))
