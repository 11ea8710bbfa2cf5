"""The filter of Settings > Stores, and the store filter every list of a store's documents shares."""

from django_filters import ChoiceFilter

from channels.models import Channel, Store
from core.filters import FilterSet, RowFilter, search


def user_stores(filters: FilterSet):
    """The stores a store filter offers and takes: those the user may work with."""
    return Store.objects.visible_to(filters.user)


def store_filter(field_name: str = "store") -> RowFilter:
    return RowFilter(field_name=field_name, queryset=user_stores, label="Store", empty_label="All stores")


def channel_filter(field_name: str = "store__channel") -> ChoiceFilter:
    return ChoiceFilter(field_name=field_name, choices=Channel.choices, label="Channel", empty_label="All channels")


class StoreFilter(FilterSet):
    q = search("name", "external_id", "site", placeholder="Store name, shop id or site")
    channel = channel_filter("channel")
