"""The filters of the after-sales lists, applied by their selectors (core/filters.py says how)."""

from django.db.models import QuerySet
from django_filters import ChoiceFilter

from aftersales.models import MANUAL_TYPES, Case
from channels.filters import channel_filter, store_filter
from core.filters import FilterSet, SearchFilter, any_of, codes, day_range
from orders.models import Buyer, Order


def cases_matching(*, tenant, code: str, buyers: bool = False) -> QuerySet[Case]:
    """The ids of the cases a typed or scanned code names (for `pk__in`): case number, buyer's return
    tracking number, the order's number or tracking number (as typed or upper-cased), and with
    `buyers` a part of the buyer's name (in any case).

    One subquery of indexed branches (`any_of`): the numbers on their btree indexes, the buyer's
    name on its trigram index (PostgreSQL, migration orders 0003), each case found from its order."""
    found = codes(code)
    cases = Case.objects.for_tenant(tenant)
    if not found:
        return cases.none().values("pk")
    orders = Order.objects.for_tenant(tenant)
    matches = [
        cases.filter(number__in=found),
        cases.filter(return_tracking_number__in=found),
        cases.filter(order__in=orders.filter(number__in=found).values("pk")),
        cases.filter(order__in=orders.filter(tracking_number__in=found).values("pk")),
    ]
    if buyers:
        named = Buyer.objects.for_tenant(tenant).filter(name__icontains=code.strip()).values("pk")
        matches.append(cases.filter(order__in=orders.filter(buyer__in=named).values("pk")))
    return any_of(*matches)


def _matching(filters: FilterSet, cases, code: str, *, buyers: bool):
    return cases.filter(pk__in=cases_matching(tenant=filters.tenant, code=code, buyers=buyers))


class CaseFilter(FilterSet):
    """Manual After-Sales Order: a search, the store, channel and type, the days it was created in."""

    q = SearchFilter(method="search", label="Search cases", placeholder="Case, order or tracking number, or buyer")
    store = store_filter()
    channel = channel_filter()
    type = ChoiceFilter(choices=[(t.value, t.label) for t in MANUAL_TYPES], label="Type", empty_label="All types")
    locals().update(day_range("created_at", labels=("Created from", "Created to")))

    def search(self, cases, name, value):
        return _matching(self, cases, value, buyers=True)


class ReturnFilter(FilterSet):
    """Stock-In / Return: the scanned code (a scanner types codes, not buyers' names), and the store."""

    q = SearchFilter(method="search", label="Tracking number, case number or order number")
    store = store_filter()

    def search(self, cases, name, value):
        return _matching(self, cases, value, buyers=False)
