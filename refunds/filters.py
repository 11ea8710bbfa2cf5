"""The filter of the After-Sales Refund list, applied by its selector (core/filters.py says how)."""

from django.db.models import Q

from core.filters import FilterSet, SearchFilter


class RefundFilter(FilterSet):
    q = SearchFilter(method="search", label="Search refunds", placeholder="Refund number, case number or order number")

    def search(self, refunds, name, value):
        return refunds.filter(Q(number=value) | Q(case__number=value) | Q(case__order__number=value))
