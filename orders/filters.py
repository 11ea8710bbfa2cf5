"""The filters of the order lists, applied by their selectors (core/filters.py says how)."""

from channels.filters import channel_filter, store_filter
from core.filters import FilterSet, SearchFilter, any_of, codes
from orders.models import Buyer, Order

PLACEHOLDER = "Order number, tracking number or buyer"


def order_search(orders, *, tenant, query: str):
    """The orders a search names: by number or tracking number (as typed or upper-cased), or a
    part of its buyer's name (in any case); each on its own index (`any_of`), the name on its
    trigram index (PostgreSQL, migration 0003)."""
    found = codes(query)
    if not found:
        return orders.none()
    every = Order.objects.for_tenant(tenant)
    named = Buyer.objects.for_tenant(tenant).filter(name__icontains=query.strip()).values("pk")
    matching = any_of(
        every.filter(number__in=found), every.filter(tracking_number__in=found), every.filter(buyer__in=named)
    )
    return orders.filter(pk__in=matching)


class OrderFilter(FilterSet):
    """Orders (every tab), Order Entry, Canceled Orders: a search, the store and the channel."""

    q = SearchFilter(method="search", label="Search orders", placeholder=PLACEHOLDER)
    store = store_filter()
    channel = channel_filter()

    def search(self, orders, name, value):
        return order_search(orders, tenant=self.tenant, query=value)


class CancelRequestFilter(FilterSet):
    """Buyers' cancel requests: by their order (a search), and its store."""

    q = SearchFilter(method="search", label="Search orders", placeholder=PLACEHOLDER)
    store = store_filter("order__store")

    def search(self, requests, name, value):
        orders = order_search(Order.objects.for_tenant(self.tenant), tenant=self.tenant, query=value)
        return requests.filter(order__in=orders.values("pk"))
