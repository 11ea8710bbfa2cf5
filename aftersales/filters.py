"""The filters of the after-sales lists, applied by their selectors (core/filters.py says how)."""

from django_filters import ChoiceFilter

from aftersales.models import MANUAL_TYPES, Case
from channels.filters import channel_filter, store_filter
from core.filters import FilterSet, SearchFilter, day_range
from orders.models import Buyer, Order


def case_ids_matching(*, tenant, code: str, buyers: bool = False) -> set[int]:
    """The cases a typed or scanned code names: case number, buyer's return tracking number, the
    order's number or tracking number (as typed or upper-cased), and with `buyers` the buyer's name.

    Found index by index, a few tiny queries: one OR across the case and its order can only be
    checked after joining both tables, a scan of each (bench/case_pages.py)."""
    code = code.strip()
    if not code:
        return set()
    codes = {code, code.upper()}
    cases = Case.objects.for_tenant(tenant)
    orders = Order.objects.for_tenant(tenant)
    found = [
        cases.filter(number__in=codes),
        cases.filter(return_tracking_number__in=codes),
        cases.filter(order__in=orders.filter(number__in=codes).values("pk")),
        cases.filter(order__in=orders.filter(tracking_number__in=codes).values("pk")),
    ]
    if buyers:
        named = Buyer.objects.for_tenant(tenant).filter(name__icontains=code).values("pk")
        found.append(cases.filter(order__buyer__in=named))
    return {pk for matches in found for pk in matches.values_list("pk", flat=True)}


def _matching(filters: FilterSet, cases, code: str, *, buyers: bool):
    return cases.filter(pk__in=case_ids_matching(tenant=filters.tenant, code=code, buyers=buyers))


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
