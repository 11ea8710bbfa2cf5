"""What the channel layer tells orders (channels.signals), turned into work queued after commit."""

from functools import partial

from django.db import transaction


def on_orders_changed(sender, numbers=(), source: str = "platform", **kwargs) -> None:
    """A webhook or a sent action says these orders changed: re-fetch them once the sender commits."""
    from orders.tasks import refetch_orders

    numbers = [str(n) for n in numbers if n]
    if numbers:
        transaction.on_commit(partial(refetch_orders.delay, sender.pk, numbers, source))


def on_sync_requested(sender, **kwargs) -> None:
    """Sync now: pull the store once the sender commits."""
    from orders.tasks import sync_store

    transaction.on_commit(partial(sync_store.delay, sender.pk))
