"""The filters of the order lists, applied by their selectors (core/filters.py says how)."""

from django.db.models import Exists, OuterRef, Q
from django_filters import ChoiceFilter

from channels.filters import channel_filter, store_filter
from channels.models import OutboundAction, OutboundStatus
from core.filters import FilterSet, SearchFilter, any_of, codes, few_ids
from orders.models import Buyer, Order

PLACEHOLDER = "Order number, tracking number or buyer"


def order_search(orders, *, tenant, query: str):
    """The orders a search names: by number or tracking number (as typed or upper-cased), or a
    part of its buyer's name (in any case, on the names' trigram index: migration 0003). Each on its
    own index (`any_of`); a name many buyers share is matched row by row (`few_ids` says why)."""
    found = codes(query)
    if not found:
        return orders.none()
    every = Order.objects.for_tenant(tenant)
    matches = [every.filter(number__in=found), every.filter(tracking_number__in=found)]
    named = Buyer.objects.for_tenant(tenant).filter(name__icontains=query.strip())
    buyers = few_ids(named)
    if buyers is None:
        return orders.filter(Q(pk__in=any_of(*matches)) | Q(buyer__in=named.values("pk")))
    if buyers:
        matches.append(every.filter(buyer__in=buyers))
    return orders.filter(pk__in=any_of(*matches))


SYNC_CHOICES = [(s.value, s.label) for s in (OutboundStatus.PENDING, OutboundStatus.FAILED)]


class OrderFilter(FilterSet):
    """Orders (every tab), Order Entry, Canceled Orders: a search, the store, the channel, and what is
    still to reach the platform (Waiting to sync, Sync failed)."""

    q = SearchFilter(method="search", label="Search orders", placeholder=PLACEHOLDER)
    store = store_filter()
    channel = channel_filter()
    sync = ChoiceFilter(method="with_actions", choices=SYNC_CHOICES, label="Sync", empty_label="Any sync")

    def search(self, orders, name, value):
        return order_search(orders, tenant=self.tenant, query=value)

    def with_actions(self, orders, name, value):
        actions = OutboundAction.objects.for_tenant(self.tenant).filter(order=OuterRef("pk"), status=value)
        return orders.filter(Exists(actions))


class CancelRequestFilter(FilterSet):
    """Buyers' cancel requests: by their order (a search), and its store."""

    q = SearchFilter(method="search", label="Search orders", placeholder=PLACEHOLDER)
    store = store_filter("order__store")

    def search(self, requests, name, value):
        orders = order_search(Order.objects.for_tenant(self.tenant), tenant=self.tenant, query=value)
        return requests.filter(order__in=orders.values("pk"))
