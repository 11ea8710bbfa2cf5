from django.db.models import QuerySet

from channels.filters import StoreFilter
from channels.models import Store


def store_qs(*, tenant) -> QuerySet[Store]:
    return Store.objects.for_tenant(tenant)


def store_list(*, tenant, params=None) -> QuerySet[Store]:
    """Settings > Stores, by name, filtered by `params` through StoreFilter."""
    return StoreFilter(params, store_qs(tenant=tenant), tenant=tenant).qs.order_by("name", "pk")


def stores_for_user(*, user) -> QuerySet[Store]:
    """The stores this user may work with: all of the tenant's, or those granted one by one."""
    return Store.objects.visible_to(user)


def restricted_stores(*, user) -> QuerySet[Store] | None:
    """The stores a store-restricted user may work with; None for a user who sees all the tenant's."""
    return None if user.sees_all_stores else stores_for_user(user=user)
