"""The order sync's Celery tasks. Each takes ids, re-loads the rows, and is safe to run twice (acks_late:
a killed worker's task comes back): a pull replays pages idempotently, and a store already being
pulled by another worker is left to it (the lease)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sync_all_stores() -> int:
    """Beat, every CHANNEL_SYNC_EVERY seconds: one sync_store per connected store. Returns how many."""
    from channels.models import Connection, ConnectionStatus  # a task module loads before the models

    stores = list(
        Connection.objects.filter(status=ConnectionStatus.CONNECTED, store__is_active=True).values_list(
            "store_id", flat=True
        )
    )
    for store_id in stores:
        try:
            sync_store.delay(store_id)
        except Exception:  # run eagerly (no broker: make run), one store's failure must not stop the rest
            logger.exception("Order sync of store %s failed", store_id)
    return len(stores)


@shared_task(acks_late=True)
def sync_store(store_id: int) -> dict | None:
    """Pull one store's changed orders; None when it is not connected or another worker pulls it."""
    from channels.models import Store
    from orders.sync import pull

    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return None
    pulled = pull(store)
    if pulled is None:
        return None
    return {"created": pulled.upserted.created, "changed": pulled.upserted.changed, "requests": pulled.requests}


@shared_task(acks_late=True)
def refetch_orders(store_id: int, numbers: list[str], source: str) -> dict | None:
    """Re-read named orders of a store (a webhook, a sent action). A platform that cannot be reached
    is recorded on the store; the next pull catches the orders up."""
    from channels.adapters.base import PlatformError
    from channels.models import Store
    from core.errors import Refused
    from orders.sync import refetch

    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return None
    try:
        done = refetch(store, numbers, source)
    except (PlatformError, Refused):
        return None
    return {"created": done.created, "changed": done.changed}
