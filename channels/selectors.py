from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from channels.models import Store
from channels.permissions import ACCESS_STORE


def store_qs(*, tenant) -> QuerySet[Store]:
    return Store.objects.for_tenant(tenant)


def store_list(*, tenant, params=None) -> QuerySet[Store]:
    """Settings > Stores, by name, filtered by `params` through StoreFilter."""
    from channels.filters import StoreFilter  # imported here: the filters offer `stores_for_user`

    return StoreFilter(params, store_qs(tenant=tenant), tenant=tenant).qs.order_by("name", "pk")


def stores_for_user(*, user) -> QuerySet[Store]:
    """The stores this user may work with: all of the tenant's, or those granted one by one."""
    stores = store_qs(tenant=user.tenant)
    if user.sees_all_stores:
        return stores
    return get_objects_for_user(user, ACCESS_STORE, stores, accept_global_perms=False, with_superuser=False)
