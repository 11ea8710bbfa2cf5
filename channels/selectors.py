from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from channels.filters import StoreFilter
from channels.models import Connection, Store

SYNC_STALE = timedelta(minutes=15)  # a Sync now still "running" after this was lost (a worker died)


def store_qs(*, tenant) -> QuerySet[Store]:
    return Store.objects.for_tenant(tenant)


def store_list(*, tenant, params=None) -> QuerySet[Store]:
    """Settings > Stores, by name, filtered by `params` through StoreFilter."""
    stores = StoreFilter(params, store_qs(tenant=tenant), tenant=tenant).qs
    return stores.select_related("connection").order_by("name", "pk")


def stores_for_user(*, user) -> QuerySet[Store]:
    """The stores this user may work with: all of the tenant's, or those granted one by one."""
    return Store.objects.visible_to(user)


def restricted_stores(*, user) -> QuerySet[Store] | None:
    """The stores a store-restricted user may work with; None for a user who sees all the tenant's."""
    return None if user.sees_all_stores else stores_for_user(user=user)


def connection_of(store: Store) -> Connection | None:
    return Connection.objects.filter(store=store).first()


def sync_running(connection: Connection | None) -> bool:
    """A Sync now under way (one started longer ago than SYNC_STALE was lost)."""
    started = connection and connection.sync_started_at
    return bool(started) and started > timezone.now() - SYNC_STALE
