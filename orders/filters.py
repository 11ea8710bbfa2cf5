"""The filters of the order lists, applied by their selectors (core/filters.py says how)."""

from django.db.models import Q

from channels.filters import channel_filter, store_filter
from core.filters import FilterSet, SearchFilter
from orders.models import Buyer, Order

PLACEHOLDER = "Order number, tracking number or buyer"


def order_search(orders, *, tenant, query: str):
    """The orders a search names: by number or tracking number, or its buyer's name."""
    # buyers matched first, as ids: keeps each branch on its own index instead of a join scan
    buyers = Buyer.objects.for_tenant(tenant).filter(name__icontains=query).values("pk")
    return orders.filter(Q(number=query) | Q(tracking_number=query) | Q(buyer__in=buyers))


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
