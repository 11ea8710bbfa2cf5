"""The filter of the After-Sales Refund list, applied by its selector (core/filters.py says how)."""

from aftersales.models import Case
from core.filters import FilterSet, SearchFilter, any_of, codes
from orders.models import Order
from refunds.models import RefundOrder


class RefundFilter(FilterSet):
    q = SearchFilter(method="search", label="Search refunds", placeholder="Refund number, case number or order number")

    def search(self, refunds, name, value):
        """By its number, its case's or its order's (as typed or upper-cased), each on its index."""
        found = codes(value)
        every = RefundOrder.objects.for_tenant(self.tenant)
        cases = Case.objects.for_tenant(self.tenant)
        orders = Order.objects.for_tenant(self.tenant).filter(number__in=found)
        matching = any_of(
            every.filter(number__in=found),
            every.filter(case__in=cases.filter(number__in=found).values("pk")),
            every.filter(case__in=cases.filter(order__in=orders.values("pk")).values("pk")),
        )
        return refunds.filter(pk__in=matching)
